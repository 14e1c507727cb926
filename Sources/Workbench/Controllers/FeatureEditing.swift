import Foundation
import Hummingbird
import HTTPTypes
import Platform
import SpaceCore
import SpacePlanKit
import SpaceStore

/// OGC API – Features Part 4 (create, replace, update, delete) on the collections a person may
/// edit: carriers (their figures) and enterprises (firms moving in and out). Each feature's
/// strong ETag is its record's version in the store; a change must name it in `If-Match`
/// (428 without, 412 with the current feature when it is stale), and becomes one edit set
/// under the person's name. OPTIONS says which methods this person may use on what.
struct FeatureEditing: Sendable {
    let live: LiveDistrict
    let gate: Gate
    let uploads: UploadFolder

    static let conformance = [
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    ]

    /// The carriers' published properties a change may set, and the store field each is.
    static let carrierProperties: [String: String] = [
        "name": "name", "level": "level", "operator": "operator", "floor_area_m2": "floor_area_m2", "occupied_m2": "occupied_m2",
        "vacant_m2": "vacant_m2", "unit_m2": "unit_m2", "rent_yuan_per_m2_month": "rent_yuan_m2_month", "status": "status",
    ]
    /// A new firm's properties (POST), as the move_in edit reads them.
    static let firmProperties = ["name", "sector", "flags", "employees", "floor_area_m2"]

    static func layer(_ collection: String) -> StoreLayer? {
        switch collection {
        case "carriers": return .carriers
        case "enterprises": return .enterprises
        default: return nil
        }
    }

    var store: String { gate.access.store }

    /// The strong ETag of a record version.
    static func etag(_ version: Int) -> String { "\"\(version)\"" }

