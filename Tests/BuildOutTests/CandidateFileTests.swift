import Foundation
import Testing
import TestSupport
@testable import BuildOut
import Renewal
import SpaceData
import SpaceMap

/// The bureau's own candidates: checked record by record, merged with the generated ones.
@Suite("Candidate files")
struct CandidateFileTests {
    static func write(_ json: String) throws -> URL {
        let url = TestPaths.temporaryFolder("candidates").appendingPathExtension("json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func merged(_ json: String) throws -> (candidates: [Candidate], report: ValidationReport, generated: [Candidate]) {
        let map = try TinyDistrict.spaceMap()
        let (controls, renewal) = try DevelopmentControls.read(TestPaths.config("renewal.json"), alongside: RenewalRules.self)
        let rules = TargetProgrammeTests.shipped
        let generated = Candidate.generated(
            CapacityAnalysis.of(map, rules: rules, controls: controls), map: map,
            modesDisplacingFirms: renewal.modesDisplacingFirms)
        let file = try write(json)
        defer { try? FileManager.default.removeItem(at: file) }
        let (candidates, report) = try Candidate.merged(
            generated, with: try readConfigJSON(file, what: "candidate projects"), file: file.path, map: map, rules: rules,
            positiveLists: PositiveLists(lists: ["A": ["ai"]], source: "test"))
        return (candidates, report, generated)
    }

    @Test("a file candidate is added, one with a generated id replaces it, one off the positive list is left out")
    func merging() throws {
        let (candidates, report, generated) = try Self.merged(
            """
            {"candidates": [
              {"id": "offer-1", "mode": "purchase", "tech_m2": 3000, "one_off_cost_yuan": 90000000, "building_ids": ["B5"]},
              {"id": "B2-comprehensive_remediation", "mode": "comprehensive_remediation", "tech_m2": 1234, "construction_years": 2},
              {"id": "fintech-hub", "mode": "lease", "tech_m2": 500, "building_ids": ["B1"], "sectors": ["fintech"]}
            ]}
            """)
        let offer = try #require(candidates.first { $0.id == "offer-1" })
        #expect(offer.fromFile && offer.oneOffCostYuan == 90_000_000 && offer.constructionYears == 0)  // purchase: the rules' 0 years
        if generated.contains(where: { $0.id == "B2-comprehensive_remediation" }) {
            #expect(candidates.filter { $0.id == "B2-comprehensive_remediation" }.map(\.techM2) == [1_234])
        }
        #expect(!candidates.contains { $0.id == "fintech-hub" })
        #expect(report.entries.contains { $0.recordID == "fintech-hub" && $0.problem.contains("off the positive list") })
    }

    @Test(
        "bad records are errors naming the file, the record and the key",
        arguments: [
            (#"{"candidates": [{"id": "x", "mode": "purchase", "tech_m2": -5}]}"#, "tech_m2"),
            (#"{"candidates": [{"id": "x", "mode": "teleport", "tech_m2": 5}]}"#, "mode \"teleport\" is not in the build-out rules"),
            (#"{"candidates": [{"id": "x", "mode": "lease", "tech_m2": 5, "building_ids": ["B404"]}]}"#, "building_ids names B404"),
            (#"{"candidates": [{"id": "x", "mode": "lease", "tech_m2": 5, "earliest_start": 2023.5}]}"#, "earliest_start"),
            (#"{"candidates": [{"id": "x", "mode": "lease", "tech_m2": 5, "clusters": ["nowhere"]}]}"#, "cluster nowhere is not a cluster zone"),
            (#"{"candidates": "none"}"#, "candidates"),
        ])
    func badRecords(json: String, expected: String) throws {
        var text = ""
        do { _ = try Self.merged(json) } catch { text = "\(error)" }
        #expect(text.contains(expected) && text.contains("candidates-"), "\(text)")
    }

    @Test("a budget of nothing is no crash: the shortfall is reported, and the budget named as what binds")
    func noBudget() throws {
        let a = TargetProgrammeTests.candidate("a", tech: 1_000, years: 0, cost: 10)
        let analysis = try TargetAnalysis.run(
            TargetProgrammeTests.problem([a], targets: [(2023, 1_000)], rules: TargetProgrammeTests.rules(budget: 0)))
        #expect(analysis.programme.chosen.isEmpty && abs(analysis.programme.milestones[0].shortfallM2 - 1_000) < 1e-9)
        #expect(analysis.binding.contains { $0.contains("the budget") })
    }
}
