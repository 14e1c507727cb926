import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry
import SpacePlanKit
import SpaceStore
import Testing
import TestSupport

/// Opening a workspace reads the store's largest layers straight into records (no rows kept),
/// from either backend:
/// the records must be those the whole rows make, the rows it keeps those the platform reads,
/// and a snapshot read so must be readable whole again as it stood.
@Suite("Opening a store")
struct StoreOpeningTests {
    /// Every field of every record, shapes as WKB: two districts are the same records when these are equal.
    static func lines(_ data: DistrictData) throws -> [String] {
        func shape(_ g: Geometry) throws -> String { try g.wkbHex() }
        var out: [String] = []
        for z in data.zones { out.append("zone \(z.index) \(z.id) \(z.name) \(z.kind) \(z.code ?? "-") \(try shape(z.geometry))") }
        for p in data.parcels {
            out.append(
                "parcel \(p.index) \(p.id) \(p.landUse) \(String(describing: p.recordedLandAreaM2)) \(String(describing: p.farCap)) "
                    + "\(String(describing: p.heightCapM)) \(String(describing: p.tenureStart)) \(String(describing: p.tenureEnd)) "
                    + "\(p.supplyMode ?? "-") \(p.landAreaM2) \(try shape(p.geometry))")
        }
        for b in data.buildings {
            out.append(
                "building \(b.index) \(b.id) \(b.floors) \(String(describing: b.heightM)) \(b.gfaM2) \(b.gfaDerived) \(b.use) "
                    + "\(String(describing: b.yearBuilt)) \(b.condition ?? "-") \(b.vacantM2) \(b.footprintM2) \(try shape(b.geometry))")
        }
        for c in data.carriers { out.append("carrier \(c.index) \(c.id) \(c.floorAreaM2) \(c.occupiedM2) \(c.buildingIDs)") }
        for e in data.enterprises {
            out.append(
                "firm \(e.index) \(e.id) \(e.name) \(e.sector) \(e.flags) \(e.employees) \(e.floorAreaM2) "
                    + "\(e.location.map { "\($0.x.bitPattern) \($0.y.bitPattern)" } ?? "-") \(e.buildingID ?? "-")")
        }
        return out
    }

    /// The district the whole rows of `snapshot` make, under `policy`.
    static func fromRows(_ snapshot: StoreSnapshot, policy: Policy) throws -> DistrictData {
        #expect(snapshot.records == nil)
        return try StoreRecords.district(rows: snapshot.rows, manifest: snapshot.meta.manifest, policy: policy, report: snapshot.meta.report)
    }

