import Foundation
import SpaceCore
import Testing
import TestSupport

/// The project's own WKB reader (what GDAL hands over), on its own; against GEOS's in
/// Tests/SpaceGeometryTests/WKBTests.swift.
@Suite("WKB: headers, dimensions and malformed bytes")
struct WKBTests {
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

    @Test(
        "truncated or lying WKB is an error, not a crash",
        arguments: [
            [UInt8](), [1], [1, 3, 0, 0, 0], [1, 3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F], [2, 1, 0, 0, 0], [1, 99, 0, 0, 0],
        ])
    func malformed(_ bytes: [UInt8]) {
        #expect(throws: WKBError.self) { try Shape(wkb: bytes) }
    }
}
