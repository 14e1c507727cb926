import SpaceCore
import Foundation
import Testing
import TestSupport
import SpaceData
import SpaceGeometry

@Suite("Configuration decoding: policy, positive lists and the decoder's number checks")
struct ConfigDecodingTests {
    static let policyFile = "GIS/config/policy.json"
    static let listsFile = "GIS/config/positive_lists.json"

    @Test("the shipped policy.json decodes to the numbers of the plan")
    func shippedPolicy() throws {
        let policy = try Policy.load(TestPaths.repositoryRoot.appendingPathComponent(Self.policyFile))
        #expect(policy.workingCRS == .epsg(4547))
        #expect(policy.baseline.year == 2020 && policy.baseline.floorAreaM2 == 400_000 && policy.baseline.label == "plan trajectory baseline")
        #expect(policy.milestones.map(\.year) == [2023, 2025] && policy.milestones.map(\.floorAreaM2) == [1_000_000, 1_500_000])
        #expect(policy.alternativeBaselines.map(\.floorAreaM2) == [285_600])
        #expect(policy.techCarrierTypes == ["maker_space", "incubator", "accelerator", "park", "silicon_building"])
        #expect(policy.industrialBuildingUses == ["industrial", "rnd", "warehouse"])
        #expect(policy.industrialLandUses == ["M0", "M1", "M2", "W", "W0", "W1"])
        #expect(policy.oldIndustrialConditions == ["old_factory", "old_warehouse", "dilapidated"])
        #expect(policy.enterpriseMatchMaxDistanceM == 30 && policy.landAreaTolerance == 0.05)
    }

    static let badPolicies: [ConfigEdit] = [
        .set(
            "tech_cultivation_targets.milestones[1].year", "2023.5", "tech_cultivation_targets.milestones[1].year must be a whole year, found 2023.5"),
        .set(
            "tech_cultivation_targets.milestones[0].year", "1e400", "tech_cultivation_targets.milestones[0].year must be a whole year, found infinity"
        ),
        .set(
            "tech_cultivation_targets.milestones[1].year", "1e300",
            "tech_cultivation_targets.milestones[1].year must be a year from 1900 to 2200, found 1e+300"),
        .set(
            "tech_cultivation_targets.baseline.year", "-2020", "tech_cultivation_targets.baseline.year must be a year from 1900 to 2200, found -2020"),
        .set(
            "tech_cultivation_targets.milestones[1].floor_area_m2", "\"1500000\"",
            "tech_cultivation_targets.milestones[1].floor_area_m2 must be a positive number, found \"1500000\""),
        .set(
            "tech_cultivation_targets.milestones[0].floor_area_m2", "0",
            "tech_cultivation_targets.milestones[0].floor_area_m2 must be a positive number, found 0"),
        .remove("tech_cultivation_targets.baseline", "missing entry \"tech_cultivation_targets.baseline\""),
        .remove("tech_cultivation_targets.milestones[1].year", "missing entry \"tech_cultivation_targets.milestones[1].year\""),
        .set("tech_cultivation_targets.milestones", "[]", "tech_cultivation_targets.milestones must not be empty, found an empty list"),
        .set(
            "tech_cultivation_targets.alternative_baselines", "{\"year\": 2020}",
            "tech_cultivation_targets.alternative_baselines must be a list, found an object {\"year\":2020}"),
        .set("tech_cultivation_carrier_types.value", "[]", "tech_cultivation_carrier_types.value must not be empty, found an empty list"),
        .set(
            "tech_cultivation_carrier_types.value[1]", "\"lab\"",
            "tech_cultivation_carrier_types.value[1]: unknown carrier type \"lab\" (known: maker_space, incubator, accelerator, park, silicon_building)"
        ),
        .set("working_crs.value", "\"EPSG:4326\"", "working_crs.value: EPSG:4326 is not a projected CRS in metres; areas need one"),
        .set("working_crs.value", "4547", "working_crs.value must be a CRS name such as EPSG:4547, found 4547"),
        .set("enterprise_match_max_distance_m.value", "-30", "enterprise_match_max_distance_m.value must be a non-negative number, found -30"),
        .remove("land_area_tolerance.value", "missing entry \"land_area_tolerance.value\""),
        .set("industrial_land_uses.value[2]", "\"X9\"", "industrial_land_uses.value[2]: unknown land-use code \"X9\""),
        .set("industrial_building_uses.value[0]", "\"factory\"", "industrial_building_uses.value[0]: unknown building use \"factory\""),
        .set("old_industrial_conditions.value", "\"old_factory\"", "old_industrial_conditions.value must be a list, found \"old_factory\""),
    ]

