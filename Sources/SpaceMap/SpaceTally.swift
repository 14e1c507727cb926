import SpaceData

/// The space figures of one zone (or the whole district): land, floor area, tech-cultivation
/// space and firms. Sums are in m².
public struct SpaceTally: Sendable {
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

    mutating func add(_ parcel: Parcel, policy: Policy) {
        parcels += 1
        landAreaM2 += parcel.landAreaM2
        let useClass = Vocabulary.landUseClass(parcel.landUse) ?? parcel.landUse
        landAreaByUse[useClass, default: 0] += parcel.landAreaM2
        if policy.industrialLandUses.contains(parcel.landUse) || policy.industrialLandUses.contains(useClass) {
            industrialLandM2 += parcel.landAreaM2
        }
    }

    mutating func add(_ building: Building, policy: Policy) {
        buildings += 1
        gfaM2 += building.gfaM2
        gfaByUse[building.use, default: 0] += building.gfaM2
        vacantBuildingM2 += building.vacantM2
        if policy.industrialBuildingUses.contains(building.use) {
            industrialGFAM2 += building.gfaM2
            if let condition = building.condition, policy.oldIndustrialConditions.contains(condition) {
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
