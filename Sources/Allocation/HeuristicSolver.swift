import Foundation

/// The fast solver for thousands of firms: prices on carrier space from the Lagrangian bound,
/// a greedy placement by regret at those prices, then local search (add, move, replace).
/// Deterministic: every loop runs in a fixed order and ties go to the lower index.
public struct HeuristicSolver: AllocationSolver {
    public let boundIterations: Int
    public let localSearchPasses: Int
    public var name: String { "heuristic" }

    public init(boundIterations: Int, localSearchPasses: Int) {
        self.boundIterations = boundIterations
        self.localSearchPasses = localSearchPasses
    }

    public init(_ rules: AllocationRules) {
        self.init(boundIterations: rules.boundIterations, localSearchPasses: rules.localSearchPasses)
    }

    public func solve(_ problem: AllocationProblem) throws -> AllocationSolution {
        let start = Date()
        var best = place(problem, prices: [Double](repeating: 0, count: problem.carrierCount))
        var target = best.objective
        let bounds = LagrangianBound(problem: problem)
        let (bound, prices) = bounds.minimise(iterations: boundIterations, target: &target, every: 25) { prices in
            var candidate = place(problem, prices: prices)
            improve(&candidate)
            if candidate.objective > best.objective + 1e-9 { best = candidate }
            return best.objective
        }
        let priced = place(problem, prices: prices)
        if priced.objective > best.objective + 1e-9 { best = priced }
        improve(&best)
        let placements = best.placements()
        let objective = problem.objective(placements)
        return AllocationSolution(placements: placements, objective: objective, bound: max(bound, objective),
                                  provenOptimal: false, solver: name,
                                  boundNote: "Lagrangian bound on carrier space (the LP relaxation's optimum or above)",
                                  seconds: Date().timeIntervalSince(start))
    }

    /// Greedy by regret at the given prices: firms whose best option beats their second best by
    /// most go first, each to the option paying most after its space is priced, if it fits.
    func place(_ problem: AllocationProblem, prices: [Double]) -> CarrierLoads {
        var loads = CarrierLoads(problem)
        func pay(_ o: Int) -> Double {
            let option = problem.options[o], price = prices[option.carrier]
            return option.baseValue - price * option.baseM2 + max(0, option.extraValuePerM2 - price) * option.extraMaxM2
        }
        var ranked: [(firm: Int, regret: Double, best: Double, options: [Int])] = []
        ranked.reserveCapacity(problem.firmCount)
        for (firm, firmOptions) in problem.optionsOfFirm.enumerated() where !firmOptions.isEmpty {
            let pays = firmOptions.map(pay)
            let order = firmOptions.indices.sorted { pays[$0] != pays[$1] ? pays[$0] > pays[$1] : firmOptions[$0] < firmOptions[$1] }
            let first = pays[order[0]], second = order.count > 1 ? max(0, pays[order[1]]) : 0
            ranked.append((firm, first - second, first, order.map { firmOptions[$0] }))
        }
        ranked.sort { a, b in
            if (a.best > 0) != (b.best > 0) { return a.best > 0 }
            if a.regret != b.regret { return a.regret > b.regret }
            if a.best != b.best { return a.best > b.best }
            return a.firm < b.firm
        }
        for entry in ranked {
            if let o = entry.options.first(where: { (loads.gainOfAdding($0) ?? -1) > 1e-9 }) { loads.add(o) }
        }
        return loads
    }

    /// Local search until no move helps or the passes run out: place an unplaced firm (in a
    /// carrier with room, or in place of a placed firm that then goes elsewhere or out), and
    /// move a placed firm to the carrier where it adds most.
    func improve(_ loads: inout CarrierLoads) {
        let problem = loads.problem
        let epsilon = 1e-9
        // The most each firm could add on its own: what rehousing a replaced firm may bring.
        let bestWorth = problem.optionsOfFirm.map { $0.map { problem.options[$0].baseValue + problem.options[$0].extraValuePerM2 * problem.options[$0].extraMaxM2 }.max() ?? 0 }
        for _ in 0..<localSearchPasses {
            var improved = false
            for firm in 0..<problem.firmCount {
                let current = loads.placedOption[firm]
                if current >= 0 {
                    // Move: out of its carrier, into the best other option.
                    let leaving = loads.gainOfRemoving(current)
                    var bestGain = epsilon, bestOption = -1
                    for o in problem.optionsOfFirm[firm] where problem.options[o].carrier != problem.options[current].carrier {
                        if let g = loads.gainOfAdding(o), leaving + g > bestGain { bestGain = leaving + g; bestOption = o }
                    }
                    if bestOption >= 0 {
                        loads.remove(current); loads.add(bestOption); improved = true
                    }
                    continue
                }
                // Add where it fits, or replace a placed firm worth less per m² of base.
                var bestGain = epsilon, bestMove: (option: Int, out: Int)? = nil
                for o in problem.optionsOfFirm[firm] {
                    if let g = loads.gainOfAdding(o) {
                        if g > bestGain { bestGain = g; bestMove = (o, -1) }
                        continue
                    }
                    let option = problem.options[o]
                    for out in loads.members[option.carrier] {
                        guard let g = loads.gainOfReplacing(out, with: o) else { continue }
                        // The replaced firm may go to another carrier: worth trying only if that could pay.
                        var rehoused = 0.0
                        if g + bestWorth[problem.options[out].firm] > bestGain {
                            for alt in problem.optionsOfFirm[problem.options[out].firm] where problem.options[alt].carrier != option.carrier {
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
                    for alt in problem.optionsOfFirm[displaced] {
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
