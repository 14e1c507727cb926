import Allocation
import BuildOut
import LandSupply
import Renewal
import SpaceCore
import SpaceData
import SpaceMap

/// The few lines a front end shows after each question: what a planner reads first.
public enum Headlines {
    public static func spaceMap(_ map: SpaceMap) -> [String] {
        let t = map.total
        let head =
            "\(map.data.manifest.name): \(counted(t.buildings, "building")), \(counted(t.enterprises, "enterprise")), "
            + "\(grouped(t.techSpaceM2)) m² tech-cultivation space (\(percent(t.techOccupancy)) occupied)."
        let targets: [String] = map.progress.map {
            "  \($0.year) target \(grouped($0.targetM2)) m²: \(percent($0.share)) reached, gap \(groupedGap(target: $0.targetM2, stock: $0.stockM2)) m²"
        }
        // Warnings counted once per plausibility rule, not once per record.
        let rules: [String] = map.report.ruleCounts.map { "    \($0.line)" }
        return [head] + targets + ["  data issues: \(map.report.countsLine)"] + rules
    }

    public static func renewal(_ e: RenewalEvaluation, asOfYear: Int) -> [String] {
        let rules = e.rules
        var lines = [
            "\(counted(e.proposals.count, "proposal")), \(counted(e.proposals.reduce(0) { $0 + $1.units.count }, "unit")), as of \(asOfYear). Ranking (\(RenewalReport.scoringFormula(rules.ranking))):"
        ]
        for i in e.ranking {
            let p = e.proposals[i]
            let checks = p.passes ? "all checks pass" : "fails " + p.failedChecks.map(\.rule).joined(separator: ", ")
            lines.append(
                "  \(p.rank). \(p.proposal.id) \(p.proposal.name): \(RenewalReport.signed(p.netTechByTargetYearM2)) m² tech space by \(rules.ranking.targetYear), "
                    + "\(counted(p.displacement.firms.count, "firm")) displaced, score \(formatFixed(p.score, 2)); \(checks)")
        }
        return lines
    }

    public static func supply(_ results: [ScenarioResult], map: SpaceMap, asOfYear: Int, warnings: [String] = []) -> [String] {
        ["Opening stock \(grouped(map.total.techSpaceM2)) m² (\(asOfYear))."]
            + results.map { r in
                let targets = r.milestones.map { m in
                    "\(m.year): \(m.stockM2.map(grouped) ?? "–") m² "
                        + (m.reached ? "(reached)" : "(gap \(groupedGap(target: m.targetM2, stock: m.stockM2 ?? 0)) m²)")
                }
                return "  \(r.scenario.name): " + targets.joined(separator: "; ")
            } + warnings.map { "  warning: \($0)" }
    }

    public static func allocation(_ outcome: AllocationOutcome) -> [String] {
        let result = outcome.result, s = result.solution
        var lines = [
            "Placed \(result.assignments.count) of \(result.instance.firms.count) firms: \(grouped(result.allocatedM2)) m² of \(grouped(result.vacantBeforeM2)) m² vacant tech-cultivation space.",
            "  occupied tech-cultivation space \(grouped(outcome.occupiedBeforeM2)) → \(grouped(outcome.occupiedAfterM2)) m²",
            "  \(s.solver): objective \(formatFixed(s.objective, 1)) priority-weighted m², \(s.provenOptimal ? "proven optimal" : "gap \(formatFixed(s.gap * 100, 3)) % to its bound"), \(formatFixed(s.seconds, 2)) s",
        ]
        let reasons = result.unplacedCounts.map { "\($0.firms) \($0.reason.rawValue)" }
        if !reasons.isEmpty { lines.append("  not placed: " + reasons.joined(separator: ", ")) }
        return lines + outcome.warnings.map { "  warning: \($0)" }
    }
}

extension Headlines {
    public static func capacity(_ c: CapacityAnalysis) -> [String] {
        [
            "Build-out headroom \(grouped(c.totalHeadroomM2)) m² over \(counted(c.parcels.filter { $0.headroomM2 > 0 }.count, "parcel")); tech-cultivation space by mode (alternatives):"
        ]
            + c.rules.modes.map { "  \($0.label): \(grouped(c.totalTechByMode[$0.id] ?? 0)) m²" }
    }

    public static func target(_ a: TargetAnalysis) -> [String] {
        let p = a.programme
        var lines = [
            "\(p.reachesEveryTarget ? "Reaches every target" : "Cannot reach every target")"
                + " with \(counted(p.chosen.count, "project")) of \(p.problem.candidates.count): discounted public cost \(grouped(p.discountedCostYuan)) yuan, "
                + "\(grouped(p.displacedM2)) m² of firms' floor area displaced."
        ]
        lines += p.milestones.map {
            "  \($0.year) target \(grouped($0.targetM2)) m²: \(grouped($0.stockM2)) m²"
                + ($0.reached ? " (reached)" : ", short by \(groupedGap(target: $0.targetM2, stock: $0.stockM2)) m²")
        }
        lines += a.binding.map { "  binding: \($0)" }
        lines.append("  \(p.solver): \(TargetFiles.solverStatus(p)), \(formatFixed(p.seconds, 2)) s")
        return lines
    }
}
