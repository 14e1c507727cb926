import ArgumentParser
import Foundation
import SpacePlanKit

struct CapacityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Build-out capacity: what each parcel may hold, its headroom, and the tech space each mode could add.",
        discussion: """
            For every parcel: the allowed floor area from its FAR cap (its own far_cap, else the \
            renewal rules' cap for its land use and density zone) and height cap, the floor area \
            standing on it, the headroom, and the tech-cultivation space each supply mode could make \
            of it (function change, comprehensive remediation, micro-renewal, demolition and rebuild, \
            purchase or lease of vacant office floors). Yields, years and costs are assumptions in \
            GIS/config/buildout.json.

            Writes to OUT: capacity.csv, capacity-zones.csv, capacity.geojson (WGS84), capacity.gpkg (the working CRS), capacity.md, headroom.svg.

            Example:
              spaceplan capacity --data GIS/sample --out out/capacity
            """
    )

    @OptionGroup var options: DataOptions
    @OptionGroup var ruleFiles: RuleFiles
    @OptionGroup var output: OutputOptions

    @Option(
        name: .customLong("buildout"),
        help: ArgumentHelp("Build-out rules (default: GIS/config/buildout.json, found like the policy file).", valueName: "FILE"))
    var buildout: String?

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress, ruleFiles.given.merging([.buildOut: buildout]) { a, _ in a })
        try output.folder(inputs: workspace.inputs).check()
        progress.stage("measuring capacity")
        let run = try workspace.capacity()
        let files = try output.write(run.artifacts, inputs: workspace.inputs + run.inputs, progress: progress)
        progress.finish()
        print(run.headlines.joined(separator: "\n"))
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
    }
}

struct TargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "The path to the target: which sites, by which mode, in which year, at least public cost and disruption.",
        discussion: """
            Candidate projects come from the build-out capacity (every eligible building under each \
            mode, every industrial parcel rebuilt, every office's vacant floors bought or leased) and \
            from --candidates (the bureau's own proposals, offers and leases; one with a generated \
            project's id replaces it). A mixed-integer programme, solved by CBC, picks projects and \
            start years so that the stock meets each target year of policy.json within the yearly \
            budgets, the displacement cap and the clusters' minimum shares (GIS/config/buildout.json), \
            first with the least shortfall, then at the least discounted public cost plus a weight on \
            displaced floor area. It says what binds, what the next 100,000 m² would cost, and how the \
            answer moves with costs, budgets and building times.

            Writes to OUT: target.json, target.csv, target.md, target-sites.svg, target-trajectory.svg and \
            target-scenario.json (the programme as a supply scenario).

            Example:
              spaceplan target --data GIS/sample --out out/target --scenario GIS/sample/scenarios/flexible-land.json
            """
    )

    @OptionGroup var options: DataOptions
    @OptionGroup var ruleFiles: RuleFiles
    @OptionGroup var output: OutputOptions

    @Option(
        name: .customLong("buildout"),
        help: ArgumentHelp("Build-out rules (default: GIS/config/buildout.json, found like the policy file).", valueName: "FILE"))
    var buildout: String?

    @Option(name: .long, help: ArgumentHelp("Candidate projects of the bureau's own (JSON; GIS/README.md documents it).", valueName: "FILE"))
    var candidates: String?

    @Option(name: .long, help: ArgumentHelp("One yearly budget in yuan for every year, instead of the rules'.", valueName: "YUAN"))
    var budget: Double?

    @Option(name: .long, help: ArgumentHelp("A supply scenario to draw beside the programme; repeatable.", valueName: "FILE"))
    var scenario: [String] = []

    @Option(
        name: .customLong("land-supply"),
        help: ArgumentHelp("Land-supply settings for --scenario (default: GIS/config/land_supply.json).", valueName: "FILE"))
    var landSupply: String?

    func validate() throws {
        if let budget, !(budget.isFinite && budget >= 0) {
            throw ValidationError("--budget must be a non-negative number of yuan a year, found \(budget)")
        }
    }

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress, ruleFiles.given.merging([.buildOut: buildout, .landSupply: landSupply]) { a, _ in a })
        let candidateFile = try candidates.map { try workspace.resolve(URL(fileURLWithPath: $0)) }
        let scenarios = try scenario.map { try workspace.resolve(URL(fileURLWithPath: $0)) }
        try output.folder(inputs: workspace.inputs + (candidateFile.map { [$0] } ?? []) + scenarios).check()
        let run = try workspace.targetProgramme(candidates: candidateFile, budgetYuanPerYear: budget, scenarios: scenarios, progress: progress.stage)
        let files = try output.write(run.artifacts, inputs: workspace.inputs + run.inputs, progress: progress)
        progress.finish()
        print(run.headlines.joined(separator: "\n"))
        for e in run.report.entries { print("  \(e.line)") }
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
    }
}
