import SpaceCore
import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

/// The project's own WKB reader and writer (what GDAL hands over and is handed) against GEOS's.
/// The reader on its own (dimensions, byte order, malformed input): Tests/SpaceCoreTests/WKBTests.swift.
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
}
