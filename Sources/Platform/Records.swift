import Foundation
import SpaceCore
import SpaceGeometry
import SpaceStore

/// The store's records as the platform shows them: a record's fields and version as JSON, a
/// carrier with its tenants (an operator's "my carriers"), and the edit history by edit set.
public enum PlatformRecords {
    /// A record's fields (its shape left out) and version.
    public static func json(_ row: StoreRow) -> JSONValue {
        var o = JSONObject()
        for key in row.values.keys.sorted() where !["fid", "source_index", "body"].contains(key) {
            o[key] = value(row[key])
        }
        return .object(o)
    }

    public static func value(_ v: SQLiteValue) -> JSONValue {
        switch v {
        case .null: return .null
        case let .integer(n): return .number(Double(n))
        case let .real(x): return .number(x)
        case let .text(s): return .string(s)
        case let .blob(b): return .string("<\(b.count) bytes>")
        }
    }

    /// Carriers with their tenants, in the snapshot's order; `ids` nil for every carrier.
    public static func carriers(_ snapshot: StoreSnapshot, ids: [String]?) -> [JSONValue] {
        let wanted = ids.map(Set.init)
        let carriers = (snapshot.rows[StoreLayer.carriers.name] ?? []).filter { wanted?.contains($0.id) ?? true }
        let keep = Set(carriers.map(\.id))
        var tenants: [String: [JSONValue]] = [:]
        for firm in snapshot.rows[StoreLayer.enterprises.name] ?? [] {
            guard let carrier = firm["carrier_id"].string, keep.contains(carrier) else { continue }
            tenants[carrier, default: []].append(json(firm))
        }
        return carriers.map { row in
            guard case var .object(o) = json(row) else { return .null }
            o["tenants"] = .array(tenants[row.id] ?? [])
            return .object(o)
        }
    }

    /// A refused edit's records as they are now, for the editor to redo the edit on.
    public static func conflict(_ conflict: StoreConflict) -> JSONValue {
        .array(
            conflict.stale.map { s in
                .object(
                    JSONObject([
                        ("layer", .string(s.layer)), ("id", .string(s.id)), ("given_version", .number(Double(s.given))),
                        ("current", s.current.map(json) ?? .null),
                    ]))
            })
    }

    /// Changes as the page's live feed and history read them.
    public static func json(_ change: StoreChange) -> JSONValue {
        .object(
            JSONObject([
                ("seq", .number(Double(change.seq))), ("layer", .string(change.layer)), ("id", .string(change.recordID)),
                ("version", .number(Double(change.version))), ("change", .string(change.change)), ("at", .string(change.at)),
                ("author", .string(change.author)), ("reason", change.reason.map(JSONValue.string) ?? .null),
                ("edit_set", change.editSet.map { .number(Double($0)) } ?? .null),
            ]))
    }

    public static func json(_ person: Person) -> JSONValue {
        .object(
            JSONObject([
                ("name", .string(person.name)), ("role", .string(person.role.rawValue)),
                ("carriers", .array(person.carriers.map(JSONValue.string))), ("disabled", .bool(person.disabled)),
            ]))
    }
}