    static func edit(_ folder: URL, _ store: String, _ json: String) throws {
        let file = folder.appendingPathComponent("edit-\(UUID().uuidString).json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        _ = try DistrictStores.apply(store: store, edits: file, author: "test", reason: "opening test")
    }

    static let moves = #"{"edits": [{"edit": "move_in", "firm": "E00000001", "version": 1, "carrier": "C00001"}, {"edit": "move_in", "firm": "E00000005", "version": 1, "carrier": "C00002"}]}"#

    @Test("the records read in place are those the whole rows make; the rows kept are the small layers' and the tenants'", arguments: StoreBackend.allCases)
    func sameRecords(_ backend: StoreBackend) throws {
        try StoreFixture.withSample(backend) { folder, fixture in
            try Self.edit(folder, fixture.name, Self.moves)
            let store = try StoreName.open(fixture.name)
            let opening = try store.openingSnapshot(), whole = try store.snapshot(before: nil)
            #expect(opening.records != nil && whole.records == nil)
            let moved = try #require(try store.changes(since: nil, record: nil).last?.seq)
            #expect(opening.lastChange == whole.lastChange && opening.lastChange == moved)

            let workspace = try StoreSnapshotTests.open(fixture.name)
            let policy = workspace.data.policy
            let read = try Self.lines(workspace.data), rows = try Self.lines(Self.fromRows(whole, policy: policy))
            #expect(read.count == rows.count && read.count > 12_000)
            #expect(read == rows)
            #expect(workspace.data.buildings.count == 3_000 && workspace.data.enterprises.count == 9_000)

            for layer in StoreLayer.versioned.map(\.name) where !StoreLayerRecords.layers.contains(layer) {
                #expect(opening.rows[layer] == whole.rows[layer], "\(layer)")
            }
            let tenants = (whole.rows[StoreLayer.enterprises.name] ?? []).filter { !($0["carrier_id"].string ?? "").isEmpty }
            #expect(tenants.map(\.id) == ["E00000001", "E00000005"])
            #expect(opening.rows[StoreLayer.enterprises.name] == tenants)
            #expect(opening.rows[StoreLayer.parcels.name] == nil && opening.rows[StoreLayer.buildings.name] == nil)
        }
    }

    @Test("a snapshot is read whole again as it stood, the changes made since undone", arguments: StoreBackend.allCases)
    func wholeAgain(_ backend: StoreBackend) throws {
        try StoreFixture.withSample(backend) { folder, fixture in
            let source = try DistrictStores.source(fixture.name)
            let store = source.store
            let before = try store.snapshot(before: nil)
            #expect(before.lastChange == 0)
            try Self.edit(folder, fixture.name, Self.moves)
            let moved = try #require(try store.changes(since: nil, record: nil).last?.seq)
            try Self.edit(folder, fixture.name, #"{"edits": [{"edit": "building", "id": "B0001130", "version": 1, "set": {"floors": 7}}]}"#)
            try Self.edit(folder, fixture.name, #"{"edits": [{"edit": "carrier", "id": "C00003", "version": 1, "set": {"vacant_m2": 500}}]}"#)
            let now = try store.snapshot(before: nil)
            #expect(now.lastChange == moved + 2 && now.rows != before.rows)

            #expect(source.snapshot.records != nil)
            let again = try source.wholeSnapshot()
            #expect(again.records == nil && again.lastChange == 0)
            #expect(again.rows == before.rows)
            let afterMoves = try store.wholeSnapshot(atChange: moved)
            #expect(afterMoves.lastChange == moved)
            #expect(afterMoves.rows[StoreLayer.enterprises.name]?.filter { $0["carrier_id"].string == "C00002" }.map(\.id) == ["E00000005"])
            #expect(afterMoves.rows[StoreLayer.buildings.name] == before.rows[StoreLayer.buildings.name])
            #expect(afterMoves.rows[StoreLayer.carriers.name] != before.rows[StoreLayer.carriers.name])
            #expect(afterMoves.rows[StoreLayer.carriers.name] != now.rows[StoreLayer.carriers.name])
            #expect(try store.wholeSnapshot(atChange: now.lastChange).rows == now.rows)
            // An export of the opened source is the state it opened on, not the store's of the moment.
            let exported = try DistrictStores.export(source)
            let buildings = try #require(exported.first { $0.path == "buildings.geojson" })
            let features = try #require(try parseJSON(Data(buildings.text().utf8))["features"]?.arrayValue)
            let exportedFloors = features.first { $0["properties"]?["id"]?.stringValue == "B0001130" }?["properties"]?["floors"]?.numberValue
            #expect(features.count == 3_000 && exportedFloors == 18)
        }
    }

    @Test("rows that cannot be records are all named, as the whole rows name them", arguments: StoreBackend.allCases)
    func badRows(_ backend: StoreBackend) throws {
        try StoreFixture.withSample(backend) { _, fixture in
            // A floor count that is no number (SQLite keeps the text; PostgreSQL's column is typed, so: none).
            _ = try fixture.sql("UPDATE buildings SET floors = \(backend == .geoPackage ? "'many'" : "NULL") WHERE id = 'B0000002'")
            _ = try fixture.sql("UPDATE enterprises SET geom = NULL, building_id = NULL WHERE id = 'E00000003'")
            let opening = try StoreName.open(fixture.name).openingSnapshot()
            #expect(opening.records == nil, "a record that cannot be made: the whole rows are read instead")
            do {
                _ = try StoreSnapshotTests.open(fixture.name)
                Issue.record("the broken rows were accepted")
            } catch let errors as DataErrors {
                let texts = errors.errors.map(\.description)
                #expect(texts.count == 2)
                #expect(texts.contains { $0.contains("store layer buildings") && $0.contains("B0000002") && $0.contains("floors is empty or of the wrong type") })
                #expect(texts.contains { $0.contains("store layer enterprises") && $0.contains("E00000003") && $0.contains("has neither a point nor a building_id") })
            }
        }
    }
}
