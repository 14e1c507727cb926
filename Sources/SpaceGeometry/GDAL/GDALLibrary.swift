import CGDAL
import Foundation

/// GDAL's message, passed on as the reason a file could not be read or written.
public struct GDALError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }
}

/// GDAL set up once per process: drivers registered, messages kept off stderr (they reach the
/// user through our own errors), a network read (there should be none) given up quickly.
enum GDALLibrary {
    private static let setUp: Void = {
        CPLSetErrorHandler(CPLQuietErrorHandler)
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1")
        GDALAllRegister()
    }()

    static func ensureRegistered() { _ = setUp }

    /// The calling thread's last GDAL message (GDAL keeps one per thread), or `fallback`.
    static func lastMessage(or fallback: String) -> String {
        guard let text = CPLGetLastErrorMsg() else { return fallback }
        let message = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        return message.isEmpty ? fallback : message
    }

    /// The same list as GDAL's `const char* const*` parameters take it.
    static func constant(_ list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> UnsafePointer<UnsafePointer<CChar>?>? {
        list.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self) }
    }

    /// A NULL-terminated list of "KEY=VALUE" strings for GDAL's option arguments, alive for `body`.
    static func withOptions<T>(_ options: [(String, String)], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> T) rethrows -> T
    {
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        for (key, value) in options { list = CSLSetNameValue(list, key, value) }
        defer { CSLDestroy(list) }
        return try body(list)
    }
}
