import Foundation
import Testing
import TestSupport
import SpaceCore
@testable import BuildOut

/// Target programmes built and solved to proven optimality, both phases, by HiGHS, a solver
/// unrelated to CBC, from the raw records alone (scripts/reference/make_target_fixtures.py).
@Suite("Target programme against HiGHS's proven optima")
struct HiGHSTargetReferenceTests {
    struct Instance: Sendable, CustomTestStringConvertible {
        let name: String
        let problem: TargetProblem
        let phase1: Double
        let shortfalls: [(year: Int, m2: Double)]
        let phase2: Double
        let discountedCost: Double
        let binds: [String: Bool]
        var testDescription: String { name }
    }

    static let fixture: JSONValue = try! TestPaths.fixture("target_reference.json", of: "BuildOutTests")

    static let instances: [Instance] = fixture["instances"]!.arrayValue!.map { i in
        let number = { (v: JSONValue?) in v!.numberValue! }
        let candidates = i["candidates"]!.arrayValue!.map { c in
            Candidate(
                id: c["id"]!.stringValue!, mode: "fixture", parcel: nil,
                buildings: c["buildings"]!.arrayValue!.map { Int(number($0)) }, techM2: number(c["tech_m2"]),
                constructionYears: Int(number(c["construction_years"])), oneOffCostYuan: number(c["one_off_cost_yuan"]),
                annualCostYuan: number(c["annual_cost_yuan"]), displacedM2: number(c["displaced_m2"]), displacedFirms: 0,
                clusters: c["clusters"]!.arrayValue!.map { $0.stringValue! }, sectors: [],
                earliestStart: c["earliest_start"]?.numberValue.map { Int($0) }, fromFile: true)
        }
        let byYear = i["budget_by_year"]!.objectValue!.members.reduce(into: [Int: Double]()) { $0[Int($1.key)!] = $1.value.numberValue! }
        let shares = i["cluster_minimum_share"]!.objectValue!.members.reduce(into: [String: Double]()) { $0[$1.key] = $1.value.numberValue! }
        let rules = BuildOutRules(
            floorHeightM: 4.5, siteCoverage: 0.45, modes: [], budgetDefaultYuan: number(i["budget_default_yuan"]),
            budgetByYear: byYear, displacementCapM2: number(i["displacement_cap_m2"]),
            displacementWeightYuanPerM2: number(i["displacement_weight_yuan_per_m2"]),
            discountRate: number(i["discount_rate"]), clusterMinimumShare: shares,
            timeLimitS: 600, variantTimeLimitS: 600, gapTolerance: 0, exactMaxCandidates: .max, marginalStepM2: 100,
            costChange: 0.2, budgetChange: -0.2, constructionDelayYears: 1, source: "target_reference.json")
        let targets = i["targets"]!.arrayValue!.map { TargetProblem.Target(year: Int(number($0["year"])), floorAreaM2: number($0["floor_area_m2"])) }
        let reference = i["reference"]!
        return Instance(
            name: i["name"]!.stringValue!,
            problem: TargetProblem(
                candidates: candidates, targets: targets, openingStockM2: number(i["opening_stock_m2"]),
                asOfYear: Int(number(i["as_of_year"])), rules: rules),
            phase1: number(reference["phase1_objective"]),
            shortfalls: reference["shortfalls_m2"]!.arrayValue!.map { (Int(number($0["year"])), number($0["m2"])) },
            phase2: number(reference["phase2_objective"]), discountedCost: number(reference["discounted_cost_yuan"]),
            binds: reference["binds"]!.objectValue!.members.reduce(into: [:]) { $0[$1.key] = $1.value.boolValue! })
    }

    @Test("the fixture covers binding budgets, a binding cap, a binding cluster minimum and a shortfall")
    func coverage() {
        let instances = Self.instances
        #expect(instances.count >= 4)
        #expect(instances.contains { $0.binds["budgets"] == true })
        #expect(instances.contains { $0.binds["cap"] == true })
        #expect(instances.contains { $0.binds["clusters"] == true })
        #expect(instances.contains { $0.phase1 > 0.5 && $0.shortfalls.contains { $0.m2 > 0.5 } })
        #expect(instances.allSatisfy { $0.problem.rules.discountRate > 0 })
    }

    @Test("CBC proves HiGHS's optima: the same shortfalls, then the same cost and displacement", arguments: Self.instances)
    func optima(_ i: Instance) throws {
        let p = try TargetProgramme.solve(i.problem)
        let rules = i.problem.rules
        #expect(p.solver.hasPrefix("CBC") && p.provenOptimal, "\(i.name): \(p.solver)")
        #expect(p.milestones.count == i.shortfalls.count)
        for (m, h) in zip(p.milestones, i.shortfalls) {
            #expect(m.year == h.year && abs(m.shortfallM2 - h.m2) <= 1e-6, "\(i.name) \(h.year): CBC short by \(m.shortfallM2) m², HiGHS \(h.m2) m²")
        }
        // Phase 1's objective: the shortfalls and each cluster's gap below its minimum share.
        let added = p.chosen.reduce(0) { $0 + $1.candidate.techM2 }
        let gaps = rules.clusterMinimumShare.reduce(0.0) { sum, k in
            sum + max(0, k.value * added - p.chosen.filter { $0.candidate.clusters.contains(k.key) }.reduce(0) { $0 + $1.candidate.techM2 })
        }
        let phase1 = p.milestones.reduce(0) { $0 + $1.shortfallM2 } + gaps
        #expect(abs(phase1 - i.phase1) <= 1e-6 * max(1, i.phase1), "\(i.name): phase 1 CBC \(phase1) HiGHS \(i.phase1)")
        let phase2 = p.discountedCostYuan + rules.displacementWeightYuanPerM2 * p.displacedM2
        #expect(abs(phase2 - i.phase2) <= 1e-6 * i.phase2, "\(i.name): phase 2 CBC \(phase2) HiGHS \(i.phase2)")
        // CBC's programme keeps the rules, checked from its chosen projects.
        #expect(p.costByYear.allSatisfy { $0.costYuan <= $0.budgetYuan * (1 + 1e-9) }, "\(i.name)")
        #expect(p.displacedM2 <= rules.displacementCapM2 + 1e-6, "\(i.name)")
        let buildings = p.chosen.flatMap(\.candidate.buildings)
        #expect(Set(buildings).count == buildings.count && Set(p.chosen.map(\.candidate.id)).count == p.chosen.count, "\(i.name)")
        print(
            "target fixture \(i.name): \(i.problem.candidates.count) candidates; phase 1 HiGHS \(i.phase1) CBC \(phase1); "
                + "phase 2 HiGHS \(formatFixed(i.phase2, 2)) CBC \(formatFixed(phase2, 2)); \(p.chosen.count) chosen; \(formatFixed(p.seconds, 1)) s")
    }
}
