import Foundation
import SpaceCore
import SpaceData
import SpacePlanKit
import SpaceStore

/// Edits of the district made by a person: who may make which (docs/platform.md), checked inside
/// the edit's own transaction against the records as they are, then applied as one edit set
/// under the person's name with their reason.
public struct Editing: Sendable {
    public let store: String

    public init(store: String) { self.store = store }

    /// Why a person may not make an edit: the server answers 403 with it.
    public struct Forbidden: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The carrier fields an operator keeps current: capacity, vacancy (or occupancy), rent, status.
    public static let operatorCarrierFields: Set<String> = ["floor_area_m2", "vacant_m2", "occupied_m2", "rent_yuan_m2_month", "status"]

    /// Applies `set` for `person`, or refuses it whole.
    public func apply(_ set: EditSet, by person: Person, reason: String) throws -> DistrictStores.Applied {
        let district = try StoreName.open(store)
        return try DistrictStores.apply(store: district, set: set, author: person.name, reason: reason, databaseRole: person.databaseRole) { reader in
            try Self.authorize(set, person: person, reader: reader)
        }
    }

    /// A firm as it is, read without a lock: on PostGIS an operator's role may not lock another's firm, but may see it.
    static func firm(_ id: String, _ reader: StoreReader) throws -> StoreRow? { try reader.rows(.enterprises, ids: [id]).first }

    /// Refuses the first edit of `set` that `person` may not make.
    static func authorize(_ set: EditSet, person: Person, reader: StoreReader) throws {
        switch person.role {
        case .bureau: return
        case .applicant: throw Forbidden(description: "an applicant firm changes no record of the district; it applies for space")
        case .operator: break
        }
        func keep(_ carrier: String, _ k: Int) throws {
            guard person.keeps(carrier: carrier) else {
                throw Forbidden(description: "edit \(k + 1): carrier \(carrier) is not one of \(person.name)'s (\(person.carriers.joined(separator: ", ")))")
            }
        }
        for (k, edit) in set.edits.enumerated() {
            switch edit {
            case let .carrier(id, _, fields):
                try keep(id, k)
                let other = fields.keys.filter { !Self.operatorCarrierFields.contains($0) }.sorted()
                guard other.isEmpty else {
                    throw Forbidden(
                        description: "edit \(k + 1): an operator keeps \(Self.operatorCarrierFields.sorted().joined(separator: ", ")) current; \(other.joined(separator: ", ")) are the bureau's")
                }
            case let .moveIn(firm, _, _, carrier, _):
                try keep(carrier, k)
                // A firm already placed elsewhere leaves another operator's carrier: that is theirs to record.
                if let firm, let from = try Self.firm(firm, reader)?["carrier_id"].string, !from.isEmpty {
                    try keep(from, k)
                }
            case let .moveOut(firm, _):
                guard let row = try Self.firm(firm, reader) else { continue }  // the plan names the missing firm
                guard let from = row["carrier_id"].string, !from.isEmpty else {
                    throw Forbidden(description: "edit \(k + 1): firm \(firm) is in no carrier; only the bureau records it leaving")
                }
                try keep(from, k)
            default:
                throw Forbidden(description: "edit \(k + 1): an operator changes its carriers' figures and tenants only; this edit is the bureau's")
            }
        }
    }
}
