import Foundation
import Renewal
import SpaceData
import SpaceGeometry
import SpaceMap

/// Space added to or taken from the tech-cultivation stock in a year, by one event.
public struct SupplyChange: Sendable, Equatable {
    public let year: Int
    public let source: SupplySource
    public let addedM2: Double
    public let lostM2: Double
    public let event: String
    public init(year: Int, source: SupplySource, addedM2: Double, lostM2: Double, event: String) {
        self.year = year; self.source = source; self.addedM2 = addedM2; self.lostM2 = lostM2; self.event = event
    }
}

/// One year of a trajectory: the stock at the end of the year and what changed in it.
public struct TrajectoryYear: Sendable, Equatable {
    public let year: Int
    /// nil before the data's year: the tool does not reconstruct the past.
    public let stockM2: Double?
    public let added: [SupplySource: Double]
    public let lost: [SupplySource: Double]
    public var addedM2: Double { added.values.reduce(0, +) }
    public var lostM2: Double { lost.values.reduce(0, +) }
}

public enum Trajectory {
    /// Year by year over `years`: the data's stock opens the as-of year, and each year's stock
    /// is the last year's plus what was added and minus what was lost in it.
    public static func years(openingStockM2: Double, asOfYear: Int, years: ClosedRange<Int>, changes: [SupplyChange]) -> [TrajectoryYear] {
        var stock = openingStockM2
        return years.map { year in
            var added: [SupplySource: Double] = [:], lost: [SupplySource: Double] = [:]
            guard year >= asOfYear else { return TrajectoryYear(year: year, stockM2: nil, added: added, lost: lost) }
            for c in changes where c.year == year {
                if c.addedM2 > 0 { added[c.source, default: 0] += c.addedM2 }
                if c.lostM2 > 0 { lost[c.source, default: 0] += c.lostM2 }
            }
            stock += added.values.reduce(0, +) - lost.values.reduce(0, +)
            return TrajectoryYear(year: year, stockM2: stock, added: added, lost: lost)
        }
    }

    /// The changes a scenario's events make. Conversions by building id take the buildings'
    /// floor area; a building that already holds a carrier is an error (its space is counted).
    /// `renewalUnits` maps buildings in the scenario's renewal units to their unit: converting
    /// one of them as well would count its space twice.
    static func changes(
        of events: [SupplyEvent], scenarioFile: String, map: SpaceMap, settings: SupplySettings,
        renewalUnits: [Int: String] = [:]
    ) throws -> [SupplyChange] {
        let data = map.data
        var buildingByID: [String: Int] = [:]
        for (i, b) in data.buildings.enumerated() { buildingByID[b.id] = i }
        var carrierOf: [Int: String] = [:]
        for (c, buildings) in map.carrierBuildings.enumerated() { for b in buildings { carrierOf[b] = data.carriers[c].id } }
        var changes: [SupplyChange] = [], errors: [DataError] = []
        var convertedBy: [Int: String] = [:]
        for e in events {
            switch e.kind {
            case let .purchase(area):
                changes.append(SupplyChange(year: e.year, source: .purchase, addedM2: area, lostM2: 0, event: e.id))
            case let .lease(area, term, renewed):
                changes.append(SupplyChange(year: e.year, source: .lease, addedM2: area, lostM2: 0, event: e.id))
                if !renewed { changes.append(SupplyChange(year: e.year + term, source: .lease, addedM2: 0, lostM2: area, event: e.id)) }
            case let .conversion(area, ids):
                var total = area ?? 0
                for id in ids {
                    guard let b = buildingByID[id] else {
                        errors.append(
                            DataError(file: scenarioFile, record: e.index, recordID: e.id, problem: "building \(id) is not in the buildings layer"));
                        continue
                    }
                    if let carrier = carrierOf[b] {
                        errors.append(
                            DataError(
                                file: scenarioFile, record: e.index, recordID: e.id,
                                problem: "building \(id) already holds carrier \(carrier): its space is already counted"))
                    }
                    // Converted twice, its floor area would be counted twice.
                    if let earlier = convertedBy[b] {
                        errors.append(
                            DataError(
                                file: scenarioFile, record: e.index, recordID: e.id,
                                problem:
                                    "building \(id) is converted \(earlier == e.id ? "twice in this event" : "by event \(earlier) too"): its space would be counted twice"
                            ))
                        continue
                    }
                    convertedBy[b] = e.id
                    if let unit = renewalUnits[b] {
                        errors.append(
                            DataError(
                                file: scenarioFile, record: e.index, recordID: e.id,
                                problem: "building \(id) lies in renewal unit \(unit) of this scenario: its space would be counted twice"))
                    }
                    if area == nil { total += data.buildings[b].gfaM2 }
                }
                changes.append(SupplyChange(year: e.year, source: .conversion, addedM2: total, lostM2: 0, event: e.id))
            case let .landSupply(land):
                changes.append(SupplyChange(year: land.completionYear, source: .landSupply, addedM2: land.techSpaceM2, lostM2: 0, event: e.id))
            }
        }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        return changes
    }

