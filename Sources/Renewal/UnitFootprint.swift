import SpaceData
import SpaceGeometry
import SpaceMap

/// A building inside a renewal unit, with the share of its footprint (and so of its floor
/// area) that lies in the unit.
public struct TouchedBuilding: Sendable {
    public let building: Int
    public let share: Double
    /// True when this unit holds the largest share of the building among all units read
    /// together: its firms are counted in this unit only, so never twice.
    public internal(set) var isPrimary: Bool
}

/// What a unit covers in the space map: parcels, buildings and zones.
public struct UnitFootprint: Sendable {
    public let parcels: [(parcel: Int, overlapM2: Double)]
    public var buildings: [TouchedBuilding]
    /// Buildings and parcels that only graze the unit (below the overlap tolerance, a digitising
    /// sliver): reported, not counted.
    public let slivers: [Int]
    public let sliverParcels: [Int]
    public let zoneIDs: [String]

    /// Footprints of all units at once, so each building's firms go to one unit only.
    static func of(_ units: [RenewalUnit], in map: SpaceMap, tolerance: Double) throws -> [UnitFootprint] {
        let data = map.data
        let buildingIndex = SpatialIndex(data.buildings.map(\.geometry))
        let parcelIndex = SpatialIndex(data.parcels.map(\.geometry))
        let membership = ZoneMembership(zones: data.zones)
        let unitZones = try membership.zones(of: units.map(\.geometry))
        var footprints: [UnitFootprint] = try units.enumerated().map { u, unit in
            // A parcel counts when the unit covers at least the tolerated share of it, as a
            // building does: a shared edge or a digitising sliver is not land the unit renews.
            var parcels: [(parcel: Int, overlapM2: Double)] = [], sliverParcels: [Int] = []
            for p in try parcelIndex.query(unit.geometry) {
                let geometry = data.parcels[p].geometry
                let overlap = try unit.geometry.intersection(geometry).planarArea
                let share = overlap / max(geometry.planarArea, .leastNonzeroMagnitude)
                if share >= tolerance { parcels.append((p, overlap)) } else if overlap > unit.landAreaM2 * 1e-9 { sliverParcels.append(p) }
            }
            var touched: [TouchedBuilding] = [], slivers: [Int] = []
            for b in try buildingIndex.query(unit.geometry) {
                let building = data.buildings[b]
                let share = min(1, try unit.geometry.intersection(building.geometry).planarArea / building.footprintM2)
                if share >= tolerance {
                    touched.append(TouchedBuilding(building: b, share: share, isPrimary: false))
                } else if share > 0 {
                    slivers.append(b)
                }
            }
            return UnitFootprint(
                parcels: parcels, buildings: touched, slivers: slivers, sliverParcels: sliverParcels,
                zoneIDs: unitZones[u].map { data.zones[$0].id })
        }
        // The primary unit of each building: largest share, lowest unit on a tie.
        var best: [Int: (unit: Int, slot: Int, share: Double)] = [:]
        for (u, footprint) in footprints.enumerated() {
            for (k, t) in footprint.buildings.enumerated() where t.share > (best[t.building]?.share ?? 0) {
                best[t.building] = (u, k, t.share)
            }
        }
        for (_, b) in best { footprints[b.unit].buildings[b.slot].isPrimary = true }
        return footprints
    }
}
