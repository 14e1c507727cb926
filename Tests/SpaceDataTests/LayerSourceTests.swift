import Foundation
import Testing
import TestSupport
@testable import SpaceData
import SpaceGeometry

/// Sources only read: each gives its records in order, with the schema's field names; the
/// loaders check them the same way whatever the format.
@Suite("Layer sources")
struct LayerSourceTests {
    @Test("the format comes from the file's name, and a name no source reads is an error naming it")
    func formats() throws {
        #expect(LayerFormat(fileName: "buildings.geojson") == .geoJSON)
        #expect(LayerFormat(fileName: "zones.JSON") == .geoJSON)
        #expect(LayerFormat(fileName: "firms.csv") == .csv)
        // The bureau's formats go through GDAL; a File Geodatabase is a folder named *.gdb.
        for name in ["bureau.gpkg", "parcels.SHP", "firms.xlsx", "bureau.gdb/", "roads.fgb"] {
            #expect(LayerFormat(fileName: name) == .gdal, "\(name)")
        }
        #expect(LayerFormat(fileName: "plan.dwg") == nil)
        let folder = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: folder) }
        try replaceInFile(folder, "layers.json", "\"file\": \"carriers.csv\"", "\"file\": \"carriers.docx\"")
        let error = #expect(throws: DataErrors.self) { try Manifest.load(directory: folder) }
        #expect(
            error?.errors.contains {
                $0.problem.contains("layer \"carriers\": cannot read carriers.docx: name a .geojson, .json or .csv file, or one GDAL reads (.shp, ")
            } == true)
    }

    @Test("a GeoJSON source gives every feature in order with its id, properties and shape")
    func geoJSON() throws {
        let folder = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try Manifest.load(directory: folder)
        let source = try openSource(manifest.layers["parcels"]![0])
        #expect(source.recordCount == 4 && source.declaredCRS == nil)  // the tiny files state their CRS in the manifest only
        let records = try source.mapRecords(setup: { () }) { _, r -> (Int, String?, Bool) in
            var fields = FieldReader(r.fields)
            return (r.index, fields.string("id"), r.shape?.polygons.count == 1)
        }
        #expect(records.map(\.0) == [0, 1, 2, 3])
        #expect(records.map(\.1) == ["P1", "P2", "P3", "P4"])
        #expect(records.allSatisfy { $0.2 })
    }

    @Test("a CSV source gives rows under the schema's names, the manifest's renames applied")
    func csv() throws {
        let folder = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: folder) }
        try replaceInFile(folder, "carriers.csv", "id,name,type", "code,name,type")
        try replaceInFile(folder, "layers.json", "\"file\": \"carriers.csv\"", "\"file\": \"carriers.csv\", \"fields\": {\"id\": \"code\"}")
        let manifest = try Manifest.load(directory: folder)
        let source = try openSource(manifest.layers["carriers"]![0])
        let ids = try source.mapRecords(setup: { () }) { _, r -> String? in
            var fields = FieldReader(r.fields)
            return fields.string("id")
        }
        #expect(ids == ["K1", "K2", "K3"])
        #expect(source.declaredCRS == nil && (source as? CSVFileSource)?.line(of: 2) == 4)
    }

    @Test("a polygon layer given as CSV is an error saying it needs polygons")
    func polygonsNeedGeometry() throws {
        let folder = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "id,land_use\nP1,M1\n".write(to: folder.appendingPathComponent("parcels.csv"), atomically: true, encoding: .utf8)
        try replaceInFile(folder, "layers.json", "\"file\": \"parcels.geojson\"", "\"file\": \"parcels.csv\"")
        let policy = try TinyDistrict.policy
        let error = #expect(throws: DataErrors.self) { try DistrictData.load(directory: folder, policy: policy) }
        #expect(error?.description.contains("parcels.csv: the parcels layer needs polygons") == true)
    }
}
