import SpaceCore
import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

@Suite("CRS transforms against cs2cs and pyproj")
struct CRSTests {
    struct ReferencePoint { let lon, lat, x4547, y4547, x32650, y32650: Double }

    static func referencePoints() throws -> [ReferencePoint] {
        try TestPaths.fixture("futian_reference.json")["points"]!.array.map {
            ReferencePoint(
                lon: $0["lon"]!.double, lat: $0["lat"]!.double,
                x4547: $0["x4547"]!.double, y4547: $0["y4547"]!.double,
                x32650: $0["x32650"]!.double, y32650: $0["y32650"]!.double)
        }
    }

    /// cs2cs speaks each CRS's official axis order: EPSG:4326 is latitude first, EPSG:4547 is
    /// northing first, EPSG:32650 easting first. We always speak (x, y).
    static func cs2cs(_ points: [ReferencePoint], to target: String) throws -> [Coordinate] {
        let input = points.map { String(format: "%.10f %.10f", $0.lat, $0.lon) }.joined(separator: "\n") + "\n"
        let run = try runTool("/usr/bin/cs2cs", ["-f", "%.6f", "EPSG:4326", target], input: input)
        #expect(run.status == 0)
        return run.output.split(separator: "\n").map { line in
            let v = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            return target == "EPSG:4547" ? Coordinate(v[1], v[0]) : Coordinate(v[0], v[1])
        }
    }

    @Test(
        "24 Futian points agree with cs2cs to under 1 mm in EPSG:4547 and EPSG:32650",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/cs2cs"), "needs /usr/bin/cs2cs (Debian's proj-bin), absent"))
    func agreesWithCs2cs() throws {
        let points = try Self.referencePoints()
        #expect(points.count >= 20)
        for (target, code) in [("EPSG:4547", CRSCode.cgcs2000GK114), ("EPSG:32650", .utm50N)] {
            let reference = try Self.cs2cs(points, to: target)
            #expect(reference.count == points.count)
            let transformer = try CoordinateTransformer(from: .wgs84, to: code)
            for (p, r) in zip(points, reference) {
                let ours = try transformer.transform(Coordinate(p.lon, p.lat))
                #expect(abs(ours.x - r.x) < 0.001 && abs(ours.y - r.y) < 0.001, "\(target) at \(p.lon), \(p.lat): \(ours) vs cs2cs \(r)")
            }
        }
    }

    @Test("the same points agree with pyproj (always_xy) to under 1 mm, and invert back")
    func agreesWithPyproj() throws {
        let to4547 = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114)
        let back = try CoordinateTransformer(from: .cgcs2000GK114, to: .wgs84)
        let to32650 = try CoordinateTransformer(from: .wgs84, to: .utm50N)
        for p in try Self.referencePoints() {
            let a = try to4547.transform(Coordinate(p.lon, p.lat))
            #expect(abs(a.x - p.x4547) < 0.001 && abs(a.y - p.y4547) < 0.001)
            let b = try to32650.transform(Coordinate(p.lon, p.lat))
            #expect(abs(b.x - p.x32650) < 0.001 && abs(b.y - p.y32650) < 0.001)
            let c = try back.transform(a)
            #expect(abs(c.x - p.lon) < 1e-9 && abs(c.y - p.lat) < 1e-9)
        }
    }

    @Test("EPSG:4326 is used as (lon, lat) even though its official axis order is lat, lon")
    func axisOrderIsNormalized() throws {
        let t = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114)
        let p = try t.transform(Coordinate(114.0, 22.5))
        // On the central meridian 114°E the false easting is 500 000 m.
        #expect(abs(p.x - 500_000) < 0.001)
        #expect(p.y > 2_480_000 && p.y < 2_500_000)
    }

    @Test("an unknown EPSG code is a clear error, not a crash")
    func unknownCode() throws {
        let error = #expect(throws: CRSError.self) { try CoordinateTransformer(from: .epsg(99999), to: .wgs84) }
        #expect(error?.description.contains("EPSG:99999") == true)
    }

    @Test("area in degrees is refused; projected and geodesic areas agree")
    func areaNeedsProjection() throws {
        let square = try Geometry(wkt: "POLYGON((114.05 22.54, 114.06 22.54, 114.06 22.55, 114.05 22.55, 114.05 22.54))", crs: .wgs84)
        let error = #expect(throws: GeometryError.self) { try square.areaSquareMetres() }
        #expect(error?.description.contains("EPSG:4326") == true)
        #expect(throws: GeometryError.self) { try square.labelled(nil).areaSquareMetres() }
        let projected = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114).transform(square)
        let planar = try projected.areaSquareMetres()
        let geodesic = try square.geodesicAreaSquareMetres()
        // ~1.1 km × 1.03 km; Gauss-Krüger scale error near the central meridian is tiny.
        #expect(planar > 1_100_000 && planar < 1_200_000)
        #expect(relativeDifference(planar, geodesic) < 0.001)
        // Perimeter: ~2 × (1,027 m + 1,107 m), in metres only when projected.
        #expect(throws: GeometryError.self) { try square.lengthMetres() }
        let perimeter = try projected.lengthMetres()
        #expect(perimeter > 4_200 && perimeter < 4_320)
    }

    @Test("a point PROJ cannot project is reported with its coordinates")
    func failedTransform() throws {
        let t = try CoordinateTransformer(from: .cgcs2000GK114, to: .wgs84)
        #expect(throws: (any Error).self) { try t.transform(Coordinate(.nan, 1)) }
        let far = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114)
        let error = #expect(throws: CRSError.self) { try far.transform(Coordinate(114, 95)) }
        #expect(error?.description.contains("95") == true)
    }
}
