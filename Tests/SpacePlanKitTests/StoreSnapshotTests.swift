import Foundation
import SpaceData
import SpaceGeometry
import SpaceMap
import SpaceStore
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

    /// GIS/sample imported into a new GeoPackage store in `folder`; its path.
    static func importSample(into folder: URL) throws -> String {
        let store = folder.appendingPathComponent("district.gpkg").path
        _ = try DistrictStores.importFolder(TestPaths.sample, configuration: configuration, store: store, replace: false)
        return store
    }

    /// The store's current snapshot as a workspace, with the store's own configuration.
    static func open(_ store: String) throws -> Workspace {
        let source = try DistrictStores.source(store)
        return try Workspace(source: source, configuration: DistrictStores.configuration(of: source))
    }

    static func edit(_ folder: URL, _ store: String, _ json: String) throws -> DistrictStores.Applied {
        let file = folder.appendingPathComponent("edit-\(UUID().uuidString).json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        return try DistrictStores.apply(store: store, edits: file, author: "test", reason: "snapshot test")
    }

    @Test("a vacancy edit: the next snapshot keeps every join and shape, and its figures are those of a full read")
    func vacancyEdit() throws {
        try withTemporaryFolder("snapshots") { folder in
            let store = try StoreSnapshotTests.importSample(into: folder)
            let first = try Self.open(store)
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
            let full = try Self.open(store)
            #expect(try Self.summary(second) == Self.summary(full))
            #expect(try Self.summary(second) != before)

            // Any other edit (a building's floors) reads the district again, with the same result as a fresh read.
            _ = try Self.edit(folder, store, #"{"edits": [{"edit": "building", "id": "B0001130", "version": 1, "set": {"floors": 7}}]}"#)
            let third = try second.next()
            #expect(third.data.buildings[0].geometry !== second.data.buildings[0].geometry)
            #expect(try Self.summary(third) == Self.summary(Self.open(store)))
        }
    }

    @Test("the store keeps the joins: used while only carriers change, joined anew and kept again after any other change")
    func joinsKept() throws {
        try withTemporaryFolder("joins") { folder in
            let store = try StoreSnapshotTests.importSample(into: folder)
            let cache = { () throws -> [[SQLiteValue]] in
                try SQLiteConnection(store, mode: .readOnly).rows("SELECT key, last_change, length(body) FROM store_cache WHERE key = 'space_map_joins'")
            }
            #expect(try cache().count == 1 && cache()[0][1] == .integer(0))
            let open = { try Self.open(store) }
            // The kept joins are the joins: bytes that decode to what encodes to the same bytes,
            // and a map from them that is the map joined anew.
            let first = try open()
            let bytes = first.spaceMap.joins.encoded()
            let decoded = try #require(SpaceMap.Joins(decoding: bytes))
            #expect(decoded.encoded() == bytes && decoded.fit(first.data))
            #expect(SpaceMap.Joins(decoding: Array(bytes.dropLast())) == nil)
            // The reasons of the unmatched firms (texts stored once, after the matches) come back to their firms.
            let reasons = first.spaceMap.joins.enterpriseBuilding.map(\.reason)
            #expect(reasons.contains { $0 != nil } && decoded.enterpriseBuilding.map(\.reason) == reasons)
            #expect(decoded.enterpriseZones == first.spaceMap.joins.enterpriseZones && decoded.buildingZones == first.spaceMap.joins.buildingZones)
            let joined = try SpaceMap.build(first.data)
            #expect(joined.joins.encoded() == bytes)
            // The same figures as the files' (summary.json differs only in naming where the policy was read).
            let files = try Workspace(source: DataFolder(TestPaths.sample), configuration: Self.configuration)
            #expect(try Self.summary(first)["summary.csv"] == Self.summary(files)["summary.csv"])
            #expect(try Self.summary(first)["summary.csv"] != nil)

            _ = try Self.edit(folder, store, #"{"edits": [{"edit": "carrier", "id": "C00001", "version": 1, "set": {"vacant_m2": 500}}]}"#)
            _ = try open()
            #expect(try cache()[0][1] == .integer(0), "a carrier's edit leaves the joins true")
            _ = try Self.edit(folder, store, #"{"edits": [{"edit": "building", "id": "B0001130", "version": 1, "set": {"floors": 7}}]}"#)
            let after = try open()
            #expect(try cache()[0][1] == .integer(2), "a building's edit: joined anew, kept at change 2")
            let fresh = try SpaceMap.build(after.data)
            #expect(after.spaceMap.joins.encoded() == fresh.joins.encoded())
        }
    }
}

extension StoreSnapshotTests {
    /// The store's kept sums: the last change they are said to be true at, and their bytes.
    static func keptSums(_ store: String) throws -> (lastChange: Int, bytes: [UInt8])? {
        guard let row = try SQLiteConnection(store, mode: .readOnly).rows("SELECT last_change, body FROM store_cache WHERE key = 'space_map_sums'").first,
            let bytes = row[1].bytes
        else { return nil }
        return (row[0].int ?? -1, bytes)
    }

    /// The workspace of the store, and the stages its opening went through.
    static func openNoting(_ store: String) throws -> (Workspace, [String]) {
        let source = try DistrictStores.source(store)
        var stages: [String] = []
        let workspace = try Workspace(source: source, configuration: DistrictStores.configuration(of: source)) { stages.append($0) }
        _ = workspace.spaceMap
        return (workspace, stages)
    }

    /// Every figure of the map equals the one of the map built afresh from its records.
    static func figuresAreFresh(_ workspace: Workspace) throws -> Bool {
        let fresh = try SpaceMap.build(workspace.data)
        return workspace.spaceMap.zoneTallies == fresh.zoneTallies && workspace.spaceMap.total == fresh.total
    }

    @Test("the store keeps the parcels', buildings' and firms' sums: used while only carriers change, summed anew and kept after any other change or when unreadable")
    func sumsKept() throws {
        try withTemporaryFolder("sums") { folder in
            let store = try StoreSnapshotTests.importSample(into: folder)
            let imported = try #require(try Self.keptSums(store))
            #expect(imported.lastChange == 0)
            let used = "summing the carriers per zone (the store keeps the other sums)"

            let (first, stages) = try Self.openNoting(store)
            #expect(stages.contains(used) && !stages.contains("summing per zone"))
            let kept = try #require(SpaceMap.KeptSums(decoding: imported.bytes))
            #expect(kept.fits(first.data) && kept.encoded() == imported.bytes)
            // The kept sums are this map's own, and a map with them has every figure of one summed anew.
            #expect(first.spaceMap.keptSums.encoded() == imported.bytes)
            #expect(try Self.figuresAreFresh(first))
            #expect(first.spaceMap.total.enterprises == first.data.enterprises.count && first.spaceMap.total.parcels == first.data.parcels.count)
            // They fit only a district of as many records.
            let d = first.data
            let fewer = DistrictData(
                manifest: d.manifest, policy: d.policy, zones: d.zones, parcels: d.parcels, buildings: d.buildings, carriers: d.carriers,
                enterprises: Array(d.enterprises.dropLast()), roads: d.roads, report: d.report)
            #expect(!kept.fits(fewer))
            #expect(SpaceMap.KeptSums(decoding: Array(imported.bytes.dropLast())) == nil)

            // A carrier's edit: the sums stay true (only the carriers are summed again).
            _ = try Self.edit(folder, store, #"{"edits": [{"edit": "carrier", "id": "C00001", "version": 1, "set": {"vacant_m2": 500, "floor_area_m2": 4000}}]}"#)
            let (afterCarrier, carrierStages) = try Self.openNoting(store)
            #expect(carrierStages.contains(used))
            #expect(try Self.keptSums(store)?.lastChange == 0)
            #expect(try Self.figuresAreFresh(afterCarrier))
            #expect(afterCarrier.spaceMap.total.techSpaceM2 != first.spaceMap.total.techSpaceM2)

            // A building's edit: summed anew, and kept at change 2.
            _ = try Self.edit(folder, store, #"{"edits": [{"edit": "building", "id": "B0001130", "version": 1, "set": {"vacant_m2": 1234}}]}"#)
            let (afterBuilding, buildingStages) = try Self.openNoting(store)
            #expect(buildingStages.contains("summing per zone") && !buildingStages.contains(used))
            #expect(try Self.keptSums(store)?.lastChange == 2)
            #expect(try Self.figuresAreFresh(afterBuilding))
            #expect(afterBuilding.spaceMap.total.vacantBuildingM2 != afterCarrier.spaceMap.total.vacantBuildingM2)
            #expect(try Self.openNoting(store).1.contains(used))

            // Sums that cannot be read are summed anew, and kept readable again.
            try SQLiteConnection(store, mode: .readWrite).rows("UPDATE store_cache SET body = x'7b7d' WHERE key = 'space_map_sums'")
            let (afterDamage, damageStages) = try Self.openNoting(store)
            #expect(damageStages.contains("summing per zone"))
            #expect(try Self.figuresAreFresh(afterDamage))
            #expect(try Self.keptSums(store).map { SpaceMap.KeptSums(decoding: $0.bytes) != nil } == true)
        }
    }
}

@Suite("Kept plausibility findings")
struct KeptFindingsTests {
    static func open(_ store: String) throws -> Workspace { try StoreSnapshotTests.open(store) }

    static func kept(_ store: String) throws -> (lastChange: Int, findings: KeptFindings)? {
        guard let row = try SQLiteConnection(store, mode: .readOnly).rows("SELECT last_change, body FROM store_cache WHERE key = ?", [.text(KeptFindings.key)]).first,
            let bytes = row[1].bytes, let kept = KeptFindings(decoding: bytes)
        else { return nil }
        return (row[0].int ?? -1, kept)
    }

    /// Overwrites the kept findings (with the last change they are said to be true at).
    static func keep(_ store: String, _ kept: KeptFindings, at lastChange: Int) throws {
        try SQLiteConnection(store, mode: .readWrite).rows(
            "UPDATE store_cache SET last_change = ?, body = ? WHERE key = ?", [.integer(Int64(lastChange)), .blob(kept.encoded()), .text(KeptFindings.key)])
    }

    static func warnings(_ workspace: Workspace) -> [String] {
        workspace.spaceMap.report.entries.filter { $0.rule != nil }.map { "\($0.recordID ?? "-") \($0.problem)" }
    }

    @Test("the findings kept at import are the rules' own, reported on open while nothing changes; other settings or any change run the rules again")
    func keptFindings() throws {
        try withTemporaryFolder("findings") { folder in
            let store = try StoreSnapshotTests.importSample(into: folder)
            let imported = try #require(try Self.kept(store))
            #expect(imported.lastChange == 0)
            // What the store reports is what the files give (the sample breaks no district-wide rule).
            let files = try Workspace(source: DataFolder(TestPaths.sample), configuration: StoreSnapshotTests.configuration)
            #expect(Self.warnings(try Self.open(store)) == Self.warnings(files))
            #expect(imported.findings.findings.isEmpty && imported.findings.settings == files.data.policy.plausibility)
            // The same findings are the same bytes: keys in sorted order, not a dictionary's order of
            // the moment (which differs from one process to the next), so two imports are equal.
            let text = String(decoding: imported.findings.encoded(), as: UTF8.self)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let settingsKeys = try #require(object["settings"] as? [String: Any])
            let position = { (key: String) in text.range(of: "\"\(key)\"")?.lowerBound.utf16Offset(in: text) ?? -1 }
            let byPosition = settingsKeys.keys.sorted { position($0) < position($1) }
            #expect(settingsKeys.count > 5 && byPosition == settingsKeys.keys.sorted())

            // A building's floor area beyond 3 × footprint × floors: the rules run on the changed
            // state, and what they find is reported and kept at that change.
            _ = try StoreSnapshotTests.edit(folder, store, #"{"edits": [{"edit": "building", "id": "B0001130", "version": 1, "set": {"gfa_m2": 9000000}}]}"#)
            let changed = try Self.open(store)
            let found = try #require(try Self.kept(store))
            #expect(found.lastChange == 1)
            #expect(found.findings.findings.map(\.recordID) == ["B0001130"])
            #expect(Self.warnings(changed).contains { $0.hasPrefix("B0001130 ") && $0.contains("[building.") })

            // A finding planted in what is kept is reported: the rules did not run again.
            let planted = Plausibility.Finding(
                rule: "building.planted", severity: .warning, layer: "buildings", record: 0, recordID: "B0000001",
                problem: "planted by the test", summary: "planted")
            let settings = found.findings.settings
            try Self.keep(store, KeptFindings(settings: settings, findings: found.findings.findings + [planted]), at: 1)
            #expect(Self.warnings(try Self.open(store)).contains("B0000001 planted by the test [building.planted]"))

            // Kept under other settings: the rules run again, and what they find is kept.
            let other = PlausibilitySettings(
                maxFloors: settings.maxFloors + 1, maxHeightM: settings.maxHeightM, tallestBuilding: settings.tallestBuilding,
                maxFloorAreaRatio: settings.maxFloorAreaRatio, carrierFloorAreaTolerance: settings.carrierFloorAreaTolerance,
                firmFloorAreaTolerance: settings.firmFloorAreaTolerance, zoneOutsideTolerance: settings.zoneOutsideTolerance,
                zoneOverlapTolerance: settings.zoneOverlapTolerance, duplicateFootprintShare: settings.duplicateFootprintShare,
                alignmentOutsideShare: settings.alignmentOutsideShare, alignmentImprovement: settings.alignmentImprovement)
            try Self.keep(store, KeptFindings(settings: other, findings: [planted]), at: 1)
            #expect(!Self.warnings(try Self.open(store)).contains { $0.contains("planted") })
            #expect(try Self.kept(store)?.findings.findings == found.findings.findings)

            // Any change since (a carrier's, which the joins survive) and the rules run again.
            try Self.keep(store, KeptFindings(settings: settings, findings: found.findings.findings + [planted]), at: 1)
            _ = try StoreSnapshotTests.edit(folder, store, #"{"edits": [{"edit": "carrier", "id": "C00001", "version": 1, "set": {"vacant_m2": 500}}]}"#)
            #expect(!Self.warnings(try Self.open(store)).contains { $0.contains("planted") })
            #expect(try Self.kept(store)?.lastChange == 2)
        }
    }
}

/// The published district after a carriers-only edit, made again only in part, answers as one
/// published from scratch: every layer's features, the zones' figures and the inspector.
@Suite("Published district after a carrier edit")
struct PublishedUpdateTests {
    @Test("republishing carriers and zones only gives the bytes of a full publication")
    func sameAsFull() throws {
        try withTemporaryFolder("published") { folder in
            let store = try StoreSnapshotTests.importSample(into: folder)
            let first = try StoreSnapshotTests.open(store)
            let before = try PublishedDistrict(first, renewal: nil, maxFeaturesInView: 6_000, maxPointsInView: 12_000)
            _ = try StoreSnapshotTests.edit(
                folder, store,
                #"{"edits": [{"edit": "carrier", "id": "C00001", "version": 1, "set": {"vacant_m2": 500, "rent_yuan_m2_month": 70}}, {"edit": "carrier", "id": "C00004", "version": 1, "set": {"floor_area_m2": 9000}}]}"#)
            let next = try first.next()
            let partial = try PublishedDistrict(before, carriersUpdatedIn: next)
            let full = try PublishedDistrict(next, renewal: nil, maxFeaturesInView: 6_000, maxPointsInView: 12_000)
            #expect(partial.layers.map(\.id) == full.layers.map(\.id))
            for (a, b) in zip(partial.layers, full.layers) {
                let pa = try partial.page(a, boxes: nil, offset: 0, limit: a.ids.count), pb = try full.page(b, boxes: nil, offset: 0, limit: b.ids.count)
                #expect(pa.matched == pb.matched && pa.features == pb.features, "layer \(a.id)")
            }
            let carriers = try #require(full["carriers"]), partialCarriers = try #require(partial["carriers"])
            let beforeCarriers = try #require(before["carriers"])
            let feature = try partial.feature(partialCarriers, id: "C00001")
            let changed = String(decoding: try #require(feature), as: UTF8.self)
            #expect(changed.contains("\"vacant_m2\":500") && changed.contains("\"rent_yuan_per_m2_month\":70"))
            #expect(try partial.feature(partialCarriers, id: "C00004") == full.feature(carriers, id: "C00004"))
            for zone in next.data.zones.map(\.id) { #expect(partial.zoneFigures(zone) == full.zoneFigures(zone), "zone \(zone)") }
            for building in ["B0001130", "B0002777", "B0000001"] { #expect(partial.inspect(building: building) == full.inspect(building: building)) }
            // And the partial one differs from before where it should.
            #expect(try before.feature(beforeCarriers, id: "C00001") != partial.feature(partialCarriers, id: "C00001"))
        }
    }
}
