import Foundation

/// The programme for districts too large for CBC within its time limit (tens of thousands of
/// candidates and more): projects taken target year by target year, cheapest per m² first
/// (discounted cost plus the displacement weight, at the earliest start), each at the earliest
/// start year whose budgets can pay it, as long as the displacement cap and one project per
/// building allow. Its bound is the fractional
/// cheapest fill of the last target (budgets and exclusivity dropped), below any programme's
/// cost; the reported gap is to that bound. Cluster minimums are reported, not enforced.
enum GreedyProgramme {
    static func solve(_ problem: TargetProblem) -> (choices: [(candidate: Int, start: Int)], bound: Double) {
        let cs = problem.candidates
        let unitCost = cs.indices.map { c -> Double in
            guard let s = problem.starts(cs[c])?.lowerBound else { return .infinity }
            return (problem.discountedCost(cs[c], start: s) + problem.rules.displacementWeightYuanPerM2 * cs[c].displacedM2) / cs[c].techM2
        }
        let order = cs.indices.filter { unitCost[$0].isFinite }.sorted { (unitCost[$0], cs[$0].id) < (unitCost[$1], cs[$1].id) }
        var spent = [Int: Double](), displaced = 0.0, stock = problem.openingStockM2
        var usedBuildings = Set<Int>(), chosen = [Bool](repeating: false, count: cs.count)
        var choices: [(candidate: Int, start: Int)] = []
        for target in problem.targets {
            for c in order where stock < target.floorAreaM2 && !chosen[c] {
                let candidate = cs[c]
                guard let starts = problem.starts(candidate), starts.lowerBound + problem.years(candidate) <= target.year,
                    usedBuildings.isDisjoint(with: candidate.buildings),
                    !problem.displacementCap || displaced + candidate.displacedM2 <= problem.rules.displacementCapM2
                else { continue }
                // The earliest start whose costs the remaining budgets can pay, still in use by the target year.
                let latest = min(starts.upperBound, target.year - problem.years(candidate))
                var taken: (start: Int, costs: [(Int, Double)])?
                for start in starts.lowerBound...latest {
                    let costs = (start...max(start, problem.lastYear)).map { ($0, problem.cost(candidate, start: start, in: $0)) }
                    if !problem.budgets
                        || !costs.contains(where: { spent[$0.0, default: 0] + $0.1 > problem.rules.budget($0.0) * problem.budgetFactor })
                    {
                        taken = (start, costs)
                        break
                    }
                }
                guard let (start, costs) = taken else { continue }
                for (y, cost) in costs { spent[y, default: 0] += cost }
                displaced += candidate.displacedM2
                usedBuildings.formUnion(candidate.buildings)
                chosen[c] = true
                stock += candidate.techM2
                choices.append((c, start))
            }
        }
        // The bound: the last target's need filled fractionally at the cheapest unit cost (latest start, most discounted).
        var need = max(0, (problem.targets.last?.floorAreaM2 ?? 0) - problem.openingStockM2), bound = 0.0
        let cheapest = cs.indices.compactMap { c -> (Double, Double)? in
            guard let s = problem.starts(cs[c])?.upperBound else { return nil }
            return (
                (problem.discountedCost(cs[c], start: s) + problem.rules.displacementWeightYuanPerM2 * cs[c].displacedM2) / cs[c].techM2, cs[c].techM2
            )
        }.sorted { $0.0 < $1.0 }
        for (unit, tech) in cheapest where need > 0 {
            let take = min(need, tech)
            bound += unit * take
            need -= take
        }
        return (choices, bound)
    }
}
