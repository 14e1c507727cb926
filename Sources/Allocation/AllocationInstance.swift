import SpaceData

/// Why a firm was not placed.
public enum UnplacedReason: String, Sendable, CaseIterable {
    case movesInLater = "moves_in_later"
    case stageMismatch = "stage_mismatch"
    case offPositiveList = "off_positive_list"
    case rentTooHigh = "rent_too_high"
    case tooLarge = "too_large"
    case noCapacity = "no_capacity"

    public var label: String {
        switch self {
        case .movesInLater: return "moves in after the allocation year"
        case .stageMismatch: return "no carrier of a type its stage fits has vacant space"
        case .offPositiveList: return "its sector is on no positive list where carriers fitting its stage have space"
        case .rentTooHigh: return "every carrier it may enter asks more rent than its limit"
        case .tooLarge: return "its minimum area exceeds the vacant space of every carrier it may enter"
        case .noCapacity: return "the space it could take went to firms worth more under the objective"
        }
    }
}

/// Demand and supply turned into an allocation problem: who may go where (stage ladder,
/// positive list, rent, size), at what worth, and why a firm has nowhere to go.
public struct AllocationInstance: Sendable {
    public let firms: [FirmDemand]
    public let carriers: [CarrierSupply]
    public let rules: AllocationRules
    /// Per firm: its priority (given, or from its flags).
    public let priorities: [Double]
    public let problem: AllocationProblem
    /// Per firm with no admissible carrier: why.
    public let ineligible: [Int: UnplacedReason]

    /// Firms moving in after `untilYear` (when given) are left out with that reason.
    public init(firms: [FirmDemand], carriers: [CarrierSupply], rules: AllocationRules, positiveLists: PositiveLists, untilYear: Int? = nil) {
        self.firms = firms
        self.carriers = carriers
        self.rules = rules
        priorities = firms.map { $0.priority ?? rules.priority(flags: $0.flags) }
        var options: [AllocationProblem.Option] = []
        var ineligible: [Int: UnplacedReason] = [:]
        for (f, firm) in firms.enumerated() {
            if let untilYear, firm.moveInYear > untilYear { ineligible[f] = .movesInLater; continue }
            // The furthest any carrier got through the filters, in the order they are applied.
            var furthest = 0
            let ladder = rules.stageCarriers[firm.stage] ?? []
            let preferred = Set(firm.preferredZoneIDs)
            for (c, carrier) in carriers.enumerated() where carrier.lettableM2 > 0 {
                guard ladder.contains(carrier.type) else { continue }
                furthest = max(furthest, 1)
                guard positiveLists.admits(firm.sector, inZones: carrier.zoneIDs) else { continue }
                furthest = max(furthest, 2)
                if let rent = carrier.rentYuanPerM2Month, let limit = firm.maxRentYuanPerM2Month, rent > limit { continue }
                furthest = max(furthest, 3)
                let (base, extraMax) = Self.areas(firm, unit: carrier.unitM2)
                guard base <= carrier.lettableM2 + CarrierLoads.tolerance else { continue }
                furthest = 4
                let inPreferredZone = carrier.zoneIDs.contains { preferred.contains($0) }
                let worthPerM2 =
                    priorities[f]
                    * rules.worthFactor(
                        inPreferredZone: inPreferredZone,
                        sectorShare: carrier.sectorShares[firm.sector] ?? 0)
                options.append(
                    .init(
                        firm: f, carrier: c, baseM2: base, extraMaxM2: extraMax,
                        baseValue: worthPerM2 * firm.minM2,
                        extraValuePerM2: worthPerM2 * rules.areaAboveMinimumWeight))
            }
            if furthest < 4 { ineligible[f] = [.stageMismatch, .offPositiveList, .rentTooHigh, .tooLarge][furthest] }
        }
        self.ineligible = ineligible
        problem = AllocationProblem(firmCount: firms.count, capacityM2: carriers.map(\.lettableM2), unitM2: carriers.map(\.unitM2), options: options)
    }

    /// A firm's base area in a carrier (its minimum, rounded up to whole units) and the most it
    /// may take above that (up to its preferred area, in whole units).
    static func areas(_ firm: FirmDemand, unit: Double?) -> (base: Double, extraMax: Double) {
        guard let unit else { return (firm.minM2, firm.preferredM2 - firm.minM2) }
        let base = (firm.minM2 / unit - 1e-9).rounded(.up) * unit
        let extra = max(0, ((firm.preferredM2 - base) / unit + 1e-9).rounded(.down)) * unit
        return (base, extra)
    }
}

extension AllocationRules {
    /// What a m² is worth relative to the firm's priority: 1 plus the zone and cluster fits.
    public func worthFactor(inPreferredZone: Bool, sectorShare: Double) -> Double {
        1 + (inPreferredZone ? preferredZoneBonus : 0) + sectorClusterBonus * sectorShare
    }
}
