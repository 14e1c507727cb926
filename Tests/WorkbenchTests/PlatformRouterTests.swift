import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Platform
import SpaceCore
import SpacePlanKit
import SpaceStore
import TestSupport
import Testing
@testable import Workbench

/// The platform server (`serve --store`) route by route and role by role: who is let in, who may
/// change what, forgery and staleness refused, bad bodies answered 4xx, and no refused request
/// changing the store.
@Suite("The platform's routes")
struct PlatformRouterTests {
    static let password = "correct horse battery"

    /// A platform workbench on a new GeoPackage store of the sample, with a bureau member, two
    /// operators (C00001–C00002 and C00003) and a firm.
    static func withPlatform<T>(
        publicRead: Bool = false, uploadLimit: Int? = nil, _ body: (Workbench, StoreFixture) async throws -> T
    ) async throws -> T? {
        guard StoreBackend.geoPackage.available else { return nil }
        let folder = TestPaths.temporaryFolder("platform-router")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = StoreFixture(backend: .geoPackage, name: folder.appendingPathComponent("district.gpkg").path, schema: nil)
        let r = try SpacePlanCLI.run(["store", "import", "--data", "GIS/sample", "--store", store.name])
        #expect(r.status == 0, "\(r.error)")
        var access = PlatformAccess(store: store.name)
        access.publicRead = publicRead
        access.settings.bcryptCost = 4
        // A first wait long enough that a loaded machine cannot outlast it between two tries.
        access.settings.firstDelaySeconds = 30
        let people = try People(store: store.name, settings: access.settings)
        try people.add(name: "chief", role: .bureau, carriers: [], password: password, actor: "test", reason: "r")
        try people.add(name: "ops", role: .operator, carriers: ["C00001", "C00002"], password: password, actor: "test", reason: "r")
        try people.add(name: "ops2", role: .operator, carriers: ["C00003"], password: password, actor: "test", reason: "r")
        try people.add(name: "firm", role: .applicant, carriers: [], password: password, actor: "test", reason: "r")
        let workspace = try Workspace(source: try DistrictStores.source(store.name), configuration: DistrictStores.configuration(of: try DistrictStores.source(store.name)))
        var options = WorkbenchOptions()
        if let uploadLimit { options.uploadLimitBytes = uploadLimit }
        let workbench = try Workbench(workspace: workspace, options: options, platform: access)
        defer { workbench.uploads.removeAll() }
        return try await body(workbench, store)
    }

    /// One request: a path, a method, a JSON body, headers.
    struct Call {
        var uri: String
        var method: HTTPRequest.Method = .get
        var body: String?
        var headers: HTTPFields = [:]
        /// A body that is not text (a spreadsheet); sent instead of `body`.
        var bytes: [UInt8]? = nil
    }

    static func basic(_ name: String, _ password: String = password) -> HTTPFields {
        [.authorization: "Basic " + Data("\(name):\(password)".utf8).base64EncodedString()]
    }

    /// Requests in order on one server, without the OpenAPI check (the platform's routes are in docs/platform.md).
    static func send(_ workbench: Workbench, _ calls: [Call]) async throws -> [Answer] {
        let app = Application(router: workbench.router())
        return try await app.test(.router) { client in
            var answers: [Answer] = []
            for call in calls {
                answers.append(
                    try await client.execute(uri: call.uri, method: call.method, headers: call.headers, body: call.bytes.map { ByteBuffer(bytes: $0) } ?? call.body.map { ByteBuffer(string: $0) }) {
                        Answer(status: $0.status, headers: $0.headers, text: String(buffer: $0.body))
                    })
            }
            return answers
        }
    }

    static func send(_ workbench: Workbench, _ call: Call) async throws -> Answer { try await send(workbench, [call])[0] }

    /// What a refused request must leave as it was: every carrier's version and figures, and the history.
    static func state(_ store: StoreFixture) throws -> [[String]] {
        try store.sql("SELECT id, version, vacant_m2, rent_yuan_m2_month FROM carriers ORDER BY id")
            + store.sql("SELECT count(*) FROM store_changes") + store.sql("SELECT count(*) FROM enterprises")
    }

    static func vacancy(_ version: Int, _ m2: Double, reason: String? = "survey") -> String {
        #"{"version": \#(version), "set": {"vacant_m2": \#(m2)}\#(reason.map { #", "reason": "\#($0)""# } ?? "")}"#
    }

