import ArgumentParser
import Foundation
import SpacePlanKit

extension SolverChoice: ExpressibleByArgument {}

struct AllocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate",
        abstract: "Place incoming firms into vacant tech-cultivation space (incubators, accelerators, parks…).",
        discussion: """
            Reads the firms asking for space (FILE, CSV or JSON; GIS/README.md documents it) and the \
            carriers' vacant space from the space map of DIR. Each firm goes to at most one carrier, \
            never over its vacant space, only where its sector is on the zone's positive list, its \
            stage fits the carrier type and the rent is within its limit, with at least its minimum \
            area and at most its preferred. The allocation maximises priority-weighted m² with \
            bonuses for preferred zones and sector clusters (GIS/config/allocation.json; \
            docs/allocation.md explains the model and the solvers).

            Solvers: `exact` is the mixed-integer programme solved by COIN-OR CBC (a few hundred \
            firms; it starts from the heuristic's allocation and reports whether it proved the \
            optimum); `heuristic` is greedy by regret plus local search, for thousands of firms, and \
            reports its gap to the LP bound; `auto` takes exact up to exact_solver.max_firms firms.

            Writes to OUT: assignments.csv, unplaced.csv (with reasons), carriers.csv and zones.csv \
            (space let per carrier and per zone), allocation.json, allocation.md and allocation.svg.

            Example:
              spaceplan allocate --data GIS/sample --demand GIS/sample/demand.csv --out out/allocation
            """
    )

    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("The firms asking for space (CSV or JSON).", valueName: "FILE"))
    var demand: String

    @Option(name: .long, help: "exact, heuristic or auto.")
    var solver: SolverChoice = .auto

    @Option(
        name: .customLong("allocation-rules"),
        help: ArgumentHelp("Allocation rules (default: GIS/config/allocation.json, found like the policy file).", valueName: "FILE"))
    var allocationRules: String?

    @Option(
        name: .customLong("positive-lists"),
        help: ArgumentHelp("Positive lists for industry entry (default: GIS/config/positive_lists.json).", valueName: "FILE"))
    var positiveLists: String?

    @Option(name: .long, help: ArgumentHelp("Place only firms moving in by this year; later ones are listed as such.", valueName: "YEAR"))
    var until: Int?

    @Flag(name: .customLong("no-map"), help: "Skip the SVG map.")
    var noMap = false

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress, [.allocationRules: allocationRules, .positiveLists: positiveLists])
        let demandFile = try workspace.resolve(try path(demand, option: "--demand"))
        try output.folder(inputs: workspace.inputs + [demandFile]).check()
        let run = try workspace.allocate(demand: demandFile, solver: solver, until: until, map: !noMap, progress: progress.stage)
        let files = try output.write(run.artifacts, inputs: workspace.inputs + run.inputs, progress: progress)
        progress.finish()
        print(run.headlines.joined(separator: "\n"))
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
    }
}

struct GenerateDemandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-demand",
        abstract: "Write a synthetic demand file of incoming firms for a data folder (for tests and benchmarks).",
        discussion: """
            Firms of every stage with sizes by stage, sectors as in the sample district, preferred \
            zones from DIR's sub-districts and clusters, move-in years in the four years after the \
            data's year. Deterministic for a seed.

            Example:
              spaceplan generate-demand --data GIS/sample --firms 400 --seed 1 --out out/demand.csv
            """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: "How many firms.")
    var firms: Int

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(
        name: .customLong("demand-over-vacant"),
        help: ArgumentHelp("Scale sizes so the firms' minimum areas add up to this multiple of the carriers' vacant space.", valueName: "RATIO"))
    var demandOverVacant: Double?

    @Option(name: .long, help: ArgumentHelp("The demand CSV to write.", valueName: "FILE"))
    var out: String

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress)
        let target = try path(out, option: "--out")
        let demand = try workspace.syntheticDemand(firms: firms, seed: seed, demandOverVacant: demandOverVacant, path: target.lastPathComponent)
        try OutputFile(target, inputs: workspace.inputs).commit(demand.artifact)
        progress.finish()
        let total = demand.firms.reduce(0) { $0 + $1.minM2 }
        print(
            "wrote \(Wording.counted(demand.firms.count, "firm")) to \(out): minimum areas \(Wording.grouped(total)) m² against \(Wording.grouped(demand.vacantM2)) m² vacant in \(Wording.counted(workspace.data.carriers.count, "carrier"))"
        )
    }
}
