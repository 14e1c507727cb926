import Foundation
import Hummingbird
import Platform
import SpaceCore
import SpaceData
import SpacePlanKit
import SpaceStore

/// The platform's JSON API (docs/platform.md), mounted at /api on a server opened from a store:
/// logging in and out, an operator's carriers, edits of the district by the people allowed to
/// make them, their history, and the feed the page follows to show others' edits.
struct PlatformController: WorkbenchController {
    let live: LiveDistrict
    let gate: Gate
    let options: WorkbenchOptions
    let uploads: UploadFolder

    var store: String { gate.access.store }

    var endpoints: RouteCollection<WorkbenchContext> {
        let router = RouteCollection(context: WorkbenchContext.self)
        router.post("/session") { request, context in try await self.login(request, context) }
        router.get("/session") { _, context in
            guard let person = context.person else { throw WorkbenchError(.unauthorized, "no one is logged in") }
            return Reply.json([
                ("person", PlatformRecords.json(person)), ("csrf_token", context.csrfToken.map(JSONValue.string) ?? .null),
                ("public_read", .bool(self.gate.access.publicRead)), ("choices", Self.choices),
            ])
        }
        router.delete("/session") { request, context in
            if let token = Gate.cookie(request) { try await offThePool { try self.gate.sessions.end(token: token) } }
            var response = Reply.json([("logged_out", .bool(true))])
            response.headers[.setCookie] = Self.cookie("", maxAge: 0)
            return response
        }
        router.get("/my/carriers") { _, context in
            let person = try Self.person(context)
            guard person.role != .applicant else { throw WorkbenchError(.forbidden, "an applicant firm keeps no carriers") }
            let source = try self.source()
            let ids = person.role == .bureau ? nil : person.carriers
            return Reply.json([("carriers", .array(PlatformRecords.carriers(source.snapshot, ids: ids)))])
        }
        router.patch("/carriers/:id") { request, context in
            let person = try Self.person(context)
            let id = context.parameters.get("id") ?? ""
            let body = try await self.json(request)
            guard let version = body["version"]?.numberValue else { throw WorkbenchError.badRequest("give \"version\": the carrier's version as you read it") }
            guard let set = body["set"], set.objectValue != nil else { throw WorkbenchError.badRequest("give \"set\": the fields to change") }
            let edit: JSONValue = .object(JSONObject([("edit", .string("carrier")), ("id", .string(id)), ("version", .number(version)), ("set", set)]))
            return try await self.apply([edit], by: person, reason: try Self.reason(body), request: request)
        }
        router.post("/carriers/:id/tenants") { request, context in
            let person = try Self.person(context)
            let id = context.parameters.get("id") ?? ""
            guard let reason = request.uri.queryParameters.get("reason"), !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw WorkbenchError.badRequest("give ?reason=: why the tenant list changes (kept in the history)")
            }
            return try await self.tenants(request, carrier: id, by: person, reason: reason)
        }
        router.post("/edits") { request, context in
            let person = try Self.person(context)
            let body = try await self.json(request)
            guard let edits = body["edits"]?.arrayValue else { throw WorkbenchError.badRequest("give \"edits\": a list of edits (docs/store.md)") }
            return try await self.apply(edits, by: person, reason: try Self.reason(body), request: request)
        }
        router.get("/history") { request, context in
            let person = try Self.person(context)
            let since = request.uri.queryParameters.get("since")
            let store = try StoreName.open(self.store)
            let changes = try await offThePool { try store.changes(since: nil, record: nil) }
            let mine = changes.filter { person.role == .bureau ? true : $0.author == person.name }
            let from = since.flatMap(Int.init) ?? 0
            return Reply.json([("changes", .array(mine.filter { $0.seq > from }.map(PlatformRecords.json)))])
        }
        router.get("/changes") { request, _ in
            // Without `after`, only where things stand: a page starts following from there.
            guard let given = request.uri.queryParameters.get("after") else {
                let published = Double(self.live.lastChange)
                return Reply.json([("last", .number(published)), ("published", .number(published)), ("changes", .array([]))])
            }
            guard let after = Int(given), after >= 0 else { throw WorkbenchError.badRequest("after=\(given): a change number (0 or more)") }
            let store = try StoreName.open(self.store)
            let changes = try await offThePool { try store.changes(afterSeq: after) }
            return Reply.json([
                ("last", .number(Double(changes.last?.seq ?? after))), ("published", .number(Double(self.live.lastChange))),
                ("changes", .array(changes.map(PlatformRecords.json))),
            ])
        }
        router.post("/applications") { request, context in
            let person = try Self.person(context)
            let body = try await self.json(request)
            let zones = Set(self.live.current.workspace.data.zones.map(\.id))
            let store = self.store
            return try await self.answering {
                let application = try await offThePool { try Applications(store: store).submit(body.objectValue ?? JSONObject(), by: person, zoneIDs: zones) }
                return Reply.json([("application", Applications.json(application))], status: .created)
            }
        }
        router.get("/applications") { _, context in
            let person = try Self.person(context)
            let store = self.store
            return try await self.answering {
                let list = try await offThePool { try Applications(store: store).list(for: person) }
                return Reply.json([("applications", .array(list.map(Applications.json)))])
            }
        }
        router.post("/rounds") { request, context in
            let person = try Self.person(context)
            let body = try await self.json(request)
            let reason = try Self.reason(body)
            let store = self.store, live = self.live
            return try await self.answering {
                let round = try await offThePool { () throws -> Matching.Round in
                    guard person.role == .bureau else { throw Editing.Forbidden(description: "matching rounds are the bureau's") }
                    // The round reads the store as it is now, not as this server last published it.
                    let workspace = try live.refresh().workspace
                    return try Matching(store: store).run(on: workspace, by: person, reason: reason)
                }
                return Reply.json([("round", Matching.json(round))], status: .created)
            }
        }
        router.get("/rounds") { _, context in
            let person = try Self.person(context)
            guard person.role == .bureau else { throw WorkbenchError(.forbidden, "matching rounds are the bureau's") }
            let store = self.store
            let rounds = try await offThePool { try Matching(store: store).rounds() }
            return Reply.json([("rounds", .array(rounds.map(Matching.json)))])
        }
        router.get("/rounds/:round") { _, context in
            let person = try Self.person(context)
            guard person.role == .bureau else { throw WorkbenchError(.forbidden, "matching rounds are the bureau's") }
            guard let id = context.parameters.get("round").flatMap(Int.init) else { throw WorkbenchError.badRequest("a round is a number") }
            let store = self.store
            guard let round = try await offThePool({ try Matching(store: store).round(id) }) else { throw WorkbenchError.notFound("no round \(id)") }
            return Reply.json([("round", Matching.json(round))])
        }
        router.post("/rounds/:round/decisions") { request, context in
            let person = try Self.person(context)
            guard let round = context.parameters.get("round").flatMap(Int.init) else { throw WorkbenchError.badRequest("a round is a number") }
            let body = try await self.json(request)
            guard let application = body["application"]?.numberValue.map({ Int($0) }) else { throw WorkbenchError.badRequest("give \"application\": its number") }
            guard let decision = body["decision"]?.stringValue, ["approve", "reject"].contains(decision) else {
                throw WorkbenchError.badRequest("give \"decision\": approve or reject")
            }
            let reason = try Self.reason(body)
            let store = self.store, live = self.live
            return try await self.answering {
                let (placement, editSet) = try await offThePool { () throws -> (Matching.Placement, Int?) in
                    let decided = try Matching(store: store).decide(round: round, application: application, approve: decision == "approve", reason: reason, by: person)
                    if decided.editSet != nil { try live.refresh() }
                    return decided
                }
                return Reply.json([("placement", Matching.json(placement)), ("edit_set", editSet.map { .number(Double($0)) } ?? .null)])
            }
        }
        return router
    }

    /// The platform's refusals as statuses: not allowed 403, a conflict with the state 409, a bad record 422.
    func answering(_ body: () async throws -> Response) async throws -> Response {
        do { return try await body() } catch let refusal as Editing.Forbidden {
            return Reply.error(.forbidden, refusal.description)
        } catch let refusal as Matching.Refusal {
            return Reply.error(.conflict, refusal.description)
        } catch let errors as DataErrors {
            return Reply.error(.unprocessableContent, "\(errors.errors.count) problem(s)", details: errors.errors.map(\.description))
        } catch let error as DataError {
            return Reply.error(.unprocessableContent, error.description)
        }
    }

    // MARK: Logging in

    func login(_ request: Request, _ context: WorkbenchContext) async throws -> Response {
        let body = try await json(request)
        guard let name = body["name"]?.stringValue, let password = body["password"]?.stringValue else {
            throw WorkbenchError.badRequest("give \"name\" and \"password\"")
        }
        let wait = gate.throttle.wait(name: name, address: context.remoteAddress)
        if wait > 0 {
            var response = Reply.error(.tooManyRequests, "too many failed logins for \(name) or from this address: try again in \(Int(wait.rounded(.up))) s")
            response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            return response
        }
        let people = gate.people
        guard let person = try await offThePool({ try people.verify(name: name, password: password) }) else {
            gate.throttle.failed(name: name, address: context.remoteAddress)
            return Reply.error(.unauthorized, "the name or password is wrong, or the login is disabled")
        }
        gate.throttle.succeeded(name: name)
        let sessions = gate.sessions
        let (token, session) = try await offThePool { try sessions.open(for: person) }
        var response = Reply.json([
            ("person", PlatformRecords.json(person)), ("csrf_token", .string(session.csrfToken)),
            ("expires_at", .string(ISO8601DateFormatter().string(from: session.expiresAt))), ("choices", Self.choices),
        ])
        response.headers[.setCookie] = Self.cookie(token, maxAge: gate.access.settings.sessionLifetimeSeconds)
        return response
    }

    /// The values a form offers where a field takes one of a few (a firm's stage, a carrier's status).
    static let choices: JSONValue = .object(
        JSONObject([
            ("stage", .array(FirmStage.allCases.map { .string($0.rawValue) })),
            ("carrier_status", .array(CarrierStatus.allCases.map { .string($0.rawValue) })),
        ]))

    /// The session cookie: not readable by scripts, never sent by another site's page.
    static func cookie(_ token: String, maxAge: Int) -> String {
        "\(Gate.cookie)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
    }

    // MARK: Edits

    /// Applies edits as one edit set for `person`; the answer says what changed, or why nothing did.
    func apply(
        _ edits: [JSONValue], by person: Person, reason: String, request: Request, also extra: [(String, JSONValue)] = []
    ) async throws -> Response {
        let text = JSONValue.object(JSONObject([("edits", .array(edits))])).serialized
        let name = "\(request.method.rawValue) \(request.uri.path)"
        let editing = Editing(store: store)
        let live = live
        do {
            let (applied, current) = try await offThePool { () throws -> (DistrictStores.Applied, [JSONValue]) in
                let set = try EditSet.parse(Data(text.utf8), file: name)
                let applied = try editing.apply(set, by: person, reason: reason)
                // This server shows its own edit at once; other servers within their refresh interval.
                try live.refresh(holding: applied.changes.last?.seq)
                let changed = Dictionary(grouping: applied.changes, by: \.layer).mapValues { Array(Set($0.map(\.recordID))) }
                let store = try StoreName.open(editing.store)
                var rows: [JSONValue] = []
                for (layerName, ids) in changed.sorted(by: { $0.key < $1.key }) {
                    guard let layer = StoreLayer.named(layerName) else { continue }
                    rows += try store.rows(layer, ids: ids.sorted()).map(PlatformRecords.json)
                }
                return (applied, rows)
            }
            return Reply.json(
                [
                    ("edit_set", .number(Double(applied.editSet))), ("changes", .array(applied.changes.map(PlatformRecords.json))),
                    ("records", .array(current)),
                ] + extra)
        } catch let conflict as StoreConflict {
            return Reply.json(
                [("error", .string("nothing was written: the record changed since you read it")), ("current", PlatformRecords.conflict(conflict))],
                status: .conflict)
        } catch let refusal as Editing.Forbidden {
            return Reply.error(.forbidden, refusal.description)
        } catch let errors as DataErrors {
            return Reply.error(.unprocessableContent, "nothing was written: \(errors.errors.count) problem(s) in the edits", details: errors.errors.map(\.description))
        } catch let error as DataError {
            return Reply.error(.unprocessableContent, "nothing was written: \(error.description)")
        }
    }

    /// A tenant list (CSV or spreadsheet) for one carrier, as one edit set.
    func tenants(_ request: Request, carrier: String, by person: Person, reason: String) async throws -> Response {
        let type = request.headers[.contentType] ?? ""
        let format = request.uri.queryParameters.get("format").map { String($0) }
            ?? (type.contains("spreadsheetml") ? "xlsx" : type.contains("opendocument.spreadsheet") ? "ods" : type.contains("ms-excel") ? "xls" : "csv")
        guard TenantList.extensions.contains(format) else { throw WorkbenchError.badRequest("format=\(format): a tenant list is csv, xlsx, xls or ods") }
        guard person.keeps(carrier: carrier) else {
            return Reply.error(.forbidden, "carrier \(carrier) is not one of \(person.name)'s")
        }
        let snapshot = try source().snapshot
        guard let row = (snapshot.rows[StoreLayer.carriers.name] ?? []).first(where: { $0.id == carrier }) else {
            throw WorkbenchError.notFound("no carrier \(carrier)")
        }
        let bytes = try await uploads.body(of: request)
        let folder = try uploads.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tenants.\(format)")
        try Data(bytes).write(to: file)
        let building = StoreRecords.list(row["building_ids"]).first ?? ""
        let policy = live.current.workspace.data.policy
        let listed: [Enterprise]
        do { listed = try TenantList.read(file, building: building, policy: policy) } catch let errors as DataErrors {
            return Reply.error(.unprocessableContent, "the tenant list has \(errors.errors.count) problem(s); nothing was written", details: errors.errors.map { uploads.scrub($0.description) })
        } catch let error as DataError {
            return Reply.error(.unprocessableContent, uploads.scrub(error.description))
        }
        let tenants = (snapshot.rows[StoreLayer.enterprises.name] ?? []).filter { $0.id.isEmpty == false && $0["carrier_id"].string == carrier }
        let known = try StoreName.open(store).rows(.enterprises, ids: listed.map(\.id))
        let plan = TenantUpload.plan(carrier: carrier, listed: listed, tenants: tenants, known: known)
        guard !plan.edits.isEmpty else {
            return Reply.json([("edit_set", .null), ("staying", .array(plan.staying.map(JSONValue.string))), ("moving_in", .array([])), ("moving_out", .array([]))])
        }
        return try await apply(
            plan.edits, by: person, reason: reason, request: request,
            also: [
                ("moving_in", .array(plan.movingIn.map(JSONValue.string))), ("moving_out", .array(plan.movingOut.map(JSONValue.string))),
                ("staying", .array(plan.staying.map(JSONValue.string))),
            ])
    }

    // MARK: Helpers

    func json(_ request: Request) async throws -> JSONValue {
        let bytes = try await uploads.body(of: request)
        guard !bytes.isEmpty else { throw WorkbenchError.badRequest("the request has no body: send a JSON object") }
        let value = try parseJSON(Data(bytes))
        guard value.objectValue != nil else { throw WorkbenchError.badRequest("the body must be a JSON object") }
        return value
    }

    func source() throws -> StoreSource {
        guard let source = live.current.workspace.source as? StoreSource else { throw WorkbenchError(.notFound, "this server reads files, not a store") }
        return source
    }

    static func person(_ context: WorkbenchContext) throws -> Person {
        guard let person = context.person else { throw WorkbenchError(.unauthorized, "log in first") }
        return person
    }

    static func reason(_ body: JSONValue) throws -> String {
        guard let reason = body["reason"]?.stringValue, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw WorkbenchError.badRequest("give \"reason\": why the change is made (kept in the history)")
        }
        return reason
    }
}
