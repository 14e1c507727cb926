import Allocation
import Foundation
import Ladder
import SpaceCore
import SpaceData
import Testing

/// Settings for hand-checked runs: every rate 0 unless given, no residence or sector factors,
/// no incubation limit, a fixed pipeline of `startUps` firms of 100 m² a year.
func handSettings(rates: [FirmStage: [String: Double]] = [:], startUps: Double = 2, queueYears: Int = 1) throws -> SimulationSettings {
    func stage(_ s: FirmStage) -> String {
        let r = rates[s] ?? [:]
        return #""\#(s.rawValue)": {"graduate": \#(r["graduate"] ?? 0), "fail": \#(r["fail"] ?? 0), "leave": \#(r["leave"] ?? 0), "grow": \#(r["grow"] ?? 0), "high_tech": \#(r["high_tech"] ?? 0)}"#
    }
    let text = """
        {"stage_of_carrier_type": {"value": {"maker_space": "start_up", "incubator": "growth", "accelerator": "scale_up", "park": "mature", "silicon_building": "mature"}},
         "yearly_rates": {"value": {\(FirmStage.allCases.map(stage).joined(separator: ", "))}},
         "sector_factors": {"value": {}},
         "graduation_by_years_in_residence": {"value": [1.0]},
         "max_months_in_incubation": {"value": {"default": 1000, "sectors": {}, "stages": ["start_up", "growth"]}},
         "entry_max_months_since_founding": {"value": 24},
         "density_floor_firms_per_1000_m2": {"value": {"firms": 3, "carrier_types": ["incubator"]}},
         "area_factors": {"value": {"graduate": 2.0, "grow": 1.5}},
         "pipeline": {"value": {"arrivals_per_year": {"start_up": \(startUps), "growth": 0, "scale_up": 0, "mature": 0},
                                "area_m2": {"start_up": [100, 100], "growth": [200, 200], "scale_up": [400, 400], "mature": [800, 800]}}},
         "queue_max_years": {"value": \(queueYears)},
         "new_space_type_shares": {"value": {"incubator": 1.0}},
         "jam": {"value": {"occupancy": 0.95}},
         "history": {"value": {"vacancy_report_months": 3, "vacancy_drift_share": 0, "delivery_month": 6}}}
        """
    return try SimulationSettings.decode(try parseJSON(Data(text.utf8)), source: "hand.json")
}

/// Each stage placed on its own rung only, so where a firm goes is known by hand.
let rungRules = AllocationRules(
    stageCarriers: [.startUp: [.makerSpace], .growth: [.incubator], .scaleUp: [.accelerator], .mature: [.park]], basePriority: 1, flagPriority: [:],
    preferredZoneBonus: 0, sectorClusterBonus: 0, areaAboveMinimumWeight: 0.5, exactMaxFirms: 0, exactTimeLimitS: 1, boundIterations: 50,
    localSearchPasses: 5, candidateOptions: 8, searchEveryStartUpToFirms: 100, source: "test")

let noLists = PositiveLists(lists: [:], source: "none")

func carrier(_ id: String, _ type: CarrierType, _ m2: Double) -> LadderCarrier {
    LadderCarrier(id: id, type: type, zoneIDs: ["D"], floorAreaM2: m2, otherOccupiedM2: 0)
}

@Suite("The incubation ladder, year by year")
struct LadderSimulationTests {
    @Test("one carrier per rung, rates of 0 and 1, two start-ups a year: occupancy and queue as computed by hand")
    func handChecked() throws {
        // Rates: every start-up graduates after its first year; no one fails, leaves or grows.
        // Year 1 (2022): 2 arrivals × 100 m² → maker space 200 m².
        // Year 2: the 2 graduate (200 m² each at growth) → incubator 400; 2 arrivals → maker space 200.
        // Year 3: 2 more graduates → incubator 800; maker space 200.
        // Year 4: 2 graduates need 400, the incubator has 200 vacant: 1 placed (1,000 m², full),
        //         1 waits; unmet 200 m² at growth; the rung jams (100 % full, unmet > 0).
        // Year 5: the waiting one has waited a year: lost; 2 new graduates wait; unmet 600 m².
        let settings = try handSettings(rates: [.startUp: ["graduate": 1]])
        let start = LadderStart(
            year: 2021, carriers: [carrier("M", .makerSpace, 1000), carrier("I", .incubator, 1000), carrier("A", .accelerator, 1000), carrier("P", .park, 1000)],
            firms: [], arrivalSectors: [("ai", 1)], highTechElsewhere: 0)
        let sim = LadderSimulation(start: start, settings: settings, rules: rungRules, positiveLists: noLists, deliveries: [], toYear: 2026, districtZoneID: "D")
        let years = try sim.run(seed: 1, run: 0)
        #expect(years.map(\.year) == [2022, 2023, 2024, 2025, 2026])
        #expect(years.map { $0.occupiedByType[.makerSpace] ?? -1 } == [200, 200, 200, 200, 200])
        #expect(years.map { $0.occupiedByType[.incubator] ?? -1 } == [0, 400, 800, 1000, 1000])
        #expect(years.map { $0.firmsByStage[.growth] ?? 0 } == [0, 2, 4, 5, 5])
        #expect(years.map { $0.queueByStage[.growth] ?? 0 } == [0, 0, 0, 1, 2])
        #expect(years.map { $0.unmetM2ByStage[.growth] ?? 0 } == [0, 0, 0, 200, 600])
        #expect(years.map(\.graduatesHoused) == [0, 2, 2, 1, 0])
        #expect(years.map(\.graduatesLost) == [0, 0, 0, 0, 1])
        #expect(years.map(\.arrivals) == [2, 2, 2, 2, 2])
        // 5 growth firms in 1,000 m² of incubator meet the floor of 3 per 1,000 m² from year 4.
        #expect(years.map(\.belowDensityFloor) == [["I"], ["I"], [], [], []])
        let summary = SimulationSummary(runs: [years], settings: settings)
        #expect(summary.jams.map(\.year) == [2025, 2026])
        #expect(summary.jams.allSatisfy { $0.stage == .growth && $0.fullCarriers == ["I"] })
    }

