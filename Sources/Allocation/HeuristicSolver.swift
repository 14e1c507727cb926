import Foundation

/// The fast solver for thousands of firms: prices on carrier space from the Lagrangian bound,
/// a greedy placement by regret at those prices, then local search (add, move, replace) over
/// each firm's best options at those prices. Deterministic: every loop runs in a fixed order,
/// ties go to the lower index and the bound sums in a fixed order.
public struct HeuristicSolver: AllocationSolver {
    public let boundIterations: Int
    public let localSearchPasses: Int
    /// How many of a firm's options, best first at the final prices, the search considers.
    public let candidateOptions: Int
    /// Up to this many firms, every greedy start is improved by local search, not only the last.
    public let searchEveryStartUpToFirms: Int
    public var name: String { "heuristic" }

    public init(boundIterations: Int, localSearchPasses: Int, candidateOptions: Int, searchEveryStartUpToFirms: Int) {
        self.boundIterations = boundIterations
        self.localSearchPasses = localSearchPasses
        self.candidateOptions = max(1, candidateOptions)
        self.searchEveryStartUpToFirms = searchEveryStartUpToFirms
    }

    public init(_ rules: AllocationRules) {
        self.init(
            boundIterations: rules.boundIterations, localSearchPasses: rules.localSearchPasses,
            candidateOptions: rules.candidateOptions, searchEveryStartUpToFirms: rules.searchEveryStartUpToFirms)
    }

    public func solve(_ problem: AllocationProblem) throws -> AllocationSolution {
        let start = Date()
        var best = place(
            problem, candidates: Candidates(problem, prices: [Double](repeating: 0, count: problem.carrierCount), keep: candidateOptions))
        var target = best.objective
        // On small instances local search from every start is cheap and escapes local optima.
        let searchEveryStart = problem.firmCount <= searchEveryStartUpToFirms
        let (bound, prices) = LagrangianBound(problem: problem).minimise(iterations: boundIterations, target: &target, every: 25) { prices in
            let options = Candidates(problem, prices: prices, keep: candidateOptions)
            var candidate = place(problem, candidates: options)
            if searchEveryStart { improve(&candidate, candidates: options) }
            if candidate.objective > best.objective + 1e-9 { best = candidate }
            return best.objective
        }
        let candidates = Candidates(problem, prices: prices, keep: candidateOptions)
        let priced = place(problem, candidates: candidates)
        if priced.objective > best.objective + 1e-9 { best = priced }
        improve(&best, candidates: candidates)
        let placements = best.placements()
        let objective = problem.objective(placements)
        return AllocationSolution(
            placements: placements, objective: objective, bound: max(bound, objective),
            provenOptimal: false, solver: name,
            boundNote: "Lagrangian bound on carrier space (the LP relaxation's optimum or above)",
            seconds: Date().timeIntervalSince(start))
    }

    /// Each firm's best options at given prices on carrier space, best first, with its regret
    /// (how much its best option pays over its second).
    struct Candidates {
        var options: [[Int]]
        var best: [Double]
        var regret: [Double]

        init(_ problem: AllocationProblem, prices: [Double], keep: Int) {
            options = []; best = []; regret = []
            options.reserveCapacity(problem.firmCount)
            for range in problem.optionsOfFirm {
                var kept: [(pay: Double, option: Int)] = []
                kept.reserveCapacity(keep + 1)
                for o in range {
                    let pay = LagrangianBound.pay(problem.options[o], price: prices[problem.options[o].carrier])
                    if kept.count == keep, pay <= kept[keep - 1].pay { continue }
                    // Insert in order (pay descending, then option index); options come in index order.
                    let at = kept.firstIndex { pay > $0.pay } ?? kept.count
                    kept.insert((pay, o), at: at)
                    if kept.count > keep { kept.removeLast() }
                }
                options.append(kept.map(\.option))
                let first = kept.first?.pay ?? 0
                best.append(first)
                regret.append(first - (kept.count > 1 ? max(0, kept[1].pay) : 0))
            }
        }
    }

