import Foundation
import Ladder
import SpaceCore
import SpaceData
import SpacePlanKit
import Testing
import TestSupport

/// Rates stated in simulation.json, written into a synthetic history by generate-history, and
/// estimated back from it; and a backcast: calibrated on the first three years, the simulation
/// of the last two lands the recorded occupancy inside its P10–P90 band. The district has room
/// at every rung from 2021: a history records the firms that found space, not those that did
/// not, so where a rung is full its rates come back too low (docs/time.md).
@Suite("Calibration: the rates a history was written with, estimated back", .serialized)
struct CalibrationTests {
    /// The stated rates (yearly chances), large enough that five years give hundreds of events.
    static let stated: [FirmStage: (graduate: Double, fail: Double, leave: Double)] = [
        .startUp: (0.30, 0.20, 0.10), .growth: (0.25, 0.10, 0.05), .scaleUp: (0.20, 0.05, 0.05), .mature: (0, 0.05, 0.05),
    ]

    /// GIS/sample with its configuration copied, simulation.json stating the rates above with no
    /// residence or sector factors, no incubation limit (a forced move is not a rate), no drift in
    /// the occupancy operators report, the same floor area at every rung, and each stage placed on
    /// its own rung (as the history places firms).
    static func district(_ folder: URL) throws -> URL {
        let data = folder.appendingPathComponent("sample"), config = folder.appendingPathComponent("config")
        try FileManager.default.copyItem(at: TestPaths.sample, to: data)
        try FileManager.default.copyItem(at: TestPaths.repositoryRoot.appendingPathComponent("GIS/config"), to: config)
        func edit(_ name: String, _ change: (inout JSONObject) -> Void) throws {
            let url = config.appendingPathComponent(name)
            var object = try parseJSON(try Data(contentsOf: url)).objectValue!
            change(&object)
            try Data(serializedJSON(.object(object)).utf8).write(to: url)
        }
        func entry(_ value: JSONValue) -> JSONValue { .object(JSONObject([("value", value), ("source", .string("test"))])) }
        try edit("simulation.json") { o in
            var rates = JSONObject()
            for stage in FirmStage.allCases {
                let r = stated[stage]!
                rates[stage.rawValue] = .object(
                    JSONObject([("graduate", .number(r.graduate)), ("fail", .number(r.fail)), ("leave", .number(r.leave)), ("grow", .number(0)), ("high_tech", .number(0))]))
            }
            o["yearly_rates"] = entry(.object(rates))
            o["sector_factors"] = entry(.object(JSONObject()))
            o["graduation_by_years_in_residence"] = entry(.array([.number(1)]))
            o["max_months_in_incubation"] = entry(.object(JSONObject([("default", .number(1000)), ("sectors", .object(JSONObject())), ("stages", .array([.string("start_up"), .string("growth")]))])))
            o["area_factors"] = entry(.object(JSONObject([("graduate", .number(1)), ("grow", .number(1))])))
            o["history"] = entry(.object(JSONObject([("vacancy_report_months", .number(3)), ("vacancy_drift_share", .number(0)), ("delivery_month", .number(6))])))
            var pipeline = o["pipeline"]!["value"]!.objectValue!
            pipeline["arrivals_per_year"] = .object(JSONObject([("start_up", .number(150)), ("growth", .number(40)), ("scale_up", .number(12)), ("mature", .number(0))]))
            o["pipeline"] = entry(.object(pipeline))
        }
        try edit("allocation.json") { o in
            o["stages"] = entry(
                .object(
                    JSONObject([
                        ("start_up", .array([.string("maker_space")])), ("growth", .array([.string("incubator")])), ("scale_up", .array([.string("accelerator")])),
                        ("mature", .array([.string("park"), .string("silicon_building")])),
                    ])))
        }
        // Space at every rung from the first year, so no arrival or graduation waits for room:
        // the history then records every one (a firm that finds no space leaves no record).
        let events = (1...12).map { #"{"id": "buy-\#($0)", "kind": "purchase", "year": 2021, "floor_area_m2": 40000}"# }.joined(separator: ", ")
        try Data(#"{"name": "Ample space", "description": "test", "events": [\#(events)]}"#.utf8)
            .write(to: data.appendingPathComponent("scenarios/ample-space.json"))
        try edit("simulation.json") { o in
            o["new_space_type_shares"] = entry(
                .object(JSONObject([("maker_space", .number(0.25)), ("incubator", .number(0.25)), ("accelerator", .number(0.25)), ("park", .number(0.25))])))
        }
        return data
    }

    static func historyStore(_ folder: URL, seed: UInt64) throws -> String {
        let data = try district(folder)
        let store = folder.appendingPathComponent("district.gpkg").path
        _ = try DistrictStores.importFolder(data, configuration: Configuration.find(in: Configuration.usualFolders(of: data)), store: store, replace: false)
        _ = try DistrictStores.generateHistory(
            store: store, fromYear: 2021, toYear: 2025, seed: seed, scenario: URL(fileURLWithPath: "store:scenarios/ample-space.json"))
        return store
    }

    static func workspace(_ store: String, asOfDate: String? = nil, simulation: URL? = nil) throws -> Workspace {
        let source = try DistrictStores.source(store, asOfDate: asOfDate)
        var configuration = DistrictStores.configuration(of: source)
        if let simulation { configuration.files[.simulation] = simulation }
        return try Workspace(source: source, configuration: configuration)
    }

    @Test("five years of history give back each stated rate within three standard errors of the count it makes expected (each SE under 0.05)")
    func recoversRates() throws {
        try withTemporaryFolder("calibration") { folder in
            let store = try Self.historyStore(folder, seed: 5)
            let run = try Self.workspace(store).calibrate()
            let c = run.calibration
            #expect(abs(c.observedYears - 5) < 0.05, "\(c.observedYears)")
            for stage in FirmStage.allCases {
                let r = Self.stated[stage]!
                var checks: [(String, Calibration.Estimate?, Double)] = [("fail", c.fail[stage], r.fail), ("leave", c.leave[stage], r.leave)]
                if stage != .mature { checks.append(("graduate", c.graduate[stage], r.graduate)) }
                for (name, estimate, truth) in checks {
                    guard let e = estimate else {
                        Issue.record("\(stage.rawValue) \(name): no estimate")
                        continue
                    }
                    // The standard error at the stated rate: that of the count of events it makes
                    // expected over these months (a count seen small has a small SE of its own).
                    let months = e.exposureYears * 12, monthly = 1 - pow(1 - truth, 1.0 / 12)
                    let se = 12 * pow(1 - monthly, 11) * (monthly * months).squareRoot() / months
                    #expect(se < 0.05, "\(stage.rawValue) \(name): SE \(se) over \(e.exposureYears) firm-years")
                    #expect(abs(e.rate - truth) <= 3 * se, "\(stage.rawValue) \(name): \(e.rate), stated \(truth) ± \(se) (\(e.events) events, \(e.exposureYears) firm-years)")
                }
            }
            // The estimates come back as a simulation.json the simulation reads.
            let written = run.artifacts.first { $0.path == "simulation.json" }
            #expect(written != nil)
        }
    }

    @Test("backcast: calibrated on 2021–2023, 100 runs of 2024–2025 put the recorded occupancy inside P10–P90")
    func backcast() throws {
        try withTemporaryFolder("backcast") { folder in
            let store = try Self.historyStore(folder, seed: 8)
            let past = try Self.workspace(store, asOfDate: "2023-12-31")
            let calibration = try past.calibrate()
            let settings = folder.appendingPathComponent("calibrated.json")
            try Data(try calibration.artifacts.first { $0.path == "simulation.json" }!.bytes()).write(to: settings)
            let simulated = try Self.workspace(store, asOfDate: "2023-12-31", simulation: settings).simulate(toYear: 2025, runs: 100, seed: 1)
            let recorded = try Self.workspace(store).stockProgress(from: "2024-01-01", to: "2025-12-31", every: .year).progress.periods
            #expect(recorded.map(\.period.label) == ["2024", "2025"])
            for (k, period) in recorded.enumerated() {
                let totals = simulated.runs.map { run in run[k].occupiedByType.values.reduce(0, +) }
                let band = SimulationSummary.Spread(totals)
                #expect(simulated.runs[0][k].year == Int(period.period.label))
                #expect(band.p10 <= period.occupiedM2 && period.occupiedM2 <= band.p90, "\(period.period.label): recorded \(period.occupiedM2), simulated P10–P90 \(band.p10)–\(band.p90)")
            }
        }
    }
}
