import Foundation
import Optimisation

/// The programme with what a planner asks next: what binds, what the next 100,000 m² would
/// cost, and how the answer moves when costs, budgets or building times change.
public struct TargetAnalysis: Sendable {
    /// One re-solve, summarised.
    public struct Variant: Sendable {
        public let label: String
        public let discountedCostYuan: Double
        public let shortfallsM2: [(year: Int, m2: Double)]
        public let displacedM2: Double
        public let chosen: Int

        public init(label: String, discountedCostYuan: Double, shortfallsM2: [(year: Int, m2: Double)], displacedM2: Double, chosen: Int) {
            self.label = label; self.discountedCostYuan = discountedCostYuan; self.shortfallsM2 = shortfallsM2
            self.displacedM2 = displacedM2; self.chosen = chosen
        }
    }

    public let programme: TargetProgramme
    /// Per target year with a shortfall: the shortfall with budgets lifted, with the
    /// displacement cap lifted, and with both (what time to build and capacity leave).
    public let shortfallWithout: [(year: Int, base: Double, noBudget: Double, noCap: Double, neither: Double)]
    /// What binds, in the planner's words.
    public let binding: [String]
    /// The last target raised by the configured step: the extra cost, and any extra shortfall.
    public let marginal: Variant
    public let sensitivity: [Variant]

    public static func run(_ problem: TargetProblem) throws -> TargetAnalysis {
        let programme = try TargetProgramme.solve(problem)
        let summary = { (label: String, p: TargetProgramme) in
            Variant(
                label: label, discountedCostYuan: p.discountedCostYuan, shortfallsM2: p.milestones.map { ($0.year, $0.shortfallM2) },
                displacedM2: p.displacedM2, chosen: p.chosen.count)
        }
        var without: [(year: Int, base: Double, noBudget: Double, noCap: Double, neither: Double)] = []
        if !programme.reachesEveryTarget {
            func shortfalls(budgets: Bool, cap: Bool) throws -> [Double] {
                var p = problem
                p.timeLimitS = problem.rules.variantTimeLimitS
                p.budgets = budgets
                p.displacementCap = cap
                return try TargetProgramme.solve(p).milestones.map(\.shortfallM2)
            }
            let noBudget = try shortfalls(budgets: false, cap: true), noCap = try shortfalls(budgets: true, cap: false)
            let neither = try shortfalls(budgets: false, cap: false)
            for (k, m) in programme.milestones.enumerated() where !m.reached {
                without.append((m.year, m.shortfallM2, noBudget[k], noCap[k], neither[k]))
            }
        }
        var marginalProblem = problem
        marginalProblem.timeLimitS = problem.rules.variantTimeLimitS
        if let last = marginalProblem.targets.popLast() {
            marginalProblem.targets.append(.init(year: last.year, floorAreaM2: last.floorAreaM2 + problem.rules.marginalStepM2))
        }
        let marginal = summary("last target +\(Int(problem.rules.marginalStepM2)) m²", try TargetProgramme.solve(marginalProblem))
        let r = problem.rules
        var variants: [Variant] = []
        for (label, change) in [
            ("costs +\(percentText(r.costChange))", { (p: inout TargetProblem) in p.costFactor = 1 + r.costChange }),
            ("costs −\(percentText(r.costChange))", { (p: inout TargetProblem) in p.costFactor = 1 - r.costChange }),
            ("construction \(r.constructionDelayYears) year(s) slower", { (p: inout TargetProblem) in p.extraYears = r.constructionDelayYears }),
            (
                "budget \(r.budgetChange < 0 ? "−" : "+")\(percentText(abs(r.budgetChange)))",
                { (p: inout TargetProblem) in p.budgetFactor = 1 + r.budgetChange }
            ),
        ] {
            var p = problem
            p.timeLimitS = problem.rules.variantTimeLimitS
            change(&p)
            variants.append(summary(label, try TargetProgramme.solve(p)))
        }
        return TargetAnalysis(
            programme: programme, shortfallWithout: without, binding: bindingSentences(programme, without),
            marginal: marginal, sensitivity: variants)
    }

    static func percentText(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }

    static func bindingSentences(_ p: TargetProgramme, _ without: [(year: Int, base: Double, noBudget: Double, noCap: Double, neither: Double)])
        -> [String]
    {
        var sentences: [String] = []
        for w in without {
            var causes: [String] = []
            if w.noBudget < w.base - 0.5 { causes.append("the budget (without it the shortfall falls to \(Int(w.noBudget.rounded())) m²)") }
            if w.noCap < w.base - 0.5 { causes.append("the displacement cap (without it \(Int(w.noCap.rounded())) m²)") }
            if w.neither > 0.5 { causes.append("capacity and time to build (\(Int(w.neither.rounded())) m² short even with neither limit)") }
            sentences.append(
                "\(w.year): short by \(Int(w.base.rounded())) m²; binding: "
                    + (causes.isEmpty ? "the budget and the cap together" : causes.joined(separator: "; ")))
        }
        if !p.bindingBudgetYears.isEmpty {
            sentences.append("the budget is spent in full in \(p.bindingBudgetYears.map(String.init).joined(separator: ", "))")
        }
        if p.displacementCapBinds { sentences.append("the displacement cap is reached") }
        return sentences
    }
}