    @Test("Without a login: the page and the login only (401, with a Basic challenge for clients that are not the page)")
    func anonymous() async throws {
        try await Self.withPlatform { workbench, store in
            let before = try Self.state(store)
            let answers = try await Self.send(
                workbench,
                [
                    Call(uri: "/", headers: [.accept: "text/html"]), Call(uri: "/main.js"), Call(uri: "/collections"),
                    Call(uri: "/collections/carriers/items/C00001"), Call(uri: "/api/summary"), Call(uri: "/api/my/carriers"),
                    Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10)),
                    Call(uri: "/api/changes"), Call(uri: "/collections", headers: [HTTPField.Name("X-Requested-With")!: "spaceplan-page"]),
                    Call(uri: "/api/session"),
                ])
            #expect(answers.map(\.status.code) == [200, 200, 401, 401, 401, 401, 401, 401, 401, 401])
            #expect(answers[2].headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
            #expect(answers[8].headers[.wwwAuthenticate] == nil)  // the page gets no password dialog
            #expect(answers[2].error.contains("log in first"))
            #expect(try Self.state(store) == before)
        }
    }

    @Test("--public-read: the map without a login; people's own records and every change still need one")
    func publicRead() async throws {
        try await Self.withPlatform(publicRead: true) { workbench, store in
            let before = try Self.state(store)
            let answers = try await Self.send(
                workbench,
                [
                    Call(uri: "/collections"), Call(uri: "/collections/carriers/items/C00001"), Call(uri: "/api/my/carriers"),
                    Call(uri: "/api/applications"), Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10)),
                ])
            #expect(answers.map(\.status.code) == [200, 200, 401, 401, 401])
            #expect(try Self.state(store) == before)
        }
    }

    @Test("Logging in: a cookie that is HttpOnly, SameSite=Strict and expires; a wrong password 401; failures slowed to 429; logging out ends it")
    func login() async throws {
        try await Self.withPlatform { workbench, _ in
            let login = Call(uri: "/api/session", method: .post, body: #"{"name": "ops", "password": "\#(Self.password)"}"#)
            let ok = try await Self.send(workbench, login)
            #expect(ok.status == .ok)
            let cookie = ok.headers[.setCookie] ?? ""
            #expect(cookie.hasPrefix("spaceplan_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Max-Age=\(PlatformSettings().sessionLifetimeSeconds)") && cookie.contains("Path=/"))
            #expect(ok.json["person"]?["role"]?.stringValue == "operator")
            #expect(ok.json["choices"]?["stage"]?.arrayValue?.compactMap(\.stringValue) == ["start_up", "growth", "scale_up", "mature"])
            #expect(ok.json["choices"]?["carrier_status"]?.arrayValue?.compactMap(\.stringValue) == ["open", "closed_for_works"])
            let token = String(cookie.dropFirst("spaceplan_session=".count).prefix { $0 != ";" })
            let csrf = ok.json["csrf_token"]?.stringValue ?? ""
            let session: HTTPFields = [.cookie: "spaceplan_session=\(token)"]
            var loggedOut = session
            loggedOut[HTTPField.Name("X-CSRF-Token")!] = csrf
            let answers = try await Self.send(
                workbench,
                [
                    Call(uri: "/api/session", headers: session), Call(uri: "/collections", headers: session),
                    Call(uri: "/api/session", method: .delete, headers: loggedOut), Call(uri: "/api/session", headers: session),
                    Call(uri: "/collections", headers: session),
                ])
            #expect(answers.map(\.status.code) == [200, 200, 200, 401, 401])
            #expect(answers[0].json["csrf_token"]?.stringValue == csrf)
            #expect(answers[2].headers[.setCookie]?.contains("Max-Age=0") == true)
            // Five wrong passwords, then the name is slowed even with the right one.
            let wrong = Call(uri: "/api/session", method: .post, body: #"{"name": "ops2", "password": "not it at all"}"#)
            let tries = try await Self.send(workbench, Array(repeating: wrong, count: 5) + [
                Call(uri: "/api/session", method: .post, body: #"{"name": "ops2", "password": "\#(Self.password)"}"#),
            ])
            #expect(tries.map(\.status.code) == [401, 401, 401, 401, 401, 429])
            // The wait left, in whole seconds: at most the 30 s set, less however long the tries took.
            let retryAfter = tries[5].headers[.retryAfter].flatMap { Int($0) }
            #expect(retryAfter.map { (1...30).contains($0) } == true, "Retry-After \(String(describing: retryAfter))")
            #expect(tries[5].error.contains("too many failed logins"))
        }
    }

    @Test("A disabled person's session and Basic credentials stop working at once")
    func disabled() async throws {
        try await Self.withPlatform { workbench, store in
            let ok = try await Self.send(workbench, Call(uri: "/api/session", method: .post, body: #"{"name": "ops", "password": "\#(Self.password)"}"#))
            let token = String((ok.headers[.setCookie] ?? "").dropFirst("spaceplan_session=".count).prefix { $0 != ";" })
            try People(store: store.name).disable("ops", actor: "test", reason: "left")
            let answers = try await Self.send(
                workbench, [Call(uri: "/collections", headers: [.cookie: "spaceplan_session=\(token)"]), Call(uri: "/collections", headers: Self.basic("ops"))])
            #expect(answers.map(\.status.code) == [401, 401])
        }
    }

    @Test("Each role on each route: operators change their own carriers only, firms no record, the bureau everything; refusals change nothing")
    func roles() async throws {
        try await Self.withPlatform { workbench, store in
            let before = try Self.state(store)
            let ops = Self.basic("ops"), ops2 = Self.basic("ops2"), firm = Self.basic("firm"), chief = Self.basic("chief")
            let refused: [(Call, Int, String)] = [
                (Call(uri: "/api/carriers/C00003", method: .patch, body: Self.vacancy(1, 10), headers: ops), 403, "not one of ops's"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10), headers: ops2), 403, "not one of ops2's"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10), headers: firm), 403, "applicant firm changes no record"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: #"{"version": 1, "set": {"name": "x"}, "reason": "r"}"#, headers: ops), 403, "are the bureau's"),
                (Call(uri: "/api/edits", method: .post, body: #"{"edits": [{"edit": "retire_carrier", "id": "C00001", "version": 1}], "reason": "r"}"#, headers: ops), 403, "bureau's"),
                (Call(uri: "/api/my/carriers", headers: firm), 403, "keeps no carriers"),
                (Call(uri: "/api/applications", headers: ops), 403, "read by the bureau and by the firm"),
                (Call(uri: "/api/rounds", method: .post, body: #"{"reason": "r"}"#, headers: ops), 403, "bureau's"),
                (Call(uri: "/api/rounds", headers: firm), 403, "bureau's"),
                (Call(uri: "/api/applications", method: .post, body: #"{"name": "x", "sector": "ai", "stage": "start_up", "min_m2": 40, "preferred_m2": 60, "move_in_year": 2024}"#, headers: chief), 403, "applicant firms"),
                (Call(uri: "/collections/carriers/items/C00003", method: .patch, body: #"{"properties": {"vacant_m2": 10}}"#, headers: ops + [.ifMatch: "\"1\""]), 403, "not one of ops's"),
                (Call(uri: "/collections/carriers/items/C00001", method: .delete, headers: ops + [.ifMatch: "\"1\""]), 403, "bureau's"),
                (Call(uri: "/collections/zones/items/x", method: .delete, headers: chief + [.ifMatch: "\"1\""]), 405, "read-only"),
            ]
            let answers = try await Self.send(workbench, refused.map(\.0))
            for ((call, status, words), answer) in zip(refused, answers) {
                #expect(answer.status.code == status, "\(call.method) \(call.uri): \(answer.status.code) \(answer.text)")
                #expect(answer.error.contains(words), "\(call.method) \(call.uri): \(answer.error)")
            }
            #expect(try Self.state(store) == before)
            // And what each may do.
            let allowed = try await Self.send(
                workbench,
                [
                    Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 100), headers: ops),
                    Call(uri: "/api/carriers/C00003", method: .patch, body: Self.vacancy(1, 200), headers: ops2),
                    Call(uri: "/api/carriers/C00002", method: .patch, body: #"{"version": 1, "set": {"name": "改名"}, "reason": "renamed"}"#, headers: chief),
                    Call(uri: "/api/my/carriers", headers: ops), Call(uri: "/api/history", headers: ops), Call(uri: "/api/history", headers: chief),
                ])
            #expect(allowed.map(\.status.code) == [200, 200, 200, 200, 200, 200])
            #expect(allowed[0].json["records"]?.arrayValue?.first?["vacant_m2"]?.numberValue == 100)
            #expect(allowed[0].json["records"]?.arrayValue?.first?["version"]?.numberValue == 2)
            #expect(allowed[3].json["carriers"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["C00001", "C00002"])
            #expect(allowed[4].json["changes"]?.arrayValue?.compactMap { $0["author"]?.stringValue } == ["ops"])
            #expect(allowed[5].json["changes"]?.arrayValue?.count == 3)
            // The published map shows the operator's edit at once.
            let feature = try await Self.send(workbench, Call(uri: "/collections/carriers/items/C00001", headers: chief))
            #expect(feature.json["properties"]?["vacant_m2"]?.numberValue == 100)
            #expect(feature.headers[.eTag] == "\"2\"")
        }
    }

    @Test("A change from the page needs the session's CSRF token; a change from another origin is refused whatever its credentials")
    func forgery() async throws {
        try await Self.withPlatform { workbench, store in
            let ok = try await Self.send(workbench, Call(uri: "/api/session", method: .post, body: #"{"name": "ops", "password": "\#(Self.password)"}"#))
            let token = String((ok.headers[.setCookie] ?? "").dropFirst("spaceplan_session=".count).prefix { $0 != ";" })
            let csrf = ok.json["csrf_token"]?.stringValue ?? ""
            let cookie: HTTPFields = [.cookie: "spaceplan_session=\(token)"]
            let csrfName = HTTPField.Name("X-CSRF-Token")!
            let before = try Self.state(store)
            let refused = try await Self.send(
                workbench,
                [
                    Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10), headers: cookie),
                    Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10), headers: cookie + [csrfName: String(csrf.reversed())]),
                    Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10), headers: cookie + [csrfName: csrf, HTTPField.Name("Origin")!: "http://evil.example"]),
                    Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10), headers: Self.basic("ops") + [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]),
                    Call(uri: "/api/session", method: .delete, headers: cookie),
                ])
            #expect(refused.map(\.status.code) == [403, 403, 403, 403, 403])
            #expect(refused[0].error.contains("X-CSRF-Token") && refused[2].error.contains("another origin"))
            #expect(try Self.state(store) == before)
            let accepted = try await Self.send(
                workbench, Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10), headers: cookie + [csrfName: csrf]))
            #expect(accepted.status == .ok)
        }
    }

    @Test("A stale version is refused with the current values (409 in the JSON API, 412 with the feature in OGC API); no If-Match is 428")
    func stale() async throws {
        try await Self.withPlatform { workbench, store in
            let ops = Self.basic("ops")
            let first = try await Self.send(workbench, Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 100), headers: ops))
            #expect(first.status == .ok)
            let before = try Self.state(store)
            let answers = try await Self.send(
                workbench,
                [
                    Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 50), headers: ops),
                    Call(uri: "/collections/carriers/items/C00001", method: .patch, body: #"{"properties": {"vacant_m2": 50}}"#, headers: ops + [.ifMatch: "\"1\""]),
                    Call(uri: "/collections/carriers/items/C00001", method: .patch, body: #"{"properties": {"vacant_m2": 50}}"#, headers: ops),
                    Call(uri: "/collections/carriers/items/C00001", method: .patch, body: #"{"properties": {"vacant_m2": 50}}"#, headers: ops + [.ifMatch: "W/\"2\""]),
                ])
            #expect(answers.map(\.status.code) == [409, 412, 428, 412])
            let current = answers[0].json["current"]?.arrayValue?.first
            #expect(current?["given_version"]?.numberValue == 1 && current?["current"]?["version"]?.numberValue == 2)
            #expect(current?["current"]?["vacant_m2"]?.numberValue == 100)
            #expect(answers[1].headers[.eTag] == "\"2\"")
            #expect(answers[1].json["feature"]?["properties"]?["vacant_m2"]?.numberValue == 100)
            #expect(answers[1].json["current"]?["version"]?.numberValue == 2)
            #expect(try Self.state(store) == before)
            let fresh = try await Self.send(
                workbench, Call(uri: "/collections/carriers/items/C00001", method: .patch, body: #"{"properties": {"vacant_m2": 50}}"#, headers: ops + [.ifMatch: "\"2\""]))
            #expect(fresh.status == .noContent && fresh.headers[.eTag] == "\"3\"")
        }
    }

    @Test("OPTIONS lists the methods this person may use; conformance lists Part 4")
    func options() async throws {
        try await Self.withPlatform { workbench, _ in
            let answers = try await Self.send(
                workbench,
                [
                    Call(uri: "/collections/carriers/items/C00001", method: .options, headers: Self.basic("ops")),
                    Call(uri: "/collections/carriers/items/C00003", method: .options, headers: Self.basic("ops")),
                    Call(uri: "/collections/carriers/items", method: .options, headers: Self.basic("chief")),
                    Call(uri: "/collections/carriers/items", method: .options, headers: Self.basic("ops")),
                    Call(uri: "/collections/enterprises/items", method: .options, headers: Self.basic("ops")),
                    Call(uri: "/collections/buildings/items", method: .options, headers: Self.basic("chief")),
                    Call(uri: "/conformance", headers: Self.basic("firm")),
                ])
            #expect(answers[0].headers[.allow] == "GET, HEAD, OPTIONS, PUT, PATCH")
            #expect(answers[1].headers[.allow] == "GET, HEAD, OPTIONS")
            #expect(answers[2].headers[.allow] == "GET, HEAD, OPTIONS, POST")
            #expect(answers[3].headers[.allow] == "GET, HEAD, OPTIONS")
            #expect(answers[4].headers[.allow] == "GET, HEAD, OPTIONS, POST")
            #expect(answers[5].headers[.allow] == "GET, HEAD, OPTIONS")
            let classes = answers[6].json["conformsTo"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"))
        }
    }

    @Test("Bad bodies are 4xx saying what is wrong, and change nothing")
    func badBodies() async throws {
        try await Self.withPlatform(uploadLimit: 512) { workbench, store in
            let before = try Self.state(store)
            let ops = Self.basic("ops")
            let cases: [(Call, Int, String)] = [
                (Call(uri: "/api/carriers/C00001", method: .patch, body: "{not json", headers: ops), 400, "not valid JSON"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: "[1, 2]", headers: ops), 400, "JSON object"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: "", headers: ops), 400, "no body"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 10, reason: nil), headers: ops), 400, "reason"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: #"{"set": {"vacant_m2": 10}, "reason": "r"}"#, headers: ops), 400, "version"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, -5), headers: ops), 422, "nothing was written"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: Self.vacancy(1, 1e9), headers: ops), 422, "nothing was written"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: #"{"version": 1, "set": {"vacant_m2": "ten"}, "reason": "r"}"#, headers: ops), 422, "vacant_m2"),
                (Call(uri: "/api/carriers/C00001", method: .patch, body: #"{"version": 1, "set": {"vacant_m2": 1}, "reason": "\#(String(repeating: "x", count: 600))"}"#, headers: ops), 413, "larger than"),
                (Call(uri: "/api/applications", method: .post, body: #"{"name": "x", "sector": "mining", "stage": "start_up", "min_m2": 40, "preferred_m2": 30, "move_in_year": 2024}"#, headers: Self.basic("firm")), 422, "sector 'mining'"),
                (Call(uri: "/api/applications", method: .post, body: #"{"name": "x", "sector": "ai", "stage": "start_up", "min_m2": 40, "preferred_m2": 60, "move_in_year": 2024, "priority": 9}"#, headers: Self.basic("firm")), 422, "unknown field priority"),
                (Call(uri: "/api/rounds/1/decisions", method: .post, body: #"{"application": 1, "decision": "maybe", "reason": "r"}"#, headers: Self.basic("chief")), 400, "approve or reject"),
            ]
            let answers = try await Self.send(workbench, cases.map(\.0))
            for ((call, status, words), answer) in zip(cases, answers) {
                #expect(answer.status.code == status, "\(call.uri) \(call.body?.prefix(60) ?? ""): \(answer.status.code) \(answer.text)")
                #expect((answer.error + answer.text).contains(words), "\(call.uri): \(answer.text)")
            }
            #expect(try Self.state(store) == before)
            #expect(try store.sql("SELECT count(*) FROM platform_applications") == [["0"]])
        }
    }

    @Test("An operator's tenant list (CSV, and a spreadsheet): checked by the enterprise layer's rules by row, then one edit set moving firms in and out")
    func tenantList() async throws {
        try await Self.withPlatform { workbench, store in
            let ops = Self.basic("ops")
            let csv = "id,name,sector,flags,employees,floor_area_m2\nT-1,甲,ai,,5,40\nT-2,乙,fintech,national_high_tech,8,60\n"
            let bad = "id,name,sector,flags,employees,floor_area_m2\nT-1,甲,ai,,5,40\nT-3,丙,mining,,5,-3\n"
            let before = try Self.state(store)
            let refused = try await Self.send(
                workbench,
                [
                    Call(uri: "/api/carriers/C00001/tenants?reason=list", method: .post, body: bad, headers: ops + [.contentType: "text/csv"]),
                    Call(uri: "/api/carriers/C00003/tenants?reason=list", method: .post, body: csv, headers: ops + [.contentType: "text/csv"]),
                    Call(uri: "/api/carriers/C00001/tenants", method: .post, body: csv, headers: ops + [.contentType: "text/csv"]),
                ])
            #expect(refused.map(\.status.code) == [422, 403, 400])
            let problems = refused[0].json["errors"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(problems.contains { $0.contains("tenants.csv") && $0.contains("line 3") && $0.contains("sector 'mining'") }, "\(problems)")
            #expect(!refused[0].text.contains(workbench.uploads.root.path))
            #expect(try Self.state(store) == before)
            let occupied = { Double(try store.sql("SELECT occupied_m2 FROM carriers WHERE id = 'C00001'")[0][0]) ?? 0 }
            let start = try occupied()
            let first = try await Self.send(workbench, Call(uri: "/api/carriers/C00001/tenants?reason=Q4%20list", method: .post, body: csv, headers: ops + [.contentType: "text/csv"]))
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json["moving_in"]?.arrayValue?.compactMap(\.stringValue) == ["T-1", "T-2"])
            #expect(try occupied() == start + 100)
            #expect(try store.sql("SELECT id, carrier_id, building_id FROM enterprises WHERE id LIKE 'T-%' ORDER BY id") == [["T-1", "C00001", "B0001130"], ["T-2", "C00001", "B0001130"]])
            // The next list keeps T-1, drops T-2; as a spreadsheet when GDAL's ogr2ogr is here to make one.
            let next = "id,name,sector,flags,employees,floor_area_m2\nT-1,甲,ai,,5,40\n"
            var upload = Call(uri: "/api/carriers/C00001/tenants?reason=Q1%20list", method: .post, body: next, headers: ops + [.contentType: "text/csv"])
            if TestPaths.hasProgram("ogr2ogr") {
                let folder = TestPaths.temporaryFolder("tenants")
                defer { try? FileManager.default.removeItem(at: folder) }
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try next.write(to: folder.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
                let made = try runTool("/usr/bin/ogr2ogr", ["-f", "XLSX", folder.appendingPathComponent("t.xlsx").path, folder.appendingPathComponent("t.csv").path])
                #expect(made.status == 0)
                upload.bytes = Array(try Data(contentsOf: folder.appendingPathComponent("t.xlsx")))
                upload.headers = ops + [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
            } else {
                print("the tenant list as a spreadsheet is not tried: ogr2ogr is missing (apt-get install gdal-bin)")
            }
            let second = try await Self.send(workbench, upload)
            #expect(second.status == .ok, "\(second.text)")
            #expect(second.json["moving_out"]?.arrayValue?.compactMap(\.stringValue) == ["T-2"] && second.json["staying"]?.arrayValue?.compactMap(\.stringValue) == ["T-1"])
            #expect(try occupied() == start + 40)
        }
    }

    @Test("A firm applies, the bureau runs a round and approves; the firm sees the placement and the carrier's vacancy falls")
    func matching() async throws {
        try await Self.withPlatform { workbench, store in
            let firm = Self.basic("firm"), chief = Self.basic("chief")
            let applied = try await Self.send(
                workbench,
                [
                    Call(uri: "/api/applications", method: .post, body: #"{"name": "星河AI", "sector": "ai", "stage": "start_up", "employees": 6, "min_m2": 40, "preferred_m2": 60, "move_in_year": 2024}"#, headers: firm),
                    Call(uri: "/api/applications", method: .post, body: #"{"name": "巨型", "sector": "ai", "stage": "start_up", "employees": 6, "min_m2": 900000, "preferred_m2": 900000, "move_in_year": 2024}"#, headers: firm),
                    Call(uri: "/api/applications", headers: firm),
                    Call(uri: "/api/rounds", method: .post, body: #"{"reason": "December round"}"#, headers: chief),
                ])
            #expect(applied.map(\.status.code) == [201, 201, 200, 201])
            #expect(applied[2].json["applications"]?.arrayValue?.compactMap { $0["queue_position"]?.numberValue } == [1, 2])
            let round = applied[3].json["round"]
            let placement = round?["placements"]?.arrayValue?.first
            #expect(round?["placements"]?.arrayValue?.count == 1 && placement?["application"]?.numberValue == 1)
            #expect(round?["unplaced"]?.arrayValue?.first?["application"]?.numberValue == 2)
            let carrier = placement?["carrier"]?.stringValue ?? ""
            let area = placement?["floor_area_m2"]?.numberValue ?? 0
            #expect(area >= 40 && area <= 60)
            let vacantBefore = Double(try store.sql("SELECT vacant_m2 FROM carriers WHERE id = '\(carrier)'")[0][0]) ?? 0
            let decided = try await Self.send(
                workbench,
                [
                    Call(uri: "/api/rounds/1/decisions", method: .post, body: #"{"application": 1, "decision": "approve", "reason": "good fit"}"#, headers: chief),
                    Call(uri: "/api/rounds/1/decisions", method: .post, body: #"{"application": 1, "decision": "reject", "reason": "changed my mind"}"#, headers: chief),
                    Call(uri: "/api/applications", headers: firm),
                    Call(uri: "/collections/carriers/items/\(carrier)", headers: firm),
                ])
            #expect(decided.map(\.status.code) == [200, 409, 200, 200])
            let mine = decided[2].json["applications"]?.arrayValue ?? []
            #expect(mine.first?["status"]?.stringValue == "placed" && mine.first?["carrier"]?.stringValue == carrier)
            #expect(mine.last?["status"]?.stringValue == "queued" && mine.last?["queue_position"]?.numberValue == 1)
            #expect(mine.last?["reason"]?.stringValue?.contains("did not place it") == true)
            let vacantAfter = Double(try store.sql("SELECT vacant_m2 FROM carriers WHERE id = '\(carrier)'")[0][0]) ?? 0
            #expect(abs(vacantBefore - vacantAfter - area) < 1e-6)
            #expect(decided[3].json["properties"]?["vacant_m2"]?.numberValue.map { abs($0 - vacantAfter) < 1e-6 } == true)
            #expect(try store.sql("SELECT carrier_id, floor_area_m2 FROM enterprises WHERE id = 'APP-1'") == [[carrier, try store.sql("SELECT floor_area_m2 FROM enterprises WHERE id = 'APP-1'")[0][0]]])
            let log = try store.sql("SELECT actor, action, reason FROM platform_log WHERE actor <> 'test' ORDER BY seq").map { $0.joined(separator: "|") }
            #expect(log == [
                "firm|submit application|applied for space", "firm|submit application|applied for space",
                "chief|run matching round|December round", "chief|approve placement|good fit",
            ])
            #expect(try store.sql("SELECT author, reason FROM store_edit_sets") == [["chief", "application 1 placed (round 1): good fit"]])
            // A round started before the last one's proposals were decided takes them back into its own queue.
            let small = #"{"name": "小", "sector": "ai", "stage": "start_up", "employees": 2, "min_m2": 20, "preferred_m2": 30, "move_in_year": 2024}"#
            let rounds = try await Self.send(
                workbench,
                [
                    Call(uri: "/api/applications", method: .post, body: small, headers: firm),
                    Call(uri: "/api/rounds", method: .post, body: #"{"reason": "round 2"}"#, headers: chief),
                    Call(uri: "/api/applications", method: .post, body: small, headers: firm),
                    Call(uri: "/api/rounds", method: .post, body: #"{"reason": "round 3"}"#, headers: chief),
                    Call(uri: "/api/rounds/2", headers: chief),
                ])
            #expect(rounds.map(\.status.code) == [201, 201, 201, 201, 200])
            func covered(_ round: JSONValue?) -> [Double] {
                ((round?["placements"]?.arrayValue ?? []) + (round?["unplaced"]?.arrayValue ?? [])).compactMap { $0["application"]?.numberValue }.sorted()
            }
            #expect(covered(rounds[1].json["round"]) == [2, 3])
            #expect(covered(rounds[3].json["round"]) == [2, 3, 4])
            #expect(rounds[4].json["round"]?["placements"]?.arrayValue?.first?["decision"]?.stringValue == "superseded")
        }
    }
}

extension HTTPFields {
    static func + (a: HTTPFields, b: HTTPFields) -> HTTPFields {
        var out = a
        for field in b { out.append(field) }
        return out
    }
}
