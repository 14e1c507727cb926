import Foundation
import SpaceCore

/// The offsets of the Chinese web-map coordinate systems, which PROJ does not model.
///
/// - GCJ-02 ("Mars coordinates", Amap, Tencent, DataV): WGS84 plus a smooth, nonlinear
///   offset (≈ 500–600 m in Futian), computed on the Krasovsky ellipsoid. The widely published
///   forward algorithm (e.g. wandergis/coordTransform, eviltransform) is used as is; it applies
///   no offset outside a bounding box of China, and neither does this.
/// - BD-09 (Baidu): GCJ-02 plus Baidu's own rotation and shift. Outside China we treat BD-09 as
///   WGS84 too, so that "no offset outside China" holds for both systems and round trips close.
///
/// Only the forward formulas are published; the inverses here are solved by fixed-point
/// iteration until the forward image is within 1e-10 degrees (≈ 0.01 mm) of the input.
public enum ChineseWebMapOffsets {
    private static let krasovskyA = 6378245.0
    private static let krasovskyEE = 0.00669342162296594323
    private static let baiduXPi = Double.pi * 3000.0 / 180.0
    private static let tolerance = 1e-10
    private static let maxIterations = 50

    /// The box outside which the published algorithm applies no offset.
    public static func isOutsideChina(_ c: Coordinate) -> Bool {
        c.x < 72.004 || c.x > 137.8347 || c.y < 0.8293 || c.y > 55.8271
    }

    // MARK: GCJ-02

    public static func gcj02(fromWGS84 c: Coordinate) -> Coordinate {
        if isOutsideChina(c) { return c }
        let d = gcjDelta(c)
        return Coordinate(c.x + d.x, c.y + d.y)
    }

    public static func wgs84(fromGCJ02 g: Coordinate) -> Coordinate {
        if isOutsideChina(g) { return g }
        return invert(target: g, forward: gcj02(fromWGS84:))
    }

    // MARK: BD-09

    public static func bd09(fromGCJ02 g: Coordinate) -> Coordinate {
        if isOutsideChina(g) { return g }
        let z = (g.x * g.x + g.y * g.y).squareRoot() + 0.00002 * sin(g.y * baiduXPi)
        let theta = atan2(g.y, g.x) + 0.000003 * cos(g.x * baiduXPi)
        return Coordinate(z * cos(theta) + 0.0065, z * sin(theta) + 0.006)
    }

    public static func gcj02(fromBD09 b: Coordinate) -> Coordinate {
        if isOutsideChina(b) { return b }
        return invert(target: b, forward: bd09(fromGCJ02:))
    }

    public static func bd09(fromWGS84 c: Coordinate) -> Coordinate { bd09(fromGCJ02: gcj02(fromWGS84: c)) }
    public static func wgs84(fromBD09 b: Coordinate) -> Coordinate { wgs84(fromGCJ02: gcj02(fromBD09: b)) }

    // MARK: Internals

    /// Solves forward(x) = target by x ← x − (forward(x) − target); the offsets are small and
    /// smooth, so this contracts quickly (3–5 steps to 1e-10°).
    private static func invert(target: Coordinate, forward: (Coordinate) -> Coordinate) -> Coordinate {
        var x = target
        for _ in 0..<maxIterations {
            let image = forward(x)
            let dx = image.x - target.x, dy = image.y - target.y
            if abs(dx) < tolerance && abs(dy) < tolerance { break }
            x = Coordinate(x.x - dx, x.y - dy)
        }
        return x
    }

    private static func gcjDelta(_ c: Coordinate) -> Coordinate {
        let x = c.x - 105.0, y = c.y - 35.0
        // The same x harmonics enter both offsets: computed once (the published formula, unchanged).
        let xHarmonics = (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += xHarmonics
        dLat += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        dLat += (160.0 * sin(y / 12.0 * .pi) + 320.0 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += xHarmonics
        dLon += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        dLon += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        let radLat = c.y / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - krasovskyEE * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180.0) / ((krasovskyA * (1 - krasovskyEE)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180.0) / (krasovskyA / sqrtMagic * cos(radLat) * .pi)
        return Coordinate(dLon, dLat)
    }
}
