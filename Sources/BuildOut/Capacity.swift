import SpaceData
import SpaceMap

/// One parcel's build-out: what the rules allow on it, what stands on it, the headroom, and the
/// tech-cultivation space each mode could make of it (alternatives, not to be added up).
public struct ParcelCapacity: Sendable {
    public let parcel: Int
    /// The FAR cap in force (the parcel's own, else the rules' for its land use and density
    /// zone); nil where the rules cap nothing (green space, utilities, unknown land).
    public let farCap: Double?
    public let farCapFromParcel: Bool
    public let heightCapM: Double?
    public let allowedM2: Double
    public let existingM2: Double
    public var headroomM2: Double { max(0, allowedM2 - existingM2) }
    public let existingTechM2: Double
    /// Mode id → tech-cultivation space the mode could add on this parcel.
    public let techByMode: [String: Double]
    /// Buildings standing on the parcel (by largest overlap).
    public let buildings: [Int]
}

/// The district's build-out capacity: every parcel, and the totals per zone.
public struct CapacityAnalysis: Sendable {
    public let parcels: [ParcelCapacity]
    public let rules: BuildOutRules
    /// Per zone (the order of `data.zones`) and for the district: headroom and tech space by mode.
    public let zoneHeadroomM2: [Double]
    public let zoneTechByMode: [[String: Double]]
    public let totalHeadroomM2: Double
    public let totalTechByMode: [String: Double]

    /// `controls` cap each parcel's FAR by its land use and density zone, where the parcel has no cap of its own.
    public static func of(_ map: SpaceMap, rules: BuildOutRules, controls: DevelopmentControls) -> CapacityAnalysis {
        let data = map.data
        var buildingsOn = [[Int]](repeating: [], count: data.parcels.count)
        for (b, match) in map.buildingParcel.enumerated() { if let p = match.parcel { buildingsOn[p].append(b) } }
        let techIn = map.techSpaceByBuilding
        let carrierBuildings = Set(map.carrierBuildings.flatMap { $0 })
        let industrialLand = data.policy.industrialLandUses
        let parcels = data.parcels.indices.map { p -> ParcelCapacity in
            let parcel = data.parcels[p]
            let landClass = Vocabulary.landUseClass(parcel.landUse) ?? parcel.landUse
            let zoneIDs = map.parcelZones[p].map { data.zones[$0].id }
            let ruleCap = controls.farCap(landClass: landClass, zoneIDs: zoneIDs)
            let farCap = parcel.farCap ?? ruleCap
            let existing = buildingsOn[p].reduce(0) { $0 + data.buildings[$1].gfaM2 }
            var allowed = farCap.map { $0 * parcel.landAreaM2 } ?? existing
            if let height = parcel.heightCapM, farCap != nil {
                let storeys = (height / rules.floorHeightM).rounded(.down)
                allowed = min(allowed, storeys * rules.siteCoverage * parcel.landAreaM2)
            }
            let existingTech = buildingsOn[p].reduce(0) { $0 + techIn[$1] }
            var techByMode: [String: Double] = [:]
            for mode in rules.modes {
                switch mode.scope {
                case .building, .vacantFloors:
                    let eligible = buildingsOn[p].filter { !carrierBuildings.contains($0) && mode.admits(data.buildings[$0]) }
                    let area = eligible.reduce(0) { $0 + (mode.scope == .building ? data.buildings[$1].gfaM2 : data.buildings[$1].vacantM2) }
                    if area > 0 { techByMode[mode.id] = mode.techYield * area }
                case .parcel:
                    // Rebuilding pays only on industrial land that the rules cap.
                    guard farCap != nil, industrialLand.contains(parcel.landUse) || industrialLand.contains(landClass) else { continue }
                    let net = mode.techYield * allowed - existingTech
                    if net > 0 { techByMode[mode.id] = net }
                }
            }
            return ParcelCapacity(
                parcel: p, farCap: farCap, farCapFromParcel: parcel.farCap != nil, heightCapM: parcel.heightCapM,
                allowedM2: allowed, existingM2: existing, existingTechM2: existingTech, techByMode: techByMode,
                buildings: buildingsOn[p])
        }
        var zoneHeadroom = [Double](repeating: 0, count: data.zones.count)
        var zoneTech = [[String: Double]](repeating: [:], count: data.zones.count)
        var totalTech: [String: Double] = [:]
        for c in parcels {
            for z in map.parcelZones[c.parcel] {
                zoneHeadroom[z] += c.headroomM2
                zoneTech[z].merge(c.techByMode, uniquingKeysWith: +)
            }
            totalTech.merge(c.techByMode, uniquingKeysWith: +)
        }
        return CapacityAnalysis(
            parcels: parcels, rules: rules, zoneHeadroomM2: zoneHeadroom, zoneTechByMode: zoneTech,
            totalHeadroomM2: parcels.reduce(0) { $0 + $1.headroomM2 }, totalTechByMode: totalTech)
    }
}
