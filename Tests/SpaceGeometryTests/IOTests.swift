import SpaceCore
import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

@Suite("WKT and WKB reading and writing through GEOS")
struct IOTests {
    let polygonWithHole = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))"

    @Test("WKT and WKB round-trip a polygon with a hole")
    func wktWkb() throws {
        let g = try Geometry(wkt: polygonWithHole)
        #expect(g.planarArea == 96)
        #expect(try g.wkt() == "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))")
        let back = try Geometry(wkb: try g.wkb())
        #expect(try back.equalsTopologically(g))
        let hex = try g.wkbHex()
        #expect(hex.hasPrefix("0103000000"))
        #expect(try Geometry(wkbHex: hex).planarArea == 96)
    }

    @Test("shapes survive GEOS and back unchanged")
    func shapeRoundTrip() throws {
        let shapes: [Shape] = [
            .point(Coordinate(1, 2)),
            .lineString([Coordinate(0, 0), Coordinate(3, 4)]),
            .polygon([[Coordinate(0, 0), Coordinate(4, 0), Coordinate(4, 4), Coordinate(0, 0)]]),
            .multiPoint([Coordinate(1, 1), Coordinate(2, 2)]),
            .multiLineString([[Coordinate(0, 0), Coordinate(1, 0)], [Coordinate(2, 2), Coordinate(3, 3)]]),
            .multiPolygon([
                [[Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 0)]],
                [[Coordinate(5, 5), Coordinate(6, 5), Coordinate(6, 6), Coordinate(5, 5)]],
            ]),
            .collection([.point(Coordinate(9, 9)), .lineString([Coordinate(0, 0), Coordinate(1, 1)])]),
        ]
        for s in shapes { #expect(try Geometry(s).shape == s) }
    }

    @Test(
        "malformed WKT is an error with GEOS's reason",
        arguments: [
            "POLYGON((0 0, 1 0, 1 1",
            "POINT(1)",
            "LINESTRING(a b, c d)",
            "CIRCLE(0 0, 1)",
            "",
        ])
    func malformedWKT(text: String) {
        #expect(throws: GeometryError.self) { try Geometry(wkt: text) }
    }

    @Test("NaN and infinite coordinates are refused in every reader")
    func nonFinite() throws {
        #expect(throws: GeometryError.self) { try Geometry(wkt: "POINT (NaN 1)") }
        #expect(throws: GeometryError.self) { try Geometry(.point(Coordinate(.infinity, 1))) }
        #expect(throws: GeometryError.self) {
            try Geometry(.polygon([[Coordinate(0, 0), Coordinate(1, .nan), Coordinate(1, 1), Coordinate(0, 0)]]))
        }
        let nanWKB = try Geometry.point(1, 2).wkb()
        var bad = nanWKB
        withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { bytes in
            for i in 0..<8 { bad[5 + i] = bytes[i] }
        }
        #expect(throws: GeometryError.self) { try Geometry(wkb: bad) }
        // The GeoJSON reader (SpaceCore) refuses them too: Tests/SpaceCoreTests/JSONTests.swift.
    }

    @Test("unclosed and short rings are errors naming the ring")
    func rings() {
        let unclosed = #expect(throws: GeometryError.self) {
            try Geometry(.polygon([[Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 1)]]))
        }
        #expect(unclosed?.description.contains("ring 0 is not closed") == true)
        let short = #expect(throws: GeometryError.self) {
            try Geometry(.polygon([[Coordinate(0, 0), Coordinate(1, 0), Coordinate(0, 0)]]))
        }
        #expect(short?.description.contains("at least 4") == true)
        #expect(throws: GeometryError.self) { try Geometry(wkt: "POLYGON((0 0, 1 0, 1 1, 0 1))") }
    }
}