    /// The changes renewal proposals make: their units' phases, losses at works start.
    static func changes(of renewal: RenewalEvaluation) -> [SupplyChange] {
        renewal.proposals.flatMap { p in
            p.timeline.map { SupplyChange(year: $0.year, source: .renewal, addedM2: $0.techAddedM2, lostM2: $0.techLostM2, event: p.proposal.id) }
        }
    }
}

/// A scenario worked out: its trajectory, the targets, and the land cost of its new land.
public struct ScenarioResult: Sendable {
    public struct Milestone: Sendable {
        public let year: Int
        public let targetM2: Double
        public let stockM2: Double?
        public var gapM2: Double? { stockM2.map { targetM2 - $0 } }
        public var reached: Bool { (stockM2 ?? 0) >= targetM2 }
    }
    public let scenario: Scenario
    public let years: [TrajectoryYear]
    public let changes: [SupplyChange]
    public let milestones: [Milestone]
    /// Event id → the land cost its firms bear over the mode's term.
    public let landCosts: [(event: String, cost: LandCost)]
    public let renewal: RenewalEvaluation?

    public static func evaluate(
        _ scenario: Scenario, map: SpaceMap, settings: SupplySettings, asOfYear: Int,
        renewal: RenewalEvaluation?
    ) throws -> ScenarioResult {
        var renewalUnits: [Int: String] = [:]
        for unit in renewal?.proposals.flatMap(\.units) ?? [] { for t in unit.footprint.buildings { renewalUnits[t.building] = unit.unit.id } }
        var changes = try Trajectory.changes(
            of: scenario.events, scenarioFile: scenario.file, map: map, settings: settings, renewalUnits: renewalUnits)
        if let renewal { changes += Trajectory.changes(of: renewal) }
        changes.sort { ($0.year, $0.source.rawValue, $0.event) < ($1.year, $1.source.rawValue, $1.event) }
        let years = Trajectory.years(openingStockM2: map.total.techSpaceM2, asOfYear: asOfYear, years: settings.years, changes: changes)
        let milestones = map.data.policy.milestones.map { m in
            Milestone(year: m.year, targetM2: m.floorAreaM2, stockM2: years.first { $0.year == m.year }?.stockM2)
        }
        let costs: [(String, LandCost)] = scenario.events.compactMap { e in
            guard case let .landSupply(land) = e.kind, let terms = settings.modes[land.mode] else { return nil }
            let own = land.termYears.map {
                SupplyModeTerms(label: terms.label, termYears: $0, leaseYears: min(terms.leaseYears, $0), transferShare: terms.transferShare)
            }
            return (e.id, LandCost.of(mode: land.mode, terms: own ?? terms, floorAreaM2: land.floorAreaM2, settings: settings))
        }
        return ScenarioResult(scenario: scenario, years: years, changes: changes, milestones: milestones, landCosts: costs, renewal: renewal)
    }
}
