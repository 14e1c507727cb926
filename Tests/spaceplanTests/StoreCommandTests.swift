import Foundation
import SpaceCore
import SpaceGeometry
import Testing
import TestSupport

/// The store through the command line, on each backend: the same outputs as the files it came
/// from, edits all or nothing with versions, the history kept by the database itself, and the
/// past read back.
@Suite("The district store")
struct StoreCommandTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) { try SpacePlanCLI.run(arguments) }

    /// GIS/sample imported into a new store (a file in a temporary folder, or a new schema).
    static func withStore<T>(_ backend: StoreBackend, _ body: (URL, StoreFixture) throws -> T) throws -> T? {
        try StoreFixture.withSample(backend, body)
    }

    /// Every file of two output folders, with the store's configuration paths written as the
    /// files' and the solvers' seconds left out: what must be equal byte for byte.
    static func outputs(_ folder: URL, store: String?) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let names = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        for name in names {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            var data = try Data(contentsOf: url)
            if !["gpkg", "shp", "dbf", "shx"].contains(url.pathExtension) {
                var text = String(decoding: data, as: UTF8.self)
                if let store { text = text.replacingOccurrences(of: store + "/config/", with: TestPaths.repositoryRoot.path + "/GIS/config/") }
                text = text.replacingOccurrences(of: #", [0-9]+(\.[0-9]+)? s\."#, with: ".", options: .regularExpression)
                text = text.replacingOccurrences(of: #""seconds" *: *[0-9.eE+-]+"#, with: "\"seconds\":0", options: .regularExpression)
                data = Data(text.utf8)
            }
            out[name] = data
        }
        return out
    }

    /// Runs one command on the files and on the store and compares every output.
    static func expectSameOutputs(_ arguments: [String], store: StoreFixture, in folder: URL) throws {
        let a = folder.appendingPathComponent("from-files-\(arguments[0])"), b = folder.appendingPathComponent("from-store-\(arguments[0])")
        let files = try run(arguments + ["--data", "GIS/sample", "--out", a.path])
        let stored = try run(arguments + ["--store", store.name, "--out", b.path])
        #expect(files.status == 0 && stored.status == 0, "\(files.error) \(stored.error)")
        // Where the store's documents are read: its file, or /postgis/DATABASE/SCHEMA.
        let root =
            store.backend == .geoPackage
            ? store.name : "/postgis/" + (URLComponents(string: store.name)?.path.split(separator: "/").first.map(String.init) ?? "") + "/" + store.schema!
        let x = try outputs(a, store: nil), y = try outputs(b, store: root)
        #expect(x.count > 3 && Set(x.keys) == Set(y.keys))
        for (name, bytes) in x where y[name] != bytes {
            Issue.record("\(arguments[0]): \(name) differs between --data and --store")
        }
    }

    @Test("spacemap, renewal, supply, capacity and allocate give the same outputs from the store as from the files", arguments: StoreBackend.allCases)
    func sameOutputs(_ backend: StoreBackend) throws {
        try Self.withStore(backend) { folder, store in
            try Self.expectSameOutputs(["spacemap"], store: store, in: folder)
            try Self.expectSameOutputs(["renewal", "evaluate", "--proposals", "GIS/sample/proposals.geojson"], store: store, in: folder)
            try Self.expectSameOutputs(
                ["supply", "--scenario", "GIS/sample/scenarios/renewal-only.json", "--scenario", "GIS/sample/scenarios/flexible-land.json"],
                store: store, in: folder)
            try Self.expectSameOutputs(["capacity"], store: store, in: folder)
            try Self.expectSameOutputs(["allocate", "--demand", "GIS/sample/demand.csv", "--solver", "heuristic"], store: store, in: folder)
            // The store's own documents, named store:PATH, are the files it was imported from.
            let stored = folder.appendingPathComponent("stored-docs")
            let r = try Self.run(["supply", "--store", store.name, "--scenario", "store:scenarios/renewal-only.json", "--out", stored.path])
            #expect(r.status == 0, "\(r.error)")
            let missing = try Self.run(["supply", "--store", store.name, "--scenario", "store:scenarios/none.json", "--out", stored.path])
            #expect(missing.status != 0 && missing.error.contains("holds no document scenarios/none.json"))
        }
    }

    /// Every file of an exported folder, by name.
    static func exported(_ folder: URL) throws -> [String: Data] { try outputs(folder, store: nil) }

    @Test("export then import gives the same layers and documents, every value as stored; both backends export the same", arguments: StoreBackend.allCases)
    func exportImportRoundTrip(_ backend: StoreBackend) throws {
        try Self.withStore(backend) { folder, store in
            let first = folder.appendingPathComponent("first"), second = folder.appendingPathComponent("second")
            let e = try Self.run(["store", "export", "--store", store.name, "--out", first.path])
            #expect(e.status == 0, "\(e.error)")
            // Back into a GeoPackage, and out again: the same folder, byte for byte (the note aside).
            let again = folder.appendingPathComponent("again.gpkg").path
            let i = try Self.run(["store", "import", "--data", first.path, "--store", again])
            #expect(i.status == 0, "\(i.error)")
            #expect(try Self.run(["store", "export", "--store", again, "--out", second.path]).status == 0)
            var a = try Self.exported(first), b = try Self.exported(second)
            for name in ["layers.json", ".spaceplan-output"] {
                a[name] = nil
                b[name] = nil
            }
            #expect(a.count == 17 && Set(a.keys) == Set(b.keys), "\(a.keys.sorted())")
            for (name, bytes) in a where b[name] != bytes { Issue.record("\(name) differs after export, import and export") }
            if backend == .postGIS {
                // The same district in a GeoPackage exports the same files as from PostGIS.
                let file = folder.appendingPathComponent("file.gpkg").path, fromFile = folder.appendingPathComponent("from-file")
                #expect(try Self.run(["store", "import", "--data", "GIS/sample", "--store", file]).status == 0)
                #expect(try Self.run(["store", "export", "--store", file, "--out", fromFile.path]).status == 0)
                var c = try Self.exported(fromFile)
                for name in ["layers.json", ".spaceplan-output"] { c[name] = nil }
                for (name, bytes) in a where c[name] != bytes { Issue.record("\(name) differs between the PostGIS and the GeoPackage store") }
            }
            let buildings = String(decoding: a["buildings.geojson"] ?? Data(), as: UTF8.self)
            #expect(buildings.components(separatedBy: "\"Feature\"").count - 1 == 3_000)
        }
    }

    static func writeEdits(_ folder: URL, _ name: String, _ json: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("an edit set is written whole with who and why, logged with before and after, and the next question sees it", arguments: StoreBackend.allCases)
    func editAppliedAndLogged(_ backend: StoreBackend) throws {
        try Self.withStore(backend) { folder, fixture in
            let store = fixture.name
            let edits = try Self.writeEdits(
                folder, "vacancy.json",
                #"{"edits": [{"edit": "carrier", "id": "C00001", "version": 1, "set": {"vacant_m2": 500}}, {"edit": "move_in", "firm": "E00000001", "version": 1, "carrier": "C00002"}]}"#
            )
            let r = try Self.run(["store", "apply", "--store", store, "--edits", edits, "--author", "王工", "--reason", "Q3 vacancy survey"])
            #expect(r.status == 0, "\(r.error)")
            #expect(r.output.contains("edit set 1: 3 changes"))
            let log = try Self.run(["store", "log", "--store", store, "--record", "C00001"])
            #expect(log.output.contains("王工 (edit set 1): update carriers C00001 → version 2 — Q3 vacancy survey"))
            #expect(log.output.contains("vacant_m2: 235 → 500") && log.output.contains("occupied_m2: 3199 → 2934"))
            // C00002 took the firm's 36 m²: 4003 → 4039 occupied.
            let firm = try Self.run(["store", "log", "--store", store, "--record", "C00002"])
            #expect(firm.output.contains("occupied_m2: 4003 → 4039"))
            let before = folder.appendingPathComponent("before"), after = folder.appendingPathComponent("after")
            _ = try Self.run(["spacemap", "--data", "GIS/sample", "--out", before.path, "--no-maps", "--no-geopackage"])
            let s = try Self.run(["spacemap", "--store", store, "--out", after.path, "--no-maps", "--no-geopackage"])
            #expect(s.status == 0, "\(s.error)")
            let old = try parseJSON(Data(contentsOf: before.appendingPathComponent("summary.json")))
            let new = try parseJSON(Data(contentsOf: after.appendingPathComponent("summary.json")))
            let vacant = { (j: JSONValue) in j["total"]?["tech_vacant_m2"]?.numberValue ?? .nan }
            // 265 m² more vacant in C00001, 36 m² less in C00002.
            #expect(vacant(old) == 95_067)
            #expect(abs(vacant(new) - vacant(old) - (265 - 36)) < 1e-6, "\(vacant(old)) → \(vacant(new))")
        }
    }

    @Test("a stale edit is refused with the current values, and a bad edit set writes nothing", arguments: StoreBackend.allCases)
    func staleAndBadEdits(_ backend: StoreBackend) throws {
        try Self.withStore(backend) { folder, fixture in
            let store = fixture.name
            let edits = try Self.writeEdits(
                folder, "one.json", #"{"edits": [{"edit": "carrier", "id": "C00003", "version": 1, "set": {"rent_yuan_m2_month": 70}}]}"#)
            #expect(try Self.run(["store", "apply", "--store", store, "--edits", edits, "--author", "a", "--reason", "r"]).status == 0)
            let stale = try Self.run(["store", "apply", "--store", store, "--edits", edits, "--author", "b", "--reason", "r"])
            #expect(stale.status == 3)
            #expect(stale.error.contains("carriers C00003: the edit names version 1, but the record is at version 2 now"))
            #expect(stale.error.contains("rent_yuan_m2_month 70"))
            let bad = try Self.writeEdits(
                folder, "bad.json",
                #"{"edits": [{"edit": "carrier", "id": "C00004", "version": 1, "set": {"rent_yuan_m2_month": 80}}, {"edit": "carrier", "id": "C00005", "version": 1, "set": {"vacant_m2": -5}}, {"edit": "carrier", "id": "C99999", "version": 1, "set": {"status": "open"}}]}"#
            )
            let refused = try Self.run(["store", "apply", "--store", store, "--edits", bad, "--author", "a", "--reason", "r"])
            #expect(refused.status == 1)
            #expect(refused.error.contains("record 1 (id C00005): vacant_m2 must not be negative"))
            #expect(refused.error.contains("record 2 (id C99999): carriers has no record C99999"))
            let log = try Self.run(["store", "log", "--store", store])
            #expect(!log.output.contains("C00004") && log.output.contains("C00003"))
            // A carrier larger than its buildings breaks a plausibility rule: refused, nothing written.
            let huge = try Self.writeEdits(
                folder, "huge.json", #"{"edits": [{"edit": "carrier", "id": "C00004", "version": 1, "set": {"floor_area_m2": 900000000}}]}"#)
            let implausible = try Self.run(["store", "apply", "--store", store, "--edits", huge, "--author", "a", "--reason", "r"])
            #expect(implausible.status == 1)
            #expect(implausible.error.contains("(id C00004): floor_area_m2 900,000,000") || implausible.error.contains("[carrier.area_beyond_buildings]"))
            #expect(try fixture.sql("SELECT version FROM carriers WHERE id = 'C00004'") == [["1"]])
        }
    }

    @Test("an edit made in the database directly (as QGIS or psql makes it) is versioned and logged; versions cannot be set by hand", arguments: StoreBackend.allCases)
    func directEditIsVersioned(_ backend: StoreBackend) throws {
        try Self.withStore(backend) { _, fixture in
            if backend == .geoPackage {
                // GDAL (and so QGIS) edits with recursive triggers on: still one change, one history row.
                let db = try SQLiteConnection(fixture.name, mode: .readWrite)
                try db.execute("PRAGMA recursive_triggers = 1")
                try db.execute("UPDATE carriers SET vacant_m2 = 100 WHERE id = 'C00006'")
            } else {
                _ = try fixture.sql("UPDATE carriers SET vacant_m2 = 100 WHERE id = 'C00006'")
            }
            let row = try fixture.sql("SELECT version, occupied_m2 + vacant_m2 = floor_area_m2, vacant_m2 FROM carriers WHERE id = 'C00006'")[0]
            #expect(row[0] == "2" && ["1", "true", "t"].contains(row[1]) && Double(row[2]) == 100, "\(row)")
            #expect(try fixture.sql("SELECT count(*) FROM store_changes WHERE record_id = 'C00006'") == [["1"]])
            #expect(try fixture.sql("SELECT count(*) FROM carriers_history WHERE id = 'C00006'") == [["1"]])
            #expect(throws: (any Error).self) { try fixture.sql("UPDATE carriers SET version = 9 WHERE id = 'C00006'") }
            #expect(throws: (any Error).self) { try fixture.sql("INSERT INTO carriers (id, version) VALUES ('X', 4)") }
            #expect(try fixture.sql("SELECT version FROM carriers WHERE id = 'C00006'") == [["2"]])
            // Saving a row as it was (QGIS does) is no change: no version, no history.
            _ = try fixture.sql("UPDATE carriers SET vacant_m2 = vacant_m2, name = name WHERE id = 'C00006'")
            #expect(try fixture.sql("SELECT version FROM carriers WHERE id = 'C00006'") == [["2"]])
            #expect(try fixture.sql("SELECT count(*) FROM store_changes WHERE record_id = 'C00006'") == [["1"]])
            let log = try Self.run(["store", "log", "--store", fixture.name, "--record", "C00006"])
            #expect(log.output.contains(backend == .geoPackage ? "direct edit: update carriers C00006 → version 2" : "direct edit ("))
            #expect(log.output.contains("vacant_m2: 23558 → 100"))
        }
    }

    @Test("--as-of-date reads the district as it stood that day, from the history", arguments: StoreBackend.allCases)
    func asOfDate(_ backend: StoreBackend) throws {
        try Self.withStore(backend) { folder, fixture in
            let store = fixture.name
            let edits = try Self.writeEdits(
                folder, "e.json", #"{"edits": [{"edit": "carrier", "id": "C00001", "version": 1, "set": {"vacant_m2": 500}}]}"#)
            #expect(try Self.run(["store", "apply", "--store", store, "--edits", edits, "--author", "a", "--reason", "r"]).status == 0)
            // Put the import on 1 March and the edit on 20 March (Shenzhen time), as if made then.
            _ = try fixture.sql("UPDATE store_meta SET value = '2026-02-28T16:00:00.000Z' WHERE key = 'imported_at'")
            _ = try fixture.sql("UPDATE store_changes SET at = '2026-03-20T02:00:00.000Z'")
            let march10 = folder.appendingPathComponent("m10"), march25 = folder.appendingPathComponent("m25")
            let files = folder.appendingPathComponent("files"), now = folder.appendingPathComponent("now")
            for (out, args) in [
                (march10, ["--store", store, "--as-of-date", "2026-03-10"]), (march25, ["--store", store, "--as-of-date", "2026-03-25"]),
                (files, ["--data", "GIS/sample"]), (now, ["--store", store]),
            ] {
                let r = try Self.run(["spacemap"] + args + ["--out", out.path, "--no-maps", "--no-geopackage"])
                #expect(r.status == 0, "\(r.error)")
            }
            let summary = { (u: URL) in try String(contentsOf: u.appendingPathComponent("summary.csv"), encoding: .utf8) }
            #expect(try summary(march10) == summary(files))
            #expect(try summary(march25) == summary(now))
            #expect(try summary(march25) != summary(files))
            let early = try Self.run(["spacemap", "--store", store, "--as-of-date", "2026-02-01", "--out", march10.path, "--no-maps"])
            #expect(early.status != 0 && early.error.contains("holds nothing before 2026-03-01 00:00:00 +08:00"))
        }
    }

    @Test("wrong store arguments and a store from a newer spaceplan are refused with a clear message", arguments: StoreBackend.allCases)
    func refusals(_ backend: StoreBackend) throws {
        try Self.withStore(backend) { folder, fixture in
            let store = fixture.name
            let out = folder.appendingPathComponent("never").path
            let both = try Self.run(["spacemap", "--data", "GIS/sample", "--store", store, "--out", out])
            #expect(both.status != 0 && both.error.contains("give --data or --store, not both"))
            let dateOnly = try Self.run(["spacemap", "--data", "GIS/sample", "--as-of-date", "2026-01-01", "--out", out])
            #expect(dateOnly.status != 0 && dateOnly.error.contains("--as-of-date reads a store's history: give --store"))
            let badDate = try Self.run(["spacemap", "--store", store, "--as-of-date", "2026-02-30", "--out", out])
            #expect(badDate.status != 0 && badDate.error.contains("--as-of-date: \"2026-02-30\" is not a day of the calendar"))
            let again = try Self.run(["store", "import", "--data", "GIS/sample", "--store", store])
            #expect(again.status != 0 && again.error.contains("already exists: give --replace"))
            let noStore = try Self.run(["spacemap", "--store", folder.appendingPathComponent("none.gpkg").path, "--out", out])
            #expect(noStore.status != 0 && noStore.error.contains("no such store"))
            _ = try fixture.sql("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'")
            let newer = try Self.run(["spacemap", "--store", store, "--out", out])
            #expect(newer.status != 0 && newer.error.contains("was written by a newer spaceplan (store schema 99"))
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}

/// Every kind of edit, and the refusals of each rule an edit set can break, on both backends.
@Suite("Store edits, every kind")
struct StoreEditKindsTests {
    static func apply(_ store: String, _ folder: URL, _ json: String) throws -> (status: Int32, output: String, error: String) {
        let file = folder.appendingPathComponent("edit-\(UUID().uuidString).json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        return try SpacePlanCLI.run(["store", "apply", "--store", store, "--edits", file.path, "--author", "王工", "--reason", "every kind"])
    }

    @Test("add and retire a carrier, a new firm in, a firm out, a footprint, two proposal edits composed, a configuration value", arguments: StoreBackend.allCases)
    func everyKind(_ backend: StoreBackend) throws {
        _ = try StoreCommandTests.withStore(backend) { folder, fixture in
            let r = try Self.apply(
                fixture.name, folder,
                #"""
                {"edits": [
                  {"edit": "add_carrier", "record": {"id": "C90001", "name": "新孵化器", "type": "incubator", "building_ids": ["B0001130"], "floor_area_m2": 500, "occupied_m2": 100}},
                  {"edit": "retire_carrier", "id": "C00027", "version": 1},
                  {"edit": "move_in", "record": {"id": "E90000001", "name": "新公司", "sector": "ai", "employees": 5, "floor_area_m2": 40}, "carrier": "C00003"},
                  {"edit": "move_out", "firm": "E00000002", "version": 1},
                  {"edit": "building", "id": "B0000001", "version": 1, "footprint": {"type": "Polygon", "coordinates": [[[113.9823687, 22.5191397], [113.9833271, 22.5191398], [113.9833271, 22.5193362], [113.9823687, 22.5193361], [113.9823687, 22.5191397]]]}},
                  {"edit": "withdraw_proposal", "proposal": "HQB-04", "version": 1},
                  {"edit": "withdraw_proposal", "proposal": "CGM-02", "version": 1},
                  {"edit": "config", "document": "config/policy.json", "version": 1, "key": "plausibility.max_floors.value", "value": 120}
                ]}
                """#)
            #expect(r.status == 0, "\(r.error)")
            for line in [
                "insert carriers C90001 → version 1", "delete carriers C00027 → version 1", "insert enterprises E90000001 → version 1",
                "update carriers C00003 → version 2", "delete enterprises E00000002 → version 1", "update buildings B0000001 → version 2",
                "update store_documents proposals.geojson → version 2", "update store_documents config/policy.json → version 2",
            ] {
                #expect(r.output.contains(line), "\(line)\n\(r.output)")
            }
            #expect(r.output.contains("edit set 1: 8 changes"), "\(r.output)")
            // The new firm's 40 m² are C00003's: 2565 → 2605 occupied.
            #expect(try fixture.sql("SELECT occupied_m2, vacant_m2, version FROM carriers WHERE id = 'C00003'")[0].map { Double($0) } == [2_605, 978, 2])
            #expect(try fixture.sql("SELECT carrier_id, building_id FROM enterprises WHERE id = 'E90000001'") == [["C00003", "B0002298"]])
            #expect(try fixture.sql("SELECT count(*) FROM carriers") == [["27"]])
            let log = try SpacePlanCLI.run(["store", "log", "--store", fixture.name, "--record", "proposals.geojson"])
            #expect(log.output.contains("features: 7 → 4 items"), "\(log.output)")
            let footprint = try SpacePlanCLI.run(["store", "log", "--store", fixture.name, "--record", "B0000001"])
            #expect(footprint.output.contains("footprint_m2:") && footprint.output.contains("geometry: MultiPolygon"), "\(footprint.output)")
            // The next questions see it all: 27 carriers, the proposals left, the new cap.
            let out = folder.appendingPathComponent("renewal")
            let renewal = try SpacePlanCLI.run(["renewal", "evaluate", "--store", fixture.name, "--out", out.path, "--no-maps"])
            #expect(renewal.status == 0, "\(renewal.error)")
            let ranked = try String(contentsOf: out.appendingPathComponent("renewal.md"), encoding: .utf8)
            #expect(ranked.contains("HT-01") && !ranked.contains("HQB-04") && !ranked.contains("CGM-02"))
            #expect(ranked.contains("3 proposals"), "\(ranked.prefix(400))")
        }
    }

    @Test("a carrier edit and a move into the same carrier compose; a second edit of one record, a full carrier, a broken footprint, an unknown key are refused", arguments: StoreBackend.allCases)
    func composedAndRefused(_ backend: StoreBackend) throws {
        _ = try StoreCommandTests.withStore(backend) { folder, fixture in
            let both = try Self.apply(
                fixture.name, folder,
                #"{"edits": [{"edit": "carrier", "id": "C00002", "version": 1, "set": {"vacant_m2": 1000}}, {"edit": "move_in", "firm": "E00000001", "version": 1, "carrier": "C00002"}]}"#
            )
            #expect(both.status == 0, "\(both.error)")
            // 4643 m²: 1000 vacant, then the firm's 36 m² taken.
            #expect(try fixture.sql("SELECT occupied_m2, vacant_m2, version FROM carriers WHERE id = 'C00002'")[0].map { Double($0) } == [3_679, 964, 2])
            let refusals: [(String, String)] = [
                (
                    #"{"edits": [{"edit": "carrier", "id": "C00004", "version": 1, "set": {"rent_yuan_m2_month": 80}}, {"edit": "carrier", "id": "C00004", "version": 1, "set": {"status": "closed_for_works"}}]}"#,
                    "record 1 (id C00004): carriers C00004 is changed by edit 0 already: make them one edit"
                ),
                (
                    #"{"edits": [{"edit": "move_in", "firm": "E00000002", "version": 1, "carrier": "C00001"}]}"#,
                    "carrier C00001 has 235 m² vacant; the firms moving in need 1634 m²"
                ),
                (
                    #"{"edits": [{"edit": "building", "id": "B0000001", "version": 1, "footprint": {"type": "Polygon", "coordinates": [[[113.98, 22.51], [113.99, 22.52], [113.99, 22.51], [113.98, 22.52], [113.98, 22.51]]]}}]}"#,
                    "record 0 (id B0000001): the footprint must be a valid polygon with an area"
                ),
                (
                    #"{"edits": [{"edit": "config", "document": "config/policy.json", "version": 1, "key": "plausibility.no_such_rule", "value": 1}]}"#,
                    "config/policy.json has no \"no_such_rule\" here"
                ),
                (
                    // E00000001 moved into C00002 above.
                    #"{"edits": [{"edit": "retire_carrier", "id": "C00002", "version": 2}]}"#,
                    "carrier C00002 still has 1 tenant (E00000001): move them out or elsewhere first"
                ),
                (
                    #"{"edits": [{"edit": "teleport", "id": "C00001", "version": 1}]}"#,
                    "\"edit\" must be one of carrier, add_carrier"
                ),
            ]
            for (json, message) in refusals {
                let r = try Self.apply(fixture.name, folder, json)
                #expect(r.status == 1 && r.error.contains(message), "\(message)\n\(r.error)")
            }
            // Nothing of the refused sets was written: the one set applied is all the log holds.
            #expect(try fixture.sql("SELECT count(DISTINCT edit_set) FROM store_changes") == [["1"]])
        }
    }
}
