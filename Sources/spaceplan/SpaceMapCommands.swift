import ArgumentParser
import Cartography
import Foundation
import SampleDistrict
import SpaceData
import SpaceGeometry
import SpaceMap

/// Options every data command shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data folder: layers.json and the layer files (see GIS/README.md).", valueName: "DIR"))
    var data: String

    @Option(name: .long, help: ArgumentHelp("The policy configuration (default: GIS/config/policy.json, found next to the data or in the current folder).", valueName: "FILE"))
    var config: String?

    var dataURL: URL { URL(fileURLWithPath: data) }

    func policy() throws -> Policy {
        try Policy.load(configURL(config, named: "policy.json", flag: "config", what: "policy configuration"))
    }

    /// The configuration file given with `--flag`, else `name` found near the data (see `configFile`).
    func configURL(_ given: String?, named name: String, flag: String, what: String) throws -> URL {
        if let given { return URL(fileURLWithPath: given) }
        guard let url = configFile(name, near: dataURL) else {
            throw DataError(file: data, problem: "no \(what) found: pass --\(flag) GIS/config/\(name)")
        }
        return url
    }

    /// Loads and checks the data folder and builds its space map, reporting each stage.
    func spaceMap(_ progress: Progress) throws -> SpaceMap {
        guard FileManager.default.fileExists(atPath: data) else { throw DataError(file: data, problem: "no such data folder") }
        let district = try DistrictData.load(directory: dataURL, policy: try policy(), progress: progress.stage)
        return try SpaceMap.build(district, progress: progress.stage)
    }
}

struct SpaceMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spacemap",
        abstract: "Build the industrial-space map: join parcels, buildings, carriers and firms, sum per zone.",
        discussion: """
        Reads the layers named in DIR/layers.json, checks them, projects them to the working CRS \
        (EPSG:4547), joins buildings to parcels (largest overlap), firms to buildings (containing \
        building, else nearest within the configured distance) and carriers to buildings, and sums \
        land, floor area, tech-cultivation space and firms per sub-district and cluster.

        Writes to OUT: summary.json, summary.csv, joins/building_parcel.csv, \
        joins/enterprise_building.csv, space-map.geojson, validation.json, validation.txt, report.md, \
        and maps/space.svg, maps/trajectory.svg, maps/floor-area-by-zone.svg.

        Example:
          spaceplan spacemap --data GIS/sample --out out/sample
        """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: ArgumentHelp("Folder for the results (created if needed).", valueName: "DIR"))
    var out: String

    @Flag(name: .long, help: "Skip the SVG maps (maps/space.svg and the charts).")
    var noMaps = false

    func run() throws {
        let progress = Progress()
        let map = try options.spaceMap(progress)
        let data = map.data
        var files = try SpaceMapWriter.write(map, to: URL(fileURLWithPath: out), progress: progress.stage)
        if !noMaps {
            progress.stage("drawing maps")
            files += try MapFiles.write(map, themes: [.space], options: MapOptions(), to: URL(fileURLWithPath: out).appendingPathComponent("maps"))
                .map { "maps/\($0)" }
        }
        progress.finish()
        let t = map.total
        print("\(data.manifest.name): \(grouped(Double(t.buildings))) buildings, \(grouped(Double(t.enterprises))) enterprises, "
              + "\(grouped(t.techSpaceM2)) m² tech-cultivation space (\(percent(t.techOccupancy)) occupied).")
        for p in map.progress { print("  \(p.year) target \(grouped(p.targetM2)) m²: \(percent(p.share)) reached, gap \(grouped(p.gapM2)) m²") }
        let r = map.report
        print("  data issues: \(ValidationReport.Kind.allCases.map { "\(r.count($0)) \($0.rawValue)" }.joined(separator: ", "))")
        print("wrote \(files.count) files to \(out): \(files.joined(separator: ", "))")
        exitWithoutTeardown()
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a data folder without writing anything: every problem with its file, record and reason.",
        discussion: """
        Exits 1 when the data cannot be used (missing columns, wrong types, duplicate ids, a layer \
        in the wrong CRS…); otherwise lists what would be repaired, dropped, derived or left \
        unmatched, and exits 0.

        Example:
          spaceplan validate --data GIS/sample
        """
    )

    @OptionGroup var options: DataOptions

    @Flag(name: .long, help: "List every entry (default: the first 40).")
    var all = false

    func run() throws {
        let progress = Progress()
        let map = try options.spaceMap(progress)
        let data = map.data
        progress.finish()
        let r = map.report
        print("\(data.manifest.name): usable. \(ValidationReport.Kind.allCases.map { "\(r.count($0)) \($0.rawValue)" }.joined(separator: ", ")).")
        let entries = all ? r.entries[...] : r.entries.prefix(40)
        for e in entries {
            print("[\(e.kind.rawValue)] \(e.file)\(e.record.map { " record \($0)" } ?? "")\(e.recordID.map { " (id \($0))" } ?? ""): \(e.problem)")
        }
        if entries.count < r.entries.count { print("… \(r.entries.count - entries.count) more (use --all)") }
    }
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a synthetic district at any scale (deterministic for a seed).",
        discussion: """
        Blocks → parcels → buildings → carriers → enterprises, in the schema of GIS/README.md, \
        with a small share of awkward records (bow-tie footprints, buildings across parcel lines, \
        firms geocoded beside or far from a building). Firms are written in GCJ-02.

        Example:
          spaceplan generate --seed 7 --buildings 100000 --out bench/data/100000
        """
    )

    @Option(name: .long, help: "Random seed: the same seed gives the same files.")
    var seed: UInt64 = 2021

    @Option(name: .long, help: "Number of buildings (about 3 firms per building).")
    var buildings: Int

    @Option(name: .long, help: ArgumentHelp("Folder to write the data into.", valueName: "DIR"))
    var out: String

    func validate() throws {
        guard buildings >= 10 else { throw ValidationError("--buildings must be at least 10") }
    }

    func run() throws {
        try SyntheticDistrict.generate(.init(seed: seed, buildings: buildings), to: URL(fileURLWithPath: out))
        print("wrote a synthetic district of \(buildings) buildings to \(out)")
    }
}
