import Allocation
import ArgumentParser
import Cartography
import Foundation
import SampleDistrict
import SpaceData
import SpaceGeometry
import SpaceMap

enum SolverChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, exact, heuristic
}

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

    @Option(name: .long, help: ArgumentHelp("The firms asking for space (CSV or JSON).", valueName: "FILE"))
    var demand: String

    @Option(name: .long, help: ArgumentHelp("Folder for the results (created if needed).", valueName: "DIR"))
    var out: String

    @Option(name: .long, help: "exact, heuristic or auto.")
    var solver: SolverChoice = .auto

    @Option(name: .customLong("allocation-rules"), help: ArgumentHelp("Allocation rules (default: GIS/config/allocation.json, found like the policy file).", valueName: "FILE"))
    var allocationRules: String?

    @Option(name: .customLong("positive-lists"), help: ArgumentHelp("Positive lists for industry entry (default: GIS/config/positive_lists.json).", valueName: "FILE"))
    var positiveLists: String?

    @Option(name: .long, help: ArgumentHelp("Place only firms moving in by this year; later ones are listed as such.", valueName: "YEAR"))
    var until: Int?

    @Flag(name: .customLong("no-map"), help: "Skip the SVG map.")
    var noMap = false

    func run() throws {
        let progress = Progress()
        let map = try options.spaceMap(progress)
        let data = map.data
        let rules = try AllocationRules.load(options.configURL(allocationRules, named: "allocation.json", flag: "allocation-rules", what: "allocation rules"))
        let lists = try positiveListsFile(positiveLists, options, zones: data.zones)
        progress.stage("reading the demand")
        let firms = try DemandLoader.load(URL(fileURLWithPath: demand), knownZoneIDs: Set(data.zones.map(\.id)))
        let instance = AllocationInstance(firms: firms, carriers: CarrierSupply.from(map), rules: rules, positiveLists: lists, untilYear: until)
        let useExact = solver == .exact || (solver == .auto && firms.count <= rules.exactMaxFirms)
        let chosen: AllocationSolver = useExact ? ExactSolver(rules, start: HeuristicSolver(rules)) : HeuristicSolver(rules)
        progress.stage("allocating \(firms.count) firms to \(instance.carriers.count) carriers (\(chosen.name))")
        let result = AllocationResult(instance, try chosen.solve(instance.problem))
        let report = AllocationReport(result, map: map, demandFile: demand)

        let folder = URL(fileURLWithPath: out)
        var files = [
            ("assignments.csv", report.assignmentsCSV), ("unplaced.csv", report.unplacedCSV), ("carriers.csv", report.carriersCSV),
            ("zones.csv", report.zonesCSV), ("allocation.json", report.json), ("allocation.md", report.markdown),
        ]
        if !noMap {
            progress.stage("drawing the map")
            files.append(("allocation.svg", try allocationMap(report)))
        }
        for (name, text) in files { try AtomicFile.write(text, to: folder.appendingPathComponent(name)) }
        progress.finish()
        let s = result.solution
        let vacant = result.vacantBeforeM2
        print("Placed \(result.assignments.count) of \(firms.count) firms: \(grouped(result.allocatedM2)) m² of \(grouped(vacant)) m² vacant tech-cultivation space.")
        print("  occupied tech-cultivation space \(grouped(report.occupiedBeforeM2)) → \(grouped(report.occupiedAfterM2)) m²")
        print("  \(s.solver): objective \(formatFixed(s.objective, 1)), \(s.provenOptimal ? "proven optimal" : "gap \(formatFixed(s.gap * 100, 3)) % to its bound"), \(formatFixed(s.seconds, 2)) s")
        let reasons = result.unplacedCounts.map { "\($0.firms) \($0.reason.rawValue)" }
        if !reasons.isEmpty { print("  not placed: " + reasons.joined(separator: ", ")) }
        print("wrote \(files.count) files to \(out)")
    }

    func allocationMap(_ report: AllocationReport) throws -> String {
        let result = report.result
        let carriers = result.carrierUse.compactMap { use -> AllocationMapCarrier? in
            let c = result.instance.carriers[use.carrier]
            guard let at = c.location, use.vacantBeforeM2 > 0 else { return nil }
            return AllocationMapCarrier(id: c.id, type: c.type.rawValue, at: at, vacantBeforeM2: use.vacantBeforeM2,
                                        allocatedM2: use.allocatedM2, firms: use.firms)
        }
        let vacant = result.vacantBeforeM2
        let figures = [
            "\(result.assignments.count) of \(result.instance.firms.count) firms placed",
            "\(grouped(result.allocatedM2)) m² let of \(grouped(vacant)) m² vacant",
            "occupied tech space \(grouped(report.occupiedBeforeM2)) → \(grouped(report.occupiedAfterM2)) m²",
            "solver: \(result.solution.solver), gap \(formatFixed(result.solution.gap * 100, 2)) %",
        ] + result.unplacedCounts.map { "not placed (\($0.reason.rawValue.replacingOccurrences(of: "_", with: " "))): \($0.firms) firms" }
        return AllocationMap.render(try MapScene(report.map), carriers: carriers, figures: figures)
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
          spaceplan generate-demand --data GIS/sample --firms 400 --seed 1 --out GIS/sample/demand.csv
        """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: "How many firms.")
    var firms: Int

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("demand-over-vacant"), help: ArgumentHelp("Scale sizes so the firms' minimum areas add up to this multiple of the carriers' vacant space.", valueName: "RATIO"))
    var demandOverVacant: Double?

    @Option(name: .long, help: ArgumentHelp("The demand CSV to write.", valueName: "FILE"))
    var out: String

    func validate() throws {
        if firms < 1 { throw ValidationError("--firms must be at least 1") }
        if let r = demandOverVacant, !(r > 0) { throw ValidationError("--demand-over-vacant must be positive") }
    }

    func run() throws {
        let progress = Progress()
        let map = try options.spaceMap(progress)
        let zones = map.data.zones.filter { $0.kind != .district }.map(\.id)
        let vacant = map.data.carriers.reduce(0) { $0 + max(0, $1.vacantM2) }
        let list = SyntheticDemand.firms(.init(seed: seed, firms: firms, zoneIDs: zones, asOfYear: asOfYear(nil, map.data),
                                               totalMinimumM2: demandOverVacant.map { $0 * vacant }))
        try AtomicFile.write(SyntheticDemand.csv(list), to: URL(fileURLWithPath: out))
        progress.finish()
        let total = list.reduce(0) { $0 + $1.minM2 }
        print("wrote \(list.count) firms to \(out): minimum areas \(grouped(total)) m² against \(grouped(vacant)) m² vacant in \(map.data.carriers.count) carriers")
    }
}
