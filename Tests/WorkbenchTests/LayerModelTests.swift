import SpaceCore
import Foundation
import SpaceGeometry
import SpacePlanKit
import TestSupport
import Testing
@testable import Workbench

/// One layer model: a feature has the same attributes and the same geometry in space-map.geojson,
/// space-map.gpkg (read back through GDAL, reprojected to WGS84) and the OGC API's items.
@Suite struct LayerModelTests {
    /// A feature's attributes and WGS84 coordinates as one format gives them.
    struct Seen {
        var fields: [String] = []
        var values: [String: JSONValue] = [:]
        var coordinates: [Coordinate] = []
    }

    /// The OGC API's feature, by collection and id.
    func ogc(_ collection: String, _ id: String) async throws -> Seen {
        let answer = try await get("/collections/\(collection)/items/\(id)")
        #expect(answer.status == .ok, "\(collection)/\(id): \(answer.text.prefix(200))")
        return try Self.seen(answer.json)
    }

    static func seen(_ feature: JSONValue) throws -> Seen {
        var seen = Seen()
        for (key, value) in feature["properties"]?.objectValue?.members ?? [] {
            seen.fields.append(key)
            seen.values[key] = value
        }
        let shape = try GeoJSON.shape(feature["geometry"]!)
        try shape.forEachCoordinate { seen.coordinates.append($0) }
        return seen
    }

    /// Every feature of a GeoPackage layer, by id, through GDAL.
    static func geoPackage(_ path: String, layer name: String, crs: CRSCode) throws -> [String: Seen] {
        let layer = try VectorDataset(path: path).layer(named: name)
        let fields = layer.fields
        let toWGS84 = try CoordinateTransformer(from: crs, to: .wgs84)
        var byID: [String: Seen] = [:]
        try layer.forEachFeature { feature in
            var seen = Seen(fields: fields.map(\.name))
            for (field, value) in zip(fields, feature.values) {
                switch value {
                case .null: seen.values[field.name] = .null
                case let .integer(n): seen.values[field.name] = .number(Double(n))
                case let .real(x): seen.values[field.name] = .number(x)
                case let .text(bytes): seen.values[field.name] = .string(String(decoding: bytes, as: UTF8.self))
                case let .string(s): seen.values[field.name] = .string(s)
                }
            }
            if let wkb = feature.wkb { try toWGS84.transform(try Shape(wkb: wkb)).forEachCoordinate { seen.coordinates.append($0) } }
            byID[seen.values["id"]!.stringValue!] = seen
        }
        return byID
    }

    /// Same fields in the same order, equal values (a GeoPackage boolean is 0/1), coordinates within 1e-6°.
    func expectSame(_ a: Seen, _ b: Seen, _ what: String) {
        #expect(a.fields == b.fields, "\(what): fields differ")
        for name in a.fields {
            let (x, y) = (a.values[name] ?? .null, b.values[name] ?? .null)
            switch (x, y) {
            case let (.number(p), .number(q)): #expect(abs(p - q) <= 1e-6, "\(what).\(name): \(p) vs \(q)")
            case let (.bool(flag), .number(q)), let (.number(q), .bool(flag)): #expect(q == (flag ? 1 : 0), "\(what).\(name): \(flag) vs \(q)")
            default: #expect(x == y, "\(what).\(name): \(serializedJSON(x)) vs \(serializedJSON(y))")
            }
        }
        #expect(a.coordinates.count == b.coordinates.count, "\(what): \(a.coordinates.count) vs \(b.coordinates.count) coordinates")
        let worst = zip(a.coordinates, b.coordinates).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? 0
        #expect(worst <= 1e-6, "\(what): coordinates differ by up to \(worst)°")
    }

