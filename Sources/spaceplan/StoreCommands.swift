import ArgumentParser
import Foundation
import SpacePlanKit

/// `spaceplan store`: the district's system of record (docs/store.md).
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "The district store: import a data folder, export it back, apply edits, read the log.",
        discussion: """
            A store is one GeoPackage file (district.gpkg: nothing to install) or a schema of a \
            PostgreSQL + PostGIS database (postgresql://user@host/db?schema=futian: shared), holding \
            the district's layers, its configuration, proposals and scenarios, and every change with \
            who, when, why, before and after; QGIS opens its layers as they are. Every command that takes --data DIR also takes --store STORE, and \
            --as-of-date DATE reads the district as it stood at the end of that day.
            """,
        subcommands: [StoreImportCommand.self, StoreExportCommand.self, StoreApplyCommand.self, StoreLogCommand.self]
    )
}

struct StoreImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a data folder (its layers, configuration, proposals and scenarios) as a new store.",
        discussion: """
            Example:
              spaceplan store import --data GIS/sample --store district.gpkg
            """)

    @Option(name: .long, help: ArgumentHelp("The data folder (see GIS/README.md).", valueName: "DIR"))
    var data: String

    @Option(name: .long, help: ArgumentHelp("The store to write: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("The policy configuration (default: found as every command finds it).", valueName: "FILE"))
    var config: String?

    @Flag(name: .long, help: "Import over an existing store (its history starts again).")
    var replace = false

    func run() throws {
        let progress = Progress()
        let options = try DataOptions.parse(["--data", data] + (config.map { ["--config", $0] } ?? []))
        let folder = try path(data, option: "--data")
        let summary = try DistrictStores.importFolder(
            folder, configuration: try options.configuration(), store: store, replace: replace, progress: progress.stage)
        progress.finish()
        print("imported \(data) into \(summary.store): " + summary.counts.map { "\(Wording.grouped(Double($0.records))) \($0.layer)" }.joined(separator: ", "))
        print("documents: \(summary.documents.joined(separator: ", "))")
    }
}

struct StoreExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a store's state (or its state as of a day) as a data folder that imports back to the same store.",
        discussion: """
            Example:
              spaceplan store export --store district.gpkg --out out/district
            """)

    @Option(name: .long, help: ArgumentHelp("The store: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    @Option(name: .customLong("as-of-date"), help: ArgumentHelp("The state at the end of this day (YYYY-MM-DD).", valueName: "DATE"))
    var asOfDate: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let progress = Progress()
        let source = try DistrictStores.source(store, asOfDate: asOfDate)
        let inputs = [URL(fileURLWithPath: store)]
        try output.folder(inputs: inputs).check()
        let files = try output.write(try DistrictStores.export(source), inputs: inputs, progress: progress)
        progress.finish()
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
    }
}

struct StoreApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply an edit file as one edit set: all of it, or nothing.",
        discussion: """
            Each edit names the version of the record it was made on; an edit on a version that is no \
            longer current is refused with the record's current values. docs/store.md lists the edits.

            Example:
              spaceplan store apply --store district.gpkg --edits vacancy.json --author 王工 --reason "Q3 vacancy survey"
            """)

    @Option(name: .long, help: ArgumentHelp("The store: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("The edit file (JSON, docs/store.md).", valueName: "FILE"))
    var edits: String

    @Option(name: .long, help: ArgumentHelp("Who makes the edit (kept in the history).", valueName: "NAME"))
    var author: String

    @Option(name: .long, help: ArgumentHelp("Why (kept in the history).", valueName: "TEXT"))
    var reason: String

    func run() throws {
        let applied: DistrictStores.Applied
        do {
            applied = try DistrictStores.apply(store: store, edits: try path(edits, option: "--edits"), author: author, reason: reason)
        } catch let conflict as StoreConflict {
            // A conflict is not a broken input: its own exit status, so a script can read again and retry.
            FileHandle.standardError.write(Data("error: \(conflict)\n".utf8))
            throw ExitCode(3)
        }
        print("edit set \(applied.editSet): \(Wording.counted(applied.changes.count, "change")) written to \(store)")
        for change in applied.changes { print("  \(change.change) \(change.layer) \(change.recordID) → version \(change.version)") }
    }
}

struct StoreLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Every change to the store, oldest first: who, when, why, before and after.",
        discussion: """
            Example:
              spaceplan store log --store district.gpkg --since 2026-10-01 --record C00001
            """)

    @Option(name: .long, help: ArgumentHelp("The store: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("Changes from the start of this day on (YYYY-MM-DD, the district's time zone).", valueName: "DATE"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only the changes of the record with this id.", valueName: "ID"))
    var record: String?

    func run() throws {
        let lines = try DistrictStores.log(store: store, since: since, record: record)
        print(lines.isEmpty ? "no changes" : lines.joined(separator: "\n"))
    }
}
