import ArgumentParser
import Foundation
import SpacePlanKit

struct SupplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supply",
        abstract: "Model tech-cultivation space supply year by year under one or more scenarios.",
        discussion: """
            Each scenario (JSON, GIS/README.md documents it) lists supply events: renewal proposals \
            (from a proposal file, phased), government purchase or lease of space, conversions of \
            idle factories into incubators, and new land in a flexible mode (long-term lease, \
            lease-then-transfer, mixed, flexible-term transfer). From the data's stock, it gives the \
            stock year by year, additions by source, the gap to the 2023 and 2025 targets, and the \
            land cost firms bear under each mode over its term (prices and terms in \
            GIS/config/land_supply.json, all assumptions).

            Writes to OUT: supply.json, supply.csv (stock per year per scenario), supply.md and supply.svg.

            Example:
              spaceplan supply --data GIS/sample --scenario GIS/sample/scenarios/renewal-only.json \\
                --scenario GIS/sample/scenarios/flexible-land.json --out out/supply
            """
    )

    @OptionGroup var options: DataOptions
    @OptionGroup var ruleFiles: RuleFiles
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("A scenario file; repeat to compare scenarios side by side.", valueName: "FILE"))
    var scenario: [String]

    @Option(
        name: .customLong("land-supply"),
        help: ArgumentHelp("Land-supply settings (default: GIS/config/land_supply.json, found like the policy file).", valueName: "FILE"))
    var landSupply: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("The year the data describe (default: the manifest's as_of_year, else this year).", valueName: "YEAR"))
    var asOf: Int?

    @Option(
        name: .customLong("reference-floor-area"), help: ArgumentHelp("Floor area for the table comparing land cost across modes.", valueName: "M2"))
    var referenceFloorArea: Double = 10_000

    func validate() throws {
        if scenario.isEmpty { throw ValidationError("give at least one --scenario FILE") }
    }

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress, ruleFiles.given.merging([.landSupply: landSupply]) { a, _ in a })
        let scenarios = try scenario.map { try workspace.resolve(try path($0, option: "--scenario")) }
        try output.folder(inputs: workspace.inputs + scenarios).check()
        progress.stage("modelling \(Wording.counted(scenarios.count, "scenario"))")
        let run = try workspace.runSupply(scenarios: scenarios, asOfYear: asOf, referenceFloorAreaM2: referenceFloorArea)
        let files = try output.write(run.artifacts, inputs: workspace.inputs + run.inputs, progress: progress)
        progress.finish()
        print(workspace.headlines(run, warnings: true).joined(separator: "\n"))
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
    }
}
