import Foundation

/// A coordinate reference system as a planner names it: an EPSG code, or one of the two
/// Chinese web-map systems that PROJ does not know (GCJ-02 used by Amap/Tencent/DataV,
/// BD-09 used by Baidu), both of which are offsets of WGS84 longitude/latitude.
public enum CRSCode: Hashable, Sendable, CustomStringConvertible {
    case epsg(Int)
    case gcj02
    case bd09

    public static let wgs84 = CRSCode.epsg(4326)
    /// CGCS2000 / 3-degree Gauss-Kruger CM 114E: the projected CRS that fits Futian.
    public static let cgcs2000GK114 = CRSCode.epsg(4547)
    public static let utm50N = CRSCode.epsg(32650)

    /// Parses "EPSG:4547", "epsg:4326", "4547", "WGS84", "CRS84", "GCJ-02", "gcj02", "BD-09",
    /// "bd09", and the OGC URNs GeoJSON files carry ("urn:ogc:def:crs:OGC:1.3:CRS84",
    /// "urn:ogc:def:crs:EPSG::4326").
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let compact = t.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        switch compact {
        case "WGS84", "CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84", "URN:OGC:DEF:CRS:OGC::CRS84": self = .wgs84; return
        case "GCJ02", "GCJ", "AMAP", "TENCENT": self = .gcj02; return
        case "BD09", "BD09LL", "BAIDU": self = .bd09; return
        default: break
        }
        var digits = Substring(t)
        for prefix in ["URN:OGC:DEF:CRS:EPSG::", "URN:OGC:DEF:CRS:EPSG:", "EPSG::", "EPSG:"] where t.hasPrefix(prefix) {
            digits = t.dropFirst(prefix.count)
            break
        }
        // A versioned URN ("...EPSG:9.8.1:4326") keeps the code after the last colon.
        if let colon = digits.lastIndex(of: ":") { digits = digits[digits.index(after: colon)...] }
        guard let code = Int(digits), code > 0 else {
            throw CRSError.unknownCode(text)
        }
        self = .epsg(code)
    }

    public var description: String {
        switch self {
        case let .epsg(code): return "EPSG:\(code)"
        case .gcj02: return "GCJ-02"
        case .bd09: return "BD-09"
        }
    }

    /// The EPSG code PROJ works in: the Chinese systems are offsets of WGS84 lon/lat.
    public var projCode: Int {
        if case let .epsg(code) = self { return code }
        return 4326
    }

    /// True for the Chinese web-map systems (offsets PROJ does not model).
    public var isChineseWebMap: Bool { self == .gcj02 || self == .bd09 }
}

public enum CRSError: Error, CustomStringConvertible, Equatable {
    case unknownCode(String)
    case proj(String)
    case transformFailed(x: Double, y: Double, from: CRSCode, to: CRSCode, reason: String)

    public var description: String {
        switch self {
        case let .unknownCode(text):
            return "unknown CRS '\(text)': use an EPSG code (e.g. EPSG:4547), WGS84, GCJ-02 or BD-09"
        case let .proj(message): return "PROJ: \(message)"
        case let .transformFailed(x, y, from, to, reason):
            return "cannot transform (\(x), \(y)) from \(from) to \(to): \(reason)"
        }
    }
}
