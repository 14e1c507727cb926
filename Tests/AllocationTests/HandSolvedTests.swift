import Foundation
import Testing
import TestSupport
import SpaceData
@testable import Allocation

/// Instances small enough to solve on paper. Priorities are given, no firm names a preferred
/// zone and carriers have no present firms, so a m² is worth the firm's priority, and a m²
/// above the base half that (area_above_minimum_weight in GIS/config/allocation.json).
@Suite("Hand-solved allocations")
struct HandSolvedTests {
    static func firm(
        _ id: String, stage: FirmStage = .growth, sector: String = "ai", min: Double, preferred: Double,
        priority: Double, maxRent: Double? = nil
    ) -> FirmDemand {
        FirmDemand(
            index: 0, id: id, sector: sector, stage: stage, minM2: min, preferredM2: preferred, moveInYear: 2025,
            priority: priority, maxRentYuanPerM2Month: maxRent)
    }

    static func carrier(
        _ id: String, type: CarrierType = .incubator, vacant: Double, unit: Double? = nil, rent: Double? = nil,
        zones: [String] = ["D"]
    ) -> CarrierSupply {
        CarrierSupply(id: id, type: type, zoneIDs: zones, floorAreaM2: 1_000, occupiedM2: 1_000 - vacant, unitM2: unit, rentYuanPerM2Month: rent)
    }

    /// Both solvers, with their placements as (firm id, carrier id, area).
    static func solve(_ firms: [FirmDemand], _ carriers: [CarrierSupply], lists: [String: Set<String>] = [:]) throws
        -> (exact: AllocationResult, heuristic: AllocationResult)
    {
        let rules = try Fixtures.rules
        let instance = AllocationInstance(firms: firms, carriers: carriers, rules: rules, positiveLists: PositiveLists(lists: lists, source: "test"))
        return (
            AllocationResult(instance, try ExactSolver(rules).solve(instance.problem)),
            AllocationResult(instance, try HeuristicSolver(rules).solve(instance.problem))
        )
    }

    static func placed(_ r: AllocationResult) -> [String: (String, Double)] {
        Dictionary(uniqueKeysWithValues: r.assignments.map { (r.instance.firms[$0.firm].id, (r.instance.carriers[$0.carrier].id, $0.areaM2)) })
    }

    @Test func roomForOneTakesTheHigherPriority() throws {
        // 100 m² free; A (60 m², priority 2) is worth 120, B (60–100 m², priority 1) at most 60 + 0.5 × 40 = 80.
        let (exact, heuristic) = try Self.solve(
            [
                Self.firm("A", min: 60, preferred: 60, priority: 2),
                Self.firm("B", min: 60, preferred: 100, priority: 1),
            ],
            [Self.carrier("C", vacant: 100)])
        for r in [exact, heuristic] {
            #expect(r.solution.objective == 120)
            #expect(Self.placed(r)["A"]! == ("C", 60))
            #expect(r.unplaced.map(\.reason) == [.noCapacity])
        }
    }

    @Test func leftoverSpaceEnlargesFirms() throws {
        // 150 m² free: both minimums fit (120 m²); B gets the 30 m² left: 2×60 + 1×60 + 0.5×30 = 195.
        let (exact, heuristic) = try Self.solve(
            [
                Self.firm("A", min: 60, preferred: 60, priority: 2),
                Self.firm("B", min: 60, preferred: 100, priority: 1),
            ],
            [Self.carrier("C", vacant: 150)])
        for r in [exact, heuristic] {
            #expect(abs(r.solution.objective - 195) < 1e-9)
            #expect(Self.placed(r)["B"]! == ("C", 90))
            #expect(r.carrierUse[0].allocatedM2 == 150)
        }
    }

    @Test func unitsRoundTheMinimumUp() throws {
        // 50 m² units: 60 m² needs 2 units (100 m²); 130 m² preferred allows no third unit.
        // Two such firms fill 200 m²; a third does not fit. Each is worth 60 (the waste is unpaid).
        let (exact, heuristic) = try Self.solve(
            (1...3).map { Self.firm("F\($0)", min: 60, preferred: 130, priority: 1) },
            [Self.carrier("C", vacant: 220, unit: 50)])
        for r in [exact, heuristic] {
            #expect(r.solution.objective == 120)
            #expect(r.assignments.map(\.areaM2) == [100, 100])
        }
    }

    @Test func theFirmWithOneChoiceGetsIt() throws {
        // A may go to C1 or C2, B only to C1 (stage), each carrier holds one: B→C1, A→C2.
        let (exact, heuristic) = try Self.solve(
            [
                Self.firm("A", stage: .growth, min: 80, preferred: 80, priority: 2),
                Self.firm("B", stage: .startUp, min: 80, preferred: 80, priority: 1),
            ],
            [Self.carrier("C1", type: .incubator, vacant: 100), Self.carrier("C2", type: .accelerator, vacant: 100)])
        for r in [exact, heuristic] {
            #expect(Self.placed(r)["A"]!.0 == "C2")
            #expect(Self.placed(r)["B"]!.0 == "C1")
            #expect(r.solution.objective == 240)
        }
    }

    @Test func everyReasonForNotPlacing() throws {
        let firms = [
            Self.firm("stage", stage: .mature, min: 10, preferred: 10, priority: 1),  // mature: parks and silicon buildings only
            Self.firm("list", sector: "fintech", min: 10, preferred: 10, priority: 1),  // Z1 admits ai only
            Self.firm("rent", min: 10, preferred: 10, priority: 1, maxRent: 50),  // asks 80
            Self.firm("large", min: 500, preferred: 500, priority: 1),  // 100 m² free
            Self.firm("placed", min: 100, preferred: 100, priority: 5),
            Self.firm("crowded", min: 100, preferred: 100, priority: 1),
        ]
        let (exact, heuristic) = try Self.solve(firms, [Self.carrier("C", vacant: 100, rent: 80, zones: ["D", "Z1"])], lists: ["Z1": ["ai"]])
        for r in [exact, heuristic] {
            let reasons = Dictionary(uniqueKeysWithValues: r.unplaced.map { (r.instance.firms[$0.firm].id, $0.reason) })
            #expect(reasons == ["stage": .stageMismatch, "list": .offPositiveList, "rent": .rentTooHigh, "large": .tooLarge, "crowded": .noCapacity])
            #expect(Self.placed(r)["placed"]! == ("C", 100))
        }
    }
}
