import ArgumentParser
import Foundation
import SpacePlanKit

struct RenewalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renewal",
        abstract: "Urban-renewal (城市更新) proposals: evaluate, check and rank them.",
        subcommands: [RenewalEvaluateCommand.self]
    )
}

/// Options of the commands that read the planning rules beside the policy file.
struct RuleFiles: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Renewal rules (default: GIS/config/renewal.json, found like the policy file).", valueName: "FILE"))
    var rules: String?

    @Option(
        name: .customLong("positive-lists"),
        help: ArgumentHelp("Positive lists for industry entry (default: GIS/config/positive_lists.json).", valueName: "FILE"))
    var positiveLists: String?

    var given: [Configuration.File: String?] { [.renewalRules: rules, .positiveLists: positiveLists] }
}

struct RenewalEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate renewal proposals against the space map.",
        discussion: """
            For each renewal unit in FILE (GeoJSON, one feature per unit; GIS/README.md documents it): \
            the parcels, buildings, floor area and firms it touches; floor area demolished, kept and \
            built by use; net change in industrial and tech-cultivation space by year; government \
            industrial housing gained; firms displaced and whether vacant tech space nearby could \
            re-house them; the policy checks (FAR cap, industrial share, hand-over share, positive \
            list) with rule, value, limit and outcome. Proposals are ranked by contribution to the \
            target per displaced m² (the formula is in GIS/config/renewal.json).

            Writes to OUT: renewal.json, renewal.md, validation.json, validation.txt and \
            maps/UNIT-before.svg, maps/UNIT-after.svg for every unit.

            Example:
              spaceplan renewal evaluate --data GIS/sample --proposals GIS/sample/proposals.geojson --out out/renewal
            """
    )

    @OptionGroup var options: DataOptions
    @OptionGroup var ruleFiles: RuleFiles
    @OptionGroup var output: OutputOptions

    @Option(
        name: .long,
        help: ArgumentHelp("The proposal file (GeoJSON); with --store, store:PATH names a stored one (default: store:proposals.geojson).", valueName: "FILE"))
    var proposals: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "The year the data describe; phases before it are errors (default: the manifest's as_of_year, else this year).", valueName: "YEAR"))
    var asOf: Int?

    @Flag(name: .long, help: "Skip the before/after maps.")
    var noMaps = false

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress, ruleFiles.given)
        guard let given = proposals ?? (options.store != nil ? "store:proposals.geojson" : nil) else {
            throw ValidationError("give --proposals FILE")
        }
        let proposalFile = try workspace.resolve(try path(given, option: "--proposals"))
        try output.folder(inputs: workspace.inputs + [proposalFile]).check()
        progress.stage("evaluating proposals")
        let run = try workspace.evaluateRenewal(proposals: proposalFile, asOfYear: asOf, maps: !noMaps)
        let files = try output.write(run.artifacts, inputs: workspace.inputs + run.inputs, progress: progress)
        progress.finish()
        print(run.headlines.joined(separator: "\n"))
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
    }
}
