import Foundation
import SpaceCore
import Testing
import TestSupport

/// Whether python3 imports what scripts/progress-crosscheck.py reads geometry with.
private let pythonHasShapely: Bool = {
    (try? runTool("/usr/bin/env", ["python3", "-c", "import geopandas, shapely, pyogrio"]))?.status == 0
}()

/// The stock quarter by quarter from a store's history, on each backend: a synthetic history
/// written by generate-history, read back by progress, and every period's figures equal to the
/// space map of that day (`spacemap --as-of-date`) and to an independent reading in Python.
@Suite("Time: the stock by period, from the store's history", .serialized)
struct TimeCommandTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) { try SpacePlanCLI.run(arguments) }

    static let scenario = "store:scenarios/rent-buy-convert-build.json"

    static func csv(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    @Test("generate-history writes dated edit sets; progress's every year-end equals spacemap --as-of-date that day", arguments: StoreBackend.allCases)
    func progressEqualsSnapshots(_ backend: StoreBackend) throws {
        _ = try StoreFixture.withSample(backend) { folder, store in
            let g = try Self.run(["generate-history", "--store", store.name, "--from", "2021", "--to", "2023", "--seed", "3", "--scenario", Self.scenario])
            #expect(g.status == 0, "\(g.error)")
            #expect(g.output.contains("arrivals") && g.output.contains("projects delivered"), "\(g.output)")
            // The import is dated to the first day, the changes to their months (China Standard Time is UTC+8).
            #expect(try store.sql("SELECT value FROM store_meta WHERE key = 'imported_at'").first?.first?.hasPrefix("2020-12-31T16:00:00") == true)
            let span = try store.sql("SELECT min(at), max(at) FROM store_changes").first ?? []
            #expect(span.count == 2 && span[0].hasPrefix("2021-01-15") && span[1].hasPrefix("2023-12-31"), "\(span)")
            #expect(try store.sql("SELECT count(*) FROM store_changes WHERE author <> 'generate-history (synthetic)'") == [["0"]])

            let out = folder.appendingPathComponent("progress")
            let p = try Self.run(["progress", "--store", store.name, "--from", "2021-01-01", "--to", "2023-12-31", "--every", "year", "--out", out.path])
            #expect(p.status == 0, "\(p.error)")
            let rows = try Self.csv(out.appendingPathComponent("progress.csv"))
            #expect(rows.map { $0["period"] ?? "" } == ["2021", "2022", "2023"])
            // The plan's path passes through the 2023 milestone at the end of 2023.
            #expect(rows.last?["plan_m2"] == "1000000")
            let zones = try Self.csv(out.appendingPathComponent("zones.csv"))
            for row in rows {
                let day = row["last_day"]!
                let snap = folder.appendingPathComponent("snap-\(day)")
                let s = try Self.run(["spacemap", "--store", store.name, "--as-of-date", day, "--no-maps", "--no-geopackage", "--out", snap.path])
                #expect(s.status == 0, "\(s.error)")
                let summary = try parseJSON(try Data(contentsOf: snap.appendingPathComponent("summary.json")))
                let total = summary["total"]!
                #expect(row["tech_space_m2"] == formatFixed(total["tech_space_m2"]!.numberValue!, 0), "\(day)")
                #expect(row["occupied_m2"] == formatFixed(total["tech_occupied_m2"]!.numberValue!, 0), "\(day)")
                for zone in summary["zones"]!.arrayValue! {
                    let id = zone["id"]!.stringValue!
                    let mine = zones.first { $0["period"] == row["period"] && $0["zone_id"] == id }
                    #expect(mine?["tech_space_m2"] == formatFixed(zone["tech_space_m2"]?.numberValue ?? 0, 0), "\(day) \(id)")
                }
            }
            // Each period's additions less losses are the change of the stock.
            let stocks = rows.compactMap { Double($0["tech_space_m2"]!) }
            let changes = try Self.csv(out.appendingPathComponent("changes.csv"))
            #expect(!changes.isEmpty && changes.allSatisfy { $0["author"] == "generate-history (synthetic)" && !($0["edit_set"] ?? "").isEmpty })
            for (k, row) in rows.enumerated() where k > 0 {
                let delta = changes.filter { $0["period"] == row["period"] }.reduce(0.0) { $0 + (Double($1["delta_m2"]!) ?? 0) }
                #expect(abs(stocks[k] - stocks[k - 1] - delta) <= 1, "\(row["period"]!)")
            }
            // The independent reading (GeoPackage only: it reads the file with sqlite3 and GeoPandas).
            if backend == .geoPackage {
                if pythonHasShapely || StoreBackend.inCI {
                    let script = TestPaths.repositoryRoot.appendingPathComponent("scripts/progress-crosscheck.py")
                    let r = try runTool("/usr/bin/env", ["python3", script.path, store.name, out.path])
                    #expect(r.status == 0, "progress-crosscheck.py:\n\(r.output)")
                } else {
                    print("progress-crosscheck.py skipped: needs python3 with geopandas, shapely and pyogrio")
                }
            }
        }
    }

    @Test("the same seed writes the same history; a store with changes, a data folder, a day before the import are refused")
    func determinismAndRefusals() throws {
        try withTemporaryFolder("history") { folder in
            var outputs: [String] = []
            for k in 0..<2 {
                let store = folder.appendingPathComponent("d\(k).gpkg").path
                #expect(try Self.run(["store", "import", "--data", "GIS/sample", "--store", store]).status == 0)
                let g = try Self.run(["generate-history", "--store", store, "--from", "2022", "--to", "2022", "--seed", "11", "--scenario", Self.scenario])
                #expect(g.status == 0, "\(g.error)")
                outputs.append(g.output.replacingOccurrences(of: store, with: "STORE"))
                let out = folder.appendingPathComponent("p\(k)")
                #expect(try Self.run(["progress", "--store", store, "--from", "2022-01-01", "--to", "2022-12-31", "--every", "month", "--out", out.path]).status == 0)
                outputs.append(try String(contentsOf: out.appendingPathComponent("progress.csv"), encoding: .utf8))
            }
            #expect(outputs[0] == outputs[2] && outputs[1] == outputs[3])
            #expect(outputs[1].split(separator: "\n").count == 13)
            let store = folder.appendingPathComponent("d0.gpkg").path
            let again = try Self.run(["generate-history", "--store", store, "--from", "2022", "--to", "2022"])
            #expect(again.status != 0 && again.error.contains("has changes since its import"), "\(again.error)")
            let early = try Self.run(["progress", "--store", store, "--from", "2021-06-30", "--out", folder.appendingPathComponent("x").path])
            #expect(early.status != 0 && early.error.contains("before the store's import on 2022-01-01"), "\(early.error)")
            let files = try Self.run(["progress", "--store", "GIS/sample", "--out", folder.appendingPathComponent("y").path])
            #expect(files.status != 0)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path))
        }
    }

    @Test("tenants moving out and their carrier retired in one edit set", arguments: StoreBackend.allCases)
    func moveOutThenRetire(_ backend: StoreBackend) throws {
        _ = try StoreFixture.withSample(backend) { folder, store in
            let first = try StoreEditKindsTests.apply(
                store.name, folder, #"{"edits": [{"edit": "move_in", "firm": "E00000001", "version": 1, "carrier": "C00027"}]}"#)
            #expect(first.status == 0, "\(first.error)")
            let version = try store.sql("SELECT version FROM carriers WHERE id = 'C00027'").first?.first ?? ""
            let r = try StoreEditKindsTests.apply(
                store.name, folder,
                #"{"edits": [{"edit": "move_out", "firm": "E00000001", "version": 2}, {"edit": "retire_carrier", "id": "C00027", "version": \#(version)}]}"#)
            #expect(r.status == 0, "\(r.error)")
            #expect(try store.sql("SELECT count(*) FROM carriers WHERE id = 'C00027'") == [["0"]])
            #expect(try store.sql("SELECT count(*) FROM enterprises WHERE id = 'E00000001'") == [["0"]])
        }
    }

    @Test("simulate: its files, one CSV per run, the same for a seed; bad years and runs refused, nothing written")
    func simulate() throws {
        try withTemporaryFolder("simulate") { folder in
            var texts: [String] = []
            for k in 0..<2 {
                let out = folder.appendingPathComponent("sim\(k)")
                let r = try Self.run([
                    "simulate", "--data", "GIS/sample", "--to", "2024", "--runs", "4", "--seed", "3", "--scenario",
                    "GIS/sample/scenarios/rent-buy-convert-build.json", "--out", out.path,
                ])
                #expect(r.status == 0, "\(r.error)")
                #expect(r.output.contains("4 runs, 2022–2024") && r.output.contains("graduates kept in the district"), "\(r.output)")
                for name in ["simulation.md", "simulation.csv", "zones.csv", "simulation.json", "maps/fan.svg", "maps/ladder.svg", "maps/high-tech.svg", "runs/run-0001.csv", "runs/run-0004.csv"] {
                    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
                }
                let rows = try Self.csv(out.appendingPathComponent("simulation.csv"))
                #expect(rows.map { $0["year"] ?? "" } == ["2022", "2023", "2024"])
                // The scenario's 2022 events arrive in 2022.
                #expect((Double(rows[0]["added_m2"] ?? "") ?? 0) > 200_000)
                texts.append(try String(contentsOf: out.appendingPathComponent("simulation.csv"), encoding: .utf8))
                texts.append(try String(contentsOf: out.appendingPathComponent("runs/run-0003.csv"), encoding: .utf8))
            }
            #expect(texts[0] == texts[2] && texts[1] == texts[3])
            let early = try Self.run(["simulate", "--data", "GIS/sample", "--to", "2021", "--out", folder.appendingPathComponent("x").path])
            #expect(early.status != 0 && early.error.contains("--to: 2021 is not after the year the simulation starts from, 2021"), "\(early.error)")
            let none = try Self.run(["simulate", "--data", "GIS/sample", "--to", "2025", "--runs", "0", "--out", folder.appendingPathComponent("y").path])
            #expect(none.status != 0 && none.error.contains("--runs must be at least 1"))
            let files = try Self.run(["simulate", "--calibrate", "--data", "GIS/sample", "--out", folder.appendingPathComponent("z").path])
            #expect(files.status != 0 && files.error.contains("--calibrate reads a store's history: give --store"))
            for name in ["x", "y", "z"] { #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)) }
        }
    }

    @Test("simulate --calibrate writes a simulation.json that simulate reads back")
    func calibrateThenSimulate() throws {
        _ = try StoreFixture.withSample(.geoPackage) { folder, store in
            #expect(try Self.run(["generate-history", "--store", store.name, "--from", "2022", "--to", "2023", "--seed", "4"]).status == 0)
            let out = folder.appendingPathComponent("calibration")
            let c = try Self.run(["simulate", "--calibrate", "--store", store.name, "--out", out.path])
            #expect(c.status == 0, "\(c.error)")
            #expect(c.output.contains("estimated from") && c.output.contains("over 2 years"), "\(c.output)")
            let md = try String(contentsOf: out.appendingPathComponent("calibration.md"), encoding: .utf8)
            #expect(md.contains("| start_up | graduate |") && md.contains("firm-years at risk"))
            let settings = try parseJSON(try Data(contentsOf: out.appendingPathComponent("simulation.json")))
            #expect(settings["yearly_rates"]?["source"]?.stringValue?.contains("Calibrated by `spaceplan simulate --calibrate`") == true)
            let s = try Self.run([
                "simulate", "--store", store.name, "--simulation", out.appendingPathComponent("simulation.json").path, "--to", "2025", "--runs", "3",
                "--out", folder.appendingPathComponent("sim").path,
            ])
            #expect(s.status == 0, "\(s.error)")
            #expect(s.output.contains("3 runs, 2024–2025"), "\(s.output)")
        }
    }
}
