import Foundation
import Testing
import TestSupport

/// Whether python3 imports pyogrio and geopandas (the independent reader of these tests).
private let pythonHasPyogrio: Bool = {
    (try? runTool("/usr/bin/env", ["python3", "-c", "import pyogrio, geopandas"]))?.status == 0
}()

/// space-map.gpkg and the Shapefile export read back by an independent reader: pyogrio with
/// the GDAL it bundles (not the GDAL spaceplan links), through scripts/reference/check_geopackage.py.
@Suite(
    "space-map.gpkg and the Shapefile export, read back by pyogrio", .serialized,
    .enabled(
        if: pythonHasPyogrio,
        "needs python3 with geopandas and pyogrio (pip install geopandas pyogrio), absent"))
struct GeoPackageCrossCheckTests {
    static func spacemap(_ extra: [String] = []) throws -> URL {
        let out = TestPaths.temporaryFolder("gpkg-check")
        let r = try SpacePlanCLI.run(["spacemap", "--data", TestPaths.sample.path, "--out", out.path, "--no-maps"] + extra)
        #expect(r.status == 0, "\(r.error)")
        return out
    }

    @Test("check_geopackage.py: layers, EPSG:4547, R-tree indexes, buildings = space-map.geojson, zones = summary.json, counts = the input")
    func crossCheck() throws {
        let out = try Self.spacemap()
        defer { try? FileManager.default.removeItem(at: out) }
        let script = TestPaths.repositoryRoot.appendingPathComponent("scripts/reference/check_geopackage.py")
        let r = try runTool("/usr/bin/env", ["python3", script.path, out.path, "--data", TestPaths.sample.path])
        #expect(r.status == 0, "check_geopackage.py failed:\n\(r.output)")
        #expect(r.output.contains("ok   3000 buildings"), "\(r.output)")
        #expect(r.output.contains("ok   17 properties equal by name and value in every building"), "\(r.output)")
        #expect(r.output.contains("ok   16 zones"), "\(r.output)")
        #expect(r.output.contains("ok   9000 enterprises"), "\(r.output)")
        #expect(!r.output.contains("FAIL"))
        #expect(r.output.contains("PASS"))
    }

    @Test("--shapefile-encoding GBK: shapefile/*.shp with a .cpg saying GBK, GBK bytes in the .dbf, and pyogrio reads the zones' Chinese names back")
    func gbkShapefiles() throws {
        let out = try Self.spacemap(["--shapefile-encoding", "GBK"])
        defer { try? FileManager.default.removeItem(at: out) }
        let folder = out.appendingPathComponent("shapefile")
        for layer in ["buildings", "parcels", "zones", "carriers", "enterprises"] {
            for ext in ["shp", "shx", "dbf", "prj"] {
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(layer).\(ext)").path), "\(layer).\(ext) missing")
            }
            let cpg = try String(contentsOf: folder.appendingPathComponent("\(layer).cpg"), encoding: .utf8)
            #expect(cpg.trimmingCharacters(in: .whitespacesAndNewlines) == "GBK", "\(layer).cpg says \(cpg)")
        }
        // 福保街道 in GBK is B8A3 B1A3 BDD6 B5C0 (and in UTF-8 it would be 12 other bytes).
        let dbf = try Data(contentsOf: folder.appendingPathComponent("zones.dbf"))
        #expect(dbf.range(of: Data([0xB8, 0xA3, 0xB1, 0xA3, 0xBD, 0xD6, 0xB5, 0xC0])) != nil, "no GBK 福保街道 in zones.dbf")
        #expect(dbf.range(of: Data("福保街道".utf8)) == nil, "zones.dbf holds UTF-8, not GBK")

        // pyogrio decodes by the .cpg: the names come back as they are in the sample.
        let read = """
            import sys, pyogrio
            z = pyogrio.read_dataframe(sys.argv[1], read_geometry=False)
            print("\\n".join(f"{i}\\t{n}" for i, n in zip(z["id"], z["name"])))
            """
        let r = try runTool("/usr/bin/env", ["python3", "-c", read, folder.appendingPathComponent("zones.shp").path])
        #expect(r.status == 0)
        let names = Dictionary(
            uniqueKeysWithValues: r.output.split(separator: "\n").map {
                let parts = $0.split(separator: "\t", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            })
        #expect(names.count == 16, "\(r.output)")
        #expect(names["440304010"] == "福保街道")
        #expect(names["440304011"] == "华强北街道")
        #expect(names["cluster-hetao-futian-bonded"] == "河套–福保")
    }
}
