import Foundation
import Testing
import SpacePlanKit
import SpaceCore
import TestSupport

/// The bureau's own formats, read through GDAL: the sample district converted by GDAL's own
/// ogr2ogr (an independent writer) into GeoPackage, Shapefiles in GBK, a File Geodatabase and
/// Excel must give the same joins and summaries as the GeoJSON/CSV run; bad bureau files fail
/// with a message that names the file and what to do, and write nothing.
@Suite(
    "Bureau files: Shapefile, GeoPackage, File Geodatabase, Excel", .serialized,
    .enabled(if: TestPaths.hasProgram("ogr2ogr"), "needs ogr2ogr (Debian's gdal-bin) to make the fixtures, absent"))
struct BureauFilesTests {
    static let sample = TestPaths.sample
    static let compared = ["summary.json", "summary.csv", "joins/building_parcel.csv", "joins/enterprise_building.csv"]

    /// The GeoJSON/CSV run the others are compared with.
    static let reference: URL = {
        // Kept for every test of the suite, so removed when the test process exits.
        let out = RemovedAtExit.register(TestPaths.temporaryFolder("bureau-reference"))
        let r = try! SpacePlanCLI.run(["spacemap", "--data", sample.path, "--out", out.path, "--no-maps"])
        precondition(r.status == 0, r.error)
        return out
    }()

    static func ogr2ogr(_ arguments: [String]) throws {
        let r = try runTool("/usr/bin/env", ["ogr2ogr"] + arguments)
        #expect(r.status == 0, "ogr2ogr \(arguments.joined(separator: " ")) failed")
    }

