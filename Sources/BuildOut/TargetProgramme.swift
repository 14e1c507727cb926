import Foundation
import Optimisation
import SpaceData
import SpaceMap

/// The question the bureau asks: which projects, started in which year, take the stock from
/// today to every target year's floor area at the least discounted public cost and disruption,
/// and how close the district can get when it cannot.
///
/// Per candidate c and start year s (its works end in s + years_c, in use that year):
///     x_cs ∈ {0, 1};  shortfall_T ≥ 0 per target year T;  clusterGap_k ≥ 0 per cluster minimum
///     Σ_s x_cs ≤ 1                                     each project at most once
///     Σ_{c uses b} Σ_s x_cs ≤ 1                        a building serves one project
///     stock + Σ_{s + years_c ≤ T} tech_c x_cs + shortfall_T ≥ target_T
///     Σ cost_c(y | s) x_cs ≤ budget_y                  every year
///     Σ displaced_c x_cs ≤ displacement cap
///     Σ (1[c in k] − share_k) tech_c x_cs + clusterGap_k ≥ 0
/// Phase 1 minimises Σ shortfall + Σ clusterGap (how close it can get); phase 2 holds that sum at
/// its minimum and minimises Σ discounted cost + weight × displaced m². Both are CBC's.
public struct TargetProblem: Sendable {
    public struct Target: Sendable {
        public let year: Int
        public let floorAreaM2: Double
        public init(year: Int, floorAreaM2: Double) { self.year = year; self.floorAreaM2 = floorAreaM2 }
    }

    public var candidates: [Candidate]
    public var targets: [Target]
    public var openingStockM2: Double
    public var asOfYear: Int
    public var rules: BuildOutRules
    /// Multipliers the sensitivity table varies: costs, budgets, construction time.
    public var costFactor = 1.0
    public var budgetFactor = 1.0
    public var extraYears = 0
    /// Leave out budgets or the displacement cap (to find what binds).
    public var budgets = true
    public var displacementCap = true
    /// The time limit of each of the two solves.
    public var timeLimitS: Double

    public init(candidates: [Candidate], targets: [Target], openingStockM2: Double, asOfYear: Int, rules: BuildOutRules) {
        self.candidates = candidates; self.targets = targets.sorted { $0.year < $1.year }
        self.openingStockM2 = openingStockM2; self.asOfYear = asOfYear; self.rules = rules
        timeLimitS = rules.timeLimitS
    }

    public var firstYear: Int { asOfYear + 1 }
    public var lastYear: Int { targets.last?.year ?? asOfYear }

    func years(_ c: Candidate) -> Int { c.constructionYears + extraYears }

    /// Start years a candidate may take: from the first year (or its own earliest) until it can
    /// still be in use by the last target year.
    func starts(_ c: Candidate) -> ClosedRange<Int>? {
        let first = max(firstYear, c.earliestStart ?? firstYear), last = lastYear - years(c)
        return first <= last ? first...last : nil
    }

    /// The public cost a project started in `start` pays in `year`.
    func cost(_ c: Candidate, start: Int, in year: Int) -> Double {
        (year == start ? c.oneOffCostYuan : 0) * costFactor + (year >= start && year <= lastYear ? c.annualCostYuan * costFactor : 0)
    }

    func discountedCost(_ c: Candidate, start: Int) -> Double {
        (start...max(start, lastYear)).reduce(0) { $0 + cost(c, start: start, in: $1) / pow(1 + rules.discountRate, Double($1 - asOfYear)) }
    }
}

/// One chosen project.
public struct ChosenProject: Sendable {
    public let candidate: Candidate
    public let startYear: Int
    public let completionYear: Int
    public let discountedCostYuan: Double
}

/// The programme: what is chosen, the stock it makes year by year, and what binds.
public struct TargetProgramme: Sendable {
    public struct Milestone: Sendable {
        public let year: Int
        public let targetM2: Double
        public let stockM2: Double
        public let shortfallM2: Double
        public var reached: Bool { shortfallM2 <= 0.5 }
    }

