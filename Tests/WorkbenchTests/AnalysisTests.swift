import Allocation
import Cartography
import Foundation
import FoundationXML
import HummingbirdTesting
import Reports
import SpaceData
import SpacePlanKit
import SpaceCore
import SpaceData
import Cartography
import Reports
import BuildOut
import TestSupport
import Testing
@testable import Workbench

/// Polls a run until it is no longer running (an allocation takes well under a minute here; a loaded CI machine gets five).
func finished(_ run: JSONValue, on workbench: Workbench = Sample.workbench) async throws -> JSONValue {
    var current = run
    for _ in 0..<3000 where ["queued", "running"].contains(current["status"]?.stringValue) {
        try await Task.sleep(nanoseconds: 100_000_000)
        current = try await get("/api/runs/\(run["id"]!.string)", on: workbench).json
    }
    return current
}

/// Whether the server's upload folder holds nothing (every request's folder removed).
func uploadsAreEmpty(_ workbench: Workbench = Sample.workbench) -> Bool {
    ((try? FileManager.default.contentsOfDirectory(atPath: workbench.uploads.root.path)) ?? []).isEmpty
}

@Suite("The JSON API: renewal, supply and allocation", .serialized)
struct AnalysisAPITests {
    @Test("the shipped proposals are ranked as renewal evaluate ranks them, each check with its rule and value")
    func shippedRenewal() async throws {
        let run = try await get("/api/renewal").json
        #expect(run["status"]!.string == "done")
        let renewal = run["result"]!["renewal"]!
        #expect(renewal["ranking"]!.array.map(\.string) == ["BGL-03", "CGM-02", "ML-05", "HT-01", "HQB-04"])
        let tower = renewal["proposals"]!.array.first { $0["id"]!.string == "HQB-04" }!
        #expect(tower["units"]!.array[0]["checks"]!.array.contains { $0["outcome"]!.string == "fail" && $0["value"]!.double == 6.5 })
        let report = try await get("/api/runs/renewal-shipped/files/renewal.md")
        #expect(report.text.contains("HQB-04"))
        #expect(try await get("/api/runs/renewal-shipped/files/maps/HQB-04-after.svg").headers[.contentType] == "image/svg+xml")
        #expect(try await get("/api/runs/renewal-shipped/files/nothing.md").status == .notFound)
    }

