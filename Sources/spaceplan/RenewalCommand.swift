import ArgumentParser
import Foundation
import Renewal
import SpaceData
import SpaceGeometry
import SpaceMap

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

    @Option(name: .customLong("positive-lists"), help: ArgumentHelp("Positive lists for industry entry (default: GIS/config/positive_lists.json).", valueName: "FILE"))
    var positiveLists: String?

    func renewalRules(_ options: DataOptions) throws -> RenewalRules {
        try RenewalRules.load(options.configURL(rules, named: "renewal.json", flag: "rules", what: "renewal rules"))
    }

    func lists(_ options: DataOptions, zones: [Zone]) throws -> PositiveLists {
        try positiveListsFile(positiveLists, options, zones: zones)
    }
}

/// The positive lists given with --positive-lists, else GIS/config/positive_lists.json near the data.
func positiveListsFile(_ given: String?, _ options: DataOptions, zones: [Zone]) throws -> PositiveLists {
    let url = try options.configURL(given, named: "positive_lists.json", flag: "positive-lists", what: "positive lists")
    return try PositiveLists.load(url, knownZoneIDs: Set(zones.map(\.id)))
}

/// The year the data describe: --as-of, else the manifest's as_of_year, else this year.
func asOfYear(_ option: Int?, _ data: DistrictData) -> Int {
    option ?? data.manifest.asOfYear ?? Calendar(identifier: .gregorian).component(.year, from: Date())
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

    @Option(name: .long, help: ArgumentHelp("The proposal file (GeoJSON).", valueName: "FILE"))
    var proposals: String

    @Option(name: .long, help: ArgumentHelp("Folder for the results (created if needed).", valueName: "DIR"))
    var out: String

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The year the data describe; phases before it are errors (default: the manifest's as_of_year, else this year).", valueName: "YEAR"))
    var asOf: Int?

    @Flag(name: .long, help: "Skip the before/after maps.")
    var noMaps = false

    func run() throws {
        let progress = Progress()
        let map = try options.spaceMap(progress)
        let data = map.data
        let rules = try ruleFiles.renewalRules(options)
        let lists = try ruleFiles.lists(options, zones: data.zones)
        guard let district = data.zones.first(where: { $0.kind == .district }) else {
            throw DataError(file: data.manifest.path(of: "zones"), problem: "no zone of kind district: units are checked against the district boundary")
        }
        let year = asOfYear(asOf, data)
        progress.stage("reading proposals")
        let url = URL(fileURLWithPath: proposals)
        let (read, report) = try ProposalReader.read(url, district: district, workingCRS: data.policy.workingCRS, asOfYear: year)
        progress.stage("evaluating proposals")
        var notes = report
        if !lists.unknownZoneIDs.isEmpty {
            notes.add(.warning, layer: "positive lists", file: lists.source, record: nil, id: nil,
                      "lists for zones not in this data restrict nothing: \(lists.unknownZoneIDs.joined(separator: ", "))")
        }
        let evaluation = try RenewalEvaluation.evaluate(read, map: map, rules: rules, positiveLists: lists, asOfYear: year, file: url.path, report: notes)
        progress.stage("writing results")
        let files = try RenewalWriter.write(evaluation, map: map, to: URL(fileURLWithPath: out), maps: !noMaps)
        progress.finish()
        print("\(evaluation.proposals.count) proposals, \(evaluation.proposals.reduce(0) { $0 + $1.units.count }) units, as of \(year). Ranking (\(RenewalReport.scoringFormula(rules.ranking))):")
        for i in evaluation.ranking {
            let p = evaluation.proposals[i]
            let checks = p.passes ? "all checks pass" : "fails " + p.failedChecks.map(\.rule).joined(separator: ", ")
            print("  \(p.rank). \(p.proposal.id) \(p.proposal.name): \(RenewalReport.signed(p.netTechByTargetYearM2)) m² tech space by \(rules.ranking.targetYear), "
                  + "\(p.displacement.firms.count) firms displaced, score \(formatFixed(p.score, 2)); \(checks)")
        }
        print("wrote \(files.count) files to \(out)")
    }
}
