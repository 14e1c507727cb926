import CPROJ
import Foundation
import SpaceCore
#if canImport(Glibc)
    import Glibc
#endif

/// One PROJ context per thread: PROJ objects are not thread-safe, a context per thread is.
enum PROJContext {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            proj_context_destroy(OpaquePointer(pointer))
        }
        return key
    }()

    static var current: OpaquePointer {
        if let pointer = pthread_getspecific(key) { return OpaquePointer(pointer) }
        let context = proj_context_create()!
        // Never reach for network grids: the machines here are offline.
        proj_context_set_enable_network(context, 0)
        // Errors reach the user through our own messages; keep PROJ's log off stderr.
        proj_log_level(context, PJ_LOG_NONE)
        pthread_setspecific(key, UnsafeRawPointer(context))
        return context
    }

    /// PROJ's message for the last error in this thread's context.
    static func lastError() -> String {
        let context = current
        let code = proj_context_errno(context)
        guard code != 0, let text = proj_context_errno_string(context, code) else { return "unknown PROJ error" }
        return String(cString: text)
    }
}

/// What the project needs to know of a CRS: its name, whether it is geographic, and the size
/// of its linear unit (to refuse areas in degrees).
public struct CRSInfo: Sendable {
    public let code: CRSCode
    public let name: String
    public let isGeographic: Bool
    /// Metres per unit of the CRS's axes, for projected CRSs (1 for metre-based ones).
    public let metresPerUnit: Double?

    public var isProjectedInMetres: Bool { !isGeographic && metresPerUnit == 1 }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [CRSCode: CRSInfo] = [:]  // safe: read and written only under cacheLock

    /// Looks up a CRS in PROJ's database (cached). Unknown codes throw.
    public static func lookup(_ code: CRSCode) throws -> CRSInfo {
        cacheLock.lock()
        if let hit = cache[code] { cacheLock.unlock(); return hit }
        cacheLock.unlock()
        let info = try load(code)
        cacheLock.lock()
        cache[code] = info
        cacheLock.unlock()
        return info
    }

    private static func load(_ code: CRSCode) throws -> CRSInfo {
        let context = PROJContext.current
        guard let crs = proj_create(context, "EPSG:\(code.projCode)") else {
            throw CRSError.unknownCode(code.description)
        }
        defer { proj_destroy(crs) }
        let type = proj_get_type(crs)
        let isGeographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS
        let isCRS =
            isGeographic || type == PJ_TYPE_PROJECTED_CRS || type == PJ_TYPE_GEOCENTRIC_CRS
            || type == PJ_TYPE_COMPOUND_CRS || type == PJ_TYPE_GEOGRAPHIC_CRS
        guard isCRS else { throw CRSError.unknownCode("\(code) (not a coordinate reference system)") }
        let name = proj_get_name(crs).map { String(cString: $0) } ?? code.description
        var metres: Double?
        if !isGeographic, let cs = proj_crs_get_coordinate_system(context, crs) {
            defer { proj_destroy(cs) }
            var factor = 0.0
            if proj_cs_get_axis_info(context, cs, 0, nil, nil, nil, &factor, nil, nil, nil) == 1 { metres = factor }
        }
        let label = code.isChineseWebMap ? "\(code) (offset of \(name))" : name
        return CRSInfo(code: code, name: label, isGeographic: isGeographic, metresPerUnit: metres)
    }
}
