import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// A proposal weighed as a whole: its units, the firms it displaces (once each), its yearly
/// changes, its compliance and its score.
public struct ProposalEvaluation: Sendable {
    public let proposal: Proposal
    public let units: [UnitEvaluation]
    public let displacement: Displacement
    public let timeline: [YearChange]
    /// Net tech-cultivation space and government industrial housing by the ranking's target year.
    public let netTechByTargetYearM2: Double
    public let governmentHousingByTargetYearM2: Double
    public let score: Double
    public internal(set) var rank = 0

    public var passes: Bool { units.allSatisfy { $0.checks.allSatisfy { $0.outcome != .fail } } }
    public var failedChecks: [ComplianceCheck] { units.flatMap { $0.checks.filter { $0.outcome == .fail } } }
    public func sum(_ figure: (UnitEvaluation) -> Double) -> Double { units.reduce(0) { $0 + figure($1) } }
    public func sumByUse(_ figure: (UnitEvaluation) -> FloorAreaByUse) -> FloorAreaByUse {
        var out = FloorAreaByUse(); for u in units { out.add(figure(u)) }; return out
    }
}

/// All proposals of a file evaluated against the space map, ranked.
public struct RenewalEvaluation: Sendable {
    public let proposals: [ProposalEvaluation]
    /// Proposal indices, best first.
    public let ranking: [Int]
    /// All proposals together: firms displaced (each once), yearly changes.
    public let displacedFirms: [Int]
    public let timeline: [YearChange]
    public let rules: RenewalRules
    public let asOfYear: Int
    public let report: ValidationReport

    /// `controls` give each unit its density zone and FAR cap.
    public static func evaluate(
        _ proposals: [Proposal], map: SpaceMap, rules: RenewalRules, controls: DevelopmentControls, positiveLists: PositiveLists,
        asOfYear: Int, file: String, report: ValidationReport = ValidationReport()
    ) throws -> RenewalEvaluation {
        let data = map.data
        let units = proposals.flatMap(\.units)
        let footprints = try UnitFootprint.of(units, in: map, tolerance: rules.buildingOverlapTolerance)
        var report = report
        for (unit, footprint) in zip(units, footprints) {
            for b in footprint.slivers {
                report.add(
                    .warning, layer: "proposals", file: file, record: unit.index, id: unit.id,
                    "building \(data.buildings[b].id) only grazes the unit (under \(percent(rules.buildingOverlapTolerance)) of its footprint); not counted"
                )
            }
            for p in footprint.sliverParcels {
                report.add(
                    .warning, layer: "proposals", file: file, record: unit.index, id: unit.id,
                    "parcel \(data.parcels[p].id) only grazes the unit (under \(percent(rules.buildingOverlapTolerance)) of its area); not counted")
            }
        }
        let techSpaceInBuilding = map.techSpaceByBuilding
        var firmsInBuilding: [Int: [Int]] = [:]
        for (f, match) in map.enterpriseBuilding.enumerated() { if let b = match.building { firmsInBuilding[b, default: []].append(f) } }
        let located = map.carrierBuildings.indices.filter { !map.carrierBuildings[$0].isEmpty }
        let carrierIndex = SpatialIndex(located.map { data.buildings[map.carrierBuildings[$0][0]].geometry })

        var evaluations: [ProposalEvaluation] = []
        var next = 0
        var implausible: [DataError] = []
        for proposal in proposals {
            let unitEvaluations: [UnitEvaluation] = proposal.units.map { unit in
                var e = UnitEvaluation(
                    unit, footprint: footprints[next], map: map, rules: rules, controls: controls,
                    techSpaceInBuilding: techSpaceInBuilding, firmsInBuilding: firmsInBuilding)
                e.checks = ComplianceChecks.run(e, rules: rules, controls: controls, policy: data.policy, positiveLists: positiveLists)
                if let finding = Plausibility.proposedCarrier(
                    unitIndex: unit.index, unitID: unit.id, carrierM2: e.carrierFloorAreaM2,
                    floorAreaAfterM2: e.after.total, data.policy.plausibility)
                {
                    implausible.append(finding.dataError(file: file))
                }
                next += 1
                return e
            }
            let firms = Array(Set(unitEvaluations.flatMap(\.displacedFirms))).sorted()
            let displacement = try Rehousing.assess(
                firms: firms, units: unitEvaluations, map: map, rules: rules,
                positiveLists: positiveLists, carrierIndex: carrierIndex, indexedCarriers: located)
            let r = rules.ranking
            let tech = unitEvaluations.reduce(0) { $0 + $1.netTech(through: r.targetYear) }
            let housing = unitEvaluations.reduce(0) { $0 + $1.governmentHousing(through: r.targetYear) }
            let score = (r.techSpaceWeight * tech + r.governmentHousingWeight * housing) / (displacement.floorAreaM2 + r.displacementFloorM2)
            evaluations.append(
                ProposalEvaluation(
                    proposal: proposal, units: unitEvaluations, displacement: displacement,
                    timeline: mergeTimelines(unitEvaluations.map(\.timeline)),
                    netTechByTargetYearM2: tech, governmentHousingByTargetYearM2: housing, score: score))
        }
        if !implausible.isEmpty { throw DataErrors(errors: implausible) }
        let ranking = rank(evaluations, noncompliantLast: rules.ranking.noncompliantLast)
        for (position, p) in ranking.enumerated() { evaluations[p].rank = position + 1 }
        return RenewalEvaluation(
            proposals: evaluations, ranking: ranking,
            displacedFirms: Array(Set(evaluations.flatMap(\.displacement.firms))).sorted(),
            timeline: mergeTimelines(evaluations.map(\.timeline)), rules: rules, asOfYear: asOfYear, report: report)
    }

    /// Best first: compliant before non-compliant (when configured), then score, then id.
    static func rank(_ evaluations: [ProposalEvaluation], noncompliantLast: Bool) -> [Int] {
        evaluations.indices.sorted { a, b in
            let pa = evaluations[a], pb = evaluations[b]
            if noncompliantLast, pa.passes != pb.passes { return pa.passes }
            if pa.score != pb.score { return pa.score > pb.score }
            return pa.proposal.id < pb.proposal.id
        }
    }
}

func mergeTimelines(_ timelines: [[YearChange]]) -> [YearChange] {
    var byYear: [Int: YearChange] = [:]
    for t in timelines { for c in t { byYear[c.year, default: YearChange(year: c.year)].merge(c) } }
    return byYear.values.sorted { $0.year < $1.year }
}
