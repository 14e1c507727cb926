import SpaceData
import SpaceGeometry
import SpaceMap

/// Firms a proposal displaces, counted once each, and whether vacant tech-cultivation space
/// nearby could take them in.
public struct Displacement: Sendable {
    public let firms: [Int]
    public let floorAreaM2: Double
    public let employees: Int
    /// Sector → firms, floor area.
    public let bySector: [(sector: String, firms: Int, floorAreaM2: Double)]
    /// Carriers within the re-housing radius with vacant space, outside the proposal's own buildings.
    public let nearbyCarriers: [Int]
    public let nearbyVacantM2: Double
    /// Firms a first-fit placement (largest first, positive lists respected) could re-house.
    public let rehousedFirms: Int
    public let rehousedM2: Double

    public var canRehouseAll: Bool { rehousedFirms == firms.count }
}

enum Rehousing {
    static func assess(
        firms: [Int], units: [UnitEvaluation], map: SpaceMap, rules: RenewalRules,
        positiveLists: PositiveLists, carrierIndex: SpatialIndex, indexedCarriers: [Int]
    ) throws -> Displacement {
        let data = map.data
        let firmsList = firms.map { data.enterprises[$0] }
        var bySector: [String: (Int, Double)] = [:]
        for f in firmsList { bySector[f.sector, default: (0, 0)].0 += 1; bySector[f.sector, default: (0, 0)].1 += f.floorAreaM2 }

        // Carriers in the proposal's own buildings are being emptied, not offering space.
        let ownBuildings = Set(units.flatMap { $0.footprint.buildings.map(\.building) })
        var nearby = Set<Int>()
        for e in units {
            nearby.formUnion(try carrierIndex.query(e.unit.geometry, .withinDistance(rules.rehousingRadiusM)).map { indexedCarriers[$0] })
        }
        let carriers = nearby.sorted().filter { c in
            data.carriers[c].vacantM2 > 0 && !map.carrierBuildings[c].contains(where: ownBuildings.contains)
        }
        var room = carriers.map { data.carriers[$0].vacantM2 }
        let zoneIDs = carriers.map { map.carrierZones[$0].map { data.zones[$0].id } }
        var rehoused = 0, rehousedM2 = 0.0
        for f in firms.sorted(by: { (data.enterprises[$0].floorAreaM2, -$0) > (data.enterprises[$1].floorAreaM2, -$1) }) {
            let firm = data.enterprises[f]
            let fits = room.indices.filter { room[$0] >= firm.floorAreaM2 && positiveLists.admits(firm.sector, inZones: zoneIDs[$0]) }
            guard let k = fits.max(by: { (room[$0], -$0) < (room[$1], -$1) }) else { continue }
            room[k] -= firm.floorAreaM2
            rehoused += 1; rehousedM2 += firm.floorAreaM2
        }
        return Displacement(
            firms: firms, floorAreaM2: firmsList.reduce(0) { $0 + $1.floorAreaM2 }, employees: firmsList.reduce(0) { $0 + $1.employees },
            bySector: bySector.map { ($0.key, $0.value.0, $0.value.1) }.sorted { ($0.floorAreaM2, $1.sector) > ($1.floorAreaM2, $0.sector) },
            nearbyCarriers: carriers, nearbyVacantM2: carriers.reduce(0) { $0 + data.carriers[$1].vacantM2 },
            rehousedFirms: rehoused, rehousedM2: rehousedM2)
    }
}
