import ArgumentParser
import Foundation
import SpacePlanKit

extension ReportingPeriod: ExpressibleByArgument {}

/// `spaceplan progress`: the stock quarter by quarter from the store's history.
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "The tech-cultivation stock at the end of each quarter (month, year), from a store's history, against the plan's path.",
        discussion: """
            For each period: the stock by carrier type, zone and cluster, occupied and vacant; the \
            firms renting in carriers by stage; what was added (by supply mode) and lost, each \
            change traced to its edit set, author and reason; the plan's path to the target years \
            of policy.json. Days are the district's (store_meta.time_zone).

            Writes to OUT: progress.md, progress.csv, zones.csv, changes.csv, progress.json and \
            maps/stock.svg, maps/additions.svg, maps/occupancy.svg.

            Example:
              spaceplan progress --store district.gpkg --from 2021-01-01 --to 2025-12-31 --out out/progress
            """)

    @Option(name: .long, help: ArgumentHelp("The store: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("First day (YYYY-MM-DD; default: the day the store was imported).", valueName: "DATE"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day (YYYY-MM-DD; default: today).", valueName: "DATE"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("The reporting period: quarter, month or year.", valueName: "PERIOD"))
    var every: ReportingPeriod = .quarter

    @OptionGroup var output: OutputOptions

    func run() throws {
        let progress = Progress()
        let options = try DataOptions.parse(["--store", store])
        let workspace = try options.workspace(progress)
        try output.folder(inputs: workspace.inputs).check()
        progress.stage("reading the history")
        let run = try workspace.stockProgress(from: from, to: to, every: every)
        let files = try output.write(run.artifacts, inputs: workspace.inputs, progress: progress)
        progress.finish()
        if let last = run.progress.periods.last {
            let plan = last.planM2.map { ", plan's path \(Wording.grouped($0)) m²" } ?? ""
            print("\(last.period.label): tech-cultivation space \(Wording.grouped(last.techSpaceM2)) m²\(plan); \(run.progress.movements.count) changes of the stock over \(Wording.counted(run.progress.periods.count, "period"))")
        }
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
    }
}

/// `spaceplan generate-history`: a plausible synthetic edit history for a store just imported.
struct GenerateHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-history",
        abstract: "Write a plausible synthetic history (firms moving in, up and out; occupancy reports; projects delivered) into a store just imported.",
        discussion: """
            Month by month from January of --from to December of --to, as dated edit sets: firms \
            arrive in carriers of their stage's rung, graduate to the next rung, close or leave, at \
            the rates of config/simulation.json; operators report their occupancy; a supply \
            scenario's projects are delivered as new carriers (a lease that ends is retired). The \
            store's import is dated back to the first day. Deterministic for a seed. For tests, \
            benchmarks and the sample: the history is synthetic and says so (author "generate-history (synthetic)").

            Example:
              spaceplan store import --data GIS/sample --store district.gpkg
              spaceplan generate-history --store district.gpkg --from 2021 --to 2025 --seed 7 \\
                --scenario store:scenarios/rent-buy-convert-build.json
            """)

    @Option(name: .long, help: ArgumentHelp("The store, just imported: a .gpkg file or a postgresql://…?schema=NAME URL.", valueName: "STORE"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("First year.", valueName: "YEAR"))
    var from: Int

    @Option(name: .long, help: ArgumentHelp("Last year.", valueName: "YEAR"))
    var to: Int

    @Option(name: .long, help: ArgumentHelp("Random seed: the same seed writes the same history.", valueName: "N"))
    var seed: UInt64 = 1

    @Option(
        name: .long,
        help: ArgumentHelp("A supply scenario whose projects are delivered (a file, or store:PATH for a document of the store).", valueName: "FILE"))
    var scenario: String?

    func run() throws {
        let progress = Progress()
        let history = try DistrictStores.generateHistory(
            store: store, fromYear: from, toYear: to, seed: seed, scenario: scenario.map { URL(fileURLWithPath: $0) }, progress: progress.stage)
        progress.finish()
        print(
            "wrote \(Wording.counted(history.editSets, "edit set")) (\(Wording.counted(history.changes, "change"))) into \(store), \(from)–\(to): "
                + "\(history.arrivals) arrivals, \(history.graduations) graduations, \(history.closures) closures, \(history.departures) departures, "
                + "\(history.vacancyReports) occupancy reports, \(history.deliveries) projects delivered, \(history.retirements) carriers retired")
    }
}

