import SpaceCore
import Foundation
import Testing
import TestSupport
import SampleDistrict
import SpaceData
import SpaceGeometry
import SpaceMap
@testable import Allocation

enum Fixtures {
    static var rules: AllocationRules {
        get throws { try readConfig(AllocationRules.self, from: TestPaths.repositoryRoot.appendingPathComponent("GIS/config/allocation.json")) }
    }
}

@Suite("Both solvers on instances CBC proves")
struct SolverTests {
    /// CBC's proven optimum is at least the heuristic's worth and within 1 % of it, both keep
    /// every rule (checked from the raw records) and report the worth the validator computes,
    /// and the heuristic's bound lies between the LP optimum and 1 % above it.
    static func check(_ label: String, firms: [FirmDemand], carriers: [CarrierSupply], lists: [String: Set<String>]) throws {
        let rules = try Fixtures.rules
        let instance = AllocationInstance(firms: firms, carriers: carriers, rules: rules, positiveLists: PositiveLists(lists: lists, source: "test"))
        let validator = IndependentValidator(firms: firms, carriers: carriers, rules: rules, lists: lists)

        let exact = AllocationResult(instance, try ExactSolver(rules).solve(instance.problem))
        let heuristic = AllocationResult(instance, try HeuristicSolver(rules).solve(instance.problem))
        #expect(exact.solution.provenOptimal, "\(label)")
        for result in [exact, heuristic] {
            #expect(validator.violations(result.triples) == [], "\(label) \(result.solution.solver)")
            let worth = validator.worth(result.triples)
            #expect(
                abs(worth - result.solution.objective) <= 1e-6 * worth, "\(label) \(result.solution.solver): \(worth) vs \(result.solution.objective)"
            )
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
        #expect(gap < 0.01, "\(label)")
        print(
            "allocation \(label): exact \(exact.solution.objective) heuristic \(heuristic.solution.objective) (\(formatFixed(gap * 100, 3)) % below) LP \(lp) heuristic bound \(heuristic.solution.bound) exact \(formatFixed(exact.solution.seconds, 2)) s heuristic \(formatFixed(heuristic.solution.seconds, 2)) s"
        )
    }

    /// Random instances of 50–160 firms (CBC proves larger random ones only slowly: see docs/allocation.md).
    @Test(arguments: [(UInt64(1), 50, 8), (2, 80, 12), (3, 120, 16), (4, 160, 20)])
    func randomInstances(seed: UInt64, firms: Int, carriers: Int) throws {
        let random = RandomInstance(seed: seed, firms: firms, carriers: carriers)
        try Self.check("random seed \(seed), \(firms) firms", firms: random.firms, carriers: random.carriers, lists: random.lists)
    }

    /// 200 firms from the demand generator on the sample's 27 carriers, as `bench/allocation.sh` draws them.
    @Test func twoHundredFirmsOnTheSample() throws {
        let root = TestPaths.repositoryRoot
        let map = try SpaceMap.build(
            try DistrictData.load(
                directory: root.appendingPathComponent("GIS/sample"),
                policy: try Policy.load(root.appendingPathComponent("GIS/config/policy.json"))))
        let zones = map.data.zones.filter { $0.kind != .district }.map(\.id)
        let firms = SyntheticDemand.firms(.init(seed: 3, firms: 200, zoneIDs: zones, asOfYear: map.data.manifest.asOfYear ?? 2021))
        let lists = try PositiveLists.load(root.appendingPathComponent("GIS/config/positive_lists.json"))
        try Self.check("sample, 200 firms", firms: firms, carriers: CarrierSupply.from(map), lists: lists.lists)
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
