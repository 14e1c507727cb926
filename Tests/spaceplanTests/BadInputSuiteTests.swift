import Foundation
import SpaceCore
import SpaceGeometry
import Testing
import TestSupport

/// Damaged inputs of every kind the tool reads, each run through the real `spaceplan` binary
/// on a copy of the tiny district (a few on GIS/sample) whose `--out` already holds a good
/// run. Every case must end by itself (no signal, no crash report), name the file and the
/// record or key, and leave `--out` byte for byte as it was; the defensible doubts instead run
/// to the end and say so in validation.txt, the report or the printout.
/// A path that is not there (under the temporary folder, named once).
let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("spaceplan-nowhere").path

@Suite("Bad input: every reader refuses or warns, names file and record, never crashes or touches --out")
struct BadInputSuiteTests {
    @Test("a pristine copy runs clean: every command exits 0 and warns of nothing")
    func pristine() throws {
        let fixture = try BadInputFixture.shared.get()
        // Every command that writes an --out has a clean reference run (validate writes none, and has none).
        for run in BadInputRun.allCases where run != .validate {
            #expect(fixture.references[run] != nil, "\(run): \(fixture.failures[run] ?? "no reference run")")
        }
        #expect(fixture.failures.isEmpty, "\(fixture.failures)")
    }

    @Test("a damaged input", arguments: BadInputCase.all)
    func damaged(_ bad: BadInputCase) throws {
        let fixture = try BadInputFixture.shared.get()
        let folder = TestPaths.temporaryFolder("bad-input")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data"), out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: bad.onSample ? TestPaths.sample : fixture.tiny, to: data)
        if bad.onSample { try BadInputFixture.addConfig(to: data) }
        try bad.damage(data)
        let reference = fixture.references[bad.run]
        if let reference { try FileManager.default.copyItem(at: reference, to: out) }

        let arguments = bad.arguments(data, out)
        let before = reference == nil ? nil : try BadInputFixture.contents(of: out)
        let r = try SpacePlanCLI.launch(arguments, in: folder)
        if let log = ProcessInfo.processInfo.environment["BAD_INPUT_LOG"] {
            // For reading every message at once: BAD_INPUT_LOG=messages.txt swift test --filter BadInputSuite
            BadInputFixture.append("## \(bad) [exit \(r.status)]\n\(bad.warning == nil ? r.error : r.output)\n", to: log)
        }
        #expect(r.heldUp, "\(bad): did not end by itself (status \(r.status), signalled \(r.signalled)):\n\(r.error.prefix(2_000))")
        if let place = bad.warning {
            #expect(r.status == 0, "\(bad): a warning must not stop the run:\n\(r.error)")
            let text = place == .stdout ? r.output : (try? String(contentsOf: out.appendingPathComponent(place.rawValue), encoding: .utf8)) ?? ""
            for expected in bad.expected {
                #expect(text.contains(expected), "\(bad): \(place.rawValue) lacks \"\(expected)\":\n\(text.prefix(3_000))")
            }
        } else {
            #expect(r.status != 0, "\(bad): accepted in silence:\n\(r.output)")
            for expected in bad.expected {
                #expect(r.error.contains(expected), "\(bad): the message lacks \"\(expected)\":\n\(r.error.prefix(3_000))")
            }
            if let before { #expect(try BadInputFixture.contents(of: out) == before, "\(bad): --out changed") }
        }
        let beside = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !["data", "out"].contains($0) }
        #expect(beside.isEmpty, "\(bad): left beside --out: \(beside)")
    }
}

// MARK: - The commands

/// A command as the suite runs it, with the files of the data folder it reads.
enum BadInputRun: String, CaseIterable, Sendable {
    case spacemap, validate, map, renewal, supply, allocate, generate, generateDemand, sampleSpacemap

    func arguments(_ data: URL, _ out: URL) -> [String] {
        let d = data.path, o = out.path
        switch self {
        case .spacemap: return ["spacemap", "--data", d, "--out", o, "--no-maps"]
        case .validate: return ["validate", "--data", d]
        case .map: return ["map", "--data", d, "--out", o, "--theme", "space"]
        case .renewal: return ["renewal", "evaluate", "--data", d, "--proposals", "\(d)/proposals.geojson", "--out", o, "--no-maps"]
        case .supply: return ["supply", "--data", d, "--scenario", "\(d)/scenario.json", "--out", o]
        case .allocate: return ["allocate", "--data", d, "--demand", "\(d)/demand.csv", "--out", o, "--no-map", "--solver", "heuristic"]
        case .generate: return ["generate", "--seed", "1", "--buildings", "10", "--out", o]
        case .generateDemand: return ["generate-demand", "--data", d, "--firms", "5", "--seed", "1", "--out", "\(o)/demand.csv"]
        case .sampleSpacemap: return ["spacemap", "--data", d, "--out", o, "--no-maps"]
        }
    }
}

/// Where a defensible doubt is reported when the run goes on.
enum WarningPlace: String, Sendable {
    case validationText = "validation.txt"
    case allocationReport = "allocation.md"
    case supplyReport = "supply.md"
    case stdout
}

// MARK: - The pristine inputs and good runs

/// The tiny district with everything the commands read beside it (proposals, a scenario,
/// demand, the configuration), and one good run of each command, made once for all cases.
struct BadInputFixture: Sendable {
    let tiny: URL
    let references: [BadInputRun: URL]
    let failures: [BadInputRun: String]

    static let shared = Result { try BadInputFixture() }

    init() throws {
        var district = TinyDistrict()
        district.enterpriseFlags = "national_high_tech"
        tiny = RemovedAtExit.register(try district.write())
        try replaceInFile(tiny, "layers.json", "{\"name\": \"tiny\", \"layers\"", "{\"name\": \"tiny\", \"as_of_year\": 2021, \"layers\"")
        try Self.addConfig(to: tiny)
        try Self.save(tiny, "positive_lists.json", #"{"lists": {"A": {"sectors": ["ai", "fintech", "biomedicine"]}, "C": {"sectors": ["ai"]}}}"#)
        try replaceInFile(tiny, "renewal.json", Self.shippedDensityZones(), #""zones": {"A": "1", "B": "2"}"#)
        try Self.save(tiny, "proposals.geojson", Self.proposals)
        try Self.save(tiny, "scenario.json", Self.scenario)
        try Self.save(tiny, "demand.csv", Self.demandCSV)
        try Self.save(tiny, "demand.json", Self.demandJSON)

        // The fixture lives as long as the test process: its folders go when it exits.
        let root = RemovedAtExit.register(TestPaths.temporaryFolder("bad-input-references"))
        var references: [BadInputRun: URL] = [:], failures: [BadInputRun: String] = [:]
        for run in BadInputRun.allCases where run != .validate {
            let out = root.appendingPathComponent(run.rawValue)
            let data = run == .sampleSpacemap ? TestPaths.sample : tiny
            let r = try SpacePlanCLI.launch(run.arguments(data, out))
            // A reference run must be clean, so that a case's warning is its own.
            let validation = (try? String(contentsOf: out.appendingPathComponent("validation.txt"), encoding: .utf8)) ?? ""
            let warned = r.output.contains("warning:") || validation.contains("positive lists") || validation.contains("renewal rules")
            if r.status == 0, !warned { references[run] = out } else { failures[run] = "status \(r.status): \(r.error)\(r.output)" }
        }
        self.references = references
        self.failures = failures
    }

    private static let logLock = NSLock()
    static func append(_ text: String, to path: String) {
        logLock.lock(); defer { logLock.unlock() }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }

    static func save(_ folder: URL, _ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// The shipped configuration beside the layers, where the commands look first.
    static func addConfig(to folder: URL) throws {
        for name in ["policy.json", "renewal.json", "land_supply.json", "allocation.json", "positive_lists.json"]
        where !FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            try FileManager.default.copyItem(at: TestPaths.config(name), to: folder.appendingPathComponent(name))
        }
    }

    static func shippedDensityZones() throws -> String {
        let text = try String(contentsOf: TestPaths.config("renewal.json"), encoding: .utf8)
        guard let start = text.range(of: "\"zones\": {"), let end = text[start.upperBound...].firstIndex(of: "}") else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return String(text[start.lowerBound...end])
    }

    /// Every file below `folder` (hidden ones too) by relative path, with its bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in FileManager.default.subpaths(atPath: folder.path) ?? [] {
            var isFolder: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                files[path] = try Data(contentsOf: url)
            }
        }
        return files
    }

    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> String { TinyDistrict.ring(TinyDistrict.rect(x0, y0, x1, y1)) }

    /// Two compliant renewal proposals in EPSG:4547: remediation around B1, a rebuild of P3.
    static let proposals = """
        {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:4547"}}, "features": [
        {"type": "Feature", "properties": {"id": "U1", "proposal": "P-1", "name": "Unit one", "mode": "comprehensive_remediation", "land_use": "M1", "start_year": 2022, "completion_year": 2023, "floor_area_m2": {"rnd": 500}}, "geometry": {"type": "Polygon", "coordinates": \(square(0, 0, 100, 100))}},
        {"type": "Feature", "properties": {"id": "U2", "proposal": "P-2", "name": "Unit two", "mode": "demolition_rebuild", "land_use": "W1", "start_year": 2022, "phases": [{"completion_year": 2024, "share": 0.5}, {"completion_year": 2025, "share": 0.5}], "far": 2, "use_shares": {"industrial": 0.6, "rnd": 0.4}, "handover_share": 0.15, "carrier": {"type": "incubator"}, "sectors": ["ai"]}, "geometry": {"type": "Polygon", "coordinates": \(square(600, 0, 800, 200))}}
        ]}

        """

    static let scenario = """
        {"name": "Tiny scenario", "description": "every kind of event", "renewal": {"proposals": "proposals.geojson"}, "events": [
          {"id": "buy", "kind": "purchase", "year": 2022, "floor_area_m2": 1000},
          {"id": "rent", "kind": "lease", "year": 2022, "floor_area_m2": 500, "term_years": 5},
          {"id": "convert", "kind": "conversion", "year": 2023, "building_ids": ["B2"]},
          {"id": "land", "kind": "land_supply", "year": 2023, "mode": "long_term_lease", "land_area_m2": 5000, "far": 2}
        ]}

        """

    static let demandCSV = """
        id,name,sector,stage,flags,employees,min_m2,preferred_m2,preferred_zones,move_in_year,priority,max_rent_yuan_m2_month
        F1,Firm one,ai,start_up,national_high_tech,5,100,200,A,2022,,
        F2,Firm two,fintech,growth,,20,300,500,C,2023,2,80
        F3,Firm three,biomedicine,scale_up,,50,800,1000,,2024,,

        """

    static let demandJSON = """
        {"firms": [{"id": "F1", "sector": "ai", "stage": "start_up", "min_m2": 100, "preferred_m2": 200, "move_in_year": 2022, "preferred_zones": ["A"]},
                   {"id": "F2", "sector": "fintech", "stage": "growth", "min_m2": 300, "preferred_m2": 500, "move_in_year": 2023, "priority": 2}]}

        """
}

