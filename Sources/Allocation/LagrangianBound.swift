/// An upper bound on the allocation's worth from prices on carrier space. With a price λ_c per
/// m² of carrier c, each firm takes on its own the option that pays best after paying for its
/// space (or none), and the carriers' space is added back at its price:
///
///     L(λ) = Σ_c λ_c · capacity_c + Σ_firms max(0, max_options [base worth − λ_c · base area
///                                                               + max(0, extra worth per m² − λ_c) · extra area])
///
/// L(λ) bounds every allocation from above for any λ ≥ 0, and its minimum over λ equals the
/// optimum of the LP relaxation (each firm's own choice is integral, so relaxing the capacities
/// loses nothing more than the LP does). The subgradient method approaches that minimum; the
/// best L found is the "LP bound" the heuristic reports, never below the true LP optimum.
struct LagrangianBound {
    let problem: AllocationProblem

    /// L(λ), and how much of each carrier's space the firms' own choices would take.
    func evaluate(_ prices: [Double]) -> (value: Double, load: [Double]) {
        var value = 0.0
        for c in 0..<problem.carrierCount { value += prices[c] * problem.capacityM2[c] }
        var load = [Double](repeating: 0, count: problem.carrierCount)
        for firmOptions in problem.optionsOfFirm {
            var best = 0.0, chosen = -1
            for o in firmOptions {
                let option = problem.options[o], price = prices[option.carrier]
                let pay = option.baseValue - price * option.baseM2 + max(0, option.extraValuePerM2 - price) * option.extraMaxM2
                if pay > best { best = pay; chosen = o }
            }
            value += best
            if chosen >= 0 {
                let option = problem.options[chosen]
                load[option.carrier] += option.baseM2 + (option.extraValuePerM2 > prices[option.carrier] ? option.extraMaxM2 : 0)
            }
        }
        return (value, load)
    }

    /// The subgradient method with Polyak steps towards `target` (the best allocation's worth,
    /// raised as better ones are found through `improve`). Returns the best bound and its prices.
    func minimise(iterations: Int, target: inout Double, every period: Int,
                  improve: ([Double]) -> Double) -> (bound: Double, prices: [Double]) {
        var prices = [Double](repeating: 0, count: problem.carrierCount)
        var best = Double.infinity, bestPrices = prices
        var step = 2.0, stale = 0
        for iteration in 0..<max(1, iterations) {
            let (value, load) = evaluate(prices)
            if value < best - 1e-12 * abs(value) {
                best = value; bestPrices = prices; stale = 0
            } else {
                stale += 1
                if stale >= 10 { step /= 2; stale = 0 }
            }
            if iteration > 0, iteration % period == 0 { target = max(target, improve(prices)) }
            if best - target <= 1e-5 * best { break }
            // The slack of each carrier; a carrier at price 0 with room to spare cannot go lower.
            var slack = [Double](repeating: 0, count: problem.carrierCount)
            var norm = 0.0
            for c in 0..<problem.carrierCount {
                let g = problem.capacityM2[c] - load[c]
                slack[c] = prices[c] <= 0 && g > 0 ? 0 : g
                norm += slack[c] * slack[c]
            }
            if norm == 0 { break }  // the firms' own choices fit: the bound is reached
            let t = step * max(value - target, 1e-9 * value) / norm
            for c in 0..<problem.carrierCount { prices[c] = max(0, prices[c] - t * slack[c]) }
        }
        return (best, bestPrices)
    }
}
