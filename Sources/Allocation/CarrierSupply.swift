import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// A carrier's vacant space as the allocator sees it.
public struct CarrierSupply: Sendable {
    public let id: String
    public let name: String
    public let type: CarrierType
    /// Ids of the zones the carrier lies in (district, sub-district, clusters).
    public let zoneIDs: [String]
    public let floorAreaM2: Double
    public let occupiedM2: Double
    public let unitM2: Double?
    public let rentYuanPerM2Month: Double?
    /// Share of the carrier's present firms in each sector: the sector cluster a newcomer joins.
    public let sectorShares: [String: Double]
    /// Where to draw it (working CRS), when its building is known.
    public let location: Coordinate?

    public var vacantM2: Double { max(0, floorAreaM2 - occupiedM2) }

    /// The vacant space that can be let: in whole units where the carrier lets units, since a
    /// remainder smaller than a unit can never be let. The solvers' capacity (and a tighter LP).
    public var lettableM2: Double {
        guard let unitM2 else { return vacantM2 }
        return (vacantM2 / unitM2 + 1e-9).rounded(.down) * unitM2
    }

    public init(
        id: String, name: String = "", type: CarrierType, zoneIDs: [String], floorAreaM2: Double, occupiedM2: Double,
        unitM2: Double? = nil, rentYuanPerM2Month: Double? = nil, sectorShares: [String: Double] = [:], location: Coordinate? = nil
    ) {
        self.id = id; self.name = name; self.type = type; self.zoneIDs = zoneIDs; self.floorAreaM2 = floorAreaM2
        self.occupiedM2 = occupiedM2; self.unitM2 = unitM2; self.rentYuanPerM2Month = rentYuanPerM2Month
        self.sectorShares = sectorShares; self.location = location
    }

    /// Every carrier of the space map, with its zones, the sectors of the firms matched to its
    /// buildings, and the centre of its first building.
    public static func from(_ map: SpaceMap) -> [CarrierSupply] {
        let data = map.data
        var firmsInBuilding: [Int: [Int]] = [:]
        for (e, match) in map.enterpriseBuilding.enumerated() {
            if let b = match.building { firmsInBuilding[b, default: []].append(e) }
        }
        return data.carriers.enumerated().map { c, carrier in
            let firms = map.carrierBuildings[c].flatMap { firmsInBuilding[$0] ?? [] }
            var shares: [String: Double] = [:]
            for e in firms { shares[data.enterprises[e].sector, default: 0] += 1 / Double(firms.count) }
            let location = map.carrierBuildings[c].first.flatMap { data.buildings[$0].geometry.bounds }.map {
                Coordinate(($0.minX + $0.maxX) / 2, ($0.minY + $0.maxY) / 2)
            }
            return CarrierSupply(
                id: carrier.id, name: carrier.name, type: carrier.type,
                zoneIDs: map.carrierZones[c].map { data.zones[$0].id },
                floorAreaM2: carrier.floorAreaM2, occupiedM2: carrier.occupiedM2,
                unitM2: carrier.unitM2, rentYuanPerM2Month: carrier.rentYuanPerM2Month,
                sectorShares: shares, location: location)
        }
    }
}
