import Foundation
import SpacePlanKit
import Testing
import TestSupport

/// A workspace on a store is a snapshot: an edit makes the next one, the last stays as it was,
/// and a vacancy edit reaches the figures without reading or joining the district again.
@Suite("Store snapshots")
struct StoreSnapshotTests {
    static let configuration = Configuration.find(in: [TestPaths.repositoryRoot.appendingPathComponent("GIS/config")])

    static func summary(_ workspace: Workspace) throws -> [String: String] {
        var out: [String: String] = [:]
        for artifact in try workspace.spaceMapArtifacts(maps: false, geoPackage: false) where artifact.path.hasPrefix("summary.") {
            out[artifact.path] = try artifact.text()
        }
        return out
    }

    static func edit(_ folder: URL, _ store: String, _ json: String) throws -> DistrictStores.Applied {
        let file = folder.appendingPathComponent("edit-\(UUID().uuidString).json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        return try DistrictStores.apply(store: store, edits: file, author: "test", reason: "snapshot test")
    }

    @Test("a vacancy edit: the next snapshot keeps every join and shape, and its figures are those of a full read")
    func vacancyEdit() throws {
        try withTemporaryFolder("snapshots") { folder in
            let store = folder.appendingPathComponent("district.gpkg").path
            _ = try DistrictStores.importFolder(TestPaths.sample, configuration: Self.configuration, store: store, replace: false)
            let source = try DistrictStores.source(store)
            let first = try Workspace(source: source, configuration: DistrictStores.configuration(of: source))
            #expect(try first.next() === first)
            let before = try Self.summary(first)

            let applied = try Self.edit(
                folder, store, #"{"edits": [{"edit": "carrier", "id": "C00001", "version": 1, "set": {"vacant_m2": 500, "floor_area_m2": 4000}}]}"#)
            #expect(applied.changes.count == 1)
            let second = try first.next()
            #expect(second !== first)
            // Nothing read or joined again: the very same shapes.
            #expect(second.data.buildings[0].geometry === first.data.buildings[0].geometry)
            #expect(second.data.carriers[0].floorAreaM2 == 4_000 && second.data.carriers[0].vacantM2 == 500)
            #expect(abs(second.spaceMap.total.techSpaceM2 - first.spaceMap.total.techSpaceM2 - (4_000 - 3_434)) < 1e-9)
            // The last snapshot is as it was.
            #expect(first.data.carriers[0].floorAreaM2 == 3_434)
            #expect(try Self.summary(first) == before)
            // The same figures, to the byte, as reading the store afresh.
            let fresh = try DistrictStores.source(store)
            let full = try Workspace(source: fresh, configuration: DistrictStores.configuration(of: fresh))
            #expect(try Self.summary(second) == Self.summary(full))
            #expect(try Self.summary(second) != before)

            // Any other edit (a building's floors) reads the district again, with the same result as a fresh read.
            _ = try Self.edit(folder, store, #"{"edits": [{"edit": "building", "id": "B0001130", "version": 1, "set": {"floors": 7}}]}"#)
            let third = try second.next()
            #expect(third.data.buildings[0].geometry !== second.data.buildings[0].geometry)
            let again = try DistrictStores.source(store)
            #expect(try Self.summary(third) == Self.summary(Workspace(source: again, configuration: DistrictStores.configuration(of: again))))
        }
    }
}
