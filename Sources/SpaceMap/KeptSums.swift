import Foundation
import SpaceData

extension SpaceMap {
    /// The parts of a map's figures that no edit of a carrier changes (the parcels', buildings'
    /// and firms' sums per zone and in total), for a store to keep beside the joins: a map
    /// assembled with them sums only the carriers. They fit a district with as many zones and
    /// records, summed under the same policy words, by the same rules (`format`).
    public struct KeptSums: Codable, Sendable {
        /// Raised when the sums are made differently, so that sums kept by an older spaceplan are made again.
        static let format = 1

        struct Part: Codable, Sendable {
            let zones: [SpaceTally]
            let total: SpaceTally

            init(_ summed: (zones: [SpaceTally], total: SpaceTally)) { zones = summed.zones; total = summed.total }

            var summed: (zones: [SpaceTally], total: SpaceTally) { (zones, total) }
        }

        struct Basis: Codable, Equatable, Sendable {
            let format, zones, parcels, buildings, firms: Int
            let industrialLandUses, industrialBuildingUses, oldIndustrialConditions: [String]

            init(_ data: DistrictData) {
                format = KeptSums.format
                zones = data.zones.count; parcels = data.parcels.count; buildings = data.buildings.count; firms = data.enterprises.count
                let policy = data.policy
                industrialLandUses = policy.industrialLandUses.sorted()
                industrialBuildingUses = policy.industrialBuildingUses.sorted()
                oldIndustrialConditions = policy.oldIndustrialConditions.sorted()
            }
        }

        let basis: Basis
        let parcels, buildings, firms: Part

        public func fits(_ data: DistrictData) -> Bool { basis == Basis(data) }

        /// The sums from their bytes; nil when they are not sums this code wrote.
        public init?(decoding bytes: [UInt8]) {
            guard let kept = try? JSONDecoder().decode(KeptSums.self, from: Data(bytes)) else { return nil }
            self = kept
        }

        init(basis: Basis, parcels: Part, buildings: Part, firms: Part) {
            self.basis = basis; self.parcels = parcels; self.buildings = buildings; self.firms = firms
        }

        /// The district's parcels, buildings and firms summed per zone, in the zones its joins found.
        public init(summing data: DistrictData, joins: Joins) throws {
            let n = data.zones.count, policy = data.policy
            self.init(
                basis: Basis(data),
                parcels: Part(
                    try SpaceTally.tally(data.parcels, zones: joins.parcelZones, zoneCount: n, key: { SpaceTally.key($0, policy: policy) }) {
                        $0.add($1, $2)
                    }),
                buildings: Part(
                    try SpaceTally.tally(data.buildings, zones: joins.buildingZones, zoneCount: n, key: { SpaceTally.key($0, policy: policy) }) {
                        $0.add($1, $2)
                    }),
                firms: Part(try SpaceTally.tallyFirms(data.enterprises, zones: joins.enterpriseZones, zoneCount: n)))
        }

        /// Sorted keys: the same sums are the same bytes. Every sum is written to the last bit.
        public func encoded() -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return Array((try? encoder.encode(self)) ?? Data())
        }
    }

    /// This map's sums of parcels, buildings and firms, to keep.
    public var keptSums: KeptSums {
        KeptSums(basis: KeptSums.Basis(data), parcels: KeptSums.Part(parts[0]), buildings: KeptSums.Part(parts[1]), firms: KeptSums.Part(parts[3]))
    }
}
