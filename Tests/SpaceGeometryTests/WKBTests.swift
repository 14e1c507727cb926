import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

/// The project's own WKB reader and writer (what GDAL hands over and is handed) against GEOS's.
@Suite("WKB: the Swift reader and writer agree with GEOS")
struct WKBTests {
    static let shapes = [
        "POINT (500000 2500000)",
        "LINESTRING (0 0, 10 0, 10 10)",
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))",
        "MULTIPOINT ((1 2), (3 4))",
        "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))",
        "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
        "GEOMETRYCOLLECTION (POINT (1 1), LINESTRING (0 0, 2 2))",
    ]

    @Test("GEOS's WKB reads into the same shape GEOS holds, and the Swift WKB reads back in GEOS", arguments: shapes)
    func roundTrip(_ wkt: String) throws {
        let geometry = try Geometry(wkt: wkt)
        let fromGEOS = try Shape(wkb: try geometry.wkb())
        #expect(fromGEOS == geometry.shape)
        let back = try Geometry(wkb: fromGEOS.wkb)
        #expect(try back.wkt() == (try geometry.wkt()))
    }

    @Test("Z and M values are dropped; big-endian and extended (PostGIS) headers are read")
    func dimensionsAndByteOrder() throws {
        // ISO POINT Z (1 2 3), little-endian.
        var z: [UInt8] = [1, 0xE9, 0x03, 0, 0]
        for v in [1.0, 2.0, 3.0] { z += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        #expect(try Shape(wkb: z) == .point(Coordinate(1, 2)))
        // Big-endian extended POINT with an SRID (EWKB 0x20000001, SRID 4547).
        var e: [UInt8] = [0, 0x20, 0, 0, 0x01, 0, 0, 0x11, 0xC3]
        for v in [500000.0, 2500000.0] { e += withUnsafeBytes(of: v.bitPattern.bigEndian, Array.init) }
        #expect(try Shape(wkb: e) == .point(Coordinate(500000, 2500000)))
    }

    @Test("truncated or lying WKB is an error, not a crash", arguments: [
        [UInt8](), [1], [1, 3, 0, 0, 0], [1, 3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F], [2, 1, 0, 0, 0], [1, 99, 0, 0, 0],
    ])
    func malformed(_ bytes: [UInt8]) {
        #expect(throws: WKBError.self) { try Shape(wkb: bytes) }
    }
}