    /// A new folder holding a manifest of `layers`; the caller removes it.
    static func folder(_ name: String, layers: String) throws -> URL {
        let folder = TestPaths.temporaryFolder(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeManifest(in: folder, layers: layers)
        return folder
    }

    /// layers.json with the sample's name, so that summary.json compares whole.
    static func writeManifest(in folder: URL, layers: String) throws {
        let manifest = """
            {"name": "Futian sample district (synthetic, seed 2021, 3000 buildings)", "synthetic": true, "as_of_year": 2021,
             "layers": {\(layers)}}
            """
        try manifest.write(to: folder.appendingPathComponent("layers.json"), atomically: true, encoding: .utf8)
    }

    static func copySample(_ files: [String], to folder: URL) throws {
        for file in files {
            try FileManager.default.copyItem(at: sample.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
    }

    /// Shapefiles of zones, parcels and buildings in CGCS2000 Gauss-Krüger (EPSG:4547), text in GBK.
    static func shapefiles(in folder: URL) throws {
        for layer in ["zones", "parcels", "buildings"] {
            try ogr2ogr([
                "-f", "ESRI Shapefile", folder.appendingPathComponent("\(layer).shp").path,
                sample.appendingPathComponent("\(layer).geojson").path, "-t_srs", "EPSG:4547", "-lco", "ENCODING=GBK",
            ])
        }
    }

    /// DBF names hold 10 characters: the manifest maps the schema's longer names to the cut ones.
    static let shortNames =
        #""fields": {"land_area_m2": "land_area_", "height_cap_m": "height_cap", "tenure_start": "tenure_sta", "supply_mode": "supply_mod"}"#

    /// Runs spacemap on `folder` into a new --out folder, which the caller removes.
    static func spacemap(_ folder: URL) throws -> (status: Int32, output: String, error: String, out: URL) {
        let out = TestPaths.temporaryFolder("bureau-out")
        let r = try SpacePlanCLI.run(["spacemap", "--data", folder.path, "--out", out.path, "--no-maps"])
        return (r.status, r.output, r.error, out)
    }

    static func expectSameAsReference(_ out: URL) throws {
        for file in compared {
            let mine = try Data(contentsOf: out.appendingPathComponent(file))
            let theirs = try Data(contentsOf: reference.appendingPathComponent(file))
            #expect(mine == theirs, "\(file) differs from the GeoJSON/CSV run")
        }
    }

    static func validation(_ out: URL) throws -> String {
        try String(contentsOf: out.appendingPathComponent("validation.txt"), encoding: .utf8)
    }

    @Test("one GeoPackage (zones, parcels, buildings, carriers) and firms in Excel: the same space map as GeoJSON/CSV")
    func geoPackageAndExcel() throws {
        let folder = try Self.folder(
            "bureau-gpkg",
            layers: """
                "zones": {"file": "bureau.gpkg", "layer": "zones"},
                "parcels": {"file": "bureau.gpkg", "layer": "parcels"},
                "buildings": {"file": "bureau.gpkg", "layer": "buildings"},
                "carriers": {"file": "bureau.gpkg", "layer": "carriers"},
                "enterprises": {"file": "firms.xlsx", "layer": "firms", "crs": "GCJ-02"}
                """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let gpkg = folder.appendingPathComponent("bureau.gpkg").path
        try Self.ogr2ogr(["-f", "GPKG", gpkg, Self.sample.appendingPathComponent("zones.geojson").path, "-nln", "zones"])
        for layer in ["parcels", "buildings"] {
            try Self.ogr2ogr(["-f", "GPKG", "-update", gpkg, Self.sample.appendingPathComponent("\(layer).geojson").path, "-nln", layer])
        }
        try Self.ogr2ogr(["-f", "GPKG", "-update", gpkg, Self.sample.appendingPathComponent("carriers.csv").path, "-nln", "carriers"])
        try Self.ogr2ogr([
            "-f", "XLSX", folder.appendingPathComponent("firms.xlsx").path,
            Self.sample.appendingPathComponent("enterprises.csv").path, "-nln", "firms",
        ])
        let r = try Self.spacemap(folder)
        defer { try? FileManager.default.removeItem(at: r.out) }
        #expect(r.status == 0, "\(r.error)")
        try Self.expectSameAsReference(r.out)
        let report = try Self.validation(r.out)
        #expect(report.contains("bureau.gpkg (layer buildings) (buildings): read through GDAL (GPKG), text UTF-8"))
        #expect(report.contains("firms.xlsx (layer firms) (enterprises): read through GDAL (XLSX)"))
    }

    @Test("Shapefiles in EPSG:4547 with GBK text and a .cpg: the same space map; the report says GBK from the .cpg")
    func shapefilesWithCPG() throws {
        let folder = try Self.folder(
            "bureau-shp",
            layers: """
                "zones": {"file": "zones.shp"},
                "parcels": {"file": "parcels.shp", "crs": "EPSG:4547", \(Self.shortNames)},
                "buildings": {"file": "buildings.shp"},
                "carriers": {"file": "carriers.csv"},
                "enterprises": {"file": "enterprises.csv", "crs": "GCJ-02"}
                """)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.shapefiles(in: folder)
        try Self.copySample(["carriers.csv", "enterprises.csv"], to: folder)
        #expect(try String(contentsOf: folder.appendingPathComponent("zones.cpg"), encoding: .utf8).contains("GBK"))
        let r = try Self.spacemap(folder)
        defer { try? FileManager.default.removeItem(at: r.out) }
        #expect(r.status == 0, "\(r.error)")
        try Self.expectSameAsReference(r.out)
        #expect(try Self.validation(r.out).contains("zones.shp (zones): read through GDAL (ESRI Shapefile), text GBK (from the .cpg file)"))
    }

    @Test("GBK Shapefiles without a .cpg: an error naming the record and field, suggesting GBK; stated in layers.json they read")
    func shapefilesWithoutCPG() throws {
        let layers = { (encoding: String) in
            """
            "zones": {"file": "zones.shp"\(encoding)},
            "parcels": {"file": "parcels.shp"\(encoding), \(Self.shortNames)},
            "buildings": {"file": "buildings.shp"\(encoding)},
            "carriers": {"file": "carriers.csv"},
            "enterprises": {"file": "enterprises.csv", "crs": "GCJ-02"}
            """
        }
        let folder = try Self.folder("bureau-nocpg", layers: layers(""))
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.shapefiles(in: folder)
        try Self.copySample(["carriers.csv", "enterprises.csv"], to: folder)
        for layer in ["zones", "parcels", "buildings"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent("\(layer).cpg"))
        }
        let r = try Self.spacemap(folder)
        defer { try? FileManager.default.removeItem(at: r.out) }
        #expect(r.status != 0)
        #expect(r.error.contains("zones.shp, record "))
        #expect(r.error.contains("field \"name\": the bytes ") && r.error.contains("are not UTF-8"))
        #expect(r.error.contains("add \"encoding\": \"GBK\" to this layer in layers.json"))
        #expect(!FileManager.default.fileExists(atPath: r.out.path), "a failed run writes nothing")

        try Self.writeManifest(in: folder, layers: layers(", \"encoding\": \"GBK\""))
        let stated = try Self.spacemap(folder)
        defer { try? FileManager.default.removeItem(at: stated.out) }
        #expect(stated.status == 0, "\(stated.error)")
        try Self.expectSameAsReference(stated.out)
        #expect(try Self.validation(stated.out).contains("zones.shp (zones): read through GDAL (ESRI Shapefile), text GBK (stated in layers.json)"))
    }

    @Test("GBK Shapefiles with no .cpg but the DBF language byte for GBK (0x4D, code page 936): read as GBK")
    func shapefilesWithLanguageByte() throws {
        let folder = try Self.folder(
            "bureau-ldid",
            layers: """
                "zones": {"file": "zones.shp"}, "parcels": {"file": "parcels.shp", \(Self.shortNames)}, "buildings": {"file": "buildings.shp"},
                "carriers": {"file": "carriers.csv"}, "enterprises": {"file": "enterprises.csv", "crs": "GCJ-02"}
                """)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.shapefiles(in: folder)
        try Self.copySample(["carriers.csv", "enterprises.csv"], to: folder)
        for layer in ["zones", "parcels", "buildings"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent("\(layer).cpg"))
            // Byte 29 of a dBASE header is its language driver id; GDAL writes 0 and a .cpg instead.
            let dbf = folder.appendingPathComponent("\(layer).dbf")
            var bytes = try Data(contentsOf: dbf)
            bytes[29] = 0x4D
            try bytes.write(to: dbf)
        }
        let r = try Self.spacemap(folder)
        defer { try? FileManager.default.removeItem(at: r.out) }
        #expect(r.status == 0, "\(r.error)")
        try Self.expectSameAsReference(r.out)
        #expect(try Self.validation(r.out).contains("zones.shp (zones): read through GDAL (ESRI Shapefile), text GBK (from the .dbf language byte)"))
    }

    @Test("Futian's real layers (boundary, OSM blocks, OSM roads) as one GeoPackage in EPSG:4547: the same land summary")
    func futianRealAsGeoPackage() throws {
        let real = TestPaths.repositoryRoot.appendingPathComponent("GIS/futian-real")
        let layers = [
            "zones": "futian_boundary_cnmaps_wgs84", "parcels": "futian_west_street_blocks_from_osm_wgs84", "roads": "futian_osm_roads_edges",
        ]
        let folder = TestPaths.temporaryFolder("bureau-futian")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let gpkg = folder.appendingPathComponent("futian.gpkg").path
        for (k, (layer, file)) in layers.sorted(by: { $0.key < $1.key }).enumerated() {
            try Self.ogr2ogr(
                ["-f", "GPKG"] + (k > 0 ? ["-update"] : []) + [
                    gpkg, real.appendingPathComponent("\(file).geojson").path, "-nln", layer, "-t_srs", "EPSG:4547",
                ])
        }
        // The shipped manifest without the optional sub-districts, and the same with the GeoPackage.
        let geojson = """
            {"name": "Futian", "layers": {
              "zones": {"file": "\(real.path)/futian_boundary_cnmaps_wgs84.geojson", "crs": "WGS84", "fields": {"id": "adcode", "code": "adcode"}, "defaults": {"kind": "district"}},
              "parcels": {"file": "\(real.path)/futian_west_street_blocks_from_osm_wgs84.geojson", "crs": "WGS84", "fields": {"id": "block_id", "land_area_m2": "area_m2"}, "defaults": {"land_use": "E"}},
              "roads": {"file": "\(real.path)/futian_osm_roads_edges.geojson", "crs": "WGS84"}}}
            """
        let bureau = """
            {"name": "Futian", "layers": {
              "zones": {"file": "futian.gpkg", "layer": "zones", "crs": "EPSG:4547", "fields": {"id": "adcode", "code": "adcode"}, "defaults": {"kind": "district"}},
              "parcels": {"file": "futian.gpkg", "layer": "parcels", "fields": {"id": "block_id", "land_area_m2": "area_m2"}, "defaults": {"land_use": "E"}},
              "roads": {"file": "futian.gpkg", "layer": "roads"}}}
            """
        let reference = TestPaths.temporaryFolder("bureau-futian-geojson")
        defer { try? FileManager.default.removeItem(at: reference) }
        try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
        try geojson.write(to: reference.appendingPathComponent("layers.json"), atomically: true, encoding: .utf8)
        try bureau.write(to: folder.appendingPathComponent("layers.json"), atomically: true, encoding: .utf8)
        let a = try Self.spacemap(reference), b = try Self.spacemap(folder)
        defer { for run in [a, b] { try? FileManager.default.removeItem(at: run.out) } }
        #expect(a.status == 0 && b.status == 0, "\(a.error)\(b.error)")
        for file in ["summary.json", "summary.csv", "joins/building_parcel.csv"] {
            #expect(try Data(contentsOf: a.out.appendingPathComponent(file)) == Data(contentsOf: b.out.appendingPathComponent(file)), "\(file)")
        }
        #expect(try String(contentsOf: b.out.appendingPathComponent("summary.csv"), encoding: .utf8).contains("440304"))
    }

    @Test("a File Geodatabase (OpenFileGDB): the same space map")
    func fileGeodatabase() throws {
        let folder = try Self.folder(
            "bureau-gdb",
            layers: """
                "zones": {"file": "bureau.gdb", "layer": "zones"},
                "parcels": {"file": "bureau.gdb", "layer": "parcels"},
                "buildings": {"file": "bureau.gdb", "layer": "buildings"},
                "carriers": {"file": "carriers.csv"},
                "enterprises": {"file": "enterprises.csv", "crs": "GCJ-02"}
                """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let gdb = folder.appendingPathComponent("bureau.gdb").path
        try Self.ogr2ogr(["-f", "OpenFileGDB", gdb, Self.sample.appendingPathComponent("zones.geojson").path, "-nln", "zones"])
        for layer in ["parcels", "buildings"] {
            try Self.ogr2ogr(["-f", "OpenFileGDB", "-update", gdb, Self.sample.appendingPathComponent("\(layer).geojson").path, "-nln", layer])
        }
        try Self.copySample(["carriers.csv", "enterprises.csv"], to: folder)
        let r = try Self.spacemap(folder)
        defer { try? FileManager.default.removeItem(at: r.out) }
        #expect(r.status == 0, "\(r.error)")
        try Self.expectSameAsReference(r.out)
        #expect(try Self.validation(r.out).contains("(OpenFileGDB)"))
    }

    @Test("a firm list in GBK CSV: read when the manifest states GBK, refused naming the line when it does not")
    func gbkCSV() throws {
        let layers = { (encoding: String) in
            """
            "zones": {"file": "zones.geojson"}, "parcels": {"file": "parcels.geojson"}, "buildings": {"file": "buildings.geojson"},
            "carriers": {"file": "carriers.csv"},
            "enterprises": {"file": "firms-gbk.csv", "crs": "GCJ-02"\(encoding)}
            """
        }
        let folder = try Self.folder("bureau-gbk-csv", layers: layers(""))
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.copySample(["zones.geojson", "parcels.geojson", "buildings.geojson", "carriers.csv"], to: folder)
        // GBK bytes straight to a file (iconv, independent of the decoder under test).
        let converted = folder.appendingPathComponent("firms-gbk.csv")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["iconv", "-f", "UTF-8", "-t", "GBK", "-o", converted.path, Self.sample.appendingPathComponent("enterprises.csv").path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let refused = try Self.spacemap(folder)
        defer { try? FileManager.default.removeItem(at: refused.out) }
        #expect(refused.status != 0)
        #expect(refused.error.contains("firms-gbk.csv: line 2:"), "\(refused.error)")
        #expect(refused.error.contains("GBK"))
        try Self.writeManifest(in: folder, layers: layers(", \"encoding\": \"GBK\""))
        let read = try Self.spacemap(folder)
        defer { try? FileManager.default.removeItem(at: read.out) }
        #expect(read.status == 0, "\(read.error)")
        try Self.expectSameAsReference(read.out)
        #expect(try Self.validation(read.out).contains("firms-gbk.csv (enterprises): CSV, text GBK (stated in layers.json)"))
    }

    @Test("bad bureau files: a missing .dbf or .shx, a wrong layer name, a .prj that contradicts the manifest, an Excel title row or bad number")
    func badFiles() throws {
        let base = """
            "zones": {"file": "zones.shp"}, "parcels": {"file": "parcels.shp", \(Self.shortNames)},
            "buildings": {"file": "buildings.shp"}, "carriers": {"file": "carriers.csv"}
            """
        func failure(_ layers: String, prepare: (URL) throws -> Void) throws -> String {
            let folder = try Self.folder("bureau-bad", layers: layers)
            defer { try? FileManager.default.removeItem(at: folder) }
            try Self.shapefiles(in: folder)
            try Self.copySample(["carriers.csv"], to: folder)
            try prepare(folder)
            let r = try Self.spacemap(folder)
            defer { try? FileManager.default.removeItem(at: r.out) }
            #expect(r.status != 0)
            #expect(!FileManager.default.fileExists(atPath: r.out.path), "a failed run writes nothing")
            return r.error
        }
        let noDBF = try failure(base) { try FileManager.default.removeItem(at: $0.appendingPathComponent("buildings.dbf")) }
        #expect(noDBF.contains("buildings.shp: the Shapefile's attribute table buildings.dbf is missing"), "\(noDBF)")
        let noSHX = try failure(base) { try FileManager.default.removeItem(at: $0.appendingPathComponent("parcels.shx")) }
        #expect(noSHX.contains("parcels.shp: the Shapefile's shape index parcels.shx is missing"), "\(noSHX)")

        let wrongCRS = try failure(base.replacingOccurrences(of: "\"buildings.shp\"}", with: "\"buildings.shp\", \"crs\": \"EPSG:4326\"}")) { _ in }
        #expect(
            wrongCRS.contains(
                "buildings.shp: layers.json says EPSG:4326 but the file's own CRS is \"CGCS2000 / 3-degree Gauss-Kruger CM 114E\" (EPSG:4547)"),
            "\(wrongCRS)")

        let gpkgLayers = #""zones": {"file": "bureau.gpkg", "layer": "zone"}, "parcels": {"file": "parcels.shp"}"#
        let wrongLayer = try failure(gpkgLayers) { folder in
            try Self.ogr2ogr([
                "-f", "GPKG", folder.appendingPathComponent("bureau.gpkg").path,
                Self.sample.appendingPathComponent("zones.geojson").path, "-nln", "zones",
            ])
        }
        #expect(wrongLayer.contains("bureau.gpkg (layer zone): has no layer \"zone\"; its layers are \"zones\""), "\(wrongLayer)")

        let fixtures = TestPaths.repositoryRoot.appendingPathComponent("Tests/spaceplanTests/Fixtures")
        let excel = base + #", "enterprises": {"file": "firms.xlsx", "layer": "企业名录", "crs": "GCJ-02"}"#
        let titleRow = try failure(excel) {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent("firms-title-row.xlsx"), to: $0.appendingPathComponent("firms.xlsx"))
        }
        #expect(
            titleRow.contains(
                "firms.xlsx (layer 企业名录): the first row of sheet \"企业名录\" holds \"福田区企业名录（2021）\" and nothing else: it looks like a title above the header"
            ), "\(titleRow)")
        let badNumber = try failure(excel) {
            try FileManager.default.copyItem(
                at: fixtures.appendingPathComponent("firms-bad-number.xlsx"), to: $0.appendingPathComponent("firms.xlsx"))
        }
        #expect(badNumber.contains("firms.xlsx (layer 企业名录), record 1 (id E2): row 3: employees is '十二', not a number"), "\(badNumber)")
    }

    @Test(
        "inspect: GBK Shapefiles with Chinese and pinyin column names and no .cpg give a draft that validates as it is; it never replaces a manifest")
    func inspectDraft() throws {
        let folder = TestPaths.temporaryFolder("bureau-inspect")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let select = [
            "jd": ("zones", #"SELECT id AS "编号", name AS "名称", kind AS "类型" FROM zones"#),
            "zd": ("parcels", #"SELECT id AS "DKBH", land_use AS "YDXZ", far_cap AS "RJL" FROM parcels"#),
            "jz": ("buildings", #"SELECT id AS "建筑编号", floors AS "层数", use AS "用途", gfa_m2 AS "建筑面积" FROM buildings"#),
        ]
        for (file, (layer, sql)) in select {
            try Self.ogr2ogr([
                "-f", "ESRI Shapefile", folder.appendingPathComponent("\(file).shp").path,
                Self.sample.appendingPathComponent("\(layer).geojson").path, "-t_srs", "EPSG:4547", "-lco", "ENCODING=GBK", "-sql", sql,
            ])
            try FileManager.default.removeItem(at: folder.appendingPathComponent("\(file).cpg"))
        }
        let r = try SpacePlanCLI.run(["inspect", folder.path])
        #expect(r.status == 0, "\(r.error)")
        #expect(
            r.output.contains("jz.shp  Polygon, 3,000 features, EPSG:4547, text GBK, guessed: not UTF-8, no .cpg, reads as GBK  → buildings"),
            "\(r.output)")
        let draft = try parseJSON(Data(contentsOf: folder.appendingPathComponent("layers.json")))
        let buildings = draft["layers"]?["buildings"]
        #expect(
            buildings?["file"]?.stringValue == "jz.shp" && buildings?["encoding"]?.stringValue == "GBK"
                && buildings?["crs"]?.stringValue == "EPSG:4547")
        #expect(buildings?["fields"]?["floors"]?.stringValue == "层数" && buildings?["fields"]?["id"]?.stringValue == "建筑编号")
        #expect(draft["layers"]?["parcels"]?["fields"]?["land_use"]?.stringValue == "YDXZ")
        #expect(draft["layers"]?["zones"]?["fields"]?["name"]?.stringValue == "名称")
        #expect(draft["inspected"]?.arrayValue?.count == 3)
        let validated = try SpacePlanCLI.run(["validate", "--data", folder.path])
        #expect(validated.status == 0, "\(validated.error)")
        #expect(validated.output.contains("jz.shp (buildings): read through GDAL (ESRI Shapefile), text GBK (stated in layers.json)"))
        let again = try SpacePlanCLI.run(["inspect", folder.path])
        #expect(again.status != 0 && again.error.contains("layers.json exists: the draft never replaces a manifest"))
    }
}