/// `spaceplan simulate`: firms up the incubation ladder year by year, many runs.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate firms moving up the incubation ladder year by year: where it jams, and how many graduates the district keeps.",
        discussion: """
            Firms renting in tech-cultivation carriers are agents on the ladder (maker space → \
            incubator → accelerator → park). Each year: space is added as the scenario or target \
            programme delivers it; each firm fails, leaves, graduates or stays (and may grow or \
            become a national high-tech enterprise) at the rates of config/simulation.json; new \
            firms arrive; every firm that needs space is placed by the allocation's rules and \
            solver; the unplaced wait, then leave. Runs spread over all cores and give the same \
            figures on one. With --calibrate, estimates the rates from a store's recorded \
            move-ins and move-outs instead and writes them as simulation.json.

            Writes to OUT: simulation.md, simulation.csv (P10/P50/P90 per year), runs/run-NNNN.csv, \
            simulation.json, maps/fan.svg, maps/ladder.svg, maps/high-tech.svg; with --calibrate: \
            simulation.json (calibrated) and calibration.md.

            Examples:
              spaceplan simulate --data GIS/sample --to 2030 --runs 200 --seed 7 \\
                --scenario GIS/sample/scenarios/rent-buy-convert-build.json --out out/simulate
              spaceplan simulate --calibrate --store district.gpkg --out out/calibration
            """)

    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("The last year simulated.", valueName: "YEAR"))
    var to: Int?

    @Option(name: .long, help: ArgumentHelp("How many runs.", valueName: "N"))
    var runs: Int = 100

    @Option(name: .long, help: ArgumentHelp("Random seed: the same seed gives the same runs.", valueName: "S"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("A supply scenario whose space is added as it delivers it (a file or store:PATH).", valueName: "FILE"))
    var scenario: String?

    @Option(name: .long, help: ArgumentHelp("The output folder of `spaceplan target`: its programme's space is added.", valueName: "DIR"))
    var programme: String?

    @Option(name: .long, help: ArgumentHelp("Simulation settings (default: the store's, or GIS/config/simulation.json).", valueName: "FILE"))
    var simulation: String?

    @Flag(name: .long, help: "Estimate the yearly rates from the store's recorded move-ins and move-outs (needs --store).")
    var calibrate = false

    func validate() throws {
        if scenario != nil, programme != nil { throw ValidationError("give --scenario or --programme, not both") }
        if calibrate {
            if options.store == nil { throw ValidationError("--calibrate reads a store's history: give --store") }
        } else if to == nil {
            throw ValidationError("give --to YEAR: the last year simulated")
        }
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress, [.simulation: simulation])
        if calibrate {
            try output.folder(inputs: workspace.inputs).check()
            progress.stage("estimating the rates from the history")
            let run = try workspace.calibrate()
            let files = try output.write(run.artifacts, inputs: workspace.inputs, progress: progress)
            progress.finish()
            print(run.headline)
            print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
            return
        }
        let scenarioURL = try scenario.map { try workspace.resolve(try path($0, option: "--scenario")) }
        let programmeURL = try programme.map { try path($0, option: "--programme") }
        try output.folder(inputs: workspace.inputs + [scenarioURL].compactMap { $0 }).check()
        let run = try workspace.simulate(toYear: to!, runs: runs, seed: seed, scenario: scenarioURL, programme: programmeURL, progress: progress.stage)
        let files = try output.write(run.artifacts, inputs: workspace.inputs + run.inputs, progress: progress)
        progress.finish()
        print(workspace.headlines(run).joined(separator: "\n"))
        print("wrote \(Wording.counted(files.count, "file")) to \(output.out)")
    }
}