    @Test func aBuildingAFirmPlacedByIdAndACarrierAreTheSameInEveryFormat() async throws {
        let workspace = Sample.workspace
        let artifacts = try workspace.spaceMapArtifacts(maps: false)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spaceplan-layers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let gpkg = folder.appendingPathComponent("space-map.gpkg")
        try artifacts.first { $0.path == "space-map.gpkg" }!.fileWriter!(gpkg)
        let crs = workspace.data.policy.workingCRS

        // A building with carriers and firms, from the GeoJSON file.
        let geojson = try parseJSON(Data(try artifacts.first { $0.path == "space-map.geojson" }!.bytes()))
        let feature = try #require(
            geojson["features"]?.arrayValue?.first {
                ($0["properties"]?["carrier_ids"]?.stringValue ?? "") != "" && ($0["properties"]?["enterprises"]?.numberValue ?? 0) > 0
            })
        let buildingID = try #require(feature["properties"]?["id"]?.stringValue)
        let fromFile = try Self.seen(feature)
        let buildings = try Self.geoPackage(gpkg.path, layer: "buildings", crs: crs)
        expectSame(fromFile, try #require(buildings[buildingID]), "space-map.geojson vs space-map.gpkg, building \(buildingID)")
        expectSame(fromFile, try await ogc("buildings", buildingID), "space-map.geojson vs OGC API, building \(buildingID)")
        #expect(fromFile.fields.count == 17)

        // A firm the data place by building id alone: at that building's centroid everywhere.
        let firms = try Self.geoPackage(gpkg.path, layer: "enterprises", crs: crs)
        let byID = try #require(
            firms.values.filter { $0.values["match_method"]?.stringValue == "building_id" }
                .min { $0.values["id"]!.stringValue! < $1.values["id"]!.stringValue! })
        let firmID = byID.values["id"]!.stringValue!
        expectSame(byID, try await ogc("enterprises", firmID), "space-map.gpkg vs OGC API, firm \(firmID)")
        let home = try #require(workspace.data.buildings.first { $0.id == byID.values["building_id"]?.stringValue })
        let centroid = try CoordinateTransformer(from: crs, to: .wgs84).transform(try home.geometry.centroid().shape)
        var at: [Coordinate] = []
        try centroid.forEachCoordinate { at.append($0) }
        #expect(
            byID.coordinates.count == 1 && abs(byID.coordinates[0].x - at[0].x) < 1e-7 && abs(byID.coordinates[0].y - at[0].y) < 1e-7,
            "firm \(firmID) is not at its building's centroid")

        // A carrier in several buildings: the union of their footprints everywhere.
        let carriers = try Self.geoPackage(gpkg.path, layer: "carriers", crs: crs)
        let carrier = try #require(
            carriers.values.filter { ($0.values["matched_buildings"]?.numberValue ?? 0) > 1 }
                .min { $0.values["id"]!.stringValue! < $1.values["id"]!.stringValue! })
        let carrierID = carrier.values["id"]!.stringValue!
        expectSame(carrier, try await ogc("carriers", carrierID), "space-map.gpkg vs OGC API, carrier \(carrierID)")
    }

    @Test func queryablesListEveryAttributeWithItsTypeAndUnit() async throws {
        let answer = try await get("/collections/carriers/queryables")
        #expect(answer.status == .ok)
        #expect(answer.headers[.contentType] == "application/schema+json")
        let properties = try #require(answer.json["properties"]?.objectValue)
        let item = try await get("/collections/carriers/items?limit=1")
        let names = item.json["features"]?.arrayValue?.first?["properties"]?.objectValue?.members.map(\.key) ?? []
        #expect(properties.members.map(\.key) == ["geometry"] + names)
        #expect(properties["vacant_m2"]?["type"]?.stringValue == "number")
        #expect(properties["vacant_m2"]?["x-ogc-unit"]?.stringValue == "m²")
        #expect(properties["enterprises"]?["type"]?.stringValue == "integer")
        #expect(properties["counts_as_tech_space"]?["type"]?.stringValue == "boolean")
        #expect((try await get("/collections/nowhere/queryables")).status == .notFound)
    }
}
