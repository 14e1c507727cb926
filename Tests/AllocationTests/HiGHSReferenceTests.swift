import SpaceCore
import Foundation
import Testing
import TestSupport
import SpaceData
import SpaceGeometry
@testable import Allocation

/// Instances built and solved to proven optimality by HiGHS, a solver unrelated to CBC, from
/// the raw records alone (scripts/reference/make_allocation_fixtures.py).
@Suite("Allocation against HiGHS's proven optima")
struct HiGHSReferenceTests {
    struct Instance {
        let name: String
        let firms: [FirmDemand]
        let carriers: [CarrierSupply]
        let lists: [String: Set<String>]
        let optimum, lpWholeUnits: Double
        let unplaceable: Int
    }

    static let fixture: JSONValue = {
        let url = TestPaths.repositoryRoot.appendingPathComponent("Tests/AllocationTests/Fixtures/allocation_reference.json")
        return try! parseJSON(try! Data(contentsOf: url))
    }()

    static func instances() -> [Instance] {
        fixture["instances"]!.arrayValue!.map { i in
            let strings = { (v: JSONValue?) in v?.arrayValue?.compactMap(\.stringValue) ?? [] }
            let carriers = i["carriers"]!.arrayValue!.map { c in
                CarrierSupply(
                    id: c["id"]!.stringValue!, type: CarrierType(rawValue: c["type"]!.stringValue!)!, zoneIDs: strings(c["zones"]),
                    floorAreaM2: c["floor_area_m2"]!.numberValue!, occupiedM2: c["occupied_m2"]!.numberValue!,
                    unitM2: c["unit_m2"]?.numberValue, rentYuanPerM2Month: c["rent"]?.numberValue,
                    sectorShares: (c["sector_shares"]!.objectValue!.members).reduce(into: [:]) { $0[$1.0] = $1.1.numberValue! })
            }
            let firms = i["firms"]!.arrayValue!.enumerated().map { k, f in
                FirmDemand(
                    index: k, id: f["id"]!.stringValue!, sector: f["sector"]!.stringValue!, stage: FirmStage(rawValue: f["stage"]!.stringValue!)!,
                    flags: strings(f["flags"]), minM2: f["min_m2"]!.numberValue!, preferredM2: f["preferred_m2"]!.numberValue!,
                    preferredZoneIDs: strings(f["preferred_zones"]), moveInYear: 2025,
                    priority: f["priority"]?.numberValue, maxRentYuanPerM2Month: f["max_rent"]?.numberValue)
            }
            let lists = i["positive_lists"]!.objectValue!.members.reduce(into: [String: Set<String>]()) { $0[$1.0] = Set(strings($1.1)) }
            return Instance(
                name: i["name"]!.stringValue!, firms: firms, carriers: carriers, lists: lists,
                optimum: i["optimum"]!.numberValue!, lpWholeUnits: i["lp_optimum_whole_units"]!.numberValue!,
                unplaceable: i["firms_without_admissible_carrier"]!.arrayValue!.count)
        }
    }

    @Test("the fixture was made with the shipped allocation rules")
    func rulesMatch() throws {
        let rules = try Fixtures.rules, used = Self.fixture["rules_checked"]!
        #expect(used["area_above_minimum_weight"]!.numberValue == rules.areaAboveMinimumWeight)
        #expect(used["fit"]!["preferred_zone"]!.numberValue == rules.preferredZoneBonus)
        #expect(used["fit"]!["sector_cluster"]!.numberValue == rules.sectorClusterBonus)
        #expect(used["priority"]!["base"]!.numberValue == rules.basePriority)
        for (flag, weight) in used["priority"]!["flags"]!.objectValue!.members { #expect(weight.numberValue == rules.flagPriority[flag], "\(flag)") }
        for (stage, types) in used["stages"]!.objectValue!.members {
            #expect(
                Set(types.arrayValue!.compactMap { CarrierType(rawValue: $0.stringValue!) }) == rules.stageCarriers[FirmStage(rawValue: stage)!],
                "\(stage)")
        }
    }

    @Test("CBC proves HiGHS's optimum; the heuristic keeps every rule, within 1 % of it; both LPs agree")
    func optima() throws {
        let rules = try Fixtures.rules
        let instances = Self.instances()
        #expect(instances.count == 4)
        for i in instances {
            let instance = AllocationInstance(
                firms: i.firms, carriers: i.carriers, rules: rules, positiveLists: PositiveLists(lists: i.lists, source: "fixture"))
            let validator = IndependentValidator(firms: i.firms, carriers: i.carriers, rules: rules, lists: i.lists)
            #expect(instance.ineligible.count == i.unplaceable, "\(i.name)")
            let exact = AllocationResult(instance, try ExactSolver(rules).solve(instance.problem))
            let heuristic = AllocationResult(instance, try HeuristicSolver(rules).solve(instance.problem))
            #expect(exact.solution.provenOptimal, "\(i.name)")
            #expect(abs(exact.solution.objective - i.optimum) <= 1e-6 * i.optimum, "\(i.name): CBC \(exact.solution.objective) vs HiGHS \(i.optimum)")
            #expect(abs(try ExactSolver.linearRelaxation(instance.problem) - i.lpWholeUnits) <= 1e-6 * i.lpWholeUnits, "\(i.name)")
            for r in [exact, heuristic] { #expect(validator.violations(r.triples) == [], "\(i.name) \(r.solution.solver)") }
            #expect(heuristic.solution.objective <= i.optimum * (1 + 1e-9))
            #expect(heuristic.solution.objective >= 0.99 * i.optimum, "\(i.name): heuristic \(heuristic.solution.objective)")
            #expect(heuristic.solution.bound >= i.lpWholeUnits * (1 - 1e-9), "\(i.name)")
            print(
                "allocation fixture \(i.name): HiGHS \(i.optimum) CBC \(exact.solution.objective) heuristic \(heuristic.solution.objective) (\(formatFixed((1 - heuristic.solution.objective / i.optimum) * 100, 3)) % below)"
            )
        }
    }
}
