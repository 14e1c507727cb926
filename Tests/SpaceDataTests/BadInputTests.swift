import Foundation
import Testing
import TestSupport
import SpaceData
import SpaceGeometry
@testable import SpaceMap

@Suite("Bad input: clear errors naming file, record and problem")
struct BadInputTests {
    /// Loads a district after `damage` has changed its files, returning the error text.
    static func errorText(_ district: TinyDistrict = TinyDistrict(), damage: (URL) throws -> Void = { _ in }) throws -> String? {
        let folder = try district.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        try damage(folder)
        do {
            _ = try DistrictData.load(directory: folder, policy: try TinyDistrict.policy)
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func replace(_ folder: URL, _ file: String, _ old: String, _ new: String) throws {
        try replaceInFile(folder, file, old, new)
    }

    @Test("a missing column")
    func missingColumn() throws {
        let text = try Self.errorText { try Self.replace($0, "enterprises.csv", "id,name,sector,flags,employees,", "id,name,sector,flags,staff,") }
        #expect(text?.contains("enterprises.csv: missing column employees") == true, "\(text ?? "no error")")
    }

    @Test("a wrong type")
    func wrongType() throws {
        let text = try Self.errorText { try Self.replace($0, "buildings.geojson", "\"floors\":4", "\"floors\":\"four\"") }
        #expect(text?.contains("buildings.geojson, record 0 (id B1): floors is 'four', not a number") == true, "\(text ?? "no error")")
    }

    @Test("a duplicate id")
    func duplicateID() throws {
        let text = try Self.errorText { try Self.replace($0, "parcels.geojson", "\"id\":\"P2\"", "\"id\":\"P1\"") }
        #expect(text?.contains("parcels.geojson, record 1 (id P1): duplicate id (also record 0)") == true, "\(text ?? "no error")")
    }

    @Test("an empty file, and a file with a header only")
    func emptyFiles() throws {
        let empty = try Self.errorText { try Data().write(to: $0.appendingPathComponent("buildings.geojson")) }
        #expect(empty?.contains("buildings.geojson: the file is empty") == true, "\(empty ?? "no error")")
        let headerOnly = try Self.errorText {
            try "id,name,type,level,operator,floor_area_m2,occupied_m2,building_ids\n".write(
                to: $0.appendingPathComponent("carriers.csv"), atomically: true, encoding: .utf8)
        }
        #expect(headerOnly?.contains("carriers.csv: the file has a header but no rows") == true)
    }

    @Test("a missing file")
    func missingFile() throws {
        let text = try Self.errorText { try FileManager.default.removeItem(at: $0.appendingPathComponent("carriers.csv")) }
        #expect(text?.contains("carriers.csv: file not found") == true, "\(text ?? "no error")")
    }

    @Test("latitude and longitude swapped")
    func swapped() throws {
        var district = TinyDistrict()
        district.enterpriseCRS = .wgs84
        let text = try Self.errorText(district) { folder in
            let url = folder.appendingPathComponent("enterprises.csv")
            var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            var fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields.swapAt(6, 7)
            lines[1] = fields.joined(separator: ",")
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(text?.contains("enterprises.csv, record 0 (id E1)") == true)
        #expect(text?.contains("latitude and longitude look swapped") == true, "\(text ?? "no error")")
    }

    @Test("metres declared as WGS84, and a layer in the wrong projected CRS")
    func wrongCRS() throws {
        let metres = try Self.errorText {
            try Self.replace($0, "layers.json", "\"buildings.geojson\", \"crs\": \"EPSG:4547\"", "\"buildings.geojson\", \"crs\": \"WGS84\"")
        }
        #expect(metres?.contains("the data look projected (metres) but the layer is declared EPSG:4326") == true, "\(metres ?? "no error")")
        let elsewhere = try Self.errorText {
            try Self.replace($0, "layers.json", "\"buildings.geojson\", \"crs\": \"EPSG:4547\"", "\"buildings.geojson\", \"crs\": \"EPSG:32650\"")
        }
        #expect(
            elsewhere?.contains("5 of 5 records lie more than 2 km outside the district: is the layer's CRS right? (stated: EPSG:32650)") == true,
            "\(elsewhere ?? "no error")")
    }

    @Test("values out of range are reported all at once, each with its record")
    func manyProblems() throws {
        let text = try Self.errorText { folder in
            try Self.replace(
                folder, "carriers.csv", "K1,Hetao incubator,incubator,national,op,5000,4000,B1",
                "K1,Hetao incubator,incubator,national,op,5000,6000,B1")
            try Self.replace(folder, "carriers.csv", "K2,Maker space,maker_space", "K2,Maker space,hackerspace")
        }
        #expect(text?.contains("2 problems") == true, "\(text ?? "no error")")
        #expect(text?.contains("record 0 (id K1): line 2: occupied_m2 6000 exceeds floor_area_m2 5000") == true)
        #expect(text?.contains("record 1 (id K2): line 3: type 'hackerspace' is not one of") == true)
    }
}
