import CCBC
import Foundation

/// A mixed-integer linear programme in the form CBC reads: bounded columns with objective
/// coefficients, and rows `lower ≤ Σ coefficient · column ≤ upper`. Built row by row by a
/// model (the allocation, the target programme), solved by `CBC.solve`.
public struct MixedIntegerProgram: Sendable {
    public enum Sense: Sendable { case minimise, maximise }

    public var sense: Sense
    public private(set) var lower: [Double] = [], upper: [Double] = [], objective: [Double] = []
    public private(set) var isInteger: [Bool] = []
    public private(set) var rowLower: [Double] = [], rowUpper: [Double] = []
    /// Each row's entries (column, coefficient).
    public private(set) var rows: [[(column: Int, coefficient: Double)]] = []

    public init(_ sense: Sense) { self.sense = sense }

    public var columnCount: Int { lower.count }

    /// Adds a column and returns its index.
    @discardableResult
    public mutating func addColumn(lower: Double = 0, upper: Double, objective: Double, integer: Bool) -> Int {
        self.lower.append(lower); self.upper.append(upper); self.objective.append(objective); isInteger.append(integer)
        return self.lower.count - 1
    }

    public mutating func setUpper(_ column: Int, _ value: Double) { upper[column] = value }
    public mutating func setObjective(_ column: Int, _ value: Double) { objective[column] = value }

    /// Adds `lower ≤ Σ entries ≤ upper`; entries with a zero coefficient are dropped.
    public mutating func addRow(_ entries: [(column: Int, coefficient: Double)], lower: Double = -.infinity, upper: Double = .infinity) {
        rows.append(entries.filter { $0.coefficient != 0 })
        rowLower.append(lower); rowUpper.append(upper)
    }
}

/// What CBC returned: the column values, the objective, CBC's best bound, and whether it proved
/// the optimum within its time limit.
public struct MIPSolution: Sendable {
    public let values: [Double]
    public let objective: Double
    public let bound: Double
    public let provenOptimal: Bool
}

public enum OptimisationError: Error, CustomStringConvertible {
    case solver(String)
    public var description: String {
        switch self {
        case let .solver(text): return text
        }
    }
}

/// COIN-OR CBC through its C library (coinor-libcbc-dev; EPL-2.0, which a product may link).
public enum CBC {
    public static var version: String { String(cString: Cbc_getVersion()) }

    /// CBC keeps state shared between models in its solver driver: one model at a time.
    private static let lock = NSLock()

    /// Solves the programme (its LP relaxation with `relaxed`), optionally from a feasible
    /// start (column, value), within `timeLimitS`. An infeasible programme is an error.
    /// `relativeGap`: CBC stops once its solution is within this share of its bound (0: prove the optimum).
    public static func solve(
        _ p: MixedIntegerProgram, relaxed: Bool = false, timeLimitS: Double = .infinity, relativeGap: Double = 0,
        start: [(column: Int, value: Double)] = []
    ) throws -> MIPSolution {
        let n = p.columnCount
        if n == 0 { return MIPSolution(values: [], objective: 0, bound: 0, provenOptimal: true) }
        // CBC loads column-wise: gather each column's (row, coefficient) pairs.
        var byColumn = [[(row: Int32, value: Double)]](repeating: [], count: n)
        for (r, entries) in p.rows.enumerated() { for e in entries { byColumn[e.column].append((Int32(r), e.coefficient)) } }
        var starts: [CoinBigIndex] = [0], index: [Int32] = [], value: [Double] = []
        for column in byColumn {
            for e in column { index.append(e.row); value.append(e.value) }
            starts.append(CoinBigIndex(index.count))
        }
        lock.lock()
        defer { lock.unlock() }
        guard let model = Cbc_newModel() else { throw OptimisationError.solver("CBC could not create a model") }
        defer { Cbc_deleteModel(model) }
        Cbc_loadProblem(model, Int32(n), Int32(p.rows.count), starts, index, value, p.lower, p.upper, p.objective, p.rowLower, p.rowUpper)
        Cbc_setObjSense(model, p.sense == .maximise ? -1 : 1)
        Cbc_setLogLevel(model, 0)
        if !relaxed {
            for c in 0..<n where p.isInteger[c] { Cbc_setInteger(model, Int32(c)) }
            Cbc_setAllowableFractionGap(model, relativeGap)
            Cbc_setAllowableGap(model, 1e-7)
            if timeLimitS.isFinite { Cbc_setMaximumSeconds(model, timeLimitS) }
            if !start.isEmpty { Cbc_setMIPStartI(model, Int32(start.count), start.map { Int32($0.column) }, start.map(\.value)) }
        }
        let status = Cbc_solve(model)
        if Cbc_isProvenInfeasible(model) != 0 { throw OptimisationError.solver("the programme is infeasible: its constraints contradict each other") }
        guard let solution = Cbc_getColSolution(model), status >= 0 else {
            throw OptimisationError.solver("CBC found no solution (status \(status), secondary \(Cbc_secondaryStatus(model)))")
        }
        // Within the allowed gap CBC reports the search as finished: proven only when the gap is 0.
        let optimal = Cbc_isProvenOptimal(model) != 0 && relativeGap == 0
        let objective = Cbc_getObjValue(model)
        let bound = relaxed || optimal ? objective : Cbc_getBestPossibleObjValue(model)
        return MIPSolution(values: (0..<n).map { solution[$0] }, objective: objective, bound: bound, provenOptimal: optimal || relaxed)
    }
}