    @Test("each answer is its question's typed result: the served JSON decodes to the value the workspace gives, and the run's file to its report part")
    func typedAnswers() async throws {
        func decoded<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> T {
            try JSONDecoder().decode(T.self, from: Data(serializedJSON(value).utf8))
        }
        let shipped = TestPaths.sample.appendingPathComponent("proposals.geojson")
        let renewal = Sample.workspace.answer(try Sample.workspace.evaluateRenewal(proposals: shipped, maps: false))
        let served = try await get("/api/renewal").json
        #expect(try decoded(RenewalAnswer.self, served["result"]!) == renewal)
        let file = try await get("/api/runs/renewal-shipped/files/renewal.json").text
        #expect(try JSONDecoder().decode(RenewalDocument.self, from: Data(file.utf8)) == renewal.renewal)
        #expect(file == serializedJSON(renewal.renewal.jsonDocument) + "\n")
        #expect(renewal.renewal.ranking == ["BGL-03", "CGM-02", "ML-05", "HT-01", "HQB-04"])

        // summary.json as served, and a zone's part of it, are the space map's typed summary.
        let summary = try JSONDecoder().decode(SpaceMapSummary.self, from: Data(try await get("/api/summary").text.utf8))
        #expect(summary == SpaceMapSummary(Sample.workspace.spaceMap))
        let zone = try #require(summary.zones.last)
        #expect(try decoded(SpaceMapSummary.Zone.self, try await get("/api/zones/\(zone.id)").json) == zone)
        #expect(zone.figures.buildings > 0 && summary.total.buildings == Sample.workspace.data.buildings.count)

        let trajectory = try await get("/api/trajectory").json
        #expect(try decoded(TrajectoryAnswer.self, trajectory) == Sample.workspace.trajectory)
        #expect(Sample.workspace.trajectory.milestones.map(\.year) == [2023, 2025])

        let folder = TestPaths.sample.appendingPathComponent("scenarios")
        let run = try await post("/api/supply", json: #"{"scenarios": ["renewal-only.json"]}"#).json
        let supply = Sample.workspace.answer(
            try Sample.workspace.runSupply(scenarios: [folder.appendingPathComponent("renewal-only.json")], referenceFloorAreaM2: 10_000))
        #expect(try decoded(SupplyAnswer.self, run["result"]!) == supply)
        #expect(supply.supply.scenarios.map(\.name) == ["A. Renewal only"])
    }

    @Test("an uploaded proposal file is evaluated, and leaves no file behind")
    func uploadedRenewal() async throws {
        let run = try await post("/api/renewal", try sampleFile("proposals.geojson"), type: "application/geo+json").json
        #expect(run["result"]!["renewal"]!["ranking"]!.array.first?.string == "BGL-03")
        #expect(!serializedJSON(run).contains("spaceplan-serve-"))
        #expect(uploadsAreEmpty())
    }

    @Test(
        "a malformed or faulty proposal file is a 400 in the command line's words, and changes nothing",
        arguments: [
            ("not json at all", "invalid JSON at line 1"),
            (
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"X-1","name":"x","mode":"teleport","land_use":"M1"},"geometry":{"type":"Polygon","coordinates":[[[114.0,22.51],[114.001,22.51],[114.001,22.511],[114.0,22.51]]]}}]}"#,
                "teleport"
            ),
        ])
    func badProposals(body: String, words: String) async throws {
        let answer = try await post("/api/renewal", Array(body.utf8), type: "application/geo+json")
        #expect(answer.status == .badRequest)
        #expect(answer.error.contains(words), "\(answer.error)")
        let cli = try commandLineError(writing: Array(body.utf8), as: "proposals.geojson") {
            _ = try Sample.workspace.evaluateRenewal(proposals: $0, maps: false)
        }
        #expect(answer.error == cli)
        #expect(!answer.error.contains("spaceplan-serve-"))
        #expect(uploadsAreEmpty())
        #expect(try await post("/api/renewal", []).status == .badRequest)
    }

    @Test("an upload over the limit is refused with 413, naming the limit")
    func uploadLimit() async throws {
        let answer = try await post("/api/renewal", try sampleFile("proposals.geojson"), on: Sample.tight)
        #expect(answer.status == .contentTooLarge)
        #expect(answer.error.contains("larger than the server's limit"))
        #expect(uploadsAreEmpty(Sample.tight))
    }

    @Test("the shipped scenarios run side by side as spaceplan supply runs them")
    func shippedScenarios() async throws {
        let list = try await get("/api/supply/scenarios").json["scenarios"]!.array
        #expect(list.map { $0["file"]!.string } == ["flexible-land.json", "renewal-only.json", "rent-buy-convert-build.json"])
        let run = try await post("/api/supply", json: #"{"scenarios": ["renewal-only.json", "flexible-land.json"]}"#).json
        let scenarios = run["result"]!["supply"]!["scenarios"]!.array
        #expect(scenarios.count == 2)
        let flexible = scenarios[1]["milestones"]!.array
        #expect(flexible.allSatisfy { $0["reached"]!.bool })
        let folder = TestPaths.sample.appendingPathComponent("scenarios")
        let cli = try Sample.workspace.runSupply(
            scenarios: [folder.appendingPathComponent("renewal-only.json"), folder.appendingPathComponent("flexible-land.json")],
            referenceFloorAreaM2: 10_000)
        #expect(scenarios[0]["milestones"]!.array[1]["stock_m2"]!.double == (cli.results[0].milestones[1].stockM2! * 100).rounded() / 100)
        #expect(try await get("/api/runs/\(run["id"]!.string)/files/supply.svg").status == .ok)
    }

    @Test("an edited copy of a scenario runs with its edits; its proposal file is still found in the data")
    func editedScenario() async throws {
        let list = try await get("/api/supply/scenarios").json["scenarios"]!.array
        var scenario = list.first { $0["file"]!.string == "rent-buy-convert-build.json" }!["scenario"]!.objectValue!
        scenario["name"] = .string("B, bought twice as much")
        var events = scenario["events"]!.array
        for k in events.indices where events[k]["kind"]?.stringValue == "purchase" {
            var event = events[k].objectValue!
            event["floor_area_m2"] = .number(event["floor_area_m2"]!.double * 2)
            events[k] = .object(event)
        }
        scenario["events"] = .array(events)
        let body = serializedJSON(
            .object(
                JSONObject([
                    (
                        "scenarios",
                        .array([
                            .string("rent-buy-convert-build.json"),
                            .object(JSONObject([("file", .string("rent-buy-convert-build.json")), ("scenario", .object(scenario))])),
                        ])
                    )
                ])))
        let run = try await post("/api/supply", json: body).json
        let results = run["result"]!["supply"]!["scenarios"]!.array
        let stock = { (k: Int) in results[k]["milestones"]!.array[1]["stock_m2"]!.double }
        #expect(abs(stock(1) - stock(0) - 160_000) < 1)  // the two purchases, 80,000 m² each, doubled
        #expect(results[1]["name"]!.string == "B, bought twice as much")
        #expect(uploadsAreEmpty())
    }

    @Test(
        "bad scenario requests are 4xx and say what is wrong",
        arguments: [
            (#"{"scenarios": ["nowhere.json"]}"#, 400, "no shipped scenario nowhere.json"),
            (#"{"scenarios": []}"#, 400, "with at least one scenario"),
            (
                #"{"scenarios": [{"file": "x.json", "scenario": {"name": "x", "renewal": {"proposals": "../../../../etc/passwd"}}}]}"#, 403,
                "outside the data folder"
            ),
            (
                #"{"scenarios": [{"file": "x.json", "scenario": {"name": "x", "events": [{"id": "e", "kind": "purchase", "year": "soon", "floor_area_m2": 1}]}}]}"#,
                400, "year"
            ),
            (#"{"scenarios": ["renewal-only.json"], "reference_floor_area_m2": -5}"#, 400, "reference_floor_area_m2 must be a positive number"),
            ("{not json", 400, "not valid JSON"),
        ])
    func badScenarios(body: String, status: Int, words: String) async throws {
        let answer = try await post("/api/supply", json: body)
        #expect(answer.status.code == status)
        #expect(answer.error.contains(words), "\(answer.error)")
        #expect(!answer.error.contains("spaceplan-serve-"))
        #expect(uploadsAreEmpty())
    }

    @Test("an allocation runs as a job: 202, its stages, then the placed firms, the unplaced with reasons, the gap")
    func allocation() async throws {
        let started = try await ask(Sample.workbench, [("/api/allocation?solver=heuristic", .post, nil, [:])])[0]
        #expect(started.status == .accepted)
        #expect(started.headers[.location] == "/api/runs/\(started.json["id"]!.string)")
        let run = try await finished(started.json)
        #expect(run["status"]!.string == "done")
        let result = run["result"]!
        // Where 240 and 160 come from: `spaceplan allocate --solver heuristic` on the same sample
        // (GIS/sample/demand.csv, 400 firms) places 240 firms and leaves 160; the run must place
        // the same firms, and its placements must keep every rule, checked from the raw records.
        let demand = TestPaths.sample.appendingPathComponent("demand.csv")
        let cli = try withTemporaryFolder("workbench-allocate") { out -> (placed: [String], unplaced: [String]) in
            let r = try SpacePlanCLI.run([
                "allocate", "--data", TestPaths.sample.path, "--demand", demand.path, "--solver", "heuristic", "--out", out.path,
            ])
            #expect(r.status == 0, "\(r.error)")
            #expect(r.output.contains("Placed 240 of 400 firms"), "\(r.output)")
            func ids(_ name: String) throws -> [String] {
                let table = try CSV.read(try Data(contentsOf: out.appendingPathComponent(name)))
                let column = table.column("firm_id")!
                return (0..<table.count).map { table.fields(ofRow: $0)[column] }
            }
            return (try ids("assignments.csv"), try ids("unplaced.csv"))
        }
        #expect(cli.placed.count == 240 && cli.unplaced.count == 160)
        #expect(result["allocation"]!["placed"]!.double == 240)
        #expect(result["placed"]!.array.map { $0["firm_id"]!.string }.sorted() == cli.placed.sorted())
        #expect(result["unplaced"]!.array.map { $0["firm_id"]!.string }.sorted() == cli.unplaced.sorted())
        let map = Sample.workspace.spaceMap
        let firms = try DemandLoader.load(demand, knownZoneIDs: Set(map.data.zones.map(\.id)))
        #expect(firms.count == 400)
        let carriers = CarrierSupply.from(map)
        let validator = IndependentValidator(
            firms: firms, carriers: carriers, rules: try readConfig(AllocationRules.self, from: TestPaths.config("allocation.json")),
            lists: try PositiveLists.load(TestPaths.config("positive_lists.json")).lists)
        let firmIndex = Dictionary(uniqueKeysWithValues: firms.enumerated().map { ($1.id, $0) })
        let carrierIndex = Dictionary(uniqueKeysWithValues: carriers.enumerated().map { ($1.id, $0) })
        let triples = result["placed"]!.array.map {
            (firm: firmIndex[$0["firm_id"]!.string]!, carrier: carrierIndex[$0["carrier_id"]!.string]!, areaM2: $0["area_m2"]!.double)
        }
        #expect(validator.violations(triples) == [])
        // Every unplaced firm says why, in the words of its reason (the detail starts with the reason's label).
        for u in result["unplaced"]!.array {
            let reason = try #require(UnplacedReason(rawValue: u["reason"]!.string), "\(u)")
            #expect(u["detail"]!.string.hasPrefix(reason.label), "\(u)")
        }
        // The heuristic's worth, recomputed from the raw records, is below the bound it reports: a gap.
        let worth = validator.worth(triples)
        #expect(abs(result["allocation"]!["objective"]!.double - worth) < 0.01)
        #expect(result["allocation"]!["bound"]!.double > worth)
        #expect(result["allocation"]!["gap"]!.double > 0)
        #expect(run["stages"]!.array.contains { $0.string.hasPrefix("allocating 400 firms") })
        #expect(try await get("/api/runs/\(run["id"]!.string)/files/assignments.csv").text.hasPrefix("firm_id,"))
    }

    @Test("the simulation runs as a job: the same figures as the command line's, its charts and run files; bad parameters are 400s")
    func simulation() async throws {
        let started = try await ask(Sample.workbench, [("/api/simulate?to=2024&runs=3&seed=5&scenario=rent-buy-convert-build.json", .post, nil, [:])])[0]
        #expect(started.status == .accepted)
        let run = try await finished(started.json)
        #expect(run["status"]!.string == "done", "\(run)")
        let simulation = try #require(run["result"]?["simulation"])
        #expect(simulation["years"]!.array.map { $0["year"]!.double } == [2022, 2023, 2024])
        #expect(run["result"]!["headlines"]!.array.first?.string.hasPrefix("3 runs, 2022–2024") == true)
        // The workspace asked directly gives the same document.
        let scenario = TestPaths.sample.appendingPathComponent("scenarios/rent-buy-convert-build.json")
        let direct = try Sample.workspace.simulate(toYear: 2024, runs: 3, seed: 5, scenario: scenario)
        #expect(serializedJSON(simulation) == serializedJSON(Sample.workspace.answer(direct).simulation.jsonDocument))
        let id = run["id"]!.string
        #expect(try await get("/api/runs/\(id)/files/maps/ladder.svg").text.contains("<svg"))
        #expect(try await get("/api/runs/\(id)/files/runs/run-0003.csv").text.hasPrefix("year,added_m2,"))
        for (query, words) in [
            ("runs=3", "to is required"), ("to=2024&runs=0", "runs must be a whole number from 1"), ("to=soon", "to must be a whole number"),
            ("to=2024&scenario=nowhere.json", "no shipped scenario nowhere.json"), ("to=2024&colour=red", "unknown query parameter 'colour'"),
        ] {
            let bad = try await ask(Sample.workbench, [("/api/simulate?\(query)", .post, nil, [:])])[0]
            #expect(bad.status == .badRequest && bad.json["error"]!.string.contains(words), "\(query): \(bad.json)")
        }
        // A year not after the data's is refused by the job, in the workspace's words.
        let early = try await finished(try await ask(Sample.workbench, [("/api/simulate?to=2021", .post, nil, [:])])[0].json)
        #expect(early["status"]!.string == "failed" && early["error"]!.string.contains("2021 is not after the year the simulation starts from"))
    }

    @Test(
        "the target programme runs as a job: with no budget it reports the shortfall and the budget as binding, with the modes' labels and colours; a bad budget is a 400"
    )
    func targetProgramme() async throws {
        let started = try await ask(Sample.workbench, [("/api/target?budget=0", .post, nil, [:])])[0]
        #expect(started.status == .accepted)
        let run = try await finished(started.json)
        #expect(run["status"]!.string == "done")
        let target = try #require(run["result"]?["target"], "the run did not finish: \(run["status"]?.stringValue ?? "?")")
        #expect(target["reaches_every_target"] == .bool(false) && target["projects"]!.array.isEmpty)
        #expect(target["binding"]!.array.contains { $0.string.contains("the budget") })
        #expect(try await get("/api/runs/\(run["id"]!.string)/files/target.csv").text.hasPrefix("id,mode,"))
        // The modes as the rules list them, in the colours target-sites.svg gives them (the page's table and map).
        let rules = try readConfig(BuildOutRules.self, from: TestPaths.repositoryRoot.appendingPathComponent("GIS/config/buildout.json"))
        let modes = run["result"]!["modes"]!.array
        #expect(modes.map { $0["id"]!.string } == rules.modes.map(\.id) && modes.map { $0["label"]!.string } == rules.modes.map(\.label))
        // The colours, as the style specification lists its categorical colours (Tableau's 10 and two more,
        // Sources/Cartography/StyleSpecification.swift), one per mode in the rules' order ...
        #expect(modes.map { $0["colour"]!.string } == ["#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948"])
        // ... and as target-sites.svg draws them. With no budget no site is chosen and its legend
        // lists no mode, so the map is drawn here as TargetFiles draws it (ParcelMap, the rules'
        // modes as its categories) for a programme that uses every mode, one parcel each.
        let parcels = Sample.workspace.data.parcels
        let byParcel = Dictionary(uniqueKeysWithValues: rules.modes.enumerated().map { (parcels[$0].id, $1.id) })
        let sites = try ParcelMap.render(
            try MapScene(Sample.workspace.spaceMap),
            ParcelMapInput(
                title: "sites", legendTitle: "modes",
                fill: .categories(
                    byParcel,
                    legend: rules.modes.map {
                        MapScene.Category(code: $0.id, label: $0.label)
                    })))
        let legend = try XMLDocument(xmlString: sites, options: []).rootElement()!
            .nodes(forXPath: "//*[@class='legend-entry']").compactMap { $0 as? XMLElement }
        let drawn = Dictionary(
            legend.map { entry in
                let symbol = (entry.children ?? []).compactMap { $0 as? XMLElement }.first!
                return (
                    entry.attributes?.first { $0.name == "data-label" }?.stringValue ?? "",
                    symbol.attributes?.first { $0.name == "fill" }?.stringValue ?? ""
                )
            }
        ) { first, _ in first }
        #expect(modes.map { drawn[$0["label"]!.string] } == modes.map { $0["colour"]!.string })
        let bad = try await ask(Sample.workbench, [("/api/target?budget=-1", .post, nil, [:])])[0]
        #expect(bad.status == .badRequest && bad.json["error"]!.string.contains("budget must be a non-negative number"))
    }

    @Test("an uploaded demand file is allocated with the exact solver")
    func uploadedDemand() async throws {
        let lines = String(decoding: try sampleFile("demand.csv"), as: UTF8.self).split(separator: "\n").prefix(41)
        let started = try await post("/api/allocation?solver=exact", Array((lines.joined(separator: "\n") + "\n").utf8), type: "text/csv")
        #expect(started.status == .accepted)
        let run = try await finished(started.json)
        #expect(run["result"]!["allocation"]!["firms"]!.double == 40)
        // What the exact solver must report: CBC by name, the optimum proven, its bound met (gap 0).
        let allocation = run["result"]!["allocation"]!
        #expect(allocation["solver"]!.string.hasPrefix("exact (CBC "), "\(allocation["solver"]!)")
        #expect(allocation["proven_optimal"] == .bool(true))
        #expect(allocation["gap"]!.double == 0)
        #expect(abs(allocation["objective"]!.double - allocation["bound"]!.double) < 0.01)
        #expect(uploadsAreEmpty())
    }

    @Test(
        "bad allocation requests are 400 in the loader's words, before any job starts",
        arguments: [
            ("/api/allocation?solver=genetic", "", "unknown solver 'genetic'"),
            ("/api/allocation?demand=secret.csv", "", "no shipped demand file secret.csv"),
            ("/api/allocation?until=soon", "", "until must be a year"),
            ("/api/allocation?format=xlsx", "id\n", "format must be csv or json"),
            ("/api/allocation", "id,name\nD1,x\n", "sector"),
            ("/api/allocation?format=json", "[1, 2]", "is not an object"),
        ])
    func badAllocation(uri: String, body: String, words: String) async throws {
        let answer = try await post(uri, Array(body.utf8), type: "text/csv")
        #expect(answer.status == .badRequest)
        #expect(answer.error.contains(words), "\(answer.error)")
        if !body.isEmpty, uri.contains("format=json") || uri == "/api/allocation" {
            let name = uri.contains("json") ? "demand.json" : "demand.csv"
            let cli = try commandLineError(writing: Array(body.utf8), as: name) { _ = try Sample.workspace.allocate(demand: $0, map: false) }
            #expect(answer.error == cli)
        }
        #expect(uploadsAreEmpty())
    }

    @Test("an unknown run is 404")
    func unknownRun() async throws {
        let answer = try await get("/api/runs/allocation-nothing")
        #expect(answer.status == .notFound)
        #expect(answer.error.contains("no run allocation-nothing"))
    }
}
