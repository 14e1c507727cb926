import ArgumentParser
import Foundation
import LandSupply
import Renewal
import SpaceData
import SpaceGeometry
import SpaceMap

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

    @Option(name: .long, help: ArgumentHelp("A scenario file; repeat to compare scenarios side by side.", valueName: "FILE"))
    var scenario: [String]

    @Option(name: .long, help: ArgumentHelp("Folder for the results (created if needed).", valueName: "DIR"))
    var out: String

    @Option(name: .customLong("land-supply"), help: ArgumentHelp("Land-supply settings (default: GIS/config/land_supply.json, found like the policy file).", valueName: "FILE"))
    var landSupply: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The year the data describe (default: the manifest's as_of_year, else this year).", valueName: "YEAR"))
    var asOf: Int?

    @Option(name: .customLong("reference-floor-area"), help: ArgumentHelp("Floor area for the table comparing land cost across modes.", valueName: "M2"))
    var referenceFloorArea: Double = 10_000

    func validate() throws {
        if scenario.isEmpty { throw ValidationError("give at least one --scenario FILE") }
        if !(referenceFloorArea > 0) { throw ValidationError("--reference-floor-area must be positive") }
    }

    func run() throws {
        let progress = Progress()
        let map = try options.spaceMap(progress)
        let data = map.data
        let settings = try SupplySettings.load(options.configURL(landSupply, named: "land_supply.json", flag: "land-supply", what: "land-supply settings"))
        let year = asOfYear(asOf, data)
        let scenarios = try scenario.map { try Scenario.load(URL(fileURLWithPath: $0), settings: settings, asOfYear: year) }
        var results: [ScenarioResult] = []
        for s in scenarios {
            progress.stage("modelling \(s.name)")
            results.append(try ScenarioResult.evaluate(s, map: map, settings: settings, asOfYear: year, renewal: try renewal(of: s, map: map, asOfYear: year)))
        }
        let folder = URL(fileURLWithPath: out)
        let files = [
            ("supply.json", SupplyReport.json(results, map: map, settings: settings, asOfYear: year, referenceM2: referenceFloorArea)),
            ("supply.csv", SupplyReport.csv(results)),
            ("supply.md", SupplyReport.markdown(results, map: map, settings: settings, asOfYear: year, referenceM2: referenceFloorArea)),
            ("supply.svg", SupplyReport.chart(results, map: map, settings: settings)),
        ]
        for (name, text) in files { try AtomicFile.write(text, to: folder.appendingPathComponent(name)) }
        progress.finish()
        print("Opening stock \(grouped(map.total.techSpaceM2)) m² (\(year)).")
        for r in results {
            let targets = r.milestones.map { m in "\(m.year): \(m.stockM2.map(grouped) ?? "–") m² " + (m.reached ? "(reached)" : "(gap \(grouped(max(0, m.gapM2 ?? m.targetM2))) m²)") }
            print("  \(r.scenario.name): " + targets.joined(separator: "; "))
        }
        print("wrote \(files.count) files to \(out)")
    }

    /// The scenario's renewal proposals, evaluated against the space map.
    func renewal(of s: Scenario, map: SpaceMap, asOfYear year: Int) throws -> RenewalEvaluation? {
        guard let file = s.proposalsFile else { return nil }
        let data = map.data
        guard let district = data.zones.first(where: { $0.kind == .district }) else {
            throw DataError(file: data.manifest.path(of: "zones"), problem: "no zone of kind district: proposals are checked against the district boundary")
        }
        let read = try ProposalReader.read(file, district: district, workingCRS: data.policy.workingCRS, asOfYear: year)
        var proposals = read.proposals
        if let include = s.includedProposals {
            let known = Set(proposals.map(\.id))
            if let missing = include.first(where: { !known.contains($0) }) {
                throw DataError(file: s.file, problem: "renewal.include names proposal \(missing), which \(file.path) does not have")
            }
            proposals = proposals.filter { include.contains($0.id) }
        }
        let lists = try ruleFiles.lists(options, zones: data.zones)
        return try RenewalEvaluation.evaluate(proposals, map: map, rules: try ruleFiles.renewalRules(options),
                                              positiveLists: lists, asOfYear: year, file: file.path, report: read.report)
    }
}
