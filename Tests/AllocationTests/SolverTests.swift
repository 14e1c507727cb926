import Foundation
import Testing
import SpaceData
@testable import Allocation

enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var rules: AllocationRules {
        get throws { try AllocationRules.load(repositoryRoot.appendingPathComponent("GIS/config/allocation.json")) }
    }
}

@Suite("Solvers on random instances")
struct SolverTests {
    /// 50–200 firms: CBC's proven optimum is at least the heuristic's worth, both keep every
    /// rule (checked from the raw records), and each reports the worth the validator computes.
    @Test(arguments: [(UInt64(1), 50, 8), (2, 80, 12), (3, 120, 16), (4, 160, 20), (10, 200, 10)])
    func exactAtLeastHeuristicAndBothValid(seed: UInt64, firms: Int, carriers: Int) throws {
        let rules = try Fixtures.rules
        let random = RandomInstance(seed: seed, firms: firms, carriers: carriers)
        let instance = AllocationInstance(firms: random.firms, carriers: random.carriers, rules: rules, positiveLists: random.positiveLists)
        let validator = IndependentValidator(firms: random.firms, carriers: random.carriers, rules: rules, lists: random.lists)

        let exact = AllocationResult(instance, try ExactSolver(rules).solve(instance.problem))
        let heuristic = AllocationResult(instance, try HeuristicSolver(rules).solve(instance.problem))
        #expect(exact.solution.provenOptimal)
        for result in [exact, heuristic] {
            #expect(validator.violations(result.triples) == [], "\(result.solution.solver)")
            let worth = validator.worth(result.triples)
            #expect(abs(worth - result.solution.objective) <= 1e-6 * worth, "\(result.solution.solver): \(worth) vs \(result.solution.objective)")
            #expect(result.assignments.count > 0)
        }
        #expect(exact.solution.objective >= heuristic.solution.objective - 1e-6 * exact.solution.objective)
        // The heuristic's bound is an upper bound: never below the proven optimum.
        #expect(heuristic.solution.bound >= exact.solution.objective * (1 - 1e-9))
        // The Lagrangian bound is the LP relaxation's optimum or above, and close to it.
        let lp = try ExactSolver.linearRelaxation(instance.problem)
        #expect(heuristic.solution.bound >= lp * (1 - 1e-9))
        #expect(heuristic.solution.bound <= lp * 1.01)
        let gap = (exact.solution.objective - heuristic.solution.objective) / exact.solution.objective
        #expect(gap < 0.01)
        print("allocation seed \(seed) firms \(firms): exact \(exact.solution.objective) heuristic \(heuristic.solution.objective) gap to exact \(gap * 100) % LP \(lp) heuristic bound \(heuristic.solution.bound) exact \(exact.solution.seconds) s heuristic \(heuristic.solution.seconds) s")
    }
}

@Suite("Determinism")
struct DeterminismTests {
    @Test func sameInputSameAssignment() throws {
        let rules = try Fixtures.rules
        let random = RandomInstance(seed: 21, firms: 400, carriers: 30)
        let a = AllocationInstance(firms: random.firms, carriers: random.carriers, rules: rules, positiveLists: random.positiveLists)
        let b = AllocationInstance(firms: random.firms, carriers: random.carriers, rules: rules, positiveLists: random.positiveLists)
        let first = try HeuristicSolver(rules).solve(a.problem), second = try HeuristicSolver(rules).solve(b.problem)
        #expect(first.placements == second.placements)
        #expect(first.objective == second.objective)
        #expect(first.placements.compactMap { $0 }.count > 100)
    }
}