// MARK: - Damage

/// Edits of a case's data folder.
enum Damage {
    typealias Edit = @Sendable (URL) throws -> Void

    static let none: Edit = { _ in }

    /// `old` replaced by `new` in `file` (an error if `old` is absent, so no case passes undamaged).
    static func replace(_ file: String, _ old: String, _ new: String) -> Edit { { try replaceInFile($0, file, old, new) } }

    static func write(_ file: String, _ text: String) -> Edit {
        { folder in
            let url = folder.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    static func bytes(_ file: String, _ change: @escaping @Sendable (Data) -> Data) -> Edit {
        {
            let url = $0.appendingPathComponent(file); try change(try Data(contentsOf: url)).write(to: url)
        }
    }

    static func remove(_ file: String) -> Edit { { try FileManager.default.removeItem(at: $0.appendingPathComponent(file)) } }

    static func all(_ edits: Edit...) -> Edit { { folder in for edit in edits { try edit(folder) } } }

    /// The JSON value at a key path of a JSON file of the folder set to raw text (so 1e300 and
    /// NaN stay as written), or removed when `json` is nil.
    static func json(_ file: String, _ path: String, _ json: String?) -> Edit {
        { folder in
            let url = folder.appendingPathComponent(file)
            let original = try parseJSON(try Data(contentsOf: url))
            let placeholder = "edit-\(UUID().uuidString)"
            var text = serializedJSON(try ConfigEdit.editing(original, at: ConfigEdit.steps(path)[...], to: json == nil ? nil : .string(placeholder)))
            if let json { text = text.replacingOccurrences(of: "\"\(placeholder)\"", with: json) }
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    /// The first occurrence of a Chinese name re-encoded as GBK (as Chinese Windows software saves it).
    static func gbk(_ file: String, replacing text: String) -> Edit {
        bytes(file) { data in
            guard let range = data.range(of: Data(text.utf8)) else { return data }
            var out = data
            // 福田 in GBK.
            out.replaceSubrange(range, with: [0xB8, 0xA3, 0xCC, 0xEF])
            return out
        }
    }

    static func nul(_ file: String, after text: String) -> Edit {
        bytes(file) { data in
            guard let range = data.range(of: Data(text.utf8)) else { return data }
            var out = data
            out.insert(0, at: range.upperBound)
            return out
        }
    }
}

// MARK: - The cases

struct BadInputCase: Sendable, CustomTestStringConvertible {
    let input: String
    let label: String
    let run: BadInputRun
    let onSample: Bool
    let damage: Damage.Edit
    let arguments: @Sendable (URL, URL) -> [String]
    /// Texts the message (or the warning's place) must contain: the file, the record or key, the problem.
    let expected: [String]
    let warning: WarningPlace?

    var testDescription: String { "\(input): \(label)" }

    static func refused(
        _ run: BadInputRun, _ input: String, _ label: String, _ damage: @escaping Damage.Edit, _ expected: String...,
        sample: Bool = false
    ) -> BadInputCase {
        BadInputCase(
            input: input, label: label, run: run, onSample: sample, damage: damage, arguments: run.arguments, expected: expected, warning: nil)
    }

    static func warned(
        _ run: BadInputRun, _ input: String, _ label: String, in place: WarningPlace, _ damage: @escaping Damage.Edit, _ expected: String...
    ) -> BadInputCase {
        BadInputCase(
            input: input, label: label, run: run, onSample: false, damage: damage, arguments: run.arguments, expected: expected, warning: place)
    }

    /// A command line of its own (`arguments` gets the data folder and --out).
    static func option(
        _ run: BadInputRun, _ option: String, _ label: String, _ expected: String...,
        arguments: @escaping @Sendable (URL, URL) -> [String]
    ) -> BadInputCase {
        BadInputCase(
            input: option, label: label, run: run, onSample: false, damage: Damage.none, arguments: arguments, expected: expected, warning: nil)
    }

    /// The run's own arguments with `extra` after them.
    static func extra(_ run: BadInputRun, _ option: String, _ label: String, _ extra: [String], _ expected: String...) -> BadInputCase {
        BadInputCase(
            input: option, label: label, run: run, onSample: false, damage: Damage.none, arguments: { run.arguments($0, $1) + extra },
            expected: expected, warning: nil)
    }

    static var all: [BadInputCase] {
        manifest + zones + parcels + buildings + carriers + enterprises + demand + proposals + scenarios + configuration + options + sample
            + plausibility
    }
}

extension BadInputCase {
    static let manifest: [BadInputCase] = {
        let m = "layers.json"
        return [
            refused(.spacemap, m, "not JSON", Damage.write(m, "layers: zones.geojson\n"), "layers.json: invalid JSON at line 1"),
            refused(.spacemap, m, "empty", Damage.write(m, ""), "layers.json: the file is empty"),
            refused(.spacemap, m, "missing", Damage.remove(m), "layers.json: no manifest"),
            refused(.spacemap, m, "a list at the top", Damage.write(m, "[]"), "layers.json: needs a \"layers\" object"),
            refused(.spacemap, m, "layers not an object", Damage.json(m, "layers", "[1]"), "layers.json: needs a \"layers\" object"),
            refused(.spacemap, m, "an unknown layer", Damage.replace(m, "\"carriers\":", "\"carrierz\":"), "layers.json: unknown layer \"carrierz\""),
            refused(.spacemap, m, "no zones layer", Damage.json(m, "layers.zones", nil), "layers.json: the zones layer is required"),
            refused(.spacemap, m, "a layer without a file", Damage.json(m, "layers.parcels.file", nil), "layer \"parcels\" has no \"file\""),
            refused(
                .spacemap, m, "a file that is not there", Damage.json(m, "layers.parcels.file", "\"lots.geojson\""), "lots.geojson: file not found"),
            refused(
                .spacemap, m, "an unknown CRS", Damage.json(m, "layers.zones.crs", "\"EPSG:99999\""), "layers.json: layer \"zones\"", "EPSG:99999"),
            refused(
                .spacemap, m, "firms without a CRS", Damage.json(m, "layers.enterprises.crs", nil),
                "layer \"enterprises\" has coordinates but no \"crs\""),
            refused(
                .spacemap, m, "as_of_year 1e300", Damage.json(m, "as_of_year", "1e300"),
                "layers.json: as_of_year must be a year from 1900 to 2200, found 1e+300"),
            refused(
                .spacemap, m, "as_of_year -5", Damage.json(m, "as_of_year", "-5"),
                "layers.json: as_of_year must be a year from 1900 to 2200, found -5"),
            refused(
                .spacemap, m, "as_of_year 2021.5", Damage.json(m, "as_of_year", "2021.5"),
                "layers.json: as_of_year must be a whole year, found 2021.5"),
            refused(.spacemap, m, "as_of_year NaN", Damage.json(m, "as_of_year", "NaN"), "layers.json: as_of_year must be a whole year, found NaN"),
            refused(
                .spacemap, m, "as_of_year as text", Damage.json(m, "as_of_year", "\"2021\""),
                "layers.json: as_of_year must be a year (a number), found \"2021\""),
            refused(
                .spacemap, m, "optional not a flag", Damage.json(m, "layers.carriers.optional", "\"yes\""),
                "layer \"carriers\": \"optional\" must be true or false"),
            refused(
                .spacemap, m, "fields not an object", Damage.json(m, "layers.carriers.fields", "\"id=code\""),
                "layer \"carriers\": fields must be an object"),
            refused(
                .spacemap, m, "a field mapped to a number", Damage.json(m, "layers.carriers.fields", "{\"id\": 5}"),
                "layer \"carriers\": fields.id must name a property or column"),
            refused(
                .spacemap, m, "defaults not an object", Damage.json(m, "layers.zones.defaults", "[\"district\"]"),
                "layer \"zones\": defaults must be an object"),
            refused(.spacemap, m, "name not text", Damage.json(m, "name", "5"), "layers.json: name must be text, found 5"),
            refused(.spacemap, m, "synthetic not a flag", Damage.json(m, "synthetic", "\"no\""), "layers.json: synthetic must be true or false"),
            refused(
                .spacemap, m, "GBK text",
                Damage.bytes(m) { d in
                    var d = d; d.replaceSubrange(d.range(of: Data("tiny".utf8))!, with: [0xB8, 0xA3]); return d
                },
                "layers.json: invalid JSON at line 1", "not UTF-8", "GBK"),
            refused(
                .spacemap, m, "buildings in the wrong projected CRS", Damage.json(m, "layers.buildings.crs", "\"EPSG:32650\""),
                "buildings.geojson: 5 of 5 records lie more than 2 km outside the district"),
            refused(
                .spacemap, m, "a manifest nested 10,000 deep", Damage.write(m, String(repeating: "[", count: 10_000)), "layers.json: invalid JSON",
                "nesting deeper than 512"),
        ]
    }()

    static let zones: [BadInputCase] = {
        let z = "zones.geojson"
        return [
            refused(.spacemap, z, "not JSON", Damage.write(z, "{\"type\": \"FeatureCollection\", \"features\": [\n"), "zones.geojson: invalid JSON"),
            refused(
                .spacemap, z, "no features", Damage.write(z, "{\"type\": \"FeatureCollection\", \"features\": []}"),
                "zones.geojson: the file has no features"),
            refused(
                .spacemap, z, "an unknown kind", Damage.replace(z, "\"kind\":\"cluster\"", "\"kind\":\"town\""),
                "zones.geojson, record 3 (id C): kind 'town' is not one of"),
            refused(
                .spacemap, z, "no name", Damage.replace(z, "\"name\":\"Zone B\"", "\"title\":\"Zone B\""),
                "zones.geojson, record 2 (id B): name is missing"),
            refused(.spacemap, z, "no id", Damage.replace(z, "\"id\":\"B\"", "\"code\":\"B\""), "zones.geojson, record 2: id is missing"),
            refused(
                .spacemap, z, "a duplicate id and a bad kind elsewhere",
                Damage.all(Damage.replace(z, "\"id\":\"B\"", "\"id\":\"A\""), Damage.replace(z, "\"kind\":\"cluster\"", "\"kind\":\"town\"")),
                "zones.geojson, record 2 (id A): duplicate id (also record 1)", "zones.geojson, record 3 (id C): kind 'town'"),
            refused(
                .spacemap, z, "a feature without a geometry member", Damage.json(z, "features[1].geometry", nil), "zones.geojson, record 1",
                "has no \"geometry\" member"),
            refused(
                .spacemap, z, "a NaN coordinate", Damage.json(z, "features[1].geometry.coordinates[0][1][0]", "NaN"), "zones.geojson, record 1",
                "non-finite coordinate"),
            refused(
                .spacemap, z, "a coordinate of 1e300", Damage.json(z, "features[1].geometry.coordinates[0][1][0]", "1e300"),
                "zones.geojson, record 1 (id A): coordinate", "beyond ±1000000000"),
            refused(
                .spacemap, z, "a crs member that contradicts the manifest",
                Damage.json(z, "crs", "{\"type\": \"name\", \"properties\": {\"name\": \"EPSG:4326\"}}"),
                "zones.geojson: the manifest says EPSG:4547 but the file's crs member says EPSG:4326"),
            refused(
                .spacemap, z, "a crs member naming no CRS", Damage.json(z, "crs", "{\"type\": \"name\", \"properties\": {\"name\": \"Gauss\"}}"),
                "zones.geojson", "unknown CRS 'Gauss'"),
            refused(.spacemap, z, "features not a list", Damage.write(z, "{\"type\": \"FeatureCollection\", \"features\": {}}"), "zones.geojson"),
            refused(
                .spacemap, z, "only clusters",
                Damage.all(
                    Damage.replace(z, "\"kind\":\"district\"", "\"kind\":\"cluster\""),
                    Damage.replace(z, "\"kind\":\"subdistrict\"", "\"kind\":\"cluster\"")),
                "zones.geojson: no zone of kind district and no sub-districts to derive it from"),
            refused(
                .spacemap, z, "GBK text",
                Damage.bytes(z) { d in
                    var d = d; d.replaceSubrange(d.range(of: Data("Zone B".utf8))!, with: [0xB8, 0xA3, 0xCC, 0xEF]); return d
                },
                "zones.geojson: invalid JSON at line", "not UTF-8", "GBK"),
            // Once a stack overflow: the fast coordinate parser recursed once per bracket, on a worker thread.
            refused(
                .spacemap, z, "coordinates nested 100,000 deep",
                Damage.json(z, "features[1].geometry.coordinates", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
                "zones.geojson: invalid JSON", "in feature 1: nesting deeper than 512 levels"),
            refused(
                .spacemap, z, "geometry collections nested 1,000 deep",
                Damage.json(
                    z, "features[1].geometry",
                    String(repeating: "{\"type\": \"GeometryCollection\", \"geometries\": [", count: 1_000)
                        + "{\"type\": \"Point\", \"coordinates\": [500100, 2490100]}" + String(repeating: "]}", count: 1_000)),
                "zones.geojson: invalid JSON", "nesting deeper than 512 levels"),
            refused(
                .spacemap, z, "a lone surrogate escape", Damage.replace(z, "\"name\":\"Zone B\"", "\"name\":\"Zone \\uD800\""),
                "zones.geojson: invalid JSON", "lone surrogate"),
            warned(
                .spacemap, z, "three zones of kind district", in: .validationText,
                Damage.replace(z, "\"kind\":\"subdistrict\"", "\"kind\":\"district\""),
                "zones.geojson", "3 zones are of kind district (D, A, B): only the first, D, is the district outline"),
            warned(
                .spacemap, z, "a point instead of a polygon is dropped and reported", in: .validationText,
                Damage.json(z, "features[3].geometry", "{\"type\": \"Point\", \"coordinates\": [500100, 2490100]}"), "zones.geojson", "id C",
                "not a polygon"),
        ]
    }()

    static let parcels: [BadInputCase] = {
        let p = "parcels.geojson"
        return [
            refused(
                .spacemap, p, "an unknown land use", Damage.replace(p, "\"land_use\":\"C1\"", "\"land_use\":\"X9\""),
                "parcels.geojson, record 1 (id P2): land_use 'X9' is not a land-use class"),
            refused(
                .spacemap, p, "no land use", Damage.replace(p, "\"land_use\":\"C1\"", "\"use\":\"C1\""),
                "parcels.geojson, record 1 (id P2): land_use is missing"),
            refused(
                .spacemap, p, "far_cap as words", Damage.json(p, "features[0].properties.far_cap", "\"high\""),
                "parcels.geojson, record 0 (id P1): far_cap is 'high', not a number"),
            refused(
                .spacemap, p, "far_cap -1", Damage.json(p, "features[0].properties.far_cap", "-1"),
                "parcels.geojson, record 0 (id P1): far_cap must be a non-negative number, found -1"),
            refused(
                .spacemap, p, "far_cap 1e300", Damage.json(p, "features[0].properties.far_cap", "1e300"),
                "parcels.geojson, record 0 (id P1): far_cap must be a number up to 1000000000, found 1e+300"),
            refused(
                .spacemap, p, "land_area_m2 NaN", Damage.json(p, "features[0].properties.land_area_m2", "NaN"),
                "parcels.geojson, record 0 (id P1): land_area_m2 must be a non-negative number, found NaN"),
            refused(
                .spacemap, p, "height_cap_m Infinity", Damage.json(p, "features[0].properties.height_cap_m", "Infinity"),
                "parcels.geojson, record 0 (id P1): height_cap_m must be a non-negative number, found infinity"),
            refused(
                .spacemap, p, "tenure_start 1e300", Damage.json(p, "features[0].properties.tenure_start", "1e300"),
                "parcels.geojson, record 0 (id P1): tenure_start must be a year from 1900 to 2200, found 1e+300"),
            refused(
                .spacemap, p, "tenure_start -5", Damage.json(p, "features[0].properties.tenure_start", "-5"),
                "record 0 (id P1): tenure_start must be a year from 1900 to 2200, found -5"),
            refused(
                .spacemap, p, "tenure_end 2040.5", Damage.json(p, "features[0].properties.tenure_end", "2040.5"),
                "record 0 (id P1): tenure_end must be a whole year, found 2040.5"),
            refused(
                .spacemap, p, "tenure ends before it starts",
                Damage.all(
                    Damage.json(p, "features[0].properties.tenure_start", "2010"), Damage.json(p, "features[0].properties.tenure_end", "2000")),
                "record 0 (id P1): tenure_end 2000 is before tenure_start 2010"),
            refused(
                .spacemap, p, "an unknown supply mode", Damage.json(p, "features[0].properties.supply_mode", "\"gift\""),
                "record 0 (id P1): supply_mode 'gift' is not one of"),
            refused(
                .spacemap, p, "a duplicate id and a bad land use elsewhere",
                Damage.all(Damage.replace(p, "\"id\":\"P4\"", "\"id\":\"P1\""), Damage.replace(p, "\"land_use\":\"C1\"", "\"land_use\":\"X9\"")),
                "parcels.geojson, record 1 (id P2): land_use 'X9'", "parcels.geojson, record 3 (id P1): duplicate id (also record 0)"),
            refused(
                .spacemap, p, "metres declared as degrees",
                Damage.replace("layers.json", "\"parcels.geojson\", \"crs\": \"EPSG:4547\"", "\"parcels.geojson\", \"crs\": \"WGS84\""),
                "parcels.geojson, record 0 (id P1)", "the data look projected (metres) but the layer is declared EPSG:4326"),
            refused(
                .spacemap, p, "a top level that is not an object", Damage.write(p, "[1, 2, 3]"), "parcels.geojson",
                "the top level is not a JSON object"),
            refused(
                .spacemap, p, "a geometry of an unknown type", Damage.json(p, "features[2].geometry.type", "\"Circle\""), "parcels.geojson, record 2",
                "unknown geometry type \"Circle\""),
            refused(
                .spacemap, p, "a position with one number", Damage.json(p, "features[2].geometry.coordinates[0][0]", "[500600]"),
                "parcels.geojson, record 2", "is not a position [x, y]"),
            warned(
                .spacemap, p, "a recorded land area far from the drawn one", in: .validationText,
                Damage.json(p, "features[0].properties.land_area_m2", "90000"),
                "parcels.geojson", "id P1", "recorded land_area_m2 90000"),
        ]
    }()

    static let buildings: [BadInputCase] = {
        let b = "buildings.geojson"
        func floors(_ json: String) -> Damage.Edit { Damage.json(b, "features[0].properties.floors", json) }
        return [
            refused(
                .spacemap, b, "no floors", Damage.json(b, "features[0].properties.floors", nil),
                "buildings.geojson, record 0 (id B1): floors is missing"),
            refused(.spacemap, b, "floors as words", floors("\"four\""), "buildings.geojson, record 0 (id B1): floors is 'four', not a number"),
            refused(.spacemap, b, "floors 0", floors("0"), "buildings.geojson, record 0 (id B1): floors must be a whole number, at least 1, found 0"),
            refused(.spacemap, b, "floors 2.5", floors("2.5"), "buildings.geojson, record 0 (id B1): floors must be a whole number, found 2.5"),
            refused(
                .spacemap, b, "floors 1e300", floors("1e300"),
                "buildings.geojson, record 0 (id B1): floors must be a whole number up to 1000000000, found 1e+300"),
            refused(.spacemap, b, "floors NaN", floors("NaN"), "buildings.geojson, record 0 (id B1): floors must be a whole number, found NaN"),
            refused(
                .spacemap, b, "floors -Infinity", floors("-Infinity"),
                "buildings.geojson, record 0 (id B1): floors must be a whole number, found -infinity"),
            refused(
                .spacemap, b, "an unknown use", Damage.json(b, "features[0].properties.use", "\"spaceship\""),
                "buildings.geojson, record 0 (id B1): use 'spaceship' is not one of"),
            refused(
                .spacemap, b, "gfa_m2 -5", Damage.json(b, "features[0].properties.gfa_m2", "-5"),
                "record 0 (id B1): gfa_m2 must be a non-negative number, found -5"),
            refused(
                .spacemap, b, "gfa_m2 1e300", Damage.json(b, "features[0].properties.gfa_m2", "1e300"),
                "record 0 (id B1): gfa_m2 must be a number up to 1000000000, found 1e+300"),
            refused(
                .spacemap, b, "more vacant than floor area", Damage.json(b, "features[0].properties.vacant_m2", "20000"),
                "record 0 (id B1): vacant_m2 20000 exceeds the gross floor area 10000"),
            refused(
                .spacemap, b, "year_built 1e300", Damage.json(b, "features[0].properties.year_built", "1e300"),
                "record 0 (id B1): year_built must be a year from 1800 to 2200, found 1e+300"),
            refused(
                .spacemap, b, "year_built 1066", Damage.json(b, "features[0].properties.year_built", "1066"),
                "record 0 (id B1): year_built must be a year from 1800 to 2200, found 1066"),
            refused(
                .spacemap, b, "an unknown condition", Damage.json(b, "features[0].properties.condition", "\"ruined\""),
                "record 0 (id B1): condition 'ruined' is not one of"),
            refused(
                .spacemap, b, "height_m as a list", Damage.json(b, "features[0].properties.height_m", "[12]"),
                "record 0 (id B1): height_m is '[12]', not a number"),
            refused(
                .spacemap, b, "a duplicate id and bad floors elsewhere", Damage.all(Damage.replace(b, "\"id\":\"B5\"", "\"id\":\"B2\""), floors("0")),
                "buildings.geojson, record 0 (id B1): floors must be", "buildings.geojson, record 4 (id B2): duplicate id (also record 1)"),
            refused(
                .spacemap, b, "properties as a list", Damage.json(b, "features[1].properties", "[1]"), "buildings.geojson, record 1",
                "\"properties\" is neither an object nor null"),
            refused(.spacemap, b, "a truncated file", Damage.bytes(b) { $0.prefix($0.count / 2) }, "buildings.geojson: invalid JSON"),
            refused(
                .spacemap, b, "a NUL byte", Damage.nul(b, after: "\"use\":\"rnd\""), "buildings.geojson: invalid JSON at line", "found the byte 0x00"),
            warned(
                .spacemap, b, "a null geometry is dropped and reported", in: .validationText, Damage.json(b, "features[2].geometry", "null"),
                "buildings.geojson", "id B3", "null geometry"),
            warned(
                .spacemap, b, "a bow-tie footprint is repaired and reported", in: .validationText, Damage.none, "buildings.geojson", "id B4",
                "repaired with make-valid"),
        ]
    }()

    static let carriers: [BadInputCase] = {
        let c = "carriers.csv"
        let k1 = "K1,Hetao incubator,incubator,national,op,5000,4000,B1"
        func row(_ new: String) -> Damage.Edit { Damage.replace(c, k1, new) }
        return [
            refused(.spacemap, c, "a missing column", Damage.replace(c, "occupied_m2,", "used_m2,"), "carriers.csv: missing column occupied_m2"),
            refused(
                .spacemap, c, "a header only", Damage.write(c, "id,name,type,level,operator,floor_area_m2,occupied_m2,building_ids\n"),
                "carriers.csv: the file has a header but no rows"),
            refused(.spacemap, c, "empty", Damage.write(c, ""), "carriers.csv: the file is empty"),
            refused(
                .spacemap, c, "an unknown type", row("K1,Hetao incubator,hackerspace,national,op,5000,4000,B1"),
                "carriers.csv, record 0 (id K1): line 2: type 'hackerspace' is not one of"),
            refused(
                .spacemap, c, "an unknown level", row("K1,Hetao incubator,incubator,galactic,op,5000,4000,B1"),
                "record 0 (id K1): line 2: level 'galactic' is not one of"),
            refused(
                .spacemap, c, "floor_area_m2 0", row("K1,Hetao incubator,incubator,national,op,0,0,B1"),
                "record 0 (id K1): line 2: floor_area_m2 must be positive"),
            refused(
                .spacemap, c, "floor_area_m2 1e300", row("K1,Hetao incubator,incubator,national,op,1e300,4000,B1"),
                "record 0 (id K1): line 2: floor_area_m2 must be a number up to 1000000000, found 1e+300"),
            refused(
                .spacemap, c, "floor_area_m2 nan", row("K1,Hetao incubator,incubator,national,op,nan,4000,B1"),
                "record 0 (id K1): line 2: floor_area_m2 must be a non-negative number, found NaN"),
            refused(
                .spacemap, c, "floor_area_m2 inf", row("K1,Hetao incubator,incubator,national,op,inf,4000,B1"),
                "record 0 (id K1): line 2: floor_area_m2 must be a non-negative number, found infinity"),
            refused(
                .spacemap, c, "occupied over the floor area", row("K1,Hetao incubator,incubator,national,op,5000,6000,B1"),
                "record 0 (id K1): line 2: occupied_m2 6000 exceeds floor_area_m2 5000"),
            refused(
                .spacemap, c, "occupied as words", row("K1,Hetao incubator,incubator,national,op,5000,most,B1"),
                "record 0 (id K1): line 2: occupied_m2 is 'most', not a number"),
            refused(
                .spacemap, c, "no building", row("K1,Hetao incubator,incubator,national,op,5000,4000,"),
                "record 0 (id K1): line 2: building_ids is empty"),
            refused(
                .spacemap, c, "an unclosed quote", row("K1,\"Hetao incubator,incubator,national,op,5000,4000,B1"),
                "carriers.csv: line 2: a quoted field is never closed"),
            refused(
                .spacemap, c, "a field too many", row("K1,Hetao incubator,incubator,national,op,5000,4000,B1,extra"),
                "record 0 (id K1): line 2: has 9 fields, the header has 8"),
            refused(.spacemap, c, "GBK text", Damage.gbk(c, replacing: "Hetao"), "carriers.csv: line 2: field 2 (name)", "not UTF-8", "GBK"),
            refused(.spacemap, c, "a NUL byte", Damage.nul(c, after: "K2,"), "carriers.csv: line 3: field 2 (name): a NUL byte"),
            refused(
                .spacemap, c, "a duplicate id and an unknown type elsewhere",
                Damage.all(
                    Damage.replace(c, "K3,Lost park", "K1,Lost park"), Damage.replace(c, "K2,Maker space,maker_space", "K2,Maker space,hackerspace")),
                "carriers.csv, record 1 (id K2): line 3: type 'hackerspace'", "carriers.csv, record 2 (id K1): duplicate id (also record 0)"),
            refused(
                .spacemap, c, "a column named twice", Damage.replace(c, "id,name,type,", "id,name,id,"),
                "carriers.csv: line 1: column \"id\" appears twice in the header (fields 1 and 3)"),
            refused(.spacemap, c, "UTF-16 text", Damage.bytes(c) { Data([0xFF, 0xFE]) + $0 }, "carriers.csv: line 1", "UTF-16"),
        ]
    }()

    static let enterprises: [BadInputCase] = {
        let e = "enterprises.csv"
        func field(_ name: String, _ value: String) -> Damage.Edit {
            Damage.bytes(e) { data in
                var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
                let header = lines[0].components(separatedBy: ",")
                var fields = lines[1].components(separatedBy: ",")
                fields[header.firstIndex(of: name)!] = value
                lines[1] = fields.joined(separator: ",")
                return Data(lines.joined(separator: "\n").utf8)
            }
        }
        return [
            refused(.spacemap, e, "a missing column", Damage.replace(e, ",employees,", ",staff,"), "enterprises.csv: missing column employees"),
            refused(
                .spacemap, e, "no location columns", Damage.replace(e, ",lon,lat,building_id", ",x,y,house"),
                "enterprises.csv: needs lon,lat columns or a building_id column"),
            refused(
                .spacemap, e, "employees -1", field("employees", "-1"),
                "enterprises.csv, record 0 (id E1): line 2: employees must be a whole number, 0 or more, found -1"),
            refused(
                .spacemap, e, "employees 2.5", field("employees", "2.5"), "record 0 (id E1): line 2: employees must be a whole number, found 2.5"),
            refused(
                .spacemap, e, "employees 1e300", field("employees", "1e300"),
                "record 0 (id E1): line 2: employees must be a whole number up to 1000000000, found 1e+300"),
            refused(.spacemap, e, "employees as words", field("employees", "many"), "record 0 (id E1): line 2: employees is 'many', not a number"),
            refused(
                .spacemap, e, "floor_area_m2 NaN", field("floor_area_m2", "NaN"),
                "record 0 (id E1): line 2: floor_area_m2 must be a non-negative number, found NaN"),
            refused(.spacemap, e, "an unknown sector", field("sector", "alchemy"), "record 0 (id E1): line 2: sector 'alchemy' is not one of"),
            refused(.spacemap, e, "an unknown flag", field("flags", "unicorn"), "record 0 (id E1): line 2: flag 'unicorn' is not one of"),
            refused(
                .spacemap, e, "lon 1e300", field("lon", "1e300"),
                "record 0 (id E1): line 2: lon must be a number from -1000000000 to 1000000000, found 1e+300"),
            refused(.spacemap, e, "lat as words", field("lat", "north"), "record 0 (id E1): line 2: lat is 'north', not a number"),
            refused(
                .spacemap, e, "no place at all", Damage.all(field("lon", ""), field("lat", "")),
                "record 0 (id E1): line 2: has neither lon/lat nor building_id"),
            refused(.spacemap, e, "GBK text", Damage.gbk(e, replacing: "Firm E3"), "enterprises.csv: line 4: field 2 (name)", "GBK"),
            refused(.spacemap, e, "a NUL byte", Damage.nul(e, after: "E5,"), "enterprises.csv: line 6: field 2 (name): a NUL byte"),
            refused(
                .spacemap, e, "a column named twice", Damage.replace(e, ",lon,lat,", ",lon,lon,"),
                "enterprises.csv: line 1: column \"lon\" appears twice in the header (fields 7 and 8)"),
            refused(
                .spacemap, e, "a field too few", Damage.replace(e, "E4,Firm E4,biomedicine,", "E4,biomedicine,"),
                "enterprises.csv, record 3 (id E4): line 5: has 8 fields, the header has 9"),
            refused(
                .spacemap, e, "a duplicate id and a bad sector elsewhere",
                Damage.all(Damage.replace(e, "E6,Firm E6", "E2,Firm E6"), field("sector", "alchemy")),
                "record 0 (id E1): line 2: sector 'alchemy'", "enterprises.csv, record 5 (id E2): duplicate id (also record 1)"),
            refused(
                .spacemap, e, "degrees declared as metres",
                Damage.replace("layers.json", "\"enterprises.csv\", \"crs\": \"EPSG:4547\"", "\"enterprises.csv\", \"crs\": \"EPSG:32650\""),
                "enterprises.csv", "lie more than 2 km outside the district"),
            warned(.spacemap, e, "a firm far from every building is reported", in: .validationText, Damage.none, "enterprises.csv", "id E3"),
        ]
    }()

    static let demand: [BadInputCase] = {
        let d = "demand.csv", f1 = "F1,Firm one,ai,start_up,national_high_tech,5,100,200,A,2022,,"
        func row(_ new: String) -> Damage.Edit { Damage.replace(d, f1, new) }
        let onJSON: @Sendable (URL, URL) -> [String] = { data, out in
            ["allocate", "--data", data.path, "--demand", "\(data.path)/demand.json", "--out", out.path, "--no-map", "--solver", "heuristic"]
        }
        func jsonCase(_ label: String, _ path: String, _ value: String?, _ expected: String) -> BadInputCase {
            BadInputCase(
                input: "demand.json", label: label, run: .allocate, onSample: false, damage: Damage.json("demand.json", path, value),
                arguments: onJSON, expected: ["demand.json", expected], warning: nil)
        }
        return [
            refused(
                .allocate, d, "min_m2 -5", row("F1,Firm one,ai,start_up,,5,-5,200,A,2022,,"),
                "demand.csv, record 0 (id F1): line 2: min_m2 is -5: a firm needs a positive floor area"),
            refused(
                .allocate, d, "min_m2 1e300", row("F1,Firm one,ai,start_up,,5,1e300,200,A,2022,,"),
                "record 0 (id F1): line 2: min_m2 must be a number from -1000000000 to 1000000000, found 1e+300"),
            refused(
                .allocate, d, "preferred below the minimum", row("F1,Firm one,ai,start_up,,5,100,50,A,2022,,"),
                "record 0 (id F1): line 2: preferred_m2 50 is below min_m2 100"),
            refused(
                .allocate, d, "move_in_year 1e300", row("F1,Firm one,ai,start_up,,5,100,200,A,1e300,,"),
                "record 0 (id F1): line 2: move_in_year must be a year from 1900 to 2200, found 1e+300"),
            refused(
                .allocate, d, "move_in_year 2022.5", row("F1,Firm one,ai,start_up,,5,100,200,A,2022.5,,"),
                "record 0 (id F1): line 2: move_in_year must be a whole year, found 2022.5"),
            refused(
                .allocate, d, "move_in_year -5", row("F1,Firm one,ai,start_up,,5,100,200,A,-5,,"),
                "record 0 (id F1): line 2: move_in_year must be a year from 1900 to 2200, found -5"),
            refused(
                .allocate, d, "priority 1e300", row("F1,Firm one,ai,start_up,,5,100,200,A,2022,1e300,"),
                "record 0 (id F1): line 2: priority must be a weight from 0 to 1000, found 1e+300"),
            refused(.allocate, d, "priority 0", row("F1,Firm one,ai,start_up,,5,100,200,A,2022,0,"), "record 0 (id F1): line 2: priority is 0"),
            refused(
                .allocate, d, "a rent limit of 0", row("F1,Firm one,ai,start_up,,5,100,200,A,2022,,0"),
                "record 0 (id F1): line 2: max_rent_yuan_m2_month is 0"),
            refused(
                .allocate, d, "employees 1e300", row("F1,Firm one,ai,start_up,,1e300,100,200,A,2022,,"),
                "record 0 (id F1): line 2: employees must be a whole number up to 1000000000"),
            refused(
                .allocate, d, "an unknown stage", row("F1,Firm one,ai,embryo,,5,100,200,A,2022,,"),
                "record 0 (id F1): line 2: stage 'embryo' is not one of"),
            refused(
                .allocate, d, "an unknown sector", row("F1,Firm one,alchemy,start_up,,5,100,200,A,2022,,"),
                "record 0 (id F1): line 2: sector 'alchemy' is not one of"),
            refused(
                .allocate, d, "a preferred zone the data lack", row("F1,Firm one,ai,start_up,,5,100,200,Z9,2022,,"),
                "record 0 (id F1): line 2: preferred zone 'Z9' is not a zone of the data"),
            refused(
                .allocate, d, "a duplicate id and a bad stage elsewhere",
                Damage.all(
                    Damage.replace(d, "F3,Firm three", "F1,Firm three"), Damage.replace(d, "F2,Firm two,fintech,growth", "F2,Firm two,fintech,embryo")
                ),
                "demand.csv, record 1 (id F2): line 3: stage 'embryo'", "demand.csv, record 2 (id F1): duplicate id (also record 0)"),
            refused(.allocate, d, "a missing column", Damage.replace(d, ",move_in_year,", ",year,"), "demand.csv: missing column move_in_year"),
            refused(.allocate, d, "empty", Damage.write(d, ""), "demand.csv: the file is empty"),
            refused(
                .allocate, d, "a column named twice", Damage.replace(d, ",priority,", ",stage,"),
                "demand.csv: line 1: column \"stage\" appears twice in the header (fields 4 and 11)"),
            refused(.allocate, d, "GBK text", Damage.gbk(d, replacing: "Firm two"), "demand.csv: line 3: field 2 (name)", "GBK"),
            refused(.allocate, d, "a NUL byte", Damage.nul(d, after: "F3,"), "demand.csv: line 4: field 2 (name): a NUL byte"),
            jsonCase("not a list of firms", "firms", "{\"F1\": 1}", "needs an array of firms"),
            jsonCase("a firm that is not an object", "firms[0]", "\"F1\"", "record 0: is not an object"),
            jsonCase("min_m2 as text", "firms[0].min_m2", "\"a lot\"", "record 0 (id F1): min_m2 is 'a lot', not a number"),
            jsonCase(
                "move_in_year Infinity", "firms[1].move_in_year", "Infinity", "record 1 (id F2): move_in_year must be a whole year, found infinity"),
            jsonCase("priority NaN", "firms[1].priority", "NaN", "record 1 (id F2): priority must be a weight from 0 to 1000, found NaN"),
            jsonCase(
                "preferred zones naming a zone the data lack", "firms[0].preferred_zones", "[\"A\", \"Q\"]",
                "record 0 (id F1): preferred zone 'Q' is not a zone of the data"),
        ]
    }()

    static let proposals: [BadInputCase] = {
        let p = "proposals.geojson"
        func set(_ unit: Int, _ key: String, _ json: String?) -> Damage.Edit { Damage.json(p, "features[\(unit)].properties.\(key)", json) }
        return [
            refused(.renewal, p, "an unknown mode", set(0, "mode", "\"paint_it\""), "proposals.geojson, record 0 (id U1): mode must be one of"),
            refused(.renewal, p, "an unknown land use", set(0, "land_use", "\"X9\""), "record 0 (id U1): land_use \"X9\" is not a land-use code"),
            refused(.renewal, p, "far -1", set(1, "far", "-1"), "record 1 (id U2): far must be a positive number, found -1"),
            refused(.renewal, p, "far 1e300", set(1, "far", "1e300"), "record 1 (id U2): far must be a number up to 1000000000, found 1e+300"),
            refused(.renewal, p, "far as text", set(1, "far", "\"2\""), "record 1 (id U2): far must be a number, found \"2\""),
            refused(
                .renewal, p, "use shares over 100 %", set(1, "use_shares", "{\"industrial\": 0.9, \"rnd\": 0.4}"),
                "record 1 (id U2): use_shares add to 130 %, over 100 %"),
            refused(
                .renewal, p, "an unknown use", set(0, "floor_area_m2", "{\"spaceship\": 500}"),
                "record 0 (id U1): floor_area_m2: unknown use \"spaceship\""),
            refused(
                .renewal, p, "a floor area of NaN", set(0, "floor_area_m2", "{\"rnd\": NaN}"),
                "record 0 (id U1): floor_area_m2.rnd must be a non-negative number, found NaN"),
            refused(
                .renewal, p, "start_year 1e300", set(0, "start_year", "1e300"),
                "record 0 (id U1): start_year must be a year from 1900 to 2200, found 1e+300"),
            refused(
                .renewal, p, "start_year -5", set(0, "start_year", "-5"), "record 0 (id U1): start_year must be a year from 1900 to 2200, found -5"),
            refused(
                .renewal, p, "completion in the past", set(0, "completion_year", "2019"),
                "record 0 (id U1): completion_year 2019 is in the past: the data describe 2021"),
            refused(
                .renewal, p, "completion before the start", set(0, "completion_year", "2021"),
                "record 0 (id U1): single phase completes in 2021, before the works start (2022)"),
            refused(
                .renewal, p, "phase shares not 100 %", Damage.json(p, "features[1].properties.phases[1].share", "0.2"),
                "record 1 (id U2): phase shares add to 70 %, not 100 %"),
            refused(
                .renewal, p, "a phase year of 2024.5", Damage.json(p, "features[1].properties.phases[0].completion_year", "2024.5"),
                "record 1 (id U2): phases[0].completion_year must be a whole year, found 2024.5"),
            refused(.renewal, p, "phases not a list", set(1, "phases", "\"2024\""), "record 1 (id U2): phases must be a non-empty list"),
            refused(
                .renewal, p, "a handover share of 150 %", set(1, "handover_share", "1.5"), "record 1 (id U2): handover_share is 150 %, over 100 %"),
            refused(
                .renewal, p, "a handover share of -0.1", set(1, "handover_share", "-0.1"),
                "record 1 (id U2): handover_share must be a non-negative number up to 1, found -0.1"),
            refused(
                .renewal, p, "an unknown carrier type", Damage.json(p, "features[1].properties.carrier.type", "\"hackerspace\""),
                "record 1 (id U2): carrier.type must be one of"),
            refused(
                .renewal, p, "a carrier of 0 m²", Damage.json(p, "features[1].properties.carrier.floor_area_m2", "0"),
                "record 1 (id U2): carrier.floor_area_m2 must be a positive number, found 0"),
            refused(.renewal, p, "an unknown sector", set(1, "sectors", "[\"alchemy\"]"), "record 1 (id U2): unknown sector \"alchemy\""),
            refused(.renewal, p, "sectors not a list", set(1, "sectors", "\"ai\""), "record 1 (id U2): sectors must be a list of sector codes"),
            refused(.renewal, p, "a new use on a rebuild", set(1, "new_use", "\"office\""), "record 1 (id U2): new_use applies to kept buildings"),
            refused(
                .renewal, p, "a unit outside the district",
                Damage.json(p, "features[0].geometry.coordinates", BadInputFixture.square(2_000, 0, 2_100, 100)),
                "record 0 (id U1): the unit lies outside the district"),
            refused(
                .renewal, p, "overlapping units, one with another problem",
                Damage.all(Damage.json(p, "features[1].geometry.coordinates", BadInputFixture.square(50, 0, 250, 200)), set(1, "land_use", "\"X9\"")),
                "record 0 (id U1): overlaps unit U2", "record 1 (id U2): land_use \"X9\""),
            refused(
                .renewal, p, "a duplicate id", Damage.replace(p, "\"id\": \"U2\"", "\"id\": \"U1\""),
                "proposals.geojson, record 1 (id U1): duplicate id (also record 0)"),
            refused(.renewal, p, "missing", Damage.remove(p), "proposals.geojson: file not found"),
        ]
    }()

    static let scenarios: [BadInputCase] = {
        let s = "scenario.json"
        func event(_ k: Int, _ key: String, _ json: String?) -> Damage.Edit { Damage.json(s, "events[\(k)].\(key)", json) }
        return [
            refused(.supply, s, "not JSON", Damage.write(s, "name: tiny\n"), "scenario.json: cannot read the scenario: invalid JSON at line 1"),
            refused(.supply, s, "an empty name", Damage.json(s, "name", "\"\""), "scenario.json: name must not be empty"),
            refused(.supply, s, "events not a list", Damage.json(s, "events", "{\"buy\": 1}"), "scenario.json: events must be a list"),
            refused(
                .supply, s, "an event of an unknown kind", event(0, "kind", "\"donation\""),
                "scenario.json, record 0 (id buy): kind must be purchase, lease, conversion or land_supply (got donation)"),
            refused(
                .supply, s, "a year of 1e300", event(0, "year", "1e300"), "record 0 (id buy): year must be a year from 1900 to 2200, found 1e+300"),
            refused(
                .supply, s, "a year in the past", event(0, "year", "2019"), "record 0 (id buy): year 2019 is in the past: the data describe 2021"),
            refused(.supply, s, "a year past the horizon", event(0, "year", "2100"), "record 0 (id buy): year 2100 is beyond the horizon"),
            refused(
                .supply, s, "a purchase of -1 m²", event(0, "floor_area_m2", "-1"),
                "record 0 (id buy): floor_area_m2 must be a positive number, found -1"),
            refused(.supply, s, "a lease without a term", event(1, "term_years", nil), "record 1 (id rent): needs term_years"),
            refused(
                .supply, s, "a term of 30.5 years", event(1, "term_years", "30.5"),
                "record 1 (id rent): term_years must be a whole number of years, found 30.5"),
            refused(.supply, s, "an unknown supply mode", event(3, "mode", "\"gift\""), "record 3 (id land): mode \"gift\" is not a supply mode"),
            refused(
                .supply, s, "a FAR of Infinity", event(3, "far", "Infinity"), "record 3 (id land): far must be a positive number, found infinity"),
            refused(
                .supply, s, "a tech share of 2", event(3, "tech_share", "2"),
                "record 3 (id land): tech_share must be a non-negative number up to 1, found 2"),
            refused(
                .supply, s, "converting a building the data lack", event(2, "building_ids", "[\"B99\"]"),
                "scenario.json, record 2 (id convert): building B99 is not in the buildings layer"),
            refused(
                .supply, s, "converting a building that holds a carrier", event(2, "building_ids", "[\"B1\"]"),
                "record 2 (id convert): building B1 already holds carrier K1"),
            refused(
                .supply, s, "converting one building twice in an event", event(2, "building_ids", "[\"B2\", \"B2\"]"),
                "record 2 (id convert): building B2 is converted twice in this event"),
            refused(
                .supply, s, "converting one building in two events",
                Damage.json(s, "events[0]", "{\"id\": \"buy\", \"kind\": \"conversion\", \"year\": 2022, \"building_ids\": [\"B2\"]}"),
                "record 2 (id convert): building B2 is converted by event buy too"),
            refused(.supply, s, "a duplicate event id", event(1, "id", "\"buy\""), "record 1 (id buy): duplicate id \"buy\""),
            refused(
                .supply, s, "including a proposal the file lacks", Damage.json(s, "renewal.include", "[\"P-9\"]"),
                "scenario.json: renewal.include names proposal P-9"),
            refused(
                .supply, s, "naming a proposal file that fails its checks",
                Damage.json("proposals.geojson", "features[0].properties.start_year", "1e300"),
                "proposals.geojson, record 0 (id U1): start_year must be a year", "scenario.json: renewal.proposals names",
                "the scenario cannot count it"),
            refused(
                .supply, s, "naming a proposal file that is not there", Damage.json(s, "renewal.proposals", "\"nowhere.geojson\""),
                "nowhere.geojson: file not found", "scenario.json: renewal.proposals names"),
            refused(
                .supply, s, "GBK text",
                Damage.bytes(s) { d in
                    var d = d; d.replaceSubrange(d.range(of: Data("Tiny".utf8))!, with: [0xB8, 0xA3]); return d
                }, "scenario.json", "not UTF-8", "GBK"),
            warned(
                .supply, s, "counting a proposal that fails its checks", in: .stdout,
                Damage.json("proposals.geojson", "features[1].properties.far", "9"),
                "scenario.json: scenario \"Tiny scenario\" counts proposal P-2, which fails its checks (far_cap"),
            warned(
                .supply, s, "counting a proposal that fails its checks, in the report", in: .supplyReport,
                Damage.json("proposals.geojson", "features[1].properties.far", "9"),
                "## Warnings", "counts proposal P-2, which fails its checks"),
        ]
    }()

    static let configuration: [BadInputCase] = {
        func config(_ run: BadInputRun, _ file: String, _ edit: ConfigEdit, _ expected: String...) -> BadInputCase {
            BadInputCase(
                input: file, label: edit.testDescription, run: run, onSample: false,
                damage: { folder in
                    let edited = try edit.write(editing: "GIS/config/\(file)")
                    let target = folder.appendingPathComponent(file)
                    try FileManager.default.removeItem(at: target)
                    try FileManager.default.moveItem(at: edited, to: target)
                }, arguments: run.arguments, expected: [file] + expected, warning: nil)
        }
        return [
            config(
                .spacemap, "policy.json", .set("tech_cultivation_carrier_types.value", "[]"), "tech_cultivation_carrier_types.value must not be empty"
            ),
            config(.spacemap, "policy.json", .set("tech_cultivation_carrier_types.value[0]", "\"hub\""), "unknown carrier type \"hub\""),
            config(
                .spacemap, "policy.json", .set("tech_cultivation_targets.milestones[0].year", "1e300"),
                "tech_cultivation_targets.milestones[0].year must be a year from 1900 to 2200, found 1e+300"),
            config(.spacemap, "policy.json", .set("working_crs.value", "\"WGS84\""), "working_crs.value", "not a projected CRS in metres"),
            config(
                .spacemap, "policy.json", .set("enterprise_match_max_distance_m.value", "-30"),
                "enterprise_match_max_distance_m.value must be a non-negative number, found -30"),
            config(
                .spacemap, "policy.json", .set("land_area_tolerance.value", "1e300"),
                "land_area_tolerance.value must be a number up to 1000000000, found 1e+300"),
            config(.spacemap, "policy.json", .set("industrial_land_uses.value[0]", "\"Q7\""), "unknown land-use code \"Q7\""),
            config(.spacemap, "policy.json", .remove("tech_cultivation_targets"), "missing entry \"tech_cultivation_targets\""),
            config(
                .spacemap, "policy.json", .set("tech_cultivation_targets.milestones[1].year", "2023"),
                "tech_cultivation_targets.milestones[1].year 2023 is also the year of milestones[0]"),
            config(
                .spacemap, "policy.json", .set("tech_cultivation_targets.milestones[0].year", "2019"),
                "tech_cultivation_targets.milestones[0].year 2019 is not after the baseline year 2020"),
            config(
                .renewal, "renewal.json", .set("density_zones.value.default", "\"9\""),
                "density_zones.value.default names density zone \"9\", which far_caps does not know"),
            config(
                .renewal, "renewal.json", .set("far_caps.value.W", "{\"1\": 4.0}"),
                "names density zone \"2\", for which far_caps.value has no cap for W"),
            config(.renewal, "renewal.json", .set("far_caps.value.X", "{\"1\": 4.0}"), "unknown land-use class \"X\""),
            config(.renewal, "renewal.json", .set("far_caps.value", "{}"), "far_caps.value is empty"),
            config(
                .renewal, "renewal.json", .set("ranking.value.tech_space_weight", "1e300"),
                "ranking.value.tech_space_weight must be a weight from 0 to 1000, found 1e+300"),
            config(
                .renewal, "renewal.json", .set("ranking.value.target_year", "2025.5"), "ranking.value.target_year must be a whole year, found 2025.5"),
            config(
                .renewal, "renewal.json", .set("minimum_industrial_share.value", "1.5"),
                "minimum_industrial_share.value must be a non-negative number up to 1, found 1.5"),
            config(
                .supply, "land_supply.json", .set("horizon.value.first_year", "1e300"),
                "horizon.value.first_year must be a year from 1900 to 2200, found 1e+300"),
            config(
                .supply, "land_supply.json", .set("discount_rate.value", "1.5"),
                "discount_rate.value must be a non-negative number up to 1, found 1.5"),
            config(
                .supply, "land_supply.json", .set("supply_modes.value.transfer.term_years", "30.5"),
                "supply_modes.value.transfer.term_years must be a whole number of years, found 30.5"),
            config(
                .supply, "land_supply.json", .set("land_price_yuan_per_m2.value", "NaN"),
                "land_price_yuan_per_m2.value must be a non-negative number, found NaN"),
            config(
                .allocate, "allocation.json", .set("priority.value.base", "1e300"),
                "priority.value.base must be a weight from 0 to 1000, found 1e+300"),
            config(.allocate, "allocation.json", .set("stages.value.growth[0]", "\"lab\""), "unknown carrier type \"lab\""),
            config(
                .allocate, "allocation.json", .set("exact_solver.value.max_firms", "2.5"),
                "exact_solver.value.max_firms must be a whole number, found 2.5"),
            config(.allocate, "positive_lists.json", .set("lists.440304.sectors[0]", "\"alchemy\""), "unknown sector \"alchemy\""),
            config(.allocate, "positive_lists.json", .set("lists", "[]"), "lists must be an object"),
            warned(
                .renewal, "renewal.json", "density zones for zones the data lack", in: .validationText,
                Damage.replace("renewal.json", #""zones": {"A": "1", "B": "2"}"#, #""zones": {"A": "1", "B": "2", "Q": "1"}"#), "renewal.json",
                "density_zones maps zones not in this data", "Q"),
            warned(
                .renewal, "positive_lists.json", "a list for a zone the data lack, in renewal", in: .validationText,
                Damage.json("positive_lists.json", "lists.Q", "{\"sectors\": [\"ai\"]}"), "positive_lists.json",
                "lists for zones not in this data restrict nothing: Q"),
            warned(
                .allocate, "positive_lists.json", "a list for a zone the data lack, in allocate's printout", in: .stdout,
                Damage.json("positive_lists.json", "lists.Q", "{\"sectors\": [\"ai\"]}"), "warning:",
                "positive_lists.json: lists for zones not in this data restrict nothing: Q"),
            warned(
                .allocate, "positive_lists.json", "a list for a zone the data lack, in allocation.md", in: .allocationReport,
                Damage.json("positive_lists.json", "lists.Q", "{\"sectors\": [\"ai\"]}"), "## Warnings", "restrict nothing: Q"),
        ]
    }()

    static let options: [BadInputCase] = {
        func with(_ run: BadInputRun, replacing option: String, by value: String) -> @Sendable (URL, URL) -> [String] {
            { data, out in
                var args = run.arguments(data, out)
                if let i = args.firstIndex(of: option) { args[i + 1] = value }
                return args
            }
        }
        return [
            extra(.renewal, "--as-of", "1e300", ["--as-of", "1e300"], "'1e300' is invalid for '--as-of"),
            extra(.renewal, "--as-of", "99999", ["--as-of", "99999"], "--as-of: must be a year from 1900 to 2200, found 99999"),
            extra(.supply, "--as-of", "-5", ["--as-of=-5"], "--as-of: must be a year from 1900 to 2200, found -5"),
            extra(.supply, "--as-of", "a word", ["--as-of", "soon"], "'soon' is invalid for '--as-of"),
            extra(.allocate, "--until", "3000", ["--until", "3000"], "--until: must be a year from 1900 to 2200, found 3000"),
            extra(.allocate, "--until", "2030.5", ["--until", "2030.5"], "'2030.5' is invalid for '--until"),
            extra(
                .supply, "--reference-floor-area", "NaN", ["--reference-floor-area", "nan"],
                "--reference-floor-area: must be a positive number, found NaN"),
            extra(
                .supply, "--reference-floor-area", "1e300", ["--reference-floor-area", "1e300"],
                "--reference-floor-area: must be a number up to 1000000000, found 1e+300"),
            extra(
                .supply, "--reference-floor-area", "0", ["--reference-floor-area", "0"], "--reference-floor-area: must be a positive number, found 0"),
            extra(
                .supply, "--reference-floor-area", "inf", ["--reference-floor-area", "inf"],
                "--reference-floor-area: must be a positive number, found infinity"),
            option(
                .generateDemand, "--firms", "0", "--firms: must be a number of firms from 1 to 1000000, found 0",
                arguments: with(.generateDemand, replacing: "--firms", by: "0")),
            option(
                .generateDemand, "--firms", "99999999", "--firms: must be a number of firms from 1 to 1000000, found 99999999",
                arguments: with(.generateDemand, replacing: "--firms", by: "99999999")),
            option(
                .generateDemand, "--firms", "1e12", "'1e12' is invalid for '--firms",
                arguments: with(.generateDemand, replacing: "--firms", by: "1e12")),
            option(
                .generateDemand, "--seed", "-1", "'-1' is invalid for '--seed",
                arguments: { run in { run.arguments($0, $1) + ["--seed=-1"] } }(BadInputRun.generateDemand)),
            option(
                .generateDemand, "--demand-over-vacant", "0", "--demand-over-vacant: must be a positive ratio, found 0",
                arguments: { run in { run.arguments($0, $1) + ["--demand-over-vacant", "0"] } }(BadInputRun.generateDemand)),
            option(
                .generateDemand, "--demand-over-vacant", "1e300", "--demand-over-vacant: must be a ratio up to 1000, found 1e+300",
                arguments: { run in { run.arguments($0, $1) + ["--demand-over-vacant", "1e300"] } }(BadInputRun.generateDemand)),
            option(
                .generateDemand, "--out", "the demand file itself", "layers.json: is an input of this run",
                arguments: { data, _ in
                    ["generate-demand", "--data", data.path, "--firms", "5", "--out", "\(data.path)/layers.json"]
                }),
            option(
                .generate, "--buildings", "5", "--buildings: must be a number of buildings from 10 to 2000000, found 5",
                arguments: with(.generate, replacing: "--buildings", by: "5")),
            option(
                .generate, "--buildings", "a trillion", "--buildings: must be a number of buildings from 10 to 2000000, found 1000000000000",
                arguments: with(.generate, replacing: "--buildings", by: "1000000000000")),
            option(.generate, "--seed", "a word", "'seven' is invalid for '--seed", arguments: with(.generate, replacing: "--seed", by: "seven")),
            option(
                .map, "--classes", "1", "--classes: must be a number of classes from 2 to 9, found 1",
                arguments: { run in { run.arguments($0, $1) + ["--classes", "1"] } }(BadInputRun.map)),
            option(
                .map, "--classes", "99", "--classes: must be a number of classes from 2 to 9, found 99",
                arguments: { run in { run.arguments($0, $1) + ["--classes", "99"] } }(BadInputRun.map)),
            option(.map, "--theme", "an unknown theme", "unknown theme 'heat'", arguments: with(.map, replacing: "--theme", by: "heat")),
            option(
                .map, "--classification", "an unknown method", "'natural' is invalid for '--classification",
                arguments: { run in { run.arguments($0, $1) + ["--classification", "natural"] } }(BadInputRun.map)),
            option(
                .allocate, "--solver", "an unknown solver", "'magic' is invalid for '--solver",
                arguments: with(.allocate, replacing: "--solver", by: "magic")),
            option(
                .spacemap, "--data", "empty", "--data is empty (\"\"): give the data folder", arguments: with(.spacemap, replacing: "--data", by: "")),
            option(
                .spacemap, "--data", "a folder that is not there", "nowhere: no such data folder",
                arguments: { _, out in ["spacemap", "--data", nowhere, "--out", out.path] }),
            option(.spacemap, "--out", "empty", "--out is empty (\"\"): give the path", arguments: with(.spacemap, replacing: "--out", by: "")),
            option(
                .spacemap, "--out", "the data folder", "holds an input of this run",
                arguments: { data, _ in ["spacemap", "--data", data.path, "--out", data.path] }),
            option(
                .spacemap, "--out", "a file", "is a file, not a folder",
                arguments: { data, _ in ["spacemap", "--data", data.path, "--out", "\(data.path)/demand.json"] }),
            BadInputCase(
                input: "--out", label: "a folder no run wrote", run: .spacemap, onSample: false,
                damage: Damage.write("notes/readme.txt", "the bureau's notes"),
                arguments: { data, _ in
                    ["spacemap", "--data", data.path, "--out", "\(data.path)/notes"]
                },
                expected: ["notes: holds files that no spaceplan run wrote (readme.txt"], warning: nil),
            BadInputCase(
                input: "--out", label: "an earlier run's folder with a planner's own file in it", run: .spacemap, onSample: false,
                damage: Damage.none,
                arguments: { data, out in
                    try? "the bureau's notes".write(to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
                    return BadInputRun.spacemap.arguments(data, out)
                },
                expected: ["out: holds files the last spaceplan run did not write (notes.txt)"], warning: nil),
            option(
                .spacemap, "--config", "empty", "--config is empty (\"\")",
                arguments: { run in { run.arguments($0, $1) + ["--config", ""] } }(BadInputRun.spacemap)),
            option(
                .spacemap, "--config", "a file that is not there", "nowhere.json: cannot read the policy configuration: file not found",
                arguments: { run in { run.arguments($0, $1) + ["--config", nowhere + ".json"] } }(BadInputRun.spacemap)),
            option(.allocate, "--demand", "empty", "--demand is empty (\"\")", arguments: with(.allocate, replacing: "--demand", by: "")),
            option(
                .allocate, "--demand", "a file that is not there", "nowhere.csv: file not found",
                arguments: with(.allocate, replacing: "--demand", by: nowhere + ".csv")),
            option(.renewal, "--proposals", "empty", "--proposals is empty (\"\")", arguments: with(.renewal, replacing: "--proposals", by: "")),
            option(.supply, "--scenario", "empty", "--scenario is empty (\"\")", arguments: with(.supply, replacing: "--scenario", by: "")),
            option(
                .supply, "--scenario", "none at all", "--scenario", arguments: { data, out in ["supply", "--data", data.path, "--out", out.path] }),
            option(
                .renewal, "--rules", "a folder", "cannot read the renewal rules: is a folder, not a file",
                arguments: { run in { run.arguments($0, $1) + ["--rules", $0.path] } }(BadInputRun.renewal)),
        ]
    }()

    /// A few damages of the shipped sample itself.
    static let sample: [BadInputCase] = [
        refused(
            .sampleSpacemap, "enterprises.csv", "GBK names in the sample's firms", Damage.gbk("enterprises.csv", replacing: "云启"),
            "enterprises.csv: line 3: field 2 (name)", "GBK", sample: true),
        refused(
            .sampleSpacemap, "buildings.geojson", "a building with 1e300 floors",
            Damage.replace("buildings.geojson", "\"id\":\"B0000001\",\"floors\":3", "\"id\":\"B0000001\",\"floors\":1e300"),
            "buildings.geojson, record 0 (id B0000001): floors must be a whole number up to 1000000000, found 1e+300", sample: true),
        refused(
            .sampleSpacemap, "carriers.csv", "a carrier with NaN floor area",
            Damage.replace("carriers.csv", "C00001,福田众创空间 1,maker_space,city,福田国资,3434,", "C00001,福田众创空间 1,maker_space,city,福田国资,NaN,"),
            "carriers.csv, record 0 (id C00001): line 2: floor_area_m2 must be a non-negative number, found NaN", sample: true),
        refused(
            .sampleSpacemap, "layers.json", "as_of_year 1e300 in the sample",
            Damage.replace("layers.json", "\"as_of_year\": 2021", "\"as_of_year\": 1e300"),
            "layers.json: as_of_year must be a year from 1900 to 2200, found 1e+300", sample: true),
        refused(
            .sampleSpacemap, "parcels.geojson", "a duplicate parcel id and a bad land use elsewhere",
            Damage.all(
                Damage.replace("parcels.geojson", "\"id\":\"P0000001\",\"land_use\":\"M1\"", "\"id\":\"P0000001\",\"land_use\":\"Q\""),
                Damage.replace("parcels.geojson", "\"id\":\"P0000003\"", "\"id\":\"P0000002\"")),
            "parcels.geojson, record 0 (id P0000001): land_use 'Q' is not a land-use class",
            "parcels.geojson, record 2 (id P0000002): duplicate id (also record 1)", sample: true),
    ]
}

// MARK: - Plausibility (issue 21): input every reader used to accept without a word

extension BadInputCase {
    /// One case at least for each class of the issue: numbers and ids of the wrong JSON type,
    /// geometry of the wrong kind, layers that contradict each other, figures that cannot both
    /// be true, demand rows with extra fields or numbers as text. Errors name the rule.
    static let plausibility: [BadInputCase] = {
        let z = "zones.geojson", p = "parcels.geojson", b = "buildings.geojson", c = "carriers.csv", e = "enterprises.csv", m = "layers.json"
        let k1 = "K1,Hetao incubator,incubator,national,op,5000,4000,B1"
        func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> String { BadInputFixture.square(x0, y0, x1, y1) }
        let onJSON: @Sendable (URL, URL) -> [String] = { data, out in
            ["allocate", "--data", data.path, "--demand", "\(data.path)/demand.json", "--out", out.path, "--no-map", "--solver", "heuristic"]
        }
        let roads = """
            {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "R1"}, "geometry": {"type": "LineString", "coordinates": [[500000, 2490500], [501000, 2490500]]}},
            {"type": "Feature", "properties": {"id": "R2"}, "geometry": {"type": "Polygon", "coordinates": \(square(0, 490, 1000, 510))}}
            ]}
            """
        return [
            // Numbers and ids of the wrong JSON type.
            warned(
                .spacemap, b, "floors written as text", in: .validationText, Damage.json(b, "features[0].properties.floors", "\"4\""),
                "1 building: floors written as text, not as a number [field.number_as_text]", "id B1", "floors is written as text"),
            warned(
                .spacemap, b, "gfa_m2 written as text on two buildings", in: .stdout,
                Damage.all(Damage.json(b, "features[0].properties.gfa_m2", "\"10000\""), Damage.json(b, "features[2].properties.gfa_m2", "\"8000\"")),
                "2 buildings: gfa_m2 written as text, not as a number [field.number_as_text]"),
            refused(
                .spacemap, b, "an id that is an object", Damage.json(b, "features[1].properties.id", "{\"n\": 2}"),
                "buildings.geojson, record 1: id is", "not text or a number [record.id_not_text]"),
            refused(
                .spacemap, z, "a feature id that is an object, the properties having none",
                Damage.all(Damage.json(z, "features[2].properties.id", nil), Damage.json(z, "features[2].id", "{\"code\": \"B\"}")),
                "zones.geojson, record 2: the feature's id is an object", "not text or a number [record.id_not_text]"),
            refused(
                .spacemap, z, "an id that is a boolean", Damage.json(z, "features[2].properties.id", "true"),
                "zones.geojson, record 2: id is true, not text or a number [record.id_not_text]"),
            refused(
                .spacemap, p, "an id with a NUL byte", Damage.json(p, "features[1].properties.id", "\"P\\u00002\""),
                "parcels.geojson, record 1: id contains a NUL byte [field.nul_byte]"),
            refused(
                .spacemap, m, "a crs given as a number", Damage.json(m, "layers.zones.crs", "4547"),
                "layers.json: layer \"zones\": crs must be a CRS name such as \"EPSG:4547\"", "found 4547"),
            refused(
                .spacemap, m, "a crs given as null", Damage.json(m, "layers.parcels.crs", "null"),
                "layers.json: layer \"parcels\": crs must be a CRS name", "found null"),
            // Geometry of the wrong kind.
            warned(
                .spacemap, z, "a geometry collection where a polygon belongs", in: .validationText,
                Damage.json(
                    z, "features[3].geometry",
                    "{\"type\": \"GeometryCollection\", \"geometries\": [{\"type\": \"Polygon\", \"coordinates\": \(square(0, 0, 250, 250))}, {\"type\": \"Point\", \"coordinates\": [500100, 2490100]}]}"
                ),
                "id C",
                "geometry is a GeometryCollection, not a polygon: its 1 polygon(s) are read, its 1 other member(s) ignored [geometry.collection]"),
            warned(
                .spacemap, b, "a multipolygon with an empty part", in: .validationText,
                Damage.json(b, "features[4].geometry", "{\"type\": \"MultiPolygon\", \"coordinates\": [\(square(620, 320, 680, 380)), []]}"),
                "id B5", "part 2 of the MultiPolygon is empty: ignored [geometry.empty_part]"),
            refused(
                .spacemap, b, "a ring of collinear points",
                Damage.json(b, "features[1].geometry.coordinates", "[[[500180, 2490010], [500200, 2490010], [500230, 2490010], [500180, 2490010]]]"),
                "buildings.geojson, record 1 (id B2): the polygon has zero area", "[geometry.zero_area]"),
            refused(
                .spacemap, b, "coordinates that round to one point",
                Damage.json(
                    b, "features[1].geometry.coordinates",
                    "[[[500180, 2490010], [500180.000000000001, 2490010], [500180.000000000001, 2490010.000000000001], [500180, 2490010]]]"),
                "buildings.geojson, record 1 (id B2): the polygon has zero area", "[geometry.zero_area]"),
            // Layers that contradict each other.
            warned(
                .spacemap, z, "sub-districts that overlap", in: .validationText,
                Damage.json(z, "features[2].geometry.coordinates", square(400, 0, 1000, 1000)),
                "sub-districts A and B overlap by 100000 m² (20 % of the smaller", "[zone.subdistricts_overlap]"),
            warned(
                .spacemap, z, "a sub-district half outside the district", in: .validationText,
                Damage.json(z, "features[2].geometry.coordinates", square(500, 0, 1500, 1000)),
                "id B", "50 % of the sub-district lies outside the district D", "[zone.outside_district]"),
            refused(
                .spacemap, z, "a cluster outside the district", Damage.json(z, "features[3].geometry.coordinates", square(3000, 3000, 3250, 3250)),
                "zones.geojson, record 3 (id C): the cluster lies wholly outside the district D [zone.outside_district]"),
            refused(
                .spacemap, p, "two parcels with the same footprint", Damage.json(p, "features[1].geometry.coordinates", square(0, 0, 200, 200)),
                "parcels.geojson, record 1 (id P2): has the same footprint as parcel P1", "[parcel.duplicate_footprint]"),
            refused(
                .spacemap, p, "parcels declared GCJ-02 that are WGS84 (the other way round)",
                Damage.all(
                    Damage.inDegrees(p), Damage.replace(m, "\"parcels.geojson\", \"crs\": \"EPSG:4547\"", "\"parcels.geojson\", \"crs\": \"GCJ-02\"")),
                "the zones (declared EPSG:4547) and the parcels (declared GCJ-02) do not line up", "[layers.offset_mismatch]"),
            refused(
                .spacemap, z, "zones declared GCJ-02 that are WGS84",
                Damage.all(
                    Damage.inDegrees(z), Damage.replace(m, "\"zones.geojson\", \"crs\": \"EPSG:4547\"", "\"zones.geojson\", \"crs\": \"GCJ-02\"")),
                "the zones (declared GCJ-02) and the parcels (declared EPSG:4547) do not line up", "[layers.offset_mismatch]"),
            warned(
                .spacemap, "roads.geojson", "roads drawn as polygons", in: .validationText,
                Damage.all(
                    Damage.write("roads.geojson", roads), Damage.json(m, "layers.roads", "{\"file\": \"roads.geojson\", \"crs\": \"EPSG:4547\"}")),
                "roads.geojson record 1 (id R2): geometry is a Polygon, not a road centre line: skipped [road.not_a_line]"),
            // Figures that cannot both be true.
            warned(
                .spacemap, b, "floor area far beyond footprint × floors", in: .validationText,
                Damage.json(b, "features[0].properties.gfa_m2", "40000"),
                "1 building: floor area above 3× footprint × floors [building.floor_area_beyond_footprint]", "id B1",
                "gfa_m2 40000 is 4× footprint 2500 m² × 4 floors"),
            refused(
                .spacemap, b, "more floors than the tallest building in Shenzhen", Damage.json(b, "features[2].properties.floors", "116"),
                "buildings.geojson, record 2 (id B3): floors 116 is more than any building in Shenzhen has (115 floors above ground, Ping An Finance Centre) [building.floors_beyond_tallest]"
            ),
            refused(
                .spacemap, b, "taller than the tallest building in Shenzhen", Damage.json(b, "features[2].properties.height_m", "700"),
                "buildings.geojson, record 2 (id B3): height_m 700 is more than any building in Shenzhen has", "[building.height_beyond_tallest]"),
            warned(
                .spacemap, e, "a firm with more floor area than its building", in: .validationText,
                Damage.replace(e, "E1,Firm E1,ai,national_high_tech,10,200,", "E1,Firm E1,ai,national_high_tech,10,20000,"),
                "1 enterprise: firm with more floor area than its building [enterprise.area_beyond_building]", "id E1",
                "floor_area_m2 20000 is more than its building B1 has (10000 m²)"),
            refused(
                .spacemap, c, "a carrier naming one building twice",
                Damage.replace(c, k1, "K1,Hetao incubator,incubator,national,op,5000,4000,B1;B1"),
                "carriers.csv, record 0 (id K1): building_ids names B1 more than once", "[carrier.building_listed_twice]"),
            refused(
                .spacemap, c, "two carriers holding more than their building",
                Damage.replace(c, k1, k1 + "\nK4,Second incubator,incubator,city,op,6000,1000,B1"),
                "carriers.csv (id K1, K4): carriers K1, K4 hold 11000 m² in building B1, which has 10000 m² [carriers.beyond_building]"),
            refused(
                .spacemap, c, "a carrier larger than its building",
                Damage.replace(c, "K2,Maker space,maker_space,city,op,2000,2000,B3", "K2,Maker space,maker_space,city,op,9000,2000,B3"),
                "carriers.csv, record 1 (id K2): floor_area_m2 9000 is more than the floor area of its building B3 (8000 m²) [carrier.area_beyond_buildings]"
            ),
            refused(
                .spacemap, c, "a carrier unit larger than its carrier",
                Damage.write(
                    c,
                    """
                    id,name,type,level,operator,floor_area_m2,occupied_m2,building_ids,unit_m2
                    K1,Hetao incubator,incubator,national,op,5000,4000,B1,6000
                    K2,Maker space,maker_space,city,op,2000,2000,B3,

                    """), "carriers.csv, record 0 (id K1): unit_m2 6000 is larger than the carrier (5000 m²)", "[carrier.unit_beyond_carrier]"),
            refused(
                .spacemap, c, "a carrier area written in hex", Damage.replace(c, k1, "K1,Hetao incubator,incubator,national,op,0x1388,4000,B1"),
                "carriers.csv, record 0 (id K1): line 2: floor_area_m2 is '0x1388', a hexadecimal number: write it in decimal [field.hex_number]"),
            refused(
                .renewal, "proposals.geojson", "a proposal's carrier larger than its unit",
                Damage.json("proposals.geojson", "features[1].properties.carrier", "{\"type\": \"incubator\", \"floor_area_m2\": 100000}"),
                "proposals.geojson, record 1 (id U2): carrier.floor_area_m2 100000 is more than the unit's floor area after renewal (80000 m²) [proposal.carrier_beyond_unit]"
            ),
            // Demand rows with extra fields, demand JSON with numbers as text.
            refused(
                .allocate, "demand.csv", "a demand row with a field too many",
                Damage.replace(
                    "demand.csv", "F1,Firm one,ai,start_up,national_high_tech,5,100,200,A,2022,,",
                    "F1,Firm one,ai,start_up,national_high_tech,5,100,200,A,2022,,,extra"),
                "demand.csv, record 0 (id F1): line 2: has 13 fields, the header has 12 [demand.row_width]"),
            BadInputCase(
                input: "demand.json", label: "numbers written as text", run: .allocate, onSample: false,
                damage: Damage.all(
                    Damage.json("demand.json", "firms[0].min_m2", "\"100\""), Damage.json("demand.json", "firms[0].move_in_year", "\"2022\"")),
                arguments: onJSON, expected: ["demand.json, record 0 (id F1): min_m2, move_in_year are written as text", "[field.number_as_text]"],
                warning: nil),
        ]
    }()
}

extension Damage {
    /// A polygon layer of the tiny district rewritten in WGS84 degrees (the manifest still says EPSG:4547).
    static func inDegrees(_ file: String) -> Edit {
        { folder in
            let url = folder.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let toDegrees = try CoordinateTransformer(from: .cgcs2000GK114, to: .wgs84)
            let pattern = try NSRegularExpression(pattern: "\\[([0-9.]+),([0-9.]+)\\]")
            var out = "", last = text.startIndex
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let whole = Range(match.range, in: text)!, x = Range(match.range(at: 1), in: text)!, y = Range(match.range(at: 2), in: text)!
                let c = try toDegrees.transform(Coordinate(Double(text[x])!, Double(text[y])!))
                out += text[last..<whole.lowerBound] + "[\(formatFixed(c.x, 9)),\(formatFixed(c.y, 9))]"
                last = whole.upperBound
            }
            try (out + text[last...]).write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
