import Foundation
import SpaceData

/// A firm's stay at one rung, as the store's history records it: how long (in years), and how
/// it ended.
public struct Spell: Sendable, Equatable {
    public enum End: String, Sendable { case graduated, closed, left, censored }
    public let stage: FirmStage
    public let sector: String
    public let years: Double
    public let end: End

    public init(stage: FirmStage, sector: String, years: Double, end: End) {
        self.stage = stage; self.sector = sector; self.years = years; self.end = end
    }
}

/// The yearly rates estimated from recorded stays: for each stage and outcome, the events over
/// the months at risk (the graduation months weighted by the residence factors), turned into a
/// yearly chance as simulation.json states it, with its standard error; and the yearly arrivals
/// by stage. Sector factors are taken as configured (a stay's exposure is weighted by them).
public struct Calibration: Sendable {
    public struct Estimate: Sendable, Equatable {
        public let events: Int
        /// Firm-years at risk (weighted by the residence and sector factors for graduation).
        public let exposureYears: Double
        public let rate: Double
        public let standardError: Double
    }

    public let graduate: [FirmStage: Estimate]
    public let fail: [FirmStage: Estimate]
    public let leave: [FirmStage: Estimate]
    public let arrivals: [FirmStage: Estimate]
    public let observedYears: Double

    /// A rate per month at risk as a yearly chance (the inverse of spreading a yearly chance over twelve months).
    static func yearly(events: Int, exposureYears: Double) -> (rate: Double, se: Double) {
        guard exposureYears > 0 else { return (0, 0) }
        let monthly = min(1, Double(events) / (exposureYears * 12))
        let rate = 1 - pow(1 - monthly, 12)
        // Delta method: d rate / d monthly = 12 (1 − monthly)^11; the monthly rate's SE is √events / months.
        let se = 12 * pow(1 - monthly, 11) * Double(events).squareRoot() / (exposureYears * 12)
        return (rate, se)
    }

    public init(spells: [Spell], arrivals counts: [FirmStage: Int], observedYears: Double, settings: SimulationSettings) {
        var graduate: [FirmStage: Estimate] = [:], fail: [FirmStage: Estimate] = [:], leave: [FirmStage: Estimate] = [:]
        for stage in SimulationSettings.ladder {
            let mine = spells.filter { $0.stage == stage }
            guard !mine.isEmpty else { continue }
            func estimate(_ end: Spell.End, weighted: Bool) -> Estimate {
                let n = mine.filter { $0.end == end }.count
                let e = weighted ? mine.reduce(0) { $0 + Self.graduationExposure($1, settings) } : mine.reduce(0.0) { total, s in
                    total + s.years * (end == .closed ? settings.sectorFactors[s.sector]?.fail ?? 1 : 1)
                }
                let (rate, se) = Self.yearly(events: n, exposureYears: e)
                return Estimate(events: n, exposureYears: e, rate: rate, standardError: se)
            }
            graduate[stage] = SimulationSettings.next(stage) == nil ? nil : estimate(.graduated, weighted: true)
            fail[stage] = estimate(.closed, weighted: false)
            leave[stage] = estimate(.left, weighted: false)
        }
        var arrivals: [FirmStage: Estimate] = [:]
        for stage in SimulationSettings.ladder where observedYears > 0 {
            let n = counts[stage] ?? 0
            arrivals[stage] = Estimate(events: n, exposureYears: observedYears, rate: Double(n) / observedYears, standardError: Double(n).squareRoot() / observedYears)
        }
        self.graduate = graduate; self.fail = fail; self.leave = leave; self.arrivals = arrivals; self.observedYears = observedYears
    }

    /// A stay's years at risk of graduating, each year of residence weighted by its factor (and the sector's).
    static func graduationExposure(_ s: Spell, _ settings: SimulationSettings) -> Double {
        var total = 0.0, k = 0
        while Double(k) < s.years {
            total += min(1, s.years - Double(k)) * settings.graduationFactor(yearsInResidence: k)
            k += 1
        }
        return total * (settings.sectorFactors[s.sector]?.graduate ?? 1)
    }
}
