import SpaceCore
import SpaceGeometry

/// An upper bound on the allocation's worth from prices on carrier space. With a price λ_c per
/// m² of carrier c, each firm takes on its own the option that pays best after paying for its
/// space (or none), and the carriers' space is added back at its price:
///
///     L(λ) = Σ_c λ_c · capacity_c + Σ_firms max(0, max_options pay_o(λ))
///     pay_o(λ) = base worth − λ_c · base area + max(0, extra worth per m² − λ_c) · extra area
///
/// L(λ) bounds every allocation from above for any λ ≥ 0, and its minimum over λ equals the
/// optimum of the LP relaxation (each firm's own choice is integral, so relaxing the capacities
/// loses nothing more than the LP does). The subgradient method approaches that minimum; the
/// best L found is the "LP bound" the heuristic reports, never below the true LP optimum.
struct LagrangianBound {
    let problem: AllocationProblem
    /// Firms in a fixed number of blocks evaluated side by side and summed in order, so the
    /// bound does not depend on the number of cores.
    let blocks: [Range<Int>]

    init(problem: AllocationProblem) {
        self.problem = problem
        let count = min(32, max(1, problem.firmCount))
        blocks = (0..<count).map { b in (b * problem.firmCount / count)..<((b + 1) * problem.firmCount / count) }
    }

    @inline(__always)
    static func pay(_ option: AllocationProblem.Option, price: Double) -> Double {
        option.baseValue - price * option.baseM2 + max(0, option.extraValuePerM2 - price) * option.extraMaxM2
    }

    /// L(λ), and how much of each carrier's space the firms' own choices would take.
    func evaluate(_ prices: [Double]) -> (value: Double, load: [Double]) {
        let carriers = problem.carrierCount
        let parts =
            (try? ParallelMap.map(blocks.indices, chunk: 1) { b -> (Double, [Double]) in
                var value = 0.0
                var load = [Double](repeating: 0, count: carriers)
                problem.options.withUnsafeBufferPointer { options in
                    prices.withUnsafeBufferPointer { prices in
                        for firm in blocks[b] {
                            var best = 0.0, chosen = -1
                            for o in problem.optionsOfFirm[firm] {
                                let pay = Self.pay(options[o], price: prices[options[o].carrier])
                                if pay > best { best = pay; chosen = o }
                            }
                            value += best
                            if chosen >= 0 {
                                let option = options[chosen]
                                load[option.carrier] += option.baseM2 + (option.extraValuePerM2 > prices[option.carrier] ? option.extraMaxM2 : 0)
                            }
                        }
                    }
                }
                return (value, load)
            }) ?? []
        var value = 0.0
        for c in 0..<carriers { value += prices[c] * problem.capacityM2[c] }
        var load = [Double](repeating: 0, count: carriers)
        for (partValue, partLoad) in parts {
            value += partValue
            for c in 0..<carriers { load[c] += partLoad[c] }
        }
        return (value, load)
    }

    /// The subgradient method with Polyak steps towards `target` (the best allocation's worth,
    /// raised as better ones are found through `improve`, called every `period` iterations with
    /// the best prices so far). When `patience` iterations bring no better bound, the step is
    /// halved and the search goes back to the best prices. Returns the best bound and its prices.
    func minimise(
        iterations: Int, patience: Int = 20, target: inout Double, every period: Int,
        improve: ([Double]) -> Double
    ) -> (bound: Double, prices: [Double]) {
        var prices = [Double](repeating: 0, count: problem.carrierCount)
        var best = Double.infinity, bestPrices = prices
        var step = 2.0, stale = 0
        for iteration in 0..<max(1, iterations) {
            let (value, load) = evaluate(prices)
            if value < best - 1e-12 * abs(value) {
                best = value; bestPrices = prices; stale = 0
            } else {
                stale += 1
            }
            if iteration > 0, iteration % period == 0 { target = max(target, improve(bestPrices)) }
            if best - target <= 1e-5 * best { break }
            if stale >= patience {
                step /= 2; stale = 0; prices = bestPrices
                continue
            }
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
