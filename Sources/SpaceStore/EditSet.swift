import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// An edit file (docs/store.md): `{"edits": [ … ]}`, each edit an object whose `edit` says what
/// it does. Read whole and checked before anything is written: every problem is named with the
/// edit's place in the file and the record it names.
public struct EditSet: Sendable {
    public let edits: [Edit]
    public let file: String
    public let text: String

    public enum Edit: Sendable {
        /// A carrier's capacity, vacancy, rent, status, name, operator or level.
        case carrier(id: String, version: Int, set: JSONObject)
        case addCarrier(record: JSONObject)
        case retireCarrier(id: String, version: Int)
        /// An existing firm (id and version) or a new one (record) takes space in a carrier.
        case moveIn(firm: String?, version: Int?, record: JSONObject?, carrier: String, building: String?)
        /// A firm leaves its carrier and the district.
        case moveOut(firm: String, version: Int)
        /// A building's attributes, and its footprint (a GeoJSON geometry in WGS84 lon/lat).
        case building(id: String, version: Int, set: JSONObject, footprint: JSONValue?)
        case addProposal(version: Int, features: [JSONValue])
        case withdrawProposal(proposal: String, version: Int)
        /// A configuration value: the document, its version, a dotted key (`a.b.0.c`) and the new value.
        case config(document: String, version: Int, key: String, value: JSONValue)
    }

    public static let kinds = [
        "carrier", "add_carrier", "retire_carrier", "move_in", "move_out", "building", "add_proposal", "withdraw_proposal", "config",
    ]

    public static func read(_ url: URL) throws -> EditSet {
        let file = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw DataError(file: file, problem: "cannot read the edit file: \(error.localizedDescription)") }
        return try parse(data, file: file)
    }

    /// An edit set sent as bytes (a request's body); `file` names it in messages.
    public static func parse(_ data: Data, file: String) throws -> EditSet {
        let json: JSONValue
        do { json = try parseJSON(data) } catch { throw DataError(file: file, problem: "\(error)") }
        guard let list = json["edits"]?.arrayValue else { throw DataError(file: file, problem: "an edit file is {\"edits\": [ … ]} (docs/store.md)") }
        var edits: [Edit] = [], errors: [DataError] = []
        for (k, entry) in list.enumerated() {
            do { edits.append(try edit(entry)) } catch let problem as EditProblem {
                errors.append(DataError(file: file, record: k, recordID: entry["id"]?.stringValue ?? entry["firm"]?.stringValue, problem: problem.text))
            }
        }
        if list.isEmpty { errors.append(DataError(file: file, problem: "holds no edits")) }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        return EditSet(edits: edits, file: file, text: String(decoding: data, as: UTF8.self))
    }

    struct EditProblem: Error { let text: String }

    static func edit(_ e: JSONValue) throws -> Edit {
        guard e.objectValue != nil else { throw EditProblem(text: "an edit is an object") }
        let kind = e["edit"]?.stringValue ?? ""
        func text(_ key: String) throws -> String {
            guard let value = e[key]?.stringValue, !value.isEmpty else { throw EditProblem(text: "\(kind) needs \"\(key)\" (text)") }
            return value
        }
        func version(_ key: String = "version") throws -> Int {
            guard let n = e[key]?.numberValue, n == n.rounded(), n >= 1 else {
                throw EditProblem(text: "\(kind) needs \"\(key)\": the version of the record as you read it (a whole number from 1)")
            }
            return Int(n)
        }
        func object(_ key: String) throws -> JSONObject {
            guard let value = e[key]?.objectValue, value.count > 0 else { throw EditProblem(text: "\(kind) needs \"\(key)\" (an object of fields)") }
            return value
        }
        switch kind {
        case "carrier": return .carrier(id: try text("id"), version: try version(), set: try object("set"))
        case "add_carrier": return .addCarrier(record: try object("record"))
        case "retire_carrier": return .retireCarrier(id: try text("id"), version: try version())
        case "move_in":
            let record = e["record"]?.objectValue
            if record == nil { _ = try text("firm"); _ = try version() }
            return .moveIn(
                firm: e["firm"]?.stringValue, version: record == nil ? try version() : nil, record: record, carrier: try text("carrier"),
                building: e["building"]?.stringValue)
        case "move_out": return .moveOut(firm: try text("firm"), version: try version())
        case "building":
            let set = e["set"]?.objectValue ?? JSONObject()
            let footprint = e["footprint"]
            if set.count == 0, footprint == nil { throw EditProblem(text: "building needs \"set\" (fields) or \"footprint\" (a GeoJSON geometry)") }
            return .building(id: try text("id"), version: try version(), set: set, footprint: footprint)
        case "add_proposal":
            guard let features = e["features"]?.arrayValue, !features.isEmpty else {
                throw EditProblem(text: "add_proposal needs \"features\": the renewal units, as GeoJSON features (WGS84 lon/lat)")
            }
            return .addProposal(version: try version(), features: features)
        case "withdraw_proposal": return .withdrawProposal(proposal: try text("proposal"), version: try version())
        case "config":
            guard let value = e["value"] else { throw EditProblem(text: "config needs \"value\"") }
            return .config(document: try text("document"), version: try version(), key: try text("key"), value: value)
        default:
            throw EditProblem(text: "\"edit\" must be one of \(kinds.joined(separator: ", ")), found \"\(kind)\"")
        }
    }
}