    /// Greedy by regret: firms whose best option beats their second best by most go first,
    /// each to the first of its candidate options where it adds worth.
    func place(_ problem: AllocationProblem, candidates: Candidates) -> CarrierLoads {
        var loads = CarrierLoads(problem)
        let order = (0..<problem.firmCount).filter { !candidates.options[$0].isEmpty }.sorted { a, b in
            let pa = candidates.best[a] > 0, pb = candidates.best[b] > 0
            if pa != pb { return pa }
            if candidates.regret[a] != candidates.regret[b] { return candidates.regret[a] > candidates.regret[b] }
            if candidates.best[a] != candidates.best[b] { return candidates.best[a] > candidates.best[b] }
            return a < b
        }
        for firm in order {
            if let o = candidates.options[firm].first(where: { (loads.gainOfAdding($0) ?? -1) > 1e-9 }) { loads.add(o) }
        }
        return loads
    }

    /// Local search until no move helps or the passes run out: place an unplaced firm (in a
    /// carrier with room, or in place of a placed firm that then goes elsewhere or out), and
    /// move a placed firm to the carrier where it adds most.
    func improve(_ loads: inout CarrierLoads, candidates: Candidates) {
        let problem = loads.problem
        let epsilon = 1e-9
        // The most each firm could add on its own: what rehousing a replaced firm may bring.
        let bestWorth = candidates.options.map {
            $0.lazy.map { problem.options[$0].baseValue + problem.options[$0].extraValuePerM2 * problem.options[$0].extraMaxM2 }.max() ?? 0
        }
        for _ in 0..<localSearchPasses {
            var improved = false
            for firm in 0..<problem.firmCount {
                let current = loads.placedOption[firm]
                if current >= 0 {
                    // Move: out of its carrier, into the best other option.
                    let leaving = loads.gainOfRemoving(current)
                    var bestGain = epsilon, bestOption = -1
                    for o in candidates.options[firm] where problem.options[o].carrier != problem.options[current].carrier {
                        if let g = loads.gainOfAdding(o), leaving + g > bestGain { bestGain = leaving + g; bestOption = o }
                    }
                    if bestOption >= 0 {
                        loads.remove(current); loads.add(bestOption); improved = true
                    }
                    continue
                }
                // Add where it fits, or replace a placed firm worth less per m² of base.
                var bestGain = epsilon, bestMove: (option: Int, out: Int)? = nil
                // Any carrier with room will do, not only the candidates: its space is otherwise unused.
                for o in problem.optionsOfFirm[firm] {
                    if let g = loads.gainOfAdding(o), g > bestGain { bestGain = g; bestMove = (o, -1) }
                }
                for o in candidates.options[firm] where loads.gainOfAdding(o) == nil {
                    let option = problem.options[o]
                    for out in loads.members[option.carrier] {
                        guard let g = loads.gainOfReplacing(out, with: o) else { continue }
                        // The replaced firm may go to another carrier: worth trying only if that could pay.
                        var rehoused = 0.0
                        if g + bestWorth[problem.options[out].firm] > bestGain {
                            for alt in candidates.options[problem.options[out].firm] where problem.options[alt].carrier != option.carrier {
                                if let h = loads.gainOfAdding(alt), h > rehoused { rehoused = h }
                            }
                        }
                        if g + rehoused > bestGain { bestGain = g + rehoused; bestMove = (o, out) }
                    }
                }
                guard let move = bestMove else { continue }
                if move.out >= 0 {
                    let displaced = problem.options[move.out].firm
                    loads.remove(move.out)
                    loads.add(move.option)
                    var bestAlt = -1, bestH = epsilon
                    for alt in candidates.options[displaced] {
                        if let h = loads.gainOfAdding(alt), h > bestH { bestH = h; bestAlt = alt }
                    }
                    if bestAlt >= 0 { loads.add(bestAlt) }
                } else {
                    loads.add(move.option)
                }
                improved = true
            }
            if !improved { break }
        }
    }
}
