import Foundation
import Testing
import SpaceData
import SpaceGeometry
import Allocation

// The same edit helper as SpaceMapTests' ConfigDecodingTests (test targets share no sources).
/// One bad edit of a shipped configuration file: the JSON at a key path set to `json` (raw
/// text, so 1e400 stays 1e400) or removed, and the texts the error must contain besides the file.
struct ConfigEdit: Sendable, CustomTestStringConvertible {
    let path: String
    let json: String?
    let expected: [String]

    static func set(_ path: String, _ json: String, _ expected: String...) -> ConfigEdit { ConfigEdit(path: path, json: json, expected: expected) }
    static func remove(_ path: String, _ expected: String...) -> ConfigEdit { ConfigEdit(path: path, json: nil, expected: expected) }

    var testDescription: String { json.map { "\(path) = \($0)" } ?? "no \(path)" }

    /// The shipped file (relative to the repository) with this edit, in a file of its own.
    func write(editing shipped: String) throws -> URL {
        let original = try parseJSON(try Data(contentsOf: Fixtures.repositoryRoot.appendingPathComponent(shipped)))
        let placeholder = "edit-\(UUID().uuidString)"
        var text = serializedJSON(try Self.editing(original, at: Self.steps(path)[...], to: json == nil ? nil : .string(placeholder)))
        if let json { text = text.replacingOccurrences(of: "\"\(placeholder)\"", with: json) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)-\((shipped as NSString).lastPathComponent)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Loads the edited file with `load` and checks it fails with a DataError naming the file, the key path and the value.
    func check(editing shipped: String, _ load: (URL) throws -> Any) throws {
        let url = try write(editing: shipped)
        defer { try? FileManager.default.removeItem(at: url) }
        let errors: [DataError]
        do { _ = try load(url); errors = [] } catch let e as DataError { errors = [e] } catch let e as DataErrors { errors = e.errors }
        #expect(errors.contains { e in e.file == url.path && expected.allSatisfy { "\(e)".contains($0) } },
                "\(testDescription): \(errors.isEmpty ? "loaded without an error" : errors.map(\.description).joined(separator: "\n"))")
    }

    /// "a.b[1].c" → ["a", "b", 1, "c"].
    static func steps(_ path: String) -> [Either] {
        path.split(separator: ".").flatMap { part -> [Either] in
            let pieces = part.split(separator: "[")
            return [.key(String(pieces[0]))] + pieces.dropFirst().map { .index(Int($0.dropLast())!) }
        }
    }

    enum Either { case key(String), index(Int) }

    struct PathError: Error { let path: String }

    static func editing(_ value: JSONValue, at steps: ArraySlice<Either>, to new: JSONValue?) throws -> JSONValue {
        guard let step = steps.first else { return new ?? .null }
        switch (step, value) {
        case let (.key(k), .object(o)):
            var o = o
            if steps.count == 1 { o[k] = new } else { o[k] = try editing(o[k] ?? .object(JSONObject()), at: steps.dropFirst(), to: new) }
            return .object(o)
        case let (.index(i), .array(a)) where a.indices.contains(i):
            var a = a
            if steps.count == 1, new == nil { a.remove(at: i) } else { a[i] = try editing(a[i], at: steps.dropFirst(), to: new) }
            return .array(a)
        default:
            throw PathError(path: "\(steps)")
        }
    }
}

@Suite("Allocation rules: allocation.json decoded and checked")
struct AllocationConfigTests {
    static let file = "GIS/config/allocation.json"

    @Test("the shipped allocation.json decodes to its stages, weights and solver settings")
    func shipped() throws {
        let rules = try Fixtures.rules
        #expect(rules.stageCarriers == [.startUp: [.makerSpace, .incubator], .growth: [.incubator, .accelerator],
                                        .scaleUp: [.accelerator, .park, .siliconBuilding], .mature: [.park, .siliconBuilding]])
        #expect(rules.basePriority == 1 && rules.flagPriority.count == 6 && rules.flagPriority["quasi_unicorn"] == 1 && rules.flagPriority["overseas_talent"] == 0.3)
        #expect(rules.preferredZoneBonus == 0.2 && rules.sectorClusterBonus == 0.3 && rules.areaAboveMinimumWeight == 0.5)
        #expect(rules.exactMaxFirms == 200 && rules.exactTimeLimitS == 60)
        #expect(rules.boundIterations == 600 && rules.localSearchPasses == 50 && rules.candidateOptions == 16 && rules.searchEveryStartUpToFirms == 1_000)
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
        .set("exact_solver.value.max_firms", "1e300", "exact_solver.value.max_firms must be a whole number, 0 or more, found 1e+300"),
        .set("exact_solver.value.time_limit_s", "-60", "exact_solver.value.time_limit_s must be a non-negative number, found -60"),
        .set("heuristic.value.bound_iterations", "600.5", "heuristic.value.bound_iterations must be a whole number, found 600.5"),
        .set("heuristic.value.candidate_options", "\"16\"", "heuristic.value.candidate_options must be a whole number, found \"16\""),
        .remove("heuristic.value.local_search_passes", "missing entry \"heuristic.value.local_search_passes\""),
    ]

    @Test("allocation.json with one bad edit: the error names the file, the key path and the value found", arguments: bad)
    func badRules(_ edit: ConfigEdit) throws {
        try edit.check(editing: Self.file) { try AllocationRules.load($0) }
    }
}
