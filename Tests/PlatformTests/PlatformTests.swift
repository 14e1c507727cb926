import Foundation
import Platform
import SpaceData
import SpaceStore
import SpacePlanKit
import SpaceCore
import Testing
import TestSupport

/// People, sessions, slowed logins and who may edit what, on both backends (docs/platform.md).
@Suite("The platform's people and rules")
struct PlatformTests {
    /// A fast hash for tests whose subject is not the hash (the default cost is tested on its own).
    static var quick: PlatformSettings {
        var s = PlatformSettings()
        s.bcryptCost = 4
        return s
    }

    static let password = "correct horse battery"

    @Test("A person is added once, kept as a bcrypt hash, checked at login and disabled with a log", arguments: StoreBackend.allCases)
    func people(_ backend: StoreBackend) throws {
        try StoreFixture.withSample(backend) { _, store in
            let people = try People(store: store.name, settings: Self.quick)
            try people.add(name: "ops", role: .operator, carriers: ["C00001"], password: Self.password, actor: "test", reason: "new park")
            #expect(try people.list().map(\.name) == ["ops"])
            let hash = try store.sql("SELECT password_hash FROM platform_users WHERE name = 'ops'")[0][0]
            #expect(hash.hasPrefix("$2b$04$") && !hash.contains(Self.password))
            #expect(try people.verify(name: "ops", password: Self.password)?.carriers == ["C00001"])
            #expect(try people.verify(name: "ops", password: "correct horse batterY") == nil)
            #expect(try people.verify(name: "nobody", password: Self.password) == nil)
            // Refusals, each with its reason, and nothing written by them.
            let refusals: [(String, () throws -> Void)] = [
                ("already has a login", { try people.add(name: "ops", role: .bureau, carriers: [], password: Self.password, actor: "t", reason: "r") }),
                ("too short", { try people.add(name: "b", role: .bureau, carriers: [], password: "short", actor: "t", reason: "r") }),
                ("keeps carriers", { try people.add(name: "o2", role: .operator, carriers: [], password: Self.password, actor: "t", reason: "r") }),
                ("no carrier NOPE", { try people.add(name: "o3", role: .operator, carriers: ["NOPE"], password: Self.password, actor: "t", reason: "r") }),
                ("only an operator", { try people.add(name: "a", role: .applicant, carriers: ["C00001"], password: Self.password, actor: "t", reason: "r") }),
                ("no colon", { try people.add(name: "a:b", role: .bureau, carriers: [], password: Self.password, actor: "t", reason: "r") }),
            ]
            for (words, attempt) in refusals {
                #expect(throws: People.Refusal.self) { try attempt() }
                do { try attempt() } catch { #expect("\(error)".contains(words), "\(error)") }
            }
            #expect(try people.list().count == 1)
            try people.disable("ops", actor: "test", reason: "left the park")
            #expect(try people.verify(name: "ops", password: Self.password) == nil)
            #expect(try people.person("ops")?.disabled == true)
            let log = try PlatformLog.entries(store.name)
            #expect(log.map(\.action) == ["add user", "disable user"])
            #expect(log.map(\.reason) == ["new park", "left the park"] && log.allSatisfy { $0.actor == "test" })
        }
    }

    @Test("The default password hash is bcrypt at cost 11")
    func defaultCost() throws {
        try StoreFixture.withSample(.geoPackage) { _, store in
            try People(store: store.name).add(name: "chief", role: .bureau, carriers: [], password: Self.password, actor: "t", reason: "r")
            #expect(try store.sql("SELECT password_hash FROM platform_users")[0][0].hasPrefix("$2b$11$"))
        }
    }

    @Test("A session is found by its token until it ends, expires or its person is disabled", arguments: StoreBackend.allCases)
    func sessions(_ backend: StoreBackend) throws {
        try StoreFixture.withSample(backend) { _, store in
            let people = try People(store: store.name, settings: Self.quick)
            let person = try people.add(name: "chief", role: .bureau, carriers: [], password: Self.password, actor: "t", reason: "r")
            let sessions = try Sessions(store: store.name, settings: Self.quick)
            let start = Date()
            let (token, session) = try sessions.open(for: person, now: start)
            #expect(token.count == 43 && session.csrfToken.count == 43 && token != session.csrfToken)
            // Only the token's hash is kept.
            let kept = try store.sql("SELECT token_hash FROM platform_sessions")
            #expect(kept.count == 1 && kept[0][0].count == 64 && kept[0][0] != token)
            #expect(try sessions.session(token: token, now: start)?.person.name == "chief")
            #expect(try sessions.session(token: token, now: start)?.csrfToken == session.csrfToken)
            let lifetime = TimeInterval(Self.quick.sessionLifetimeSeconds)
            #expect(try sessions.session(token: token, now: start.addingTimeInterval(lifetime - 1)) != nil)
            #expect(try sessions.session(token: token, now: start.addingTimeInterval(lifetime + 1)) == nil)
            #expect(try sessions.session(token: String(token.reversed())) == nil)
            #expect(try sessions.session(token: "'; DROP TABLE platform_users; --") == nil)
            try sessions.end(token: token)
            #expect(try sessions.session(token: token, now: start) == nil)
            let (second, _) = try sessions.open(for: person)
            try people.disable("chief", actor: "t", reason: "r")
            #expect(try sessions.session(token: second) == nil)
        }
    }

    @Test("Failed logins are slowed per name and per address, doubling")
    func throttle() {
        var settings = PlatformSettings()
        settings.failuresBeforeDelay = 3
        settings.firstDelaySeconds = 2
        settings.longestDelaySeconds = 10
        let throttle = LoginThrottle(settings: settings)
        let now = Date()
        for _ in 0..<2 { throttle.failed(name: "ops", address: "10.0.0.1", now: now) }
        #expect(throttle.wait(name: "ops", address: "10.0.0.9", now: now) == 0)
        throttle.failed(name: "ops", address: "10.0.0.1", now: now)
        #expect(throttle.wait(name: "ops", address: "10.0.0.9", now: now) == 2)  // the name is slowed from any address
        #expect(throttle.wait(name: "chief", address: "10.0.0.1", now: now) == 2)  // and the address for any name
        #expect(throttle.wait(name: "chief", address: "10.0.0.2", now: now) == 0)
        throttle.failed(name: "ops", address: "10.0.0.1", now: now)
        #expect(throttle.wait(name: "ops", address: "10.0.0.9", now: now) == 4)
        for _ in 0..<5 { throttle.failed(name: "ops", address: "10.0.0.1", now: now) }
        #expect(throttle.wait(name: "ops", address: "10.0.0.9", now: now) == 10)  // capped
        #expect(throttle.wait(name: "ops", address: "10.0.0.9", now: now.addingTimeInterval(11)) == 0)
        throttle.succeeded(name: "ops")
        #expect(throttle.wait(name: "ops", address: "10.0.0.9", now: now) == 0)
        #expect(throttle.wait(name: "ops", address: "10.0.0.1", now: now) == 10)
    }

    /// One edit as the server would make it from a JSON body.
    static func edits(_ json: String) throws -> EditSet { try EditSet.parse(Data(json.utf8), file: "request") }

    static func version(_ store: StoreFixture, _ layer: String, _ id: String) throws -> Int {
        Int(try store.sql("SELECT version FROM \(layer) WHERE id = '\(id)'")[0][0]) ?? 0
    }

    @Test("An operator changes its own carriers' figures and tenants only; an applicant nothing; the bureau anything", arguments: StoreBackend.allCases)
    func whoMayEdit(_ backend: StoreBackend) throws {
        try StoreFixture.withSample(backend) { _, store in
            let people = try People(store: store.name, settings: Self.quick)
            let ops = try people.add(name: "ops", role: .operator, carriers: ["C00001"], password: Self.password, actor: "t", reason: "r")
            let firm = try people.add(name: "firm", role: .applicant, carriers: [], password: Self.password, actor: "t", reason: "r")
            let chief = try people.add(name: "chief", role: .bureau, carriers: [], password: Self.password, actor: "t", reason: "r")
            let editing = Editing(store: store.name)
            func vacancy(_ id: String, _ m2: Double) throws -> EditSet {
                try Self.edits(#"{"edits": [{"edit": "carrier", "id": "\#(id)", "version": \#(try Self.version(store, "carriers", id)), "set": {"vacant_m2": \#(m2)}}]}"#)
            }
            let applied = try editing.apply(try vacancy("C00001", 200), by: ops, reason: "Q4 survey")
            #expect(applied.changes.map(\.recordID) == ["C00001"] && applied.changes[0].author == "ops")
            #expect(try store.sql("SELECT vacant_m2 FROM carriers WHERE id = 'C00001'")[0][0].hasPrefix("200"))
            let before = try store.sql("SELECT version, vacant_m2 FROM carriers ORDER BY id")
            let changesBefore = try store.sql("SELECT count(*) FROM store_changes")
            let refused: [(Person, EditSet, String)] = [
                (ops, try vacancy("C00002", 10), "carrier C00002 is not one of ops's"),
                (ops, try Self.edits(#"{"edits": [{"edit": "carrier", "id": "C00001", "version": 2, "set": {"name": "renamed"}}]}"#), "name are the bureau's"),
                (ops, try Self.edits(#"{"edits": [{"edit": "retire_carrier", "id": "C00001", "version": 2}]}"#), "this edit is the bureau's"),
                (ops, try Self.edits(#"{"edits": [{"edit": "move_in", "firm": "E00000001", "version": 1, "carrier": "C00002"}]}"#), "C00002 is not one of"),
                (firm, try vacancy("C00001", 10), "an applicant firm changes no record"),
                // A set with one edit the operator may make and one it may not is refused whole.
                (ops, try Self.edits(#"{"edits": [{"edit": "carrier", "id": "C00001", "version": 2, "set": {"vacant_m2": 5}}, {"edit": "carrier", "id": "C00002", "version": 1, "set": {"vacant_m2": 5}}]}"#), "edit 2"),
            ]
            for (person, set, words) in refused {
                do {
                    _ = try editing.apply(set, by: person, reason: "try")
                    Issue.record("\(person.name)'s edit was not refused")
                } catch let refusal as Editing.Forbidden {
                    #expect(refusal.description.contains(words), "\(refusal)")
                }
            }
            #expect(try store.sql("SELECT version, vacant_m2 FROM carriers ORDER BY id") == before)
            #expect(try store.sql("SELECT count(*) FROM store_changes") == changesBefore)
            // Tenants: the bureau places a firm in the operator's carrier; the operator records it leaving; a firm elsewhere is not theirs.
            _ = try editing.apply(
                try Self.edits(#"{"edits": [{"edit": "move_in", "firm": "E00000001", "version": 1, "carrier": "C00001"}, {"edit": "move_in", "firm": "E00000005", "version": 1, "carrier": "C00002"}]}"#),
                by: chief, reason: "placed by the bureau")
            #expect(throws: Editing.Forbidden.self) {
                _ = try editing.apply(try Self.edits(#"{"edits": [{"edit": "move_out", "firm": "E00000005", "version": 2}]}"#), by: ops, reason: "r")
            }
            _ = try editing.apply(try Self.edits(#"{"edits": [{"edit": "move_out", "firm": "E00000001", "version": 2}]}"#), by: ops, reason: "moved away")
            #expect(try store.sql("SELECT count(*) FROM enterprises WHERE id = 'E00000001'")[0][0] == "0")
            let authors = try store.sql("SELECT author, reason FROM store_edit_sets ORDER BY id").map { $0.joined(separator: ": ") }
            #expect(authors == ["ops: Q4 survey", "chief: placed by the bureau", "ops: moved away"])
        }
    }
}

/// On PostGIS the database refuses what the server refuses: an operator is a role of its own
/// under row-level security, for the server acting for it and for the operator connecting directly.
@Suite("The database's own refusals (PostGIS)")
struct DatabaseRolesTests {
    /// psql as `role` over loopback TCP (password authentication), in the store's schema; its output and errors.
    static func psql(_ sql: String, role: String, password: String, schema: String) throws -> (output: String, status: Int32) {
        let database = URLComponents(string: StoreBackend.postgresURL ?? "")?.path.dropFirst() ?? "spaceplan_test"
        let conninfo = "host=127.0.0.1 dbname=\(database) user=\(role) password='\(password)' options='-c search_path=\(schema),public'"
        return try runTool("/bin/sh", ["-c", "psql \"$0\" -v ON_ERROR_STOP=1 -qAtc \"$1\" 2>&1", conninfo, sql])
    }

    @Test("An operator's database role changes its own carrier and is refused on another's, on columns and tables not its own, and after it is disabled")
    func rowLevelSecurity() throws {
        guard TestPaths.hasProgram("psql") else {
            if StoreBackend.inCI { Issue.record("CI=true: psql is missing") } else { print("skipped: psql is missing (apt-get install postgresql-client)") }
            return
        }
        try StoreFixture.withSample(.postGIS) { _, store in
            let people = try People(store: store.name, settings: PlatformTests.quick)
            let ops = try people.add(name: "ops", role: .operator, carriers: ["C00001"], password: PlatformTests.password, actor: "t", reason: "r")
            try people.add(name: "ops2", role: .operator, carriers: ["C00003"], password: PlatformTests.password, actor: "t", reason: "r")
            let role = try #require(ops.databaseRole)
            #expect(role == "\(store.schema!)_op_ops")
            let schema = store.schema!
            func run(_ sql: String) throws -> (output: String, status: Int32) { try Self.psql(sql, role: role, password: PlatformTests.password, schema: schema) }
            // Its own carrier: written, with the history naming the role.
            let own = try run("UPDATE carriers SET vacant_m2 = 100 WHERE id = 'C00001'")
            #expect(own.status == 0, "\(own.output)")
            #expect(try store.sql("SELECT vacant_m2, occupied_m2, version FROM carriers WHERE id = 'C00001'") == [["100", "3334", "2"]])
            #expect(try store.sql("SELECT author FROM store_changes ORDER BY seq DESC LIMIT 1") == [["direct edit (\(role))"]])
            let before = try store.sql("SELECT id, version, vacant_m2, name FROM carriers ORDER BY id") + store.sql("SELECT count(*) FROM store_changes")
            let refused: [(String, String)] = [
                ("UPDATE carriers SET vacant_m2 = 5 WHERE id = 'C00003'", "row-level security"),
                ("UPDATE carriers SET name = 'x' WHERE id = 'C00001'", "permission denied"),
                ("DELETE FROM carriers WHERE id = 'C00001'", "permission denied"),
                ("UPDATE buildings SET floors = 1", "permission denied"),
                ("SELECT password_hash FROM platform_users", "permission denied"),
                ("INSERT INTO enterprises (id, name, sector, floor_area_m2, carrier_id) VALUES ('X1', 'x', 'ai', 10, 'C00003')", "row-level security"),
            ]
            for (sql, words) in refused {
                let r = try run(sql)
                #expect(r.status != 0 && r.output.contains(words), "\(sql): \(r.output)")
            }
            #expect(try store.sql("SELECT id, version, vacant_m2, name FROM carriers ORDER BY id") + store.sql("SELECT count(*) FROM store_changes") == before)
            // The server acting for the operator, had its own check been skipped: the database refuses.
            let set = try PlatformTests.edits(#"{"edits": [{"edit": "carrier", "id": "C00003", "version": 1, "set": {"vacant_m2": 5}}]}"#)
            #expect(throws: DataError.self) {
                _ = try DistrictStores.apply(store: try StoreName.open(store.name), set: set, author: "ops", reason: "r", databaseRole: role)
            }
            do { _ = try DistrictStores.apply(store: try StoreName.open(store.name), set: set, author: "ops", reason: "r", databaseRole: role) } catch {
                #expect("\(error)".contains("row-level security"), "\(error)")
            }
            #expect(try store.sql("SELECT id, version, vacant_m2, name FROM carriers ORDER BY id") + store.sql("SELECT count(*) FROM store_changes") == before)
            // Through the platform, the same operator's own edit is written under its role.
            _ = try Editing(store: store.name).apply(
                try PlatformTests.edits(#"{"edits": [{"edit": "carrier", "id": "C00001", "version": 2, "set": {"vacant_m2": 90}}]}"#), by: ops, reason: "survey")
            #expect(try store.sql("SELECT vacant_m2, version FROM carriers WHERE id = 'C00001'") == [["90", "3"]])
            // Disabled: the role cannot log in any more.
            try people.disable("ops", actor: "t", reason: "left")
            let after = try run("SELECT 1")
            #expect(after.status != 0 && after.output.contains("not permitted to log in"), "\(after.output)")
        }
    }
}

/// Approving a placement spans the store and the platform's tables: one cut short after the firm
/// moved in is finished by approving again, without moving the firm in twice.
@Suite("Approvals finished after a cut")
struct ApprovalRecoveryTests {
    @Test("the firm already in its carrier: the decision is recorded with that edit set, nothing moves twice")
    func cutShort() throws {
        try StoreFixture.withSample(.geoPackage) { _, store in
            let people = try People(store: store.name, settings: PlatformTests.quick)
            let firm = try people.add(name: "firm", role: .applicant, carriers: [], password: PlatformTests.password, actor: "t", reason: "r")
            let chief = try people.add(name: "chief", role: .bureau, carriers: [], password: PlatformTests.password, actor: "t", reason: "r")
            let record = try parseJSON(#"{"name": "星河AI", "sector": "ai", "stage": "start_up", "employees": 6, "min_m2": 40, "preferred_m2": 60, "move_in_year": 2024}"#).objectValue!
            let source = try DistrictStores.source(store.name)
            let workspace = try Workspace(source: source, configuration: DistrictStores.configuration(of: source))
            _ = try Applications(store: store.name).submit(record, by: firm, zoneIDs: Set(workspace.data.zones.map(\.id)))
            let matching = try Matching(store: store.name)
            let round = try matching.run(on: workspace, by: chief, reason: "round")
            let placement = try #require(round.placements.first)
            let carrier = try #require(placement.carrier)
            // The store's half of an approval, as if the process died before the platform's half.
            let moved = try Editing(store: store.name).apply(
                try PlatformTests.edits(#"{"edits": [{"edit": "move_in", "record": {"id": "APP-1", "name": "星河AI", "sector": "ai", "employees": 6, "floor_area_m2": \#(placement.floorAreaM2 ?? 0)}, "carrier": "\#(carrier)"}]}"#),
                by: chief, reason: "cut short")
            let occupied = try store.sql("SELECT occupied_m2 FROM carriers WHERE id = '\(carrier)'")
            let (decided, editSet) = try matching.decide(round: round.id, application: 1, approve: true, reason: "good fit", by: chief)
            #expect(decided.decision == "approved" && editSet == moved.editSet)
            #expect(try store.sql("SELECT occupied_m2 FROM carriers WHERE id = '\(carrier)'") == occupied)
            #expect(try store.sql("SELECT count(*) FROM enterprises WHERE id = 'APP-1'") == [["1"]])
            #expect(try Applications(store: store.name).list(for: chief).first?.status == .placed)
        }
    }
}

@Suite("SHA-256 of tokens")
struct DigestTests {
    @Test("FIPS 180-2's vectors, and UTF-8 text as Python's hashlib gives it")
    func vectors() {
        #expect(Digest.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Digest.sha256("福田 spaceplan") == "6f52ba16dbf11c00c6c03253f23a173c420e443421744ccd5b5a897065ca37dd")
    }
}
