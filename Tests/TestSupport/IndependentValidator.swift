import Foundation
import SpaceData
import Allocation

/// Checks an allocation against the demand, the supply and the rules from scratch, without the
/// solver's own tables (options, bases, worths): the reference the solvers are tested against.
public struct IndependentValidator {
    public let firms: [FirmDemand]
    public let carriers: [CarrierSupply]
    public let rules: AllocationRules
    public let lists: [String: Set<String>]

    /// (firm index, carrier index, area) triples.
    public init(firms: [FirmDemand], carriers: [CarrierSupply], rules: AllocationRules, lists: [String: Set<String>]) {
        self.firms = firms; self.carriers = carriers; self.rules = rules; self.lists = lists
    }

    public typealias Assignment = (firm: Int, carrier: Int, areaM2: Double)

    /// Every rule an assignment breaks; empty when it keeps them all.
    public func violations(_ assignments: [Assignment]) -> [String] {
        var problems: [String] = []
        var seen = Set<Int>()
        var load = [Double](repeating: 0, count: carriers.count)
        for a in assignments {
            let firm = firms[a.firm], carrier = carriers[a.carrier]
            if !seen.insert(a.firm).inserted { problems.append("\(firm.id) placed twice") }
            load[a.carrier] += a.areaM2
            let fits: Bool
            switch (firm.stage, carrier.type) {
            case (.startUp, .makerSpace), (.startUp, .incubator), (.growth, .incubator), (.growth, .accelerator),
                (.scaleUp, .accelerator), (.scaleUp, .park), (.scaleUp, .siliconBuilding), (.mature, .park), (.mature, .siliconBuilding):
                fits = true
            default:
                fits = false
            }
            if !fits { problems.append("\(firm.id) (\(firm.stage)) in \(carrier.type)") }
            for zone in carrier.zoneIDs {
                if let list = lists[zone], !list.contains(firm.sector) { problems.append("\(firm.id) (\(firm.sector)) in zone \(zone) off its list") }
            }
            if let rent = carrier.rentYuanPerM2Month, let limit = firm.maxRentYuanPerM2Month, rent > limit {
                problems.append("\(firm.id) pays \(rent) over its limit \(limit)")
            }
            let floor = minimumArea(firm, carrier)
            if a.areaM2 < floor - 1e-6 { problems.append("\(firm.id) gets \(a.areaM2) m², below its minimum \(floor)") }
            if a.areaM2 > max(firm.preferredM2, floor) + 1e-6 {
                problems.append("\(firm.id) gets \(a.areaM2) m², above its preferred \(firm.preferredM2)")
            }
            if let unit = carrier.unitM2 {
                let units = a.areaM2 / unit
                if abs(units - units.rounded()) > 1e-6 { problems.append("\(firm.id) gets \(a.areaM2) m², not whole units of \(unit)") }
            }
        }
        for (c, carrier) in carriers.enumerated() where load[c] > carrier.vacantM2 + 1e-6 {
            problems.append("\(carrier.id) over capacity: \(load[c]) > \(carrier.vacantM2)")
        }
        return problems
    }

    /// The smallest area the firm can take in the carrier: its minimum, in whole units there.
    public func minimumArea(_ firm: FirmDemand, _ carrier: CarrierSupply) -> Double {
        guard let unit = carrier.unitM2 else { return firm.minM2 }
        var units = (firm.minM2 / unit).rounded(.down)
        if units * unit < firm.minM2 - 1e-9 { units += 1 }
        return units * unit
    }

    /// The objective as docs/allocation.md states it, computed from the raw records.
    public func worth(_ assignments: [Assignment]) -> Double {
        assignments.reduce(0) { sum, a in
            let firm = firms[a.firm], carrier = carriers[a.carrier]
            let priority = firm.priority ?? firm.flags.reduce(rules.basePriority) { $0 + (rules.flagPriority[$1] ?? 0) }
            let preferred = !Set(firm.preferredZoneIDs).isDisjoint(with: carrier.zoneIDs)
            let perM2 =
                priority * (1 + (preferred ? rules.preferredZoneBonus : 0) + rules.sectorClusterBonus * (carrier.sectorShares[firm.sector] ?? 0))
            let above = a.areaM2 - minimumArea(firm, carrier)
            return sum + perM2 * (firm.minM2 + rules.areaAboveMinimumWeight * above)
        }
    }
}

extension AllocationResult {
    public var triples: [IndependentValidator.Assignment] { assignments.map { ($0.firm, $0.carrier, $0.areaM2) } }
}