    /// The version an `If-Match` names (nil for `*`: whatever version is current, asked for
    /// explicitly), or the answer to give instead.
    static func ifMatch(_ request: Request) throws -> Int? {
        guard let given = request.headers[.ifMatch] else {
            throw WorkbenchError(.preconditionRequired, "a change names the version it was made on: send If-Match with the feature's ETag")
        }
        if given.trimmingCharacters(in: .whitespaces) == "*" { return nil }
        guard let version = Int(given.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))), !given.hasPrefix("W/") else {
            throw WorkbenchError(.preconditionFailed, "If-Match \(given) is not a strong ETag of this server (\"N\")")
        }
        return version
    }

    /// The current version of an editable feature, for its ETag (nil for the read-only collections).
    func version(_ collection: String, id: String) async throws -> Int? {
        guard let layer = Self.layer(collection) else { return nil }
        let store = store
        return try await offThePool { try StoreName.open(store).rows(layer, ids: [id]).first?.version }
    }

    // MARK: What a person may do

    /// The methods `person` may use on a feature (`id`) or on the collection (`id` nil).
    func methods(_ collection: String, id: String?, person: Person?) throws -> [String] {
        var allowed = ["GET", "HEAD", "OPTIONS"]
        guard let person, let layer = Self.layer(collection) else { return allowed }
        switch (person.role, layer.name, id) {
        case (.bureau, _, nil): allowed.append("POST")
        case (.bureau, _, _): allowed += ["PUT", "PATCH", "DELETE"]
        case (.operator, "carriers", let id?) where person.keeps(carrier: id): allowed += ["PUT", "PATCH"]
        case (.operator, "enterprises", nil): allowed.append("POST")
        case (.operator, "enterprises", let id?):
            let row = try StoreName.open(store).rows(.enterprises, ids: [id]).first
            if let carrier = row?["carrier_id"].string, person.keeps(carrier: carrier) { allowed += ["PATCH", "DELETE"] }
        default: break
        }
        return allowed
    }

    func options(_ request: Request, _ context: WorkbenchContext) async throws -> Response {
        let collection = context.parameters.get("collection") ?? ""
        guard live.current[collection] != nil else { throw WorkbenchError.notFound("no collection \(collection)") }
        let id = context.parameters.get("feature")
        let person = context.person
        let allowed = try await offThePool { try self.methods(collection, id: id, person: person) }
        var response = Response(status: .noContent)
        response.headers[.allow] = allowed.joined(separator: ", ")
        return response
    }

    // MARK: Changes

    func change(_ request: Request, _ context: WorkbenchContext) async throws -> Response {
        guard let person = context.person else { throw WorkbenchError(.unauthorized, "log in first") }
        let collection = context.parameters.get("collection") ?? ""
        guard let layer = Self.layer(collection) else {
            throw WorkbenchError(.methodNotAllowed, "collection \(collection) is read-only; carriers and enterprises take changes")
        }
        let id = context.parameters.get("feature")
        let method = request.method
        let bytes = method == .delete ? [] : try await uploads.body(of: request)
        let body = bytes.isEmpty ? JSONValue.null : try parseJSON(Data(bytes))
        let reason = request.headers[HTTPField.Name("X-Reason")!] ?? "\(method.rawValue) through OGC API – Features by \(person.name)"
        let given = method == .post ? nil : try Self.ifMatch(request)
        let store = try StoreName.open(self.store)
        // The current record, for the 412 and to see what a PUT changes.
        let current = try id.map { id in try store.rows(layer, ids: [id]).first }
        var expected = given
        if let id {
            guard let row = current ?? nil else { throw WorkbenchError.notFound("collection \(collection) has no feature \(id)") }
            if let given, given != row.version { return try stale(layer: layer, row: row, given: given) }
            if method != .post, given == nil { expected = row.version }  // If-Match: *
        }
        let edit = try Self.edit(layer: layer, method: method, id: id, version: expected, body: body, current: current ?? nil)
        let set = try EditSet.parse(Data(JSONValue.object(JSONObject([("edits", .array([edit]))])).serialized.utf8), file: "\(method.rawValue) \(request.uri.path)")
        let editing = Editing(store: self.store), live = live
        do {
            let applied = try await offThePool { () throws -> DistrictStores.Applied in
                let applied = try editing.apply(set, by: person, reason: reason)
                try live.refresh(holding: applied.changes.last?.seq)
                return applied
            }
            let recordID = id ?? body["id"]?.stringValue ?? body["properties"]?["id"]?.stringValue ?? ""
            let version = applied.changes.last(where: { $0.layer == layer.name && $0.recordID == recordID })?.version
            var response = Response(status: method == .post ? .created : .noContent)
            if let version { response.headers[.eTag] = Self.etag(version) }
            if method == .post { response.headers[.location] = "/collections/\(collection)/items/\(recordID)" }
            return response
        } catch let conflict as StoreConflict {
            guard let row = conflict.stale.first(where: { $0.id == id })?.current else {
                return Reply.json([("error", .string("nothing was written: a record changed meanwhile")), ("current", PlatformRecords.conflict(conflict))], status: .preconditionFailed)
            }
            return try stale(layer: layer, row: row, given: expected ?? 0)
        } catch let refusal as Editing.Forbidden {
            return Reply.error(.forbidden, refusal.description)
        } catch let errors as DataErrors {
            return Reply.error(.unprocessableContent, "nothing was written: \(errors.errors.count) problem(s)", details: errors.errors.map(\.description))
        } catch let error as DataError {
            return Reply.error(.unprocessableContent, "nothing was written: \(error.description)")
        }
    }

    /// 412 with the feature as it is now, its ETag and its record's values.
    func stale(layer: StoreLayer, row: StoreRow, given: Int) throws -> Response {
        var body = JSONObject([
            ("error", .string("If-Match names version \(given), but the feature is at version \(row.version) now: nothing was written")),
            ("current", PlatformRecords.json(row)),
        ])
        if let published = live.current[layer.name], let feature = try live.current.feature(published, id: row.id) {
            body["feature"] = try parseJSON(Data(feature))
        }
        var response = Reply.json(.object(body), status: .preconditionFailed)
        response.headers[.eTag] = Self.etag(row.version)
        return response
    }

    /// The store edit a request asks for.
    static func edit(layer: StoreLayer, method: HTTPRequest.Method, id: String?, version: Int?, body: JSONValue, current: StoreRow?) throws -> JSONValue {
        let properties = body["properties"]?.objectValue ?? (body.objectValue.map { o in JSONObject(o.members.filter { !["type", "geometry", "id"].contains($0.key) }) } ?? JSONObject())
        func object(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }
        switch (layer.name, method, id) {
        case ("carriers", .put, let id?), ("carriers", .patch, let id?):
            // Read-only properties (the buildings, the firms counted, the zones) are left as they are.
            var set = JSONObject()
            for (key, value) in properties.members {
                guard let field = carrierProperties[key] else { continue }
                if let current, PlatformRecords.value(current[field]) == value { continue }
                set[field] = value
            }
            guard set.count > 0 else { throw WorkbenchError.badRequest("the request changes none of \(carrierProperties.keys.sorted().joined(separator: ", "))") }
            return object([("edit", .string("carrier")), ("id", .string(id)), ("version", .number(Double(version ?? 0))), ("set", .object(set))])
        case ("carriers", .delete, let id?):
            return object([("edit", .string("retire_carrier")), ("id", .string(id)), ("version", .number(Double(version ?? 0)))])
        case ("carriers", .post, nil):
            var record = JSONObject()
            for (key, value) in properties.members { record[carrierProperties[key] ?? key] = value }
            if let id = body["id"], record["id"] == nil { record["id"] = id }
            return object([("edit", .string("add_carrier")), ("record", .object(record))])
        case ("enterprises", .post, nil):
            guard let carrier = properties["carrier_id"]?.stringValue else { throw WorkbenchError.badRequest("a firm moving in names its carrier: properties.carrier_id") }
            var record = JSONObject()
            record["id"] = properties["id"] ?? body["id"] ?? .null
            for key in firmProperties { if let value = properties[key] { record[key] = value } }
            var pairs: [(String, JSONValue)] = [("edit", .string("move_in")), ("record", .object(record)), ("carrier", .string(carrier))]
            if let building = properties["building_id"]?.stringValue { pairs.append(("building", .string(building))) }
            return object(pairs)
        case ("enterprises", .patch, let id?), ("enterprises", .put, let id?):
            guard let carrier = properties["carrier_id"]?.stringValue, carrier != current?["carrier_id"].string else {
                throw WorkbenchError.badRequest("a firm's change here is a move: give properties.carrier_id, a carrier it is not in yet")
            }
            var pairs: [(String, JSONValue)] = [
                ("edit", .string("move_in")), ("firm", .string(id)), ("version", .number(Double(version ?? 0))), ("carrier", .string(carrier)),
            ]
            if let building = properties["building_id"]?.stringValue { pairs.append(("building", .string(building))) }
            return object(pairs)
        case ("enterprises", .delete, let id?):
            return object([("edit", .string("move_out")), ("firm", .string(id)), ("version", .number(Double(version ?? 0)))])
        default:
            throw WorkbenchError(.methodNotAllowed, "\(method.rawValue) is not a change of \(layer.name) here")
        }
    }
}
