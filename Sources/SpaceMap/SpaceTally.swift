import SpaceCore
import SpaceData
import SpaceGeometry

/// The space figures of one zone (or the whole district): land, floor area, tech-cultivation
/// space and firms. Sums are in m².
public struct SpaceTally: Sendable, Codable, Equatable {
    public var parcels = 0
    public var landAreaM2 = 0.0
    /// By land-use class (M, W, C, R, GIC…).
    public var landAreaByUse: [String: Double] = [:]
    public var industrialLandM2 = 0.0

    public var buildings = 0
    public var gfaM2 = 0.0
    public var gfaByUse: [String: Double] = [:]
    public var industrialGFAM2 = 0.0
    public var vacantBuildingM2 = 0.0
    /// Old factories and warehouses: the renewal candidates.
    public var oldIndustrialBuildings = 0
    public var oldIndustrialGFAM2 = 0.0

    public var carriers = 0
    public var carriersByType: [String: Int] = [:]
    /// Tech-cultivation space (科技培育空间): carrier floor area of the counted types.
    public var techSpaceM2 = 0.0
    public var techSpaceByType: [String: Double] = [:]
    public var techOccupiedM2 = 0.0
    public var techVacantM2: Double { techSpaceM2 - techOccupiedM2 }
    public var techOccupancy: Double? { techSpaceM2 > 0 ? techOccupiedM2 / techSpaceM2 : nil }

    public var enterprises = 0
    public var employees = 0
    public var enterpriseFloorAreaM2 = 0.0
    public var enterprisesBySector: [String: Int] = [:]
    public var employeesBySector: [String: Int] = [:]
    public var enterprisesByFlag: [String: Int] = [:]
    public var floorAreaPerEmployeeM2: Double? { employees > 0 ? enterpriseFloorAreaM2 / Double(employees) : nil }

    public init() {}

    /// Adds another tally's figures to this one.
    mutating func merge(_ o: SpaceTally) {
        func add<V: AdditiveArithmetic>(_ a: inout [String: V], _ b: [String: V]) { for (k, v) in b { a[k, default: .zero] += v } }
        parcels += o.parcels; landAreaM2 += o.landAreaM2; add(&landAreaByUse, o.landAreaByUse); industrialLandM2 += o.industrialLandM2
        buildings += o.buildings; gfaM2 += o.gfaM2; add(&gfaByUse, o.gfaByUse); industrialGFAM2 += o.industrialGFAM2
        vacantBuildingM2 += o.vacantBuildingM2; oldIndustrialBuildings += o.oldIndustrialBuildings; oldIndustrialGFAM2 += o.oldIndustrialGFAM2
        carriers += o.carriers; add(&carriersByType, o.carriersByType); techSpaceM2 += o.techSpaceM2
        add(&techSpaceByType, o.techSpaceByType); techOccupiedM2 += o.techOccupiedM2
        enterprises += o.enterprises; employees += o.employees; enterpriseFloorAreaM2 += o.enterpriseFloorAreaM2
        add(&enterprisesBySector, o.enterprisesBySector); add(&employeesBySector, o.employeesBySector); add(&enterprisesByFlag, o.enterprisesByFlag)
    }

    /// Tallies records per zone and in total, on all cores. The records are cut into fixed
    /// chunks whose partial sums are added in order, so the figures do not depend on the core count.
    /// `key` says once per record what `add` needs to know of it (its land-use category, whether
    /// it counts as industrial…), rather than once per zone it is in.
    static func tally<R, Key>(
        _ records: [R], zones: [[Int]], zoneCount: Int, key: (R) -> Key,
        _ add: (inout SpaceTally, R, Key) -> Void
    ) throws -> (zones: [SpaceTally], total: SpaceTally) {
        let size = 32_768
        let partials = try ParallelMap.map(0..<((records.count + size - 1) / size), chunk: 1) { c -> ([SpaceTally], SpaceTally) in
            var zoneTallies = [SpaceTally](repeating: SpaceTally(), count: zoneCount)
            var total = SpaceTally()
            for i in (c * size)..<min(records.count, (c + 1) * size) {
                let k = key(records[i])
                add(&total, records[i], k)
                for z in zones[i] { add(&zoneTallies[z], records[i], k) }
            }
            return (zoneTallies, total)
        }
        return mergeInOrder(partials, zoneCount: zoneCount)
    }

    static func tally<R>(
        _ records: [R], zones: [[Int]], zoneCount: Int,
        _ add: (inout SpaceTally, R) -> Void
    ) throws -> (zones: [SpaceTally], total: SpaceTally) {
        try tally(records, zones: zones, zoneCount: zoneCount, key: { _ in () }) { t, r, _ in add(&t, r) }
    }

    /// Adds chunk tallies in chunk order (so sums do not depend on thread timing).
    static func mergeInOrder(_ partials: [([SpaceTally], SpaceTally)], zoneCount: Int) -> (zones: [SpaceTally], total: SpaceTally) {
        var zoneTallies = [SpaceTally](repeating: SpaceTally(), count: zoneCount)
        var total = SpaceTally()
        for (partialZones, partialTotal) in partials {
            total.merge(partialTotal)
            for z in 0..<zoneCount { zoneTallies[z].merge(partialZones[z]) }
        }
        return (zoneTallies, total)
    }

    /// What the sums need of a parcel: the category its land is summed by, and whether it is industrial land.
    struct ParcelKey { let category: String, industrial: Bool }

    static func key(_ parcel: Parcel, policy: Policy) -> ParcelKey {
        let useClass = Vocabulary.landUseClass(parcel.landUse) ?? parcel.landUse
        return ParcelKey(
            category: Vocabulary.landUseCategory(parcel.landUse) ?? useClass,
            industrial: policy.industrialLandUses.contains(parcel.landUse) || policy.industrialLandUses.contains(useClass))
    }

