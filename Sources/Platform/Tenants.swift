import Foundation
import SpaceCore
import SpaceData
import SpaceStore

/// An operator's tenant list for one carrier turned into edits: listed firms not yet there move
/// in (new firms with their row, known firms from wherever they were), tenants not listed move
/// out, tenants listed again stay as they are. The edits then go through `Editing` like any other.
public enum TenantUpload {
    public struct Plan: Sendable {
        public let edits: [JSONValue]
        public let movingIn: [String]
        public let movingOut: [String]
        public let staying: [String]
    }

    /// `tenants`: the carrier's tenants now (rows of the enterprises layer); `known`: the rows of listed firms the store has.
    public static func plan(carrier: String, listed: [Enterprise], tenants: [StoreRow], known: [StoreRow]) -> Plan {
        let current = Set(tenants.map(\.id)), listedIDs = Set(listed.map(\.id))
        let knownByID = Dictionary(known.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var edits: [JSONValue] = [], movingIn: [String] = [], staying: [String] = []
        for firm in listed {
            if current.contains(firm.id) { staying.append(firm.id); continue }
            movingIn.append(firm.id)
            var pairs: [(String, JSONValue)] = [("edit", .string("move_in")), ("carrier", .string(carrier))]
            if let row = knownByID[firm.id] {
                pairs += [("firm", .string(firm.id)), ("version", .number(Double(row.version)))]
            } else {
                pairs.append(
                    ("record", .object(JSONObject([
                        ("id", .string(firm.id)), ("name", .string(firm.name)), ("sector", .string(firm.sector)),
                        ("flags", .string(firm.flags.joined(separator: ";"))), ("employees", .number(Double(firm.employees))),
                        ("floor_area_m2", .number(firm.floorAreaM2)),
                    ]))))
            }
            if let building = firm.buildingID { pairs.append(("building", .string(building))) }
            edits.append(.object(JSONObject(pairs)))
        }
        let leaving = tenants.filter { !listedIDs.contains($0.id) }
        for row in leaving {
            edits.append(.object(JSONObject([("edit", .string("move_out")), ("firm", .string(row.id)), ("version", .number(Double(row.version)))])))
        }
        return Plan(edits: edits, movingIn: movingIn, movingOut: leaving.map(\.id), staying: staying)
    }
}
