import ArgumentParser
import Foundation
import SpacePlanKit

/// Options every data command shares: the data folder and the policy file.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data folder: layers.json and the layer files (see GIS/README.md).", valueName: "DIR"))
    var data: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The policy configuration (default: GIS/config/policy.json, found next to the data, in its sibling config folder, or in the current folder).",
            valueName: "FILE"))
    var config: String?

    func validate() throws {
        _ = try path(data, option: "--data")
        if let config { _ = try path(config, option: "--config") }
    }

    /// The configuration files: those given on the command line, else found beside the data,
    /// in its sibling `config` folder, or in GIS/config of the current folder.
    func configuration(_ given: [Configuration.File: String?] = [:]) throws -> Configuration {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("GIS/config")
        var configuration = Configuration.find(in: Configuration.usualFolders(of: try path(data, option: "--data")) + [cwd])
        for (file, value) in given.merging([.policy: config], uniquingKeysWith: { a, _ in a }) {
            if let value { configuration.files[file] = try path(value, option: file.flag) }
        }
        return configuration
    }

    /// Opens the data folder as a workspace, reporting each stage.
    func workspace(_ progress: Progress, _ given: [Configuration.File: String?] = [:]) throws -> Workspace {
        try Workspace(source: DataFolder(try path(data, option: "--data")), configuration: configuration(given), progress: progress.stage)
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
