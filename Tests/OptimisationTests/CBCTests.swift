import Foundation
import Optimisation
import Testing

/// Small programmes whose answers are worked out by hand, solved by CBC through `CBC.solve`.
@Suite("Mixed-integer programmes solved by CBC")
struct CBCTests {
    /// A knapsack of capacity 7 and four items (value, weight): (10, 3), (13, 4), (7, 2), (8, 3).
    ///
    /// By hand, the subsets that fit: {1,2} w 7 v 23; {2,4} w 7 v 21; {2,3} w 6 v 20; {1,4} w 6
    /// v 18; {1,3} w 5 v 17; {3,4} w 5 v 15; any three items weigh 8 or more. The optimum is
    /// {1,2}, worth 23. The LP relaxation takes items by value per weight (3: 3.5, 1: 3.33,
    /// 2: 3.25, 4: 2.67): items 3 and 1 whole (w 5, v 17), then half of item 2 (6.5): 23.5.
    static func knapsack() -> MixedIntegerProgram {
        var p = MixedIntegerProgram(.maximise)
        let items: [(value: Double, weight: Double)] = [(10, 3), (13, 4), (7, 2), (8, 3)]
        let columns = items.map { p.addColumn(upper: 1, objective: $0.value, integer: true) }
        p.addRow(zip(columns, items).map { ($0, $1.weight) }, upper: 7)
        return p
    }

    @Test("the best load of a knapsack, worked out by hand: items 1 and 2, worth 23, proven optimal")
    func knapsackOptimum() throws {
        let solution = try CBC.solve(Self.knapsack())
        #expect(solution.provenOptimal)
        #expect(abs(solution.objective - 23) < 1e-9)
        #expect(solution.values.map { $0.rounded() } == [1, 1, 0, 0])
        #expect(abs(solution.bound - 23) < 1e-9)
    }

    @Test("its LP relaxation takes half of item 2: 23.5")
    func knapsackRelaxation() throws {
        let solution = try CBC.solve(Self.knapsack(), relaxed: true)
        #expect(abs(solution.objective - 23.5) < 1e-9)
        let expected = [1.0, 0.5, 1.0, 0.0]
        #expect(zip(solution.values, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(solution.values)")
    }

    /// Minimise 3x + 2y with x + y ≥ 3.5 and x − y ≤ 1, x and y whole numbers in 0...10.
    /// By hand: x + y ≥ 4; cost 3x + 2y is least with x as small as possible: x = 0, y = 4, cost 8
    /// (x − y = −4 ≤ 1). Any x ≥ 1 costs at least 3 + 2·3 = 9.
    @Test("a minimisation with general integers: x = 0, y = 4, cost 8")
    func minimisation() throws {
        var p = MixedIntegerProgram(.minimise)
        let x = p.addColumn(upper: 10, objective: 3, integer: true), y = p.addColumn(upper: 10, objective: 2, integer: true)
        p.addRow([(x, 1), (y, 1)], lower: 3.5)
        p.addRow([(x, 1), (y, -1)], upper: 1)
        let solution = try CBC.solve(p)
        #expect(solution.provenOptimal)
        #expect(abs(solution.objective - 8) < 1e-9)
        #expect(solution.values.map { $0.rounded() } == [0, 4])
    }

    @Test("contradicting constraints are an error saying so, not a solution")
    func infeasible() {
        var p = MixedIntegerProgram(.maximise)
        let x = p.addColumn(upper: 1, objective: 1, integer: true)
        p.addRow([(x, 1)], lower: 2)
        let error = #expect(throws: OptimisationError.self) { try CBC.solve(p) }
        #expect(error?.description.contains("infeasible") == true)
    }
}
