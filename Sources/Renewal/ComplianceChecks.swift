import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// One policy rule applied to one unit: the rule, the unit's value, the limit and the outcome.
public struct ComplianceCheck: Sendable {
    public enum Outcome: String, Sendable {
        case pass, fail
        case notApplicable = "not_applicable"
    }
    /// Rule id: far_cap, minimum_industrial_share, minimum_handover_share, positive_list.
    public let rule: String
    public let value: Double?
    public let limit: Double?
    public let outcome: Outcome
    /// What was compared and, on a failure, by how much it misses.
    public let detail: String
    /// Where the rule comes from (the configuration entry's source).
    public let source: String
}

/// The policy rules of the renewal configuration and the positive lists, applied to a unit.
enum ComplianceChecks {
    static func run(
        _ e: UnitEvaluation, rules: RenewalRules, controls: DevelopmentControls, policy: Policy,
        positiveLists: PositiveLists
    ) -> [ComplianceCheck] {
        [farCap(e, controls), industrialShare(e, rules, policy), handoverShare(e, rules, policy), positiveList(e, positiveLists)]
    }

    static func farCap(_ e: UnitEvaluation, _ controls: DevelopmentControls) -> ComplianceCheck {
        let landClass = Vocabulary.landUseClass(e.unit.landUse) ?? e.unit.landUse
        let source = controls.farCapsSource
        guard let cap = controls.farCaps[landClass]?[e.densityZone] else {
            return ComplianceCheck(
                rule: "far_cap", value: e.farAfter, limit: nil, outcome: .notApplicable,
                detail: "no FAR cap configured for land-use class \(landClass) in density zone \(e.densityZone)", source: source)
        }
        let far = formatFixed(e.farAfter, 2), limit = formatFixed(cap, 2)
        if e.farAfter <= cap + 1e-9 {
            return ComplianceCheck(
                rule: "far_cap", value: e.farAfter, limit: cap, outcome: .pass,
                detail: "FAR \(far) within the cap \(limit) for \(landClass) in density zone \(e.densityZone)", source: source)
        }
        let excess = (e.farAfter - cap) * e.unit.landAreaM2
        return ComplianceCheck(
            rule: "far_cap", value: e.farAfter, limit: cap, outcome: .fail,
            detail:
                "FAR \(far) is over the cap \(limit) for \(landClass) in density zone \(e.densityZone) by \(formatFixed(e.farAfter - cap, 2)): \(grouped(excess)) m² too much floor area",
            source: source)
    }

    static func isIndustrialLand(_ landUse: String, _ policy: Policy) -> Bool {
        let classes = Set(policy.industrialLandUses.compactMap(Vocabulary.landUseClass))
        return policy.industrialLandUses.contains(landUse) || Vocabulary.landUseClass(landUse).map(classes.contains) == true
    }

    static func industrialShare(_ e: UnitEvaluation, _ rules: RenewalRules, _ policy: Policy) -> ComplianceCheck {
        let source = rules.sources["minimum_industrial_share"] ?? rules.source
        let minimum = rules.minimumIndustrialShare
        guard isIndustrialLand(e.unit.landUse, policy), e.after.total > 0 else {
            return ComplianceCheck(
                rule: "minimum_industrial_share", value: nil, limit: minimum, outcome: .notApplicable,
                detail: "\(e.unit.landUse) is not industrial land", source: source)
        }
        let share = e.industrialAfterM2 / e.after.total
        if share + 1e-9 >= minimum {
            return ComplianceCheck(
                rule: "minimum_industrial_share", value: share, limit: minimum, outcome: .pass,
                detail: "industrial \(percent(share)) of floor area after renewal, at least \(percent(minimum)) required", source: source)
        }
        let short = minimum * e.after.total - e.industrialAfterM2
        return ComplianceCheck(
            rule: "minimum_industrial_share", value: share, limit: minimum, outcome: .fail,
            detail:
                "industrial only \(percent(share)) of floor area after renewal, under the minimum \(percent(minimum)): \(grouped(short)) m² short",
            source: source)
    }

    static func handoverShare(_ e: UnitEvaluation, _ rules: RenewalRules, _ policy: Policy) -> ComplianceCheck {
        let source = rules.sources["minimum_handover_share"] ?? rules.source
        let builtIndustrial = e.built.industrial(policy)
        guard let minimum = rules.minimumHandoverShare[e.unit.mode], isIndustrialLand(e.unit.landUse, policy), builtIndustrial > 0 else {
            return ComplianceCheck(
                rule: "minimum_handover_share", value: e.unit.handoverShare, limit: nil, outcome: .notApplicable,
                detail: "no hand-over required of a \(e.unit.mode.rawValue) on \(e.unit.landUse) land", source: source)
        }
        let share = e.unit.handoverShare
        if share + 1e-9 >= minimum {
            return ComplianceCheck(
                rule: "minimum_handover_share", value: share, limit: minimum, outcome: .pass,
                detail:
                    "hands over \(percent(share)) of \(grouped(builtIndustrial)) m² new industrial floor area (\(grouped(e.governmentHousingM2)) m²), at least \(percent(minimum)) required",
                source: source)
        }
        return ComplianceCheck(
            rule: "minimum_handover_share", value: share, limit: minimum, outcome: .fail,
            detail:
                "hands over \(percent(share)) of the new industrial floor area, under the minimum \(percent(minimum)): \(grouped((minimum - share) * builtIndustrial)) m² short",
            source: source)
    }

    static func positiveList(_ e: UnitEvaluation, _ lists: PositiveLists) -> ComplianceCheck {
        let sectors = e.unit.sectors
        guard !sectors.isEmpty else {
            return ComplianceCheck(
                rule: "positive_list", value: nil, limit: nil, outcome: .notApplicable,
                detail: "the unit names no sectors", source: lists.source)
        }
        let refused = sectors.map { ($0, lists.refusing($0, inZones: e.footprint.zoneIDs)) }.filter { !$0.1.isEmpty }
        let admitted = Double(sectors.count - refused.count)
        if refused.isEmpty {
            return ComplianceCheck(
                rule: "positive_list", value: admitted, limit: Double(sectors.count), outcome: .pass,
                detail: "\(sectors.joined(separator: ", ")) on the positive list of every zone the unit lies in", source: lists.source)
        }
        let why = refused.map { "\($0.0) is off the list of \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
        return ComplianceCheck(
            rule: "positive_list", value: admitted, limit: Double(sectors.count), outcome: .fail,
            detail: "\(refused.count) of \(sectors.count) sectors not admitted: \(why)", source: lists.source)
    }
}
