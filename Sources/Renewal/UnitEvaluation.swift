import SpaceData
import SpaceGeometry
import SpaceMap

/// Floor area by building use (industrial, rnd, warehouse, office…), in m².
public typealias FloorAreaByUse = [String: Double]

extension Dictionary where Key == String, Value == Double {
    public var total: Double { values.reduce(0, +) }
    func industrial(_ policy: Policy) -> Double { filter { policy.industrialBuildingUses.contains($0.key) }.values.reduce(0, +) }
    mutating func add(_ other: FloorAreaByUse, times factor: Double = 1) { for (k, v) in other { self[k, default: 0] += v * factor } }
}

/// What changes in one year: space finished (added) and space taken away (lost).
public struct YearChange: Sendable, Equatable {
    public var year: Int
    public var techAddedM2 = 0.0
    public var techLostM2 = 0.0
    public var industrialAddedM2 = 0.0
    public var industrialLostM2 = 0.0
    public var governmentHousingM2 = 0.0
    public init(year: Int) { self.year = year }

    mutating func merge(_ other: YearChange) {
        techAddedM2 += other.techAddedM2; techLostM2 += other.techLostM2
        industrialAddedM2 += other.industrialAddedM2; industrialLostM2 += other.industrialLostM2
        governmentHousingM2 += other.governmentHousingM2
    }
}

/// One renewal unit weighed against the space map.
public struct UnitEvaluation: Sendable {
    public let unit: RenewalUnit
    public let footprint: UnitFootprint
    public let before, demolished, kept, built, after: FloorAreaByUse
    public let industrialBeforeM2, industrialAfterM2: Double
    /// Tech-cultivation space of existing carriers in the unit's buildings (their share).
    public let existingTechSpaceM2: Double
    /// The new carrier's floor area, and what it adds beyond the tech space already there.
    public let carrierFloorAreaM2: Double
    public let techGainedM2: Double
    public let techLostM2: Double
    /// New industrial floor area handed to the government (创新型产业用房).
    public let governmentHousingM2: Double
    public let farAfter: Double
    public let densityZone: String
    /// Enterprise indices in the unit's buildings (those it holds the largest share of), and
    /// those of them displaced (all, when the mode displaces firms; none otherwise).
    public let firmsInUnit: [Int]
    public let displacedFirms: [Int]
    public let timeline: [YearChange]
    public internal(set) var checks: [ComplianceCheck] = []

    public var netIndustrialM2: Double { industrialAfterM2 - industrialBeforeM2 }
    public var netTechM2: Double { techGainedM2 - techLostM2 }

    init(
        _ unit: RenewalUnit, footprint: UnitFootprint, map: SpaceMap, rules: RenewalRules, controls: DevelopmentControls,
        techSpaceInBuilding: [Double], firmsInBuilding: [Int: [Int]]
    ) {
        let policy = map.data.policy
        let mode = rules.modes[unit.mode]!
        var before = FloorAreaByUse(), existingTech = 0.0
        for t in footprint.buildings {
            let building = map.data.buildings[t.building]
            before[building.use, default: 0] += building.gfaM2 * t.share
            existingTech += techSpaceInBuilding[t.building] * t.share
        }
        var built = FloorAreaByUse()
        switch unit.built {
        case let .far(far, shares): for (use, s) in shares { built[use] = far * unit.landAreaM2 * s }
        case let .byUse(areas): built = areas
        case .none: break
        }
        var kept = FloorAreaByUse(), demolished = FloorAreaByUse(), after = built
        if mode.demolishes {
            demolished = before
        } else {
            kept = before
            for (use, m2) in before { after[unit.newUse ?? use, default: 0] += m2 }
        }
        let industrialBefore = before.industrial(policy), industrialAfter = after.industrial(policy)
        let carrierArea = unit.carrier.map { $0.floorAreaM2 ?? industrialAfter } ?? 0
        // Demolition takes the existing carriers away and the new one replaces them; a kept
        // building's carriers stay, so only floor area beyond them is new tech space.
        let techLost = mode.demolishes ? existingTech : 0
        let techGained = mode.demolishes ? carrierArea : max(0, carrierArea - existingTech)
        let builtIndustrial = built.industrial(policy)
        let governmentHousing = builtIndustrial * unit.handoverShare

        // Industrial floor area that a function change moves across the industrial line.
        var convertedIn = 0.0, convertedOut = 0.0
        if let newUse = unit.newUse, !mode.demolishes {
            let toIndustrial = policy.industrialBuildingUses.contains(newUse)
            for (use, m2) in before where policy.industrialBuildingUses.contains(use) != toIndustrial {
                if toIndustrial { convertedIn += m2 } else { convertedOut += m2 }
            }
        }
        var changes: [Int: YearChange] = [:]
        if mode.demolishes {
            changes[unit.startYear, default: YearChange(year: unit.startYear)].techLostM2 += techLost
            changes[unit.startYear, default: YearChange(year: unit.startYear)].industrialLostM2 += industrialBefore
        }
        for phase in unit.phases {
            var c = changes[phase.completionYear] ?? YearChange(year: phase.completionYear)
            c.techAddedM2 += techGained * phase.share
            c.industrialAddedM2 += (builtIndustrial + convertedIn) * phase.share
            c.industrialLostM2 += convertedOut * phase.share
            c.governmentHousingM2 += governmentHousing * phase.share
            changes[phase.completionYear] = c
        }

        self.unit = unit
        self.footprint = footprint
        self.before = before; self.demolished = demolished; self.kept = kept; self.built = built; self.after = after
        industrialBeforeM2 = industrialBefore; industrialAfterM2 = industrialAfter
        existingTechSpaceM2 = existingTech
        carrierFloorAreaM2 = carrierArea
        techGainedM2 = techGained; techLostM2 = techLost
        governmentHousingM2 = governmentHousing
        farAfter = unit.landAreaM2 > 0 ? after.total / unit.landAreaM2 : 0
        densityZone = controls.densityZone(of: footprint.zoneIDs, landClass: Vocabulary.landUseClass(unit.landUse) ?? unit.landUse)
        firmsInUnit = footprint.buildings.filter(\.isPrimary).flatMap { firmsInBuilding[$0.building] ?? [] }.sorted()
        displacedFirms = mode.displacesFirms ? firmsInUnit : []
        timeline = changes.values.sorted { $0.year < $1.year }
    }

    /// Tech-cultivation space added net of losses up to and including `year`.
    public func netTech(through year: Int) -> Double {
        timeline.filter { $0.year <= year }.reduce(0) { $0 + $1.techAddedM2 - $1.techLostM2 }
    }

    public func governmentHousing(through year: Int) -> Double {
        timeline.filter { $0.year <= year }.reduce(0) { $0 + $1.governmentHousingM2 }
    }
}