    @Test("no accelerator space: the growth firms that graduate wait a year, then are lost, in that year")
    func jamOnPurpose() throws {
        let settings = try handSettings(rates: [.growth: ["graduate": 1]], startUps: 0)
        let firms = (1...3).map { LadderFirm(id: "F\($0)", sector: "ai", stage: .growth, areaM2: 100, carrier: 1) }
        let start = LadderStart(
            year: 2023, carriers: [carrier("M", .makerSpace, 500), carrier("I", .incubator, 500), carrier("P", .park, 5000)], firms: firms,
            arrivalSectors: [("ai", 1)], highTechElsewhere: 0)
        let sim = LadderSimulation(start: start, settings: settings, rules: rungRules, positiveLists: noLists, deliveries: [], toYear: 2026, districtZoneID: "D")
        let years = try sim.run(seed: 9, run: 0)
        // 2024: all three graduate to scale-up, find no accelerator and wait; 2025: lost.
        #expect(years.map { $0.queueByStage[.scaleUp] ?? 0 } == [3, 0, 0])
        #expect(years.map { $0.graduatesLostByStage[.scaleUp] ?? 0 } == [0, 3, 0])
        #expect(years.map { $0.occupiedByType[.incubator] ?? -1 } == [0, 0, 0])
        let summary = SimulationSummary(runs: [years], settings: settings)
        #expect(summary.jams.map { "\($0.year) \($0.stage.rawValue)" } == ["2024 scale_up", "2025 scale_up"])
    }

    @Test("new space is added in the year the supply delivers it, divided by type as configured")
    func deliveries() throws {
        let settings = try handSettings(rates: [.startUp: ["graduate": 1]])
        let start = LadderStart(year: 2021, carriers: [carrier("M", .makerSpace, 1000), carrier("I", .incubator, 1000)], firms: [], arrivalSectors: [("ai", 1)], highTechElsewhere: 0)
        let sim = LadderSimulation(
            start: start, settings: settings, rules: rungRules, positiveLists: noLists,
            deliveries: [Delivery(year: 2024, floorAreaM2: 600, zoneIDs: [], label: "buy")], toYear: 2026, districtZoneID: "D")
        let years = try sim.run(seed: 1, run: 0)
        #expect(years.map { $0.capacityByType[.incubator] ?? 0 } == [1000, 1000, 1600, 1600, 1600])
        #expect(years.map(\.addedM2) == [0, 0, 600, 0, 0])
        // With 600 m² more, year 4's graduates all find room: none waits, none is lost.
        #expect(years.map { $0.queueByStage[.growth] ?? 0 } == [0, 0, 0, 0, 0])
        #expect(years.map { $0.occupiedByType[.incubator] ?? 0 } == [0, 400, 800, 1200, 1600])
    }

    @Test("runs are the same for a seed, on all cores or one, and differ between seeds")
    func deterministic() throws {
        let settings = try handSettings(rates: [.startUp: ["graduate": 0.3, "fail": 0.2, "leave": 0.1, "grow": 0.2, "high_tech": 0.1]], startUps: 6.5)
        let start = LadderStart(
            year: 2021, carriers: [carrier("M", .makerSpace, 2000), carrier("I", .incubator, 3000), carrier("A", .accelerator, 2000), carrier("P", .park, 5000)],
            firms: [], arrivalSectors: [("ai", 2), ("biomedicine", 1)], highTechElsewhere: 10)
        let sim = LadderSimulation(start: start, settings: settings, rules: rungRules, positiveLists: noLists, deliveries: [], toYear: 2031, districtZoneID: "D")
        let parallel = try ParallelMap.map(0..<16, chunk: 1) { try sim.run(seed: 42, run: $0) }
        let serial = try (0..<16).map { try sim.run(seed: 42, run: $0) }
        #expect(parallel == serial)
        #expect(try sim.run(seed: 42, run: 3) == serial[3])
        #expect(try sim.run(seed: 43, run: 3) != serial[3])
        #expect(Set(serial.map { $0.last!.firmsByStage }).count > 1, "runs of one seed differ from each other")
    }

    @Test("percentiles interpolate between ranks as numpy's default does")
    func percentiles() {
        // numpy.percentile([1, 2, 3, 4, 10], [10, 50, 90]) = [1.4, 3.0, 7.6]
        let s = SimulationSummary.Spread([10, 1, 4, 2, 3])
        #expect(abs(s.p10 - 1.4) < 1e-12 && s.p50 == 3 && abs(s.p90 - 7.6) < 1e-12)
    }
}
