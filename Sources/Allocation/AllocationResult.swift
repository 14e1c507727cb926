import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// A solution read back in the planner's terms: who goes where with how much space, who is
/// left out and why, and how full each carrier becomes.
public struct AllocationResult: Sendable {
    public struct Assignment: Sendable {
        public let firm: Int
        public let carrier: Int
        public let areaM2: Double
        public let worth: Double
        public let inPreferredZone: Bool
    }

    public struct Unplaced: Sendable {
        public let firm: Int
        public let reason: UnplacedReason
        public let detail: String
    }

    public struct CarrierUse: Sendable {
        public let carrier: Int
        public let vacantBeforeM2: Double
        public let allocatedM2: Double
        public let firms: Int
        public var vacantAfterM2: Double { vacantBeforeM2 - allocatedM2 }
        /// Share of the vacant space now let.
        public var utilisation: Double { vacantBeforeM2 > 0 ? allocatedM2 / vacantBeforeM2 : 0 }
    }

    public let instance: AllocationInstance
    public let solution: AllocationSolution
    public let assignments: [Assignment]
    public let unplaced: [Unplaced]
    public let carrierUse: [CarrierUse]

    public init(_ instance: AllocationInstance, _ solution: AllocationSolution) {
        self.instance = instance
        self.solution = solution
        let problem = instance.problem
        var assignments: [Assignment] = []
        var allocated = [Double](repeating: 0, count: instance.carriers.count)
        var counts = [Int](repeating: 0, count: instance.carriers.count)
        for (f, placement) in solution.placements.enumerated() {
            guard let placement else { continue }
            let option = problem.options[placement.option]
            let carrier = instance.carriers[option.carrier]
            let area = option.baseM2 + placement.extraM2
            let preferred = Set(instance.firms[f].preferredZoneIDs)
            assignments.append(
                Assignment(
                    firm: f, carrier: option.carrier, areaM2: area,
                    worth: option.baseValue + option.extraValuePerM2 * placement.extraM2,
                    inPreferredZone: carrier.zoneIDs.contains { preferred.contains($0) }))
            allocated[option.carrier] += area
            counts[option.carrier] += 1
        }
        self.assignments = assignments
        carrierUse = instance.carriers.indices.map {
            CarrierUse(carrier: $0, vacantBeforeM2: instance.carriers[$0].vacantM2, allocatedM2: allocated[$0], firms: counts[$0])
        }
        unplaced = instance.firms.indices.compactMap { f -> Unplaced? in
            if solution.placements[f] != nil { return nil }
            let firm = instance.firms[f]
            if let reason = instance.ineligible[f] {
                return Unplaced(firm: f, reason: reason, detail: Self.detail(reason, firm: firm, instance: instance))
            }
            let room =
                problem.optionsOfFirm[f].map { o -> Double in
                    let c = problem.options[o].carrier
                    return instance.carriers[c].vacantM2 - allocated[c]
                }.max() ?? 0
            return Unplaced(
                firm: f, reason: .noCapacity,
                detail: "needs at least \(grouped(firm.minM2)) m²; the most left in a carrier it may enter is \(grouped(max(0, room))) m²")
        }
    }

    public var allocatedM2: Double { assignments.reduce(0) { $0 + $1.areaM2 } }
    public var vacantBeforeM2: Double { carrierUse.reduce(0) { $0 + $1.vacantBeforeM2 } }

    /// Firms not placed, per reason, in the reasons' order; reasons no firm has are left out.
    public var unplacedCounts: [(reason: UnplacedReason, firms: Int)] {
        var counts: [UnplacedReason: Int] = [:]
        for u in unplaced { counts[u.reason, default: 0] += 1 }
        return UnplacedReason.allCases.compactMap { r in counts[r].map { (r, $0) } }
    }

    private static func detail(_ reason: UnplacedReason, firm: FirmDemand, instance: AllocationInstance) -> String {
        let ladder = (instance.rules.stageCarriers[firm.stage] ?? []).map(\.rawValue).sorted().joined(separator: ", ")
        switch reason {
        case .movesInLater: return "moves in \(firm.moveInYear)"
        case .stageMismatch: return "stage \(firm.stage.rawValue) fits \(ladder)"
        case .offPositiveList: return "sector \(firm.sector) is not admitted where \(ladder) carriers have space"
        case .rentTooHigh: return "limit \(formatFixed(firm.maxRentYuanPerM2Month ?? 0, 0)) yuan/m²/month"
        case .tooLarge:
            return "needs at least \(grouped(firm.minM2)) m²"
        case .noCapacity: return ""
        }
    }
}
