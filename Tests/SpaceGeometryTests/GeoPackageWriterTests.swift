import SpaceCore
import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

/// The GeoPackage writer against SQLite's own R-tree check, a brute-force window query, GDAL's
/// reader, GDAL's GeoPackage validator, and GDAL editing the file afterwards (the triggers).
@Suite("GeoPackage writer: packed R-tree, GDAL reads and validates it")
struct GeoPackageWriterTests {
    /// 5,000 seeded points (one without a geometry) and 300 squares, in EPSG:4547.
    static func tables() -> [VectorTable] {
        var random = SeededRandom(seed: 4547)
        let points = (0..<5_000).map { _ in Coordinate(500_000 + random.uniform(0, 8_000), 2_490_000 + random.uniform(0, 6_000)) }
        let pointTable = VectorTable(
            name: "firms", crs: .epsg(4547), geometryType: .point,
            fields: [VectorField(name: "id", kind: .text), VectorField(name: "staff", kind: .integer)],
            count: points.count
        ) { k in
            ([.text(Array("F\(k)".utf8)), .integer(Int64(k % 97))], k == 17 ? nil : .point(points[k]))
        }
        let squares = VectorTable(
            name: "plots", crs: .epsg(4547), geometryType: .multiPolygon,
            fields: [VectorField(name: "name", kind: .text), VectorField(name: "area_m2", kind: .real)], count: 300
        ) { k in
            let x = 500_000 + Double(k % 20) * 400, y = 2_490_000 + Double(k / 20) * 400, s = 50 + Double(k % 7) * 10
            let ring = [Coordinate(x, y), Coordinate(x + s, y), Coordinate(x + s, y + s), Coordinate(x, y + s), Coordinate(x, y)]
            return ([.text(Array("地块 \(k)".utf8)), .real(s * s)], .polygon([ring]))
        }
        return [pointTable, squares]
    }

    static func write() throws -> URL {
        let url = TestPaths.temporaryFolder("gpkg").appendingPathExtension("gpkg")
        try GeoPackageWriter.write(tables(), to: url.path, lastChange: Date(timeIntervalSince1970: 1_640_995_200))
        return url
    }

    @Test("every R-tree passes SQLite's rtreecheck, and a window query finds exactly the boxes a brute-force scan finds")
    func rtree() throws {
        let url = try Self.write()
        defer { try? FileManager.default.removeItem(at: url) }
        let db = try SQLiteDatabase(opening: url.path)
        #expect(try db.strings("SELECT rtreecheck('rtree_firms_geom')") == ["ok"])
        #expect(try db.strings("SELECT rtreecheck('rtree_plots_geom')") == ["ok"])
        #expect(try db.count("SELECT count(*) FROM rtree_firms_geom") == 4_999)
        // The points of firms inside a window, by the index and by brute force on the written geometry.
        var random = SeededRandom(seed: 4547)
        let points = (0..<5_000).map { _ in Coordinate(500_000 + random.uniform(0, 8_000), 2_490_000 + random.uniform(0, 6_000)) }
        for (minX, minY, size) in [(501_000.0, 2_491_000.0, 1_500.0), (500_000.0, 2_490_000.0, 8_000.0), (507_900.0, 2_495_900.0, 50.0)] {
            let expected = points.indices.filter {
                $0 != 17 && points[$0].x >= minX && points[$0].x <= minX + size && points[$0].y >= minY && points[$0].y <= minY + size
            }
            // Stored boxes are floats rounded outwards, so the index may return points within a float step of the edge.
            let found = try db.strings(
                "SELECT id FROM rtree_firms_geom WHERE minx <= \(minX + size) AND maxx >= \(minX) AND miny <= \(minY + size) AND maxy >= \(minY)"
            )
            .compactMap { Int($0) }.map { $0 - 1 }
            let exact = found.filter { points[$0].x >= minX && points[$0].x <= minX + size && points[$0].y >= minY && points[$0].y <= minY + size }
            #expect(Set(exact) == Set(expected), "window \(minX), \(minY)")
        }
        #expect(try db.strings("SELECT extension_name FROM gpkg_extensions ORDER BY table_name") == ["gpkg_rtree_index", "gpkg_rtree_index"])
        #expect(try db.strings("SELECT last_change FROM gpkg_contents") == ["2022-01-01T00:00:00.000Z", "2022-01-01T00:00:00.000Z"])
    }

    @Test("the same tables give the same bytes: an output set rewritten from the same data is identical")
    func deterministic() throws {
        let a = try Self.write(), b = try Self.write()
        defer { for url in [a, b] { try? FileManager.default.removeItem(at: url) } }
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test("GDAL reads it back: layers, counts, EPSG:4547, values, and Chinese text")
    func gdalReads() throws {
        let url = try Self.write()
        defer { try? FileManager.default.removeItem(at: url) }
        let dataset = try VectorDataset(path: url.path)
        #expect(dataset.driverName == "GPKG" && dataset.layerNames == ["firms", "plots"])
        let plots = try dataset.layer(named: "plots")
        #expect(plots.featureCount == 300 && plots.spatialReference?.epsgCode == 4547 && plots.geometryTypeName == "Multi Polygon")
        var names: [String] = [], areas: [Double] = []
        try plots.forEachFeature { feature in
            if case let .text(bytes) = feature.values[0] { names.append(String(decoding: bytes, as: UTF8.self)) }
            if case let .real(x) = feature.values[1] { areas.append(x) }
            if feature.index == 0, let wkb = feature.wkb, case let .multiPolygon(parts) = try Shape(wkb: wkb) {
                #expect(parts[0][0][2] == Coordinate(500_050, 2_490_050))
            }
        }
        #expect(names[299] == "地块 299" && areas[6] == 110 * 110)
        #expect(try dataset.layer(named: "firms").featureCount == 5_000)
    }

    @Test(
        "GDAL's own GeoPackage validator (validate_gpkg.py) passes it",
        .enabled(
            if: FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"),
            "needs Debian's python3-gdal (validate_gpkg.py), absent"))
    func validator() throws {
        let url = try Self.write()
        defer { try? FileManager.default.removeItem(at: url) }
        let r = try runTool("/usr/bin/python3", ["/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py", url.path])
        #expect(r.status == 0, "\(r.output)")
    }

    @Test(
        "GDAL appending rows afterwards goes through the triggers: the index stays whole and covers them",
        .enabled(if: TestPaths.hasProgram("ogr2ogr"), "needs ogr2ogr (gdal-bin), absent"))
    func triggers() throws {
        let url = try Self.write()
        defer { try? FileManager.default.removeItem(at: url) }
        let extra = TestPaths.temporaryFolder("extra").appendingPathExtension("geojson")
        defer { try? FileManager.default.removeItem(at: extra) }
        try
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"NEW","staff":3},"geometry":{"type":"Point","coordinates":[503000,2493000]}}]}"#
            .write(to: extra, atomically: true, encoding: .utf8)
        let r = try runTool("/usr/bin/env", ["ogr2ogr", "-update", "-append", "-nln", "firms", "-a_srs", "EPSG:4547", url.path, extra.path])
        #expect(r.status == 0)
        let db = try SQLiteDatabase(opening: url.path)
        #expect(try db.strings("SELECT rtreecheck('rtree_firms_geom')") == ["ok"])
        #expect(try db.count("SELECT count(*) FROM rtree_firms_geom") == 5_000)
        #expect(
            try db.count("SELECT count(*) FROM rtree_firms_geom WHERE minx <= 503000 AND maxx >= 503000 AND miny <= 2493000 AND maxy >= 2493000") >= 1
        )
    }
}
