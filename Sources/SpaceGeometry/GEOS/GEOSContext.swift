import CGEOS
#if canImport(Glibc)
    import Glibc
#endif

/// Errors raised by the geometry layer. Each says what went wrong in words a user can act on.
public enum GeometryError: Error, CustomStringConvertible, Equatable {
    /// GEOS refused an operation or an input; `message` is GEOS's own reason.
    case geos(operation: String, message: String)
    /// A coordinate is NaN or infinite.
    case nonFiniteCoordinate(x: Double, y: Double)
    /// A structural problem in the input, e.g. a ring with fewer than four points.
    case invalidInput(String)
    /// A metric (area, length) was asked of coordinates that are not in a projected metre CRS.
    case notProjected(String)

    public var description: String {
        switch self {
        case let .geos(operation, message): return "\(operation) failed: \(message)"
        case let .nonFiniteCoordinate(x, y): return "coordinate (\(x), \(y)) is not a finite number"
        case let .invalidInput(text): return text
        case let .notProjected(text): return text
        }
    }
}

/// One GEOS context handle per thread: GEOS's reentrant API is thread-safe only when a
/// handle is never shared between threads. The handle is created on first use in a thread
/// and finished when the thread exits.
final class GEOSContext {
    let handle: GEOSContextHandle_t
    /// Last message GEOS reported through the error handler in this context.
    var lastError: String = ""

    private init() {
        handle = GEOS_init_r()
        let box = Unmanaged.passUnretained(self).toOpaque()
        GEOSContext_setErrorMessageHandler_r(
            handle,
            { message, userdata in
                guard let userdata, let message else { return }
                let context = Unmanaged<GEOSContext>.fromOpaque(userdata).takeUnretainedValue()
                context.lastError = String(cString: message)
            }, box)
        GEOSContext_setNoticeMessageHandler_r(handle, { _, _ in }, nil)
    }

    deinit { GEOS_finish_r(handle) }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            // Thread exit: release this thread's context.
            Unmanaged<GEOSContext>.fromOpaque(pointer!).release()
        }
        return key
    }()

    /// The calling thread's context.
    static var current: GEOSContext {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<GEOSContext>.fromOpaque(pointer).takeUnretainedValue()
        }
        let context = GEOSContext()
        pthread_setspecific(key, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// The handle of the calling thread's context.
    @inline(__always) static var handle: GEOSContextHandle_t { current.handle }

    /// Takes the pending error message (if any) and clears it.
    func takeError(default fallback: String = "unknown GEOS error") -> String {
        let message = lastError.isEmpty ? fallback : lastError
        lastError = ""
        return message
    }
}
