import Foundation
import Testing
import TestSupport
import SpaceData
import SpaceGeometry
import Allocation

@Suite("Allocation rules: allocation.json decoded and checked")
struct AllocationConfigTests {
    static let file = "GIS/config/allocation.json"

    @Test("the shipped allocation.json decodes to its stages, weights and solver settings")
    func shipped() throws {
        let rules = try Fixtures.rules
        #expect(
            rules.stageCarriers == [
                .startUp: [.makerSpace, .incubator], .growth: [.incubator, .accelerator],
                .scaleUp: [.accelerator, .park, .siliconBuilding], .mature: [.park, .siliconBuilding],
            ])
        #expect(
            rules.basePriority == 1 && rules.flagPriority.count == 6 && rules.flagPriority["quasi_unicorn"] == 1
                && rules.flagPriority["overseas_talent"] == 0.3)
        #expect(rules.preferredZoneBonus == 0.2 && rules.sectorClusterBonus == 0.3 && rules.areaAboveMinimumWeight == 0.5)
        #expect(rules.exactMaxFirms == 200 && rules.exactTimeLimitS == 60)
        #expect(
            rules.boundIterations == 600 && rules.localSearchPasses == 50 && rules.candidateOptions == 16 && rules.searchEveryStartUpToFirms == 1_000)
        #expect(rules.priority(flags: ["national_high_tech", "leading"]) == 2)
    }

    static let bad: [ConfigEdit] = [
        .set("priority.value.base", "1e300", "priority.value.base must be a weight from 0 to 1000, found 1e+300"),
        .set("priority.value.flags.quasi_unicorn", "-1", "priority.value.flags.quasi_unicorn must be a weight from 0 to 1000, found -1"),
        .set("priority.value.flags.unicorn", "1", "priority.value.flags: unknown flag \"unicorn\" (known: national_high_tech, strategic_emerging"),
        .set("priority.value.flags", "[0.5]", "priority.value.flags must be an object, found a list [0.5]"),
        .set("stages.value.growth[0]", "\"lab\"", "stages.value.growth[0]: unknown carrier type \"lab\" (known: maker_space, incubator"),
        .set("stages.value.growth[1]", "2", "stages.value.growth[1] must be a carrier type (a string), found 2"),
        .set("stages.value.seed", "[\"incubator\"]", "stages.value: unknown stage \"seed\" (known: start_up, growth, scale_up, mature)"),
        .remove("stages.value.mature", "stages.value: no entry for stage \"mature\""),
        .set("stages.value.start_up", "\"incubator\"", "stages.value.start_up must be a list, found \"incubator\""),
        .set("fit.value.preferred_zone", "1e400", "fit.value.preferred_zone must be a weight from 0 to 1000, found infinity"),
        .set("area_above_minimum_weight.value", "1.5", "area_above_minimum_weight.value must be a non-negative number up to 1, found 1.5"),
        .set("split_firms.value", "true", "split_firms.value: splitting a firm across carriers is not modelled; set it to false"),
        .set("split_firms.value", "\"no\"", "split_firms.value must be true or false, found \"no\""),
        .set("exact_solver.value.max_firms", "1e300", "exact_solver.value.max_firms must be a whole number up to 1000000000, found 1e+300"),
        .set("exact_solver.value.time_limit_s", "-60", "exact_solver.value.time_limit_s must be a non-negative number, found -60"),
        .set("exact_solver.value.time_limit_s", "1e9", "exact_solver.value.time_limit_s must be a number of seconds up to 3600, found 1000000000"),
        .set("heuristic.value.bound_iterations", "1e9", "heuristic.value.bound_iterations must be a number from 0 to 100000, found 1000000000"),
        .set("heuristic.value.bound_iterations", "600.5", "heuristic.value.bound_iterations must be a whole number, found 600.5"),
        .set("heuristic.value.candidate_options", "\"16\"", "heuristic.value.candidate_options must be a whole number, found \"16\""),
        .remove("heuristic.value.local_search_passes", "missing entry \"heuristic.value.local_search_passes\""),
    ]

    @Test("allocation.json with one bad edit: the error names the file, the key path and the value found", arguments: bad)
    func badRules(_ edit: ConfigEdit) throws {
        try edit.check(editing: Self.file) { try readConfig(AllocationRules.self, from: $0) }
    }
}