    public let problem: TargetProblem
    public let chosen: [ChosenProject]
    public let milestones: [Milestone]
    /// Stock at the end of each year from the data's year to the last target year.
    public let stockByYear: [(year: Int, stockM2: Double)]
    public let costByYear: [(year: Int, costYuan: Double, budgetYuan: Double)]
    public let discountedCostYuan: Double
    public let displacedM2: Double
    public let clusterShares: [(cluster: String, share: Double, minimum: Double)]
    public let provenOptimal: Bool
    /// The gap between the cost found and the solver's bound (0 when proved; NaN when the
    /// greedy programme falls short, as its bound is for reaching the targets).
    public internal(set) var gap: Double
    public let seconds: Double
    public internal(set) var solver = "CBC \(CBC.version)"

    public var reachesEveryTarget: Bool { milestones.allSatisfy(\.reached) }
    public var bindingBudgetYears: [Int] { costByYear.filter { $0.budgetYuan > 0 && $0.costYuan >= 0.999 * $0.budgetYuan }.map(\.year) }
    public var displacementCapBinds: Bool {
        problem.displacementCap && displacedM2 >= 0.999 * problem.rules.displacementCapM2 && problem.rules.displacementCapM2 > 0
    }

    /// Solves both phases with CBC, or with the greedy programme above the rules' candidate limit.
    public static func solve(_ problem: TargetProblem) throws -> TargetProgramme {
        let started = Date()
        if problem.candidates.count > problem.rules.exactMaxCandidates {
            let (choices, bound) = GreedyProgramme.solve(problem)
            var model = ProgrammeModel(problem, columns: false)
            model.choices = choices
            let values = [Double](repeating: 1, count: choices.count)
            var programme = TargetProgramme(problem, model: model, values: values, optimal: false, gap: 0, seconds: Date().timeIntervalSince(started))
            let cost = programme.discountedCostYuan + problem.rules.displacementWeightYuanPerM2 * programme.displacedM2
            programme.gap = programme.reachesEveryTarget ? max(0, cost - bound) / max(1, cost) : .nan
            programme.solver = "greedy (above \(problem.rules.exactMaxCandidates) candidates)"
            return programme
        }
        var model = ProgrammeModel(problem)
        let phase1 = try CBC.solve(model.program, timeLimitS: problem.timeLimitS, relativeGap: problem.rules.gapTolerance)
        model.holdGaps(at: phase1.values)
        let phase2 = try CBC.solve(
            model.program, timeLimitS: problem.timeLimitS, relativeGap: problem.rules.gapTolerance,
            start: model.start(from: phase1.values))
        let gap = phase2.provenOptimal ? 0 : abs(phase2.objective - phase2.bound) / max(1, abs(phase2.objective))
        return TargetProgramme(
            problem, model: model, values: phase2.values, optimal: phase1.provenOptimal && phase2.provenOptimal,
            gap: gap, seconds: Date().timeIntervalSince(started))
    }

    init(_ problem: TargetProblem, model: ProgrammeModel, values: [Double], optimal: Bool, gap: Double, seconds: Double) {
        self.problem = problem
        var chosen: [ChosenProject] = []
        for (column, (c, start)) in model.choices.enumerated() where values[column] > 0.5 {
            let candidate = problem.candidates[c]
            chosen.append(
                ChosenProject(
                    candidate: candidate, startYear: start, completionYear: start + problem.years(candidate),
                    discountedCostYuan: problem.discountedCost(candidate, start: start)))
        }
        chosen.sort { ($0.completionYear, $0.candidate.id) < ($1.completionYear, $1.candidate.id) }
        self.chosen = chosen
        let years = Array(problem.asOfYear...max(problem.asOfYear, problem.lastYear))
        stockByYear = years.map { y in (y, problem.openingStockM2 + chosen.filter { $0.completionYear <= y }.reduce(0) { $0 + $1.candidate.techM2 }) }
        milestones = problem.targets.map { t in
            let stock = problem.openingStockM2 + chosen.filter { $0.completionYear <= t.year }.reduce(0) { $0 + $1.candidate.techM2 }
            return Milestone(year: t.year, targetM2: t.floorAreaM2, stockM2: stock, shortfallM2: max(0, t.floorAreaM2 - stock))
        }
        costByYear = years.dropFirst().map { y in
            (y, chosen.reduce(0) { $0 + problem.cost($1.candidate, start: $1.startYear, in: y) }, problem.rules.budget(y) * problem.budgetFactor)
        }
        discountedCostYuan = chosen.reduce(0) { $0 + $1.discountedCostYuan }
        displacedM2 = chosen.reduce(0) { $0 + $1.candidate.displacedM2 }
        let added = chosen.reduce(0) { $0 + $1.candidate.techM2 }
        clusterShares = problem.rules.clusterMinimumShare.keys.sorted().map { k in
            (
                k, added > 0 ? chosen.filter { $0.candidate.clusters.contains(k) }.reduce(0) { $0 + $1.candidate.techM2 } / added : 0,
                problem.rules.clusterMinimumShare[k]!
            )
        }
        provenOptimal = optimal
        self.gap = gap
        self.seconds = seconds
    }
}

