import Foundation
import Optimisation

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
    public var name: String { "exact (CBC \(CBC.version))" }

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
        return AllocationSolution(
            placements: placements, objective: objective, bound: max(result.bound, objective),
            provenOptimal: result.optimal, solver: name,
            boundNote: result.optimal ? "CBC proved the optimum" : "CBC stopped at its time limit; its best bound",
            seconds: Date().timeIntervalSince(start))
    }

    /// The optimum of the LP relaxation (every x_o may be fractional), from CBC's LP solver.
    public static func linearRelaxation(_ problem: AllocationProblem) throws -> Double {
        try run(problem, integer: false, timeLimitS: .infinity).objective
    }

    private struct Outcome { var x, y: [Double]; var objective, bound: Double; var optimal: Bool }

    private static func run(_ problem: AllocationProblem, integer: Bool, timeLimitS: Double, start: [Placement?]? = nil) throws -> Outcome {
        let n = problem.options.count
        if n == 0 { return Outcome(x: [], y: [], objective: 0, bound: 0, optimal: true) }
        // Columns: x_0…x_{n-1}, then y_0…y_{n-1} (y measured in units where the carrier has them).
        func scale(_ o: Int) -> Double { problem.unitM2[problem.options[o].carrier] ?? 1 }
        var p = MixedIntegerProgram(.maximise)
        for option in problem.options { p.addColumn(upper: 1, objective: option.baseValue, integer: true) }
        for (o, option) in problem.options.enumerated() {
            p.addColumn(
                upper: option.extraMaxM2 / scale(o), objective: option.extraValuePerM2 * scale(o), integer: problem.unitM2[option.carrier] != nil)
        }
        // Rows: each firm at most once; extra area only with a placement; each carrier within capacity.
        var ofFirm = [[Int]](repeating: [], count: problem.firmCount), ofCarrier = [[Int]](repeating: [], count: problem.carrierCount)
        for (o, option) in problem.options.enumerated() { ofFirm[option.firm].append(o); ofCarrier[option.carrier].append(o) }
        for options in ofFirm { p.addRow(options.map { ($0, 1) }, upper: 1) }
        for (o, option) in problem.options.enumerated() { p.addRow([(o, -option.extraMaxM2 / scale(o)), (n + o, 1)], upper: 0) }
        for (c, options) in ofCarrier.enumerated() {
            p.addRow(options.flatMap { [($0, problem.options[$0].baseM2), (n + $0, scale($0))] }, upper: problem.capacityM2[c])
        }
        let initial = (start ?? []).compactMap { $0 }.flatMap { [($0.option, 1.0), (n + $0.option, $0.extraM2 / scale($0.option))] }
        let solution: MIPSolution
        do { solution = try CBC.solve(p, relaxed: !integer, timeLimitS: timeLimitS, start: initial) } catch let error as OptimisationError {
            throw AllocationError.solver(error.description)
        }
        let x = Array(solution.values[0..<n]), y = (0..<n).map { solution.values[n + $0] * scale($0) }
        return Outcome(x: x, y: y, objective: solution.objective, bound: solution.bound, optimal: solution.provenOptimal)
    }
}

public enum AllocationError: Error, CustomStringConvertible {
    case solver(String)
    public var description: String {
        switch self {
        case let .solver(text): return text
        }
    }
}
