import SpaceCore
import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

/// Every number here comes from shapely 2 on the same WKT (scripts/reference/make_geometry_fixtures.py).
@Suite("Geometry operations against shapely on awkward polygons")
struct GeometryReferenceTests {
    static let fixture = try! TestPaths.fixture("awkward_polygons.json")
    static var cases: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: fixture["cases"]!.array.map { ($0["name"]!.string, $0) })
    }
    static func geometry(_ name: String) throws -> Geometry {
        try Geometry(wkt: cases[name]!["wkt"]!.string, crs: .cgcs2000GK114)
    }
    static let caseNames = fixture["cases"]!.array.map { $0["name"]!.string }

    @Test("area, length, validity, envelope and centroid", arguments: caseNames)
    func measures(name: String) throws {
        let c = Self.cases[name]!
        let g = try Self.geometry(name)
        #expect(abs(g.planarArea - c["area"]!.double) <= 1e-9 * max(1, c["area"]!.double))
        #expect(abs(g.planarLength - c["length"]!.double) <= 1e-9 * max(1, c["length"]!.double))
        #expect(g.isValid == c["is_valid"]!.bool)
        if !g.isValid { #expect(g.validityReason.contains(c["valid_reason_kind"]!.string)) }
        let e = c["envelope"]!.array.map(\.double)
        #expect(g.bounds == Envelope(minX: e[0], minY: e[1], maxX: e[2], maxY: e[3]))
        let centroid = try g.centroid().pointCoordinate!
        #expect(abs(centroid.x - c["centroid"]!.array[0].double) < 1e-6)
        #expect(abs(centroid.y - c["centroid"]!.array[1].double) < 1e-6)
        if c["point_on_surface_within"]!.bool {
            #expect(try g.pointOnSurface().within(g))
        }
    }

    @Test("make-valid repairs and reports; buffer areas match", arguments: caseNames)
    func repairAndBuffer(name: String) throws {
        let c = Self.cases[name]!
        let g = try Self.geometry(name)
        let linework = try g.makeValid()
        #expect(abs(linework.planarArea - c["make_valid_area"]!.double) < 1e-6)
        let repair = try g.repaired()
        #expect(repair.wasRepaired == !c["is_valid"]!.bool)
        #expect(repair.geometry.isValid)
        if repair.wasRepaired { #expect(repair.problem!.contains(c["valid_reason_kind"]!.string)) }
        let source = c["buffer_of_make_valid"]?.bool == true ? linework : g
        // shapely 2 buffers with 16 segments per quadrant.
        let buffered = try source.buffer(10, quadrantSegments: 16)
        #expect(relativeDifference(buffered.planarArea, c["buffer_10_area"]!.double) < 1e-9)
    }

    @Test("the bow-tie is repaired into two triangles of the right area, not dropped")
    func bowTie() throws {
        let repair = try Self.geometry("bowtie").repaired()
        #expect(repair.problem?.hasPrefix("Self-intersection") == true)
        #expect(repair.geometry.kind == .multiPolygon)
        #expect(repair.geometry.partCount == 2)
        #expect(abs(try repair.geometry.areaSquareMetres() - Self.cases["bowtie"]!["make_valid_area"]!.double) < 1e-6)
    }

    @Test("predicates, distances and overlays for every pair")
    func pairs() throws {
        let pairs = Self.fixture["pairs"]!.array
        #expect(pairs.count > 100)
        for p in pairs {
            let a = try Self.geometry(p["a"]!.string), b = try Self.geometry(p["b"]!.string)
            let label = "\(p["a"]!.string) / \(p["b"]!.string)"
            #expect(try a.intersects(b) == p["intersects"]!.bool, "intersects \(label)")
            #expect(try a.disjoint(b) == !p["intersects"]!.bool, "disjoint \(label)")
            #expect(try a.contains(b) == p["contains"]!.bool, "contains \(label)")
            #expect(try a.within(b) == p["within"]!.bool, "within \(label)")
            #expect(try a.covers(b) == p["covers"]!.bool, "covers \(label)")
            #expect(try a.coveredBy(b) == p["covered_by"]!.bool, "covered by \(label)")
            #expect(try a.touches(b) == p["touches"]!.bool, "touches \(label)")
            #expect(try a.isWithinDistance(5, of: b) == p["dwithin_5"]!.bool, "dwithin \(label)")
            #expect(abs(try a.distance(to: b) - p["distance"]!.double) < 1e-9, "distance \(label)")
            let prepared = try PreparedGeometry(a)
            #expect(try prepared.intersects(b) == p["intersects"]!.bool)
            #expect(try prepared.contains(b) == p["contains"]!.bool)
            #expect(try prepared.covers(b) == p["covers"]!.bool)
            #expect(try prepared.isWithinDistance(5, of: b) == p["dwithin_5"]!.bool)
            if let expected = p["intersection_area"]?.numberValue {
                #expect(abs(try a.intersection(b).planarArea - expected) < 1e-6, "intersection \(label)")
                #expect(abs(try a.union(b).planarArea - p["union_area"]!.double) < 1e-6, "union \(label)")
                #expect(abs(try a.difference(b).planarArea - p["difference_area"]!.double) < 1e-6, "difference \(label)")
                #expect(abs(try a.symmetricDifference(b).planarArea - p["sym_difference_area"]!.double) < 1e-6, "sym diff \(label)")
            }
        }
    }

    @Test("cascaded union of all valid polygons and of two edge-sharing squares")
    func unaryUnion() throws {
        for key in ["all_valid_polygonal", "edge_squares"] {
            let expected = Self.fixture["unary_union"]![key]!
            let members = try expected["members"]!.array.map { try Self.geometry($0.string) }
            let union = try Geometry.union(of: members)
            #expect(abs(union.planarArea - expected["area"]!.double) < 1e-6, "\(key)")
            #expect(union.partCount == Int(expected["num_geometries"]!.double), "\(key)")
        }
    }

    @Test("operations on geometries in different CRSs are refused")
    func mixedCRS() throws {
        let a = try Geometry.point(114.05, 22.54, crs: .wgs84)
        let b = try Geometry.point(114.05, 22.54, crs: .gcj02)
        let error = #expect(throws: GeometryError.self) { try a.intersects(b) }
        #expect(error?.description.contains("GCJ-02") == true)
    }
}
