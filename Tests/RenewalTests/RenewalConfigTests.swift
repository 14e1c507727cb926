import Foundation
import Testing
import TestSupport
import SpaceCore
import SpaceData
import Renewal

@Suite("Renewal rules: renewal.json decoded and checked")
struct RenewalConfigTests {
    static let file = "GIS/config/renewal.json"

    @Test("the shipped renewal.json decodes to its caps, shares, modes and ranking")
    func shipped() throws {
        let (controls, rules) = try DevelopmentControls.read(TestPaths.repositoryRoot.appendingPathComponent(Self.file), alongside: RenewalRules.self)
        #expect(controls.defaultDensityZone == "2" && controls.densityZones.count == 10 && controls.densityZones["440304004"] == "1")
        #expect(controls.farCaps.count == 5 && controls.farCaps["M"] == ["1": 6, "2": 5, "3": 4] && controls.farCaps["GIC"]?["3"] == 2)
        #expect(controls.sources.count == 2 && controls.farCapsSource.hasPrefix("Assumption: FAR caps"))
        #expect(rules.minimumIndustrialShare == 0.6 && rules.minimumHandoverShare == [.demolitionRebuild: 0.12])
        #expect(rules.modes.count == 4 && rules.modes[.demolitionRebuild]?.demolishes == true && rules.modes[.functionChange]?.displacesFirms == true)
        #expect(rules.modes[.microRenewal]?.label == "微更新 micro-renewal")
        #expect(rules.buildingOverlapTolerance == 0.01 && rules.rehousingRadiusM == 2_000)
        let r = rules.ranking
        #expect(
            r.targetYear == 2025 && r.techSpaceWeight == 1 && r.governmentHousingWeight == 0.5 && r.displacementFloorM2 == 1_000 && r.noncompliantLast
        )
        #expect(rules.sources.count == 6 && rules.sources["minimum_handover_share"]?.hasPrefix("Assumption: a demolition-and-rebuild unit") == true)
    }

    static let bad: [ConfigEdit] = [
        .set("ranking.value.target_year", "2025.5", "ranking.value.target_year must be a whole year, found 2025.5"),
        .set("ranking.value.target_year", "-1", "ranking.value.target_year must be a year from 1900 to 2200, found -1"),
        .set("ranking.value.target_year", "1e400", "ranking.value.target_year must be a whole year, found infinity"),
        .set("ranking.value.tech_space_weight", "1e300", "ranking.value.tech_space_weight must be a weight from 0 to 1000, found 1e+300"),
        .set(
            "ranking.value.government_housing_weight", "-0.5", "ranking.value.government_housing_weight must be a weight from 0 to 1000, found -0.5"),
        .set("ranking.value.displacement_floor_m2", "0", "ranking.value.displacement_floor_m2 must be a positive number, found 0"),
        .remove("ranking.value.noncompliant_last", "missing entry \"ranking.value.noncompliant_last\""),
        .set("minimum_industrial_share.value", "1.5", "minimum_industrial_share.value must be a non-negative number up to 1, found 1.5"),
        .set(
            "minimum_handover_share.value.demolition_rebuild", "1e400",
            "minimum_handover_share.value.demolition_rebuild must be a non-negative number up to 1, found infinity"),
        .set(
            "minimum_handover_share.value.rebuild", "0.1",
            "minimum_handover_share.value: unknown renewal mode \"rebuild\" (known: comprehensive_remediation"),
        .remove("modes.value.micro_renewal", "modes.value: no entry for renewal mode \"micro_renewal\""),
        .set("modes.value.function_change.demolishes", "\"no\"", "modes.value.function_change.demolishes must be true or false, found \"no\""),
        .set("far_caps.value.M.2", "-5", "far_caps.value.M.2 must be a non-negative number, found -5"),
        .set("far_caps.value.X", "{\"1\": 2}", "far_caps.value: unknown land-use class \"X\" (known: GIC, M, W"),
        .set("density_zones.value.zones.440304004", "1", "density_zones.value.zones.440304004 must be a string, found 1"),
        .remove("density_zones.value.default", "missing entry \"density_zones.value.default\""),
        .set("rehousing_radius_m", "2000", "rehousing_radius_m must be an object, found 2000"),
    ]

    @Test("renewal.json with one bad edit: the error names the file, the key path and the value found", arguments: bad)
    func badRules(_ edit: ConfigEdit) throws {
        try edit.check(editing: Self.file) { try DevelopmentControls.read($0, alongside: RenewalRules.self) }
    }

    /// The density zones and FAR caps are checked against each other after every entry is read,
    /// as when renewal.json was read in one piece: the first problem a planner sees is unchanged.
    @Test("a bad renewal entry is reported before a density zone without caps, and a non-text source after it")
    func orderOfProblems() throws {
        func read(_ edits: [(String, JSONValue)]) throws -> String {
            var json = try parseJSON(try Data(contentsOf: TestPaths.repositoryRoot.appendingPathComponent(Self.file)))
            for (path, value) in edits { json = try ConfigEdit.editing(json, at: ConfigEdit.steps(path)[...], to: value) }
            let url = TestPaths.temporaryFolder("renewal").appendingPathExtension("json")
            defer { try? FileManager.default.removeItem(at: url) }
            try serializedJSON(json).write(to: url, atomically: true, encoding: .utf8)
            do { _ = try DevelopmentControls.read(url, alongside: RenewalRules.self); return "" } catch { return "\(error)" }
        }
        let noCap = ("far_caps.value.W", JSONValue.object(JSONObject([("1", .number(4))])))
        let badMode = try read([noCap, ("modes.value.function_change.demolishes", .string("no"))])
        #expect(badMode.contains("modes.value.function_change.demolishes must be true or false") && !badMode.contains("no cap for W"))
        let badSource = try read([noCap, ("extra", .object(JSONObject([("source", .number(5))])))])
        #expect(badSource.contains("no cap for W") && !badSource.contains("extra.source"))
    }
}
