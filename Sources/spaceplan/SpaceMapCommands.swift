import ArgumentParser
import Foundation
import SpacePlanKit

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
            joins/enterprise_building.csv, space-map.geojson (WGS84), space-map.gpkg (the working CRS: \
            buildings, parcels, zones with their summaries, carriers and firms, for QGIS), validation.json, \
            validation.txt, report.md, and maps/space.svg, maps/trajectory.svg, maps/floor-area-by-zone.svg. \
            With --shapefile-encoding GBK, also shapefile/*.shp for tools that need Shapefiles.

            Example:
              spaceplan spacemap --data GIS/sample --out out/sample
            """
    )

    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Skip the SVG maps (maps/space.svg and the charts).")
    var noMaps = false

    @Flag(name: .long, help: "Skip space-map.gpkg (the layers as one GeoPackage).")
    var noGeopackage = false

    @Option(name: .long, help: "Also write the layers as Shapefiles (shapefile/*.shp) with their text in this encoding, e.g. GBK or UTF-8.")
    var shapefileEncoding: String?

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress)
        try output.folder(inputs: workspace.inputs).check()
        progress.stage("drawing maps")
        let artifacts = try workspace.spaceMapArtifacts(maps: !noMaps, geoPackage: !noGeopackage, shapefileEncoding: shapefileEncoding)
        let files = try output.write(artifacts, inputs: workspace.inputs, progress: progress)
        progress.finish()
        print(workspace.headlines.joined(separator: "\n"))
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out): \(files.joined(separator: ", "))")
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
        let workspace = try options.workspace(progress)
        progress.finish()
        let r = workspace.spaceMap.report
        print("\(workspace.data.manifest.name): usable. \(r.countsLine).")
        for rule in r.ruleCounts { print("  \(rule.line)") }
        for source in r.sources { print("[read] \(source.file) (\(source.layer)): \(source.note)") }
        let entries = all ? r.entries[...] : r.entries.prefix(40)
        for e in entries { print(e.line) }
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

    @OptionGroup var output: OutputOptions

    func run() throws {
        let progress = Progress()
        let files = try output.write(try Workspace.syntheticDistrict(seed: seed, buildings: buildings), inputs: [], progress: progress)
        progress.finish()
        print("wrote a synthetic district of \(buildings) buildings to \(output.out) (\(files.count) files)")
    }
}
