import ArgumentParser
import Foundation
import SpacePlanKit

/// Options every data command shares: where the district is (a data folder or a store) and the
/// policy file.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data folder: layers.json and the layer files (see GIS/README.md).", valueName: "DIR"))
    var data: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A district store instead of a data folder: a .gpkg file or a postgresql:// URL (docs/store.md); its configuration comes with it.",
            valueName: "STORE"))
    var store: String?

    @Option(
        name: .customLong("as-of-date"),
        help: ArgumentHelp("With --store: the district as it stood at the end of this day (YYYY-MM-DD, the district's time zone).", valueName: "DATE"))
    var asOfDate: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The policy configuration (default: GIS/config/policy.json, found next to the data, in its sibling config folder, or in the current folder).",
            valueName: "FILE"))
    var config: String?

    func validate() throws {
        switch (data, store) {
        case (nil, nil): throw ValidationError("give --data DIR (a data folder) or --store STORE (a .gpkg file or a postgresql:// URL)")
        case (.some, .some): throw ValidationError("give --data or --store, not both")
        default: break
        }
        if let data { _ = try path(data, option: "--data") }
        if let store, store.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--store is empty: give a .gpkg file or a postgresql:// URL") }
        if asOfDate != nil, store == nil { throw ValidationError("--as-of-date reads a store's history: give --store") }
        if let config { _ = try path(config, option: "--config") }
    }

    /// The configuration files: those given on the command line, else the store's, else found
    /// beside the data, in its sibling `config` folder, or in GIS/config of the current folder.
    func configuration(_ given: [Configuration.File: String?] = [:], store source: StoreSource? = nil) throws -> Configuration {
        var configuration: Configuration
        if let source {
            configuration = DistrictStores.configuration(of: source)
        } else {
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("GIS/config")
            configuration = Configuration.find(in: Configuration.usualFolders(of: try path(data ?? "", option: "--data")) + [cwd])
        }
        for (file, value) in given.merging([.policy: config], uniquingKeysWith: { a, _ in a }) {
            if let value { configuration.files[file] = try path(value, option: file.flag) }
        }
        return configuration
    }

    /// Opens the data folder or the store as a workspace, reporting each stage.
    func workspace(_ progress: Progress, _ given: [Configuration.File: String?] = [:], readReplica: String? = nil) throws -> Workspace {
        if let store {
            let source = try DistrictStores.source(store, asOfDate: asOfDate, readReplica: readReplica)
            return try Workspace(source: source, configuration: configuration(given, store: source), progress: progress.stage)
        }
        return try Workspace(source: DataFolder(try path(data ?? "", option: "--data")), configuration: configuration(given), progress: progress.stage)
    }
}

/// Where a command writes its output set.
struct OutputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Folder for the results: replaced as a whole by this run's files, never mixed with an earlier run's.", valueName: "DIR"))
    var out: String

    @Flag(name: .long, help: "Replace --out even if it holds files no spaceplan run wrote (never a folder holding the run's inputs).")
    var force = false

    func validate() throws { _ = try path(out, option: "--out") }

    func folder(inputs: [URL]) throws -> OutputFolder {
        OutputFolder(try path(out, option: "--out"), inputs: inputs, replaceForeign: force)
    }

    /// Writes the artifacts as one output set and says what was written.
    func write(_ artifacts: [Artifact], inputs: [URL], progress: Progress) throws -> [String] {
        try folder(inputs: inputs).commit(artifacts, progress: progress.stage)
    }
}

/// A path given on the command line. An empty one is an error naming the option: as a URL, ""
/// is the current folder, which a run would then read, or refuse to replace, by mistake.
func path(_ value: String, option: String) throws -> URL {
    guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ValidationError("\(option) is empty (\"\(value)\"): give the \(option == "--data" ? "data folder (e.g. --data GIS/sample)" : "path")")
    }
    return URL(fileURLWithPath: value)
}