    mutating func add(_ parcel: Parcel, _ key: ParcelKey) {
        parcels += 1
        landAreaM2 += parcel.landAreaM2
        landAreaByUse[key.category, default: 0] += parcel.landAreaM2
        if key.industrial { industrialLandM2 += parcel.landAreaM2 }
    }

    /// What the sums need of a building: whether it is industrial, and an old factory or warehouse.
    struct BuildingKey { let industrial: Bool, old: Bool }

    static func key(_ building: Building, policy: Policy) -> BuildingKey {
        let industrial = policy.industrialBuildingUses.contains(building.use)
        return BuildingKey(
            industrial: industrial, old: industrial && building.condition.map { policy.oldIndustrialConditions.contains($0) } == true)
    }

    mutating func add(_ building: Building, _ key: BuildingKey) {
        buildings += 1
        gfaM2 += building.gfaM2
        gfaByUse[building.use, default: 0] += building.gfaM2
        vacantBuildingM2 += building.vacantM2
        if key.industrial {
            industrialGFAM2 += building.gfaM2
            if key.old {
                oldIndustrialBuildings += 1
                oldIndustrialGFAM2 += building.gfaM2
            }
        }
    }

    mutating func add(_ carrier: Carrier, policy: Policy) {
        carriers += 1
        carriersByType[carrier.type.rawValue, default: 0] += 1
        guard policy.techCarrierTypes.contains(carrier.type.rawValue) else { return }
        techSpaceM2 += carrier.floorAreaM2
        techSpaceByType[carrier.type.rawValue, default: 0] += carrier.floorAreaM2
        techOccupiedM2 += carrier.occupiedM2
    }

    /// Firms tallied per zone by counting sectors and flags at their vocabulary positions, so a
    /// firm costs a look-up or two instead of a dictionary update per zone; the counts become
    /// tallies once per chunk. Same figures as adding each firm with `add(_:)`.
    static func tallyFirms(_ firms: [Enterprise], zones: [[Int]], zoneCount: Int) throws -> (zones: [SpaceTally], total: SpaceTally) {
        let sectors = Vocabulary.sectors, flags = Vocabulary.enterpriseFlags
        let sectorIndex = { (sector: String) in sectors.position(ofWord: sector) }
        let flagIndex = { (flag: String) in flags.position(ofWord: flag) }
        struct Counts {
            var firms = 0, employees = 0, area = 0.0
            var bySector: [Int], employeesBySector: [Int], byFlag: [Int]
            init(_ s: Int, _ f: Int) {
                bySector = Array(repeating: 0, count: s); employeesBySector = bySector; byFlag = Array(repeating: 0, count: f)
            }
        }
        func tally(_ c: Counts) -> SpaceTally {
            var t = SpaceTally()
            t.enterprises = c.firms; t.employees = c.employees; t.enterpriseFloorAreaM2 = c.area
            for (i, name) in sectors.enumerated() where c.bySector[i] > 0 {
                t.enterprisesBySector[name] = c.bySector[i]
                t.employeesBySector[name] = c.employeesBySector[i]
            }
            for (i, name) in flags.enumerated() where c.byFlag[i] > 0 { t.enterprisesByFlag[name] = c.byFlag[i] }
            return t
        }
        let size = 32_768
        let partials = try ParallelMap.map(0..<((firms.count + size - 1) / size), chunk: 1) { c -> ([SpaceTally], SpaceTally) in
            var zoneCounts = [Counts](repeating: Counts(sectors.count, flags.count), count: zoneCount)
            var total = Counts(sectors.count, flags.count)
            var unusual = SpaceTally(), unusualZones = [SpaceTally](repeating: SpaceTally(), count: zoneCount)
            for i in (c * size)..<min(firms.count, (c + 1) * size) {
                // Loaders admit only vocabulary sectors and flags; anything else is still counted, the slow way.
                guard let s = sectorIndex(firms[i].sector), firms[i].flags.allSatisfy({ flagIndex($0) != nil }) else {
                    unusual.add(firms[i])
                    for z in zones[i] { unusualZones[z].add(firms[i]) }
                    continue
                }
                // Plain values only: a copy of the firm would retain and release each of its strings.
                let employees = firms[i].employees, area = firms[i].floorAreaM2
                let flagPositions = firms[i].flags.map { flagIndex($0)! }
                func count(_ k: inout Counts) {
                    k.firms += 1; k.employees += employees; k.area += area
                    k.bySector[s] += 1; k.employeesBySector[s] += employees
                    for f in flagPositions { k.byFlag[f] += 1 }
                }
                count(&total)
                for z in zones[i] { count(&zoneCounts[z]) }
            }
            var totalTally = tally(total)
            totalTally.merge(unusual)
            return (
                zoneCounts.enumerated().map { z, k in
                    var t = tally(k); t.merge(unusualZones[z]); return t
                }, totalTally
            )
        }
        return mergeInOrder(partials, zoneCount: zoneCount)
    }

    mutating func add(_ firm: Enterprise) {
        enterprises += 1
        employees += firm.employees
        enterpriseFloorAreaM2 += firm.floorAreaM2
        enterprisesBySector[firm.sector, default: 0] += 1
        employeesBySector[firm.sector, default: 0] += firm.employees
        for flag in firm.flags { enterprisesByFlag[flag, default: 0] += 1 }
    }
}

/// Progress of the district's tech-cultivation space toward one milestone of the plan.
public struct TargetProgress: Sendable {
    public let year: Int
    public let targetM2: Double
    public let stockM2: Double
    public var share: Double { stockM2 / targetM2 }
    public var gapM2: Double { max(0, targetM2 - stockM2) }
}
