import CCBC
import Foundation

/// The exact solver: the allocation as a mixed-integer programme, solved by COIN-OR CBC through
/// its C library (coinor-libcbc-dev; EPL-2.0, which a product may link without opening its own
/// code, unlike GLPK's GPL-3.0). For instances up to a few hundred firms.
///
/// Per option o (firm f, carrier c): x_o ∈ {0, 1} places the firm; y_o ≥ 0 is its extra area
/// (a whole number of units where the carrier lets units).
///     maximise   Σ base worth_o · x_o + extra worth per m²_o · y_o
///     subject to Σ_{o of f} x_o ≤ 1                          each firm at most once
///                y_o ≤ extra max_o · x_o                      extra only with a placement
///                Σ_{o in c} base_o · x_o + y_o ≤ capacity_c   never over capacity
public struct ExactSolver: AllocationSolver {
    public let timeLimitS: Double
    /// A feasible allocation CBC starts from (from the heuristic), so it prunes from the first
    /// node; the optimum it proves does not depend on it.
    public let start: AllocationSolver?
    public var name: String { "exact (CBC \(String(cString: Cbc_getVersion())))" }

    public init(timeLimitS: Double, start: AllocationSolver? = nil) { self.timeLimitS = timeLimitS; self.start = start }
    public init(_ rules: AllocationRules, start: AllocationSolver? = nil) { self.init(timeLimitS: rules.exactTimeLimitS, start: start) }

    public func solve(_ problem: AllocationProblem) throws -> AllocationSolution {
        let start = Date()
        let initial = try self.start?.solve(problem).placements
        let result = try Self.run(problem, integer: true, timeLimitS: timeLimitS, start: initial)
        var placements = [Placement?](repeating: nil, count: problem.firmCount)
        for (o, option) in problem.options.enumerated() where result.x[o] > 0.5 {
            var extra = min(option.extraMaxM2, max(0, result.y[o]))
            if let unit = problem.unitM2[option.carrier] { extra = (extra / unit + 1e-6).rounded(.down) * unit }
            placements[option.firm] = Placement(option: o, extraM2: extra)
        }
        let objective = problem.objective(placements)
        return AllocationSolution(placements: placements, objective: objective, bound: max(result.bound, objective),
                                  provenOptimal: result.optimal, solver: name,
                                  boundNote: result.optimal ? "CBC proved the optimum" : "CBC stopped at its time limit; its best bound",
                                  seconds: Date().timeIntervalSince(start))
    }

    /// The optimum of the LP relaxation (every x_o may be fractional), from CBC's LP solver.
    public static func linearRelaxation(_ problem: AllocationProblem) throws -> Double {
        try run(problem, integer: false, timeLimitS: .infinity).objective
    }

    /// CBC keeps state shared between models in its solver driver: one model at a time.
    private static let lock = NSLock()

    private struct Outcome { var x, y: [Double]; var objective, bound: Double; var optimal: Bool }

    private static func run(_ problem: AllocationProblem, integer: Bool, timeLimitS: Double, start: [Placement?]? = nil) throws -> Outcome {
        let n = problem.options.count
        if n == 0 { return Outcome(x: [], y: [], objective: 0, bound: 0, optimal: true) }
        // Columns: x_0…x_{n-1}, then y_0…y_{n-1} (y measured in units where the carrier has them).
        // Rows: one per firm, one link per option, one per carrier.
        let firmRow = { (f: Int) in f }
        let linkRow = { (o: Int) in problem.firmCount + o }
        let carrierRow = { (c: Int) in problem.firmCount + n + c }
        let rows = problem.firmCount + n + problem.carrierCount
        var starts: [CoinBigIndex] = [0], index: [Int32] = [], value: [Double] = []
        let lower = [Double](repeating: 0, count: 2 * n)
        var upper = [Double](repeating: 1, count: 2 * n)
        var objective = [Double](repeating: 0, count: 2 * n)
        func scale(_ o: Int) -> Double { problem.unitM2[problem.options[o].carrier] ?? 1 }
        for (o, option) in problem.options.enumerated() {
            index += [Int32(firmRow(option.firm)), Int32(linkRow(o)), Int32(carrierRow(option.carrier))]
            value += [1, -option.extraMaxM2 / scale(o), option.baseM2]
            starts.append(CoinBigIndex(index.count))
            objective[o] = option.baseValue
        }
        for (o, option) in problem.options.enumerated() {
            index += [Int32(linkRow(o)), Int32(carrierRow(option.carrier))]
            value += [1, scale(o)]
            starts.append(CoinBigIndex(index.count))
            upper[n + o] = option.extraMaxM2 / scale(o)
            objective[n + o] = option.extraValuePerM2 * scale(o)
        }
        let rowLower = [Double](repeating: -Double.infinity, count: rows)  // every row is "≤"
        var rowUpper = [Double](repeating: 0, count: rows)
        for f in 0..<problem.firmCount { rowUpper[firmRow(f)] = 1 }
        for c in 0..<problem.carrierCount { rowUpper[carrierRow(c)] = problem.capacityM2[c] }

        lock.lock()
        defer { lock.unlock() }
        guard let model = Cbc_newModel() else { throw AllocationError.solver("CBC could not create a model") }
        defer { Cbc_deleteModel(model) }
        Cbc_loadProblem(model, Int32(2 * n), Int32(rows), starts, index, value, lower, upper, objective, rowLower, rowUpper)
        Cbc_setObjSense(model, -1)
        Cbc_setLogLevel(model, 0)
        if integer {
            for o in 0..<n {
                Cbc_setInteger(model, Int32(o))
                if problem.unitM2[problem.options[o].carrier] != nil { Cbc_setInteger(model, Int32(n + o)) }
            }
            Cbc_setAllowableFractionGap(model, 0)
            Cbc_setAllowableGap(model, 1e-7)
            if timeLimitS.isFinite { Cbc_setMaximumSeconds(model, timeLimitS) }
            if let start {
                var columns: [Int32] = [], values: [Double] = []
                for placement in start.compactMap({ $0 }) {
                    columns += [Int32(placement.option), Int32(n + placement.option)]
                    values += [1, placement.extraM2 / scale(placement.option)]
                }
                Cbc_setMIPStartI(model, Int32(columns.count), columns, values)
            }
        }
        let status = Cbc_solve(model)
        guard let solution = Cbc_getColSolution(model), status >= 0 else {
            throw AllocationError.solver("CBC found no solution (status \(status), secondary \(Cbc_secondaryStatus(model)))")
        }
        let x = (0..<n).map { solution[$0] }, y = (0..<n).map { solution[n + $0] * scale($0) }
        let optimal = Cbc_isProvenOptimal(model) != 0
        let value_ = Cbc_getObjValue(model)
        let bound = integer ? Cbc_getBestPossibleObjValue(model) : value_
        return Outcome(x: x, y: y, objective: value_, bound: optimal ? value_ : bound, optimal: optimal)
    }
}

public enum AllocationError: Error, CustomStringConvertible {
    case solver(String)
    public var description: String {
        switch self { case let .solver(text): return text }
    }
}
