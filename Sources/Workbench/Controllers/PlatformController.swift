import Foundation
import Hummingbird
import Platform
import SpaceCore
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
                ("public_read", .bool(self.gate.access.publicRead)),
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
            let after = Int(request.uri.queryParameters.get("after") ?? "0") ?? 0
            let store = try StoreName.open(self.store)
            let changes = try await offThePool { try store.changes(afterSeq: after) }
            return Reply.json([
                ("last", .number(Double(changes.last?.seq ?? after))), ("published", .number(Double(self.live.lastChange))),
                ("changes", .array(changes.map(PlatformRecords.json))),
            ])
        }
        return router
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
            ("expires_at", .string(ISO8601DateFormatter().string(from: session.expiresAt))),
        ])
        response.headers[.setCookie] = Self.cookie(token, maxAge: gate.access.settings.sessionLifetimeSeconds)
        return response
    }

    /// The session cookie: not readable by scripts, never sent by another site's page.
    static func cookie(_ token: String, maxAge: Int) -> String {
        "\(Gate.cookie)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
    }

    // MARK: Edits

    /// Applies edits as one edit set for `person`; the answer says what changed, or why nothing did.
    func apply(_ edits: [JSONValue], by person: Person, reason: String, request: Request) async throws -> Response {
        let text = JSONValue.object(JSONObject([("edits", .array(edits))])).serialized
        let name = "\(request.method.rawValue) \(request.uri.path)"
        let editing = Editing(store: store)
        let live = live
        do {
            let (applied, current) = try await offThePool { () throws -> (DistrictStores.Applied, [JSONValue]) in
                let set = try EditSet.parse(Data(text.utf8), file: name)
                let applied = try editing.apply(set, by: person, reason: reason)
                // This server shows its own edit at once; other servers within their refresh interval.
                try live.refresh()
                let changed = Dictionary(grouping: applied.changes, by: \.layer).mapValues { Array(Set($0.map(\.recordID))) }
                let store = try StoreName.open(editing.store)
                var rows: [JSONValue] = []
                for (layerName, ids) in changed.sorted(by: { $0.key < $1.key }) {
                    guard let layer = StoreLayer.named(layerName) else { continue }
                    rows += try store.rows(layer, ids: ids.sorted()).map(PlatformRecords.json)
                }
                return (applied, rows)
            }
            return Reply.json([
                ("edit_set", .number(Double(applied.editSet))), ("changes", .array(applied.changes.map(PlatformRecords.json))),
                ("records", .array(current)),
            ])
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