    @Test("policy.json with one bad edit: the error names the file, the key path and the value found", arguments: badPolicies)
    func badPolicy(_ edit: ConfigEdit) throws {
        try edit.check(editing: Self.policyFile) { try Policy.load($0) }
    }

    @Test("the shipped positive_lists.json decodes to its six lists")
    func shippedLists() throws {
        let lists = try PositiveLists.load(TestPaths.repositoryRoot.appendingPathComponent(Self.listsFile))
        #expect(lists.lists.count == 6 && lists.lists["440304"]?.count == 11)
        #expect(lists.lists["cluster-bagualing"] == ["smart_devices", "new_materials", "semiconductors", "green_low_carbon", "tech_services"])
    }

    static let badLists: [ConfigEdit] = [
        .set(
            "lists.cluster-bagualing.sectors[1]", "\"robots\"", "(id cluster-bagualing): unknown sector \"robots\"",
            "(at lists.cluster-bagualing.sectors[1])"),
        .set("lists.440304.sectors", "\"ai\"", "(id 440304): sectors must be a list, found \"ai\" (at lists.440304.sectors)"),
        .set("lists.440304.sectors[0]", "3", "(id 440304): sectors[0] must be a string, found 3 (at lists.440304.sectors[0])"),
        .remove("lists.cluster-bagualing.sectors", "(id cluster-bagualing): needs sectors (at lists.cluster-bagualing.sectors)"),
        .set("lists.cluster-meilin-caitian", "true", "(id cluster-meilin-caitian): lists.cluster-meilin-caitian must be an object, found true"),
        .set("lists", "[]", "lists must be an object, found an empty list"),
        .remove("lists", "missing entry \"lists\""),
    ]

    @Test("positive_lists.json with one bad edit: the error names the file, the zone, the key path and the value found", arguments: badLists)
    func badList(_ edit: ConfigEdit) throws {
        try edit.check(editing: Self.listsFile) { try PositiveLists.load($0) }
    }

    @Test("positive lists report every unknown sector of every zone at once")
    func allProblemsAtOnce() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lists-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try #"{"lists": {"Z1": {"sectors": ["ai", "robots", "drones"]}, "Z2": {"sectors": "ai"}, "Z3": {"sectors": ["ai"]}}}"#
            .write(to: url, atomically: true, encoding: .utf8)
        #expect { try PositiveLists.load(url) } throws: { error in
            let errors = (error as? DataErrors)?.errors.map(\.description) ?? []
            return errors.count == 3 && errors[0].contains("(id Z1): unknown sector \"robots\"")
                && errors[1].contains("(id Z1): unknown sector \"drones\"")
                && errors[2].contains("(id Z2): sectors must be a list")
        }
    }

    /// A type with plain Swift numbers: the decoder itself must refuse what does not fit.
    struct Plain: Decodable {
        let count: Int
        let small: UInt8?
        let ratio: Double?
    }

    @Test(
        "plain integers and doubles: NaN, infinity, fractions and values beyond the type are errors, never a trap",
        arguments: [
            (#"{"count": 1e300}"#, "count must be a whole number from -9223372036854775808 to 9223372036854775807, found 1e+300"),
            (#"{"count": NaN}"#, "count must be a whole number, found NaN"),
            (#"{"count": -1e400}"#, "count must be a whole number, found -infinity"),
            (#"{"count": 2.5}"#, "count must be a whole number, found 2.5"),
            (#"{"count": 9223372036854775807}"#, "count must be a whole number from"),  // 2^63 as a Double: one past Int.max
            (#"{"count": 1, "small": 256}"#, "small must be a whole number from 0 to 255, found 256"),
            (#"{"count": 1, "ratio": Infinity}"#, "ratio must be a finite number, found infinity"),
            (#"{"count": "3"}"#, "count must be a whole number, found \"3\""),
            (#"{"ratio": 1}"#, "missing entry \"count\""),
        ])
    func plainNumbers(_ json: String, _ expected: String) throws {
        #expect { try decodeConfig(Plain.self, from: try parseJSON(json), file: "plain.json") } throws: { error in
            (error as? DataError).map { $0.file == "plain.json" && $0.problem == expected || $0.problem.hasPrefix(expected) } ?? false
        }
    }

    @Test("plain numbers that fit decode exactly; unknown keys are ignored")
    func plainNumbersFit() throws {
        let plain = try decodeConfig(
            Plain.self, from: try parseJSON(#"{"count": -9007199254740992, "small": 255, "ratio": 0.1, "other": [1]}"#), file: "p")
        #expect(plain.count == -9_007_199_254_740_992 && plain.small == 255 && plain.ratio == 0.1)
    }
}