/// The programme as CBC reads it, and which column is which.
struct ProgrammeModel {
    var program = MixedIntegerProgram(.minimise)
    /// Column → (candidate, start year), for the x columns (they come first).
    var choices: [(candidate: Int, start: Int)] = []
    var gapColumns: [Int] = []
    let problem: TargetProblem

    /// `columns: false` builds no programme (the greedy solver fills `choices` itself).
    init(_ problem: TargetProblem, columns: Bool = true) {
        self.problem = problem
        guard columns else { return }
        var columnsOf = [[Int]](repeating: [], count: problem.candidates.count)
        for (c, candidate) in problem.candidates.enumerated() {
            guard let starts = problem.starts(candidate) else { continue }
            for s in starts {
                columnsOf[c].append(program.addColumn(upper: 1, objective: 0, integer: true))
                choices.append((c, s))
            }
        }
        for columns in columnsOf where columns.count > 1 { program.addRow(columns.map { ($0, 1) }, upper: 1) }
        var byBuilding: [Int: [Int]] = [:]
        for (c, candidate) in problem.candidates.enumerated() where !columnsOf[c].isEmpty {
            for b in candidate.buildings { byBuilding[b, default: []].append(c) }
        }
        for b in byBuilding.keys.sorted() where byBuilding[b]!.count > 1 {
            program.addRow(byBuilding[b]!.flatMap { columnsOf[$0] }.map { ($0, 1) }, upper: 1)
        }
        for t in problem.targets {
            let gap = program.addColumn(upper: .infinity, objective: 1, integer: false)
            gapColumns.append(gap)
            var row = [(column: Int, coefficient: Double)]()
            for (column, choice) in choices.enumerated() {
                let c = problem.candidates[choice.candidate]
                if choice.start + problem.years(c) <= t.year { row.append((column, c.techM2)) }
            }
            program.addRow(row + [(gap, 1)], lower: t.floorAreaM2 - problem.openingStockM2)
        }
        if problem.budgets {
            for y in problem.firstYear...max(problem.firstYear, problem.lastYear) {
                let row = choices.enumerated().map { ($0, problem.cost(problem.candidates[$1.candidate], start: $1.start, in: y)) }
                program.addRow(row, upper: problem.rules.budget(y) * problem.budgetFactor)
            }
        }
        if problem.displacementCap {
            program.addRow(choices.enumerated().map { ($0, problem.candidates[$1.candidate].displacedM2) }, upper: problem.rules.displacementCapM2)
        }
        for k in problem.rules.clusterMinimumShare.keys.sorted() {
            let share = problem.rules.clusterMinimumShare[k]!
            let gap = program.addColumn(upper: .infinity, objective: 1, integer: false)
            gapColumns.append(gap)
            let row = choices.enumerated().map { column, choice -> (Int, Double) in
                let c = problem.candidates[choice.candidate]
                return (column, ((c.clusters.contains(k) ? 1 : 0) - share) * c.techM2)
            }
            program.addRow(row + [(gap, 1)], lower: 0)
        }
    }

    /// Phase 2: the total shortfall may not grow beyond phase 1's (held as one sum, so that among
    /// programmes equally close the cheapest wins, however they split the shortfall across years);
    /// the objective becomes cost and disruption.
    mutating func holdGaps(at values: [Double]) {
        let total = gapColumns.reduce(0) { $0 + values[$1] }
        program.addRow(gapColumns.map { ($0, 1) }, upper: total + max(1e-6, 1e-9 * total))
        for g in gapColumns { program.setObjective(g, 0) }
        for (column, choice) in choices.enumerated() {
            let c = problem.candidates[choice.candidate]
            program.setObjective(column, problem.discountedCost(c, start: choice.start) + problem.rules.displacementWeightYuanPerM2 * c.displacedM2)
        }
    }

    /// Phase 1's projects as phase 2's first feasible solution.
    func start(from values: [Double]) -> [(column: Int, value: Double)] {
        (0..<program.columnCount).map { ($0, values[$0]) }
    }
}
