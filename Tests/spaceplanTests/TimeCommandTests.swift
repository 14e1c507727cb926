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
}
