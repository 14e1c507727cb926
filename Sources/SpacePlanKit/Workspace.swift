import Allocation
import BuildOut
import Cartography
import Foundation
import LandSupply
import Renewal
import Reports
import SampleDistrict
import SpaceCore
import SpaceData
import SpaceMap

/// One district opened for questions: its source read and checked once, its space map built,
/// its configuration named explicitly. Every front end (the command line, the server) asks its
/// questions here and gets typed results plus the artifacts to write. A workspace never changes
/// after it opens, so any number of questions may run on it at once.
public final class Workspace: Sendable {
    public let source: any DistrictSource
    public let configuration: Configuration
    public let spaceMap: SpaceMap
    /// The files the workspace read (layers and configuration): no run may write over them.
    public let inputs: [URL]

    public var data: DistrictData { spaceMap.data }

    /// Reads the source and builds its space map; `progress` hears each stage's name.
    public init(source: any DistrictSource, configuration: Configuration, progress: (String) -> Void = { _ in }) throws {
        let anchor = URL(fileURLWithPath: source.name)
        // The source first: a data folder that is not there says so, not that no policy file is beside it.
        try source.checkReadable()
        let policyFile = try configuration.url(.policy, near: anchor)
        let policy = try Policy.load(policyFile)
        let data = try source.load(policy: policy, progress: progress)
        self.source = source
        self.configuration = configuration
        if let store = source as? StoreSource {
            spaceMap = try DistrictStores.spaceMap(data, source: store, progress: progress)
        } else {
            spaceMap = try SpaceMap.build(data, progress: progress)
        }
        inputs = source.files(of: data) + [policyFile]
    }

    /// A workspace from a map already built (the next snapshot of a store, `next()`).
    init(source: any DistrictSource, configuration: Configuration, spaceMap: SpaceMap, inputs: [URL]) {
        self.source = source
        self.configuration = configuration
        self.spaceMap = spaceMap
        self.inputs = inputs
    }

    /// A file given to a question, or the store's document it names (`store:proposals.geojson`).
    public func resolve(_ url: URL) throws -> URL { try DistrictStores.resolve(url, in: source as? StoreSource) }

    /// The configuration file of a question, or an error naming the flag that gives it.
    public func file(_ file: Configuration.File) throws -> URL {
        try configuration.url(file, near: URL(fileURLWithPath: source.name))
    }

    /// The year the data describe: the one given (`--as-of`), else the manifest's as_of_year, else this year.
    public func asOfYear(_ given: Int? = nil) throws -> Int {
        if let given { return try ArgumentError.checking(.asOfYear) { try NumberRule.year.check(option: $0, given) } }
        return dataYear
    }

    /// The year the data describe: the manifest's as_of_year, else this year.
    public var dataYear: Int { data.manifest.asOfYear ?? Calendar(identifier: .gregorian).component(.year, from: Date()) }

    public func positiveLists() throws -> PositiveLists {
        try PositiveLists.load(try file(.positiveLists), knownZoneIDs: Set(data.zones.map(\.id)))
    }

    /// The district zone, which renewal units are checked against.
    func districtZone(for question: String) throws -> Zone {
        guard let district = data.zones.first(where: { $0.kind == .district }) else {
            throw DataError(
                file: data.manifest.path(of: "zones"), problem: "no zone of kind district: \(question) are checked against the district boundary")
        }
        return district
    }
}

// MARK: - The space map and its maps

extension Workspace {
    /// The space map's files, and its maps (the space theme and both charts) unless told not to.
    /// `shapefileEncoding` adds shapefile/*.shp with their text in that encoding (and a .cpg).
    /// `geoPackage: false` leaves out space-map.gpkg (at 500,000 buildings it adds a third to the run).
    public func spaceMapArtifacts(maps: Bool = true, geoPackage: Bool = true, shapefileEncoding: String? = nil) throws -> [Artifact] {
        var artifacts = SpaceMapFiles.artifacts(spaceMap).filter { geoPackage || $0.path != "space-map.gpkg" }
        if let encoding = shapefileEncoding {
            do { _ = try TextDecoder(encoding: encoding) } catch {
                throw ArgumentError(argument: .shapefileEncoding, problem: "\(error)")
            }
            artifacts += try SpaceMapLayers.shapefiles(spaceMap, encoding: TextDecoder.canonicalName(encoding))
        }
        if maps { artifacts += try mapArtifacts(themes: [.space], options: MapOptions()).map { $0.inFolder("maps") } }
        return artifacts
    }

    /// One SVG per theme, and the two charts.
    public func mapArtifacts(themes: [MapTheme], options: MapOptions) throws -> [Artifact] {
        _ = try ArgumentError.checking(.mapClasses) {
            try NumberRule.whole(MapOptions.classCounts, "a whole number", "a number of classes \(NumberRule.words(MapOptions.classCounts))").check(
                option: $0, options.classes)
        }
        return try MapFiles.artifacts(MapScene(spaceMap), themes: themes, options: options)
    }
}

// MARK: - Renewal

extension Workspace {
    /// Renewal proposals from a file, evaluated against the space map and ranked.
    public struct RenewalRun: Sendable {
        public let evaluation: RenewalEvaluation
        public let artifacts: [Artifact]
        public let asOfYear: Int
        public let inputs: [URL]
    }

    public func evaluateRenewal(proposals file: URL, asOfYear given: Int? = nil, maps: Bool = true) throws -> RenewalRun {
        let year = try asOfYear(given)
        let (evaluation, inputs) = try evaluateProposals(file, include: nil, asOfYear: year, scenarioFile: nil)
        let artifacts = try RenewalFiles.artifacts(evaluation, map: spaceMap, maps: maps)
        return RenewalRun(evaluation: evaluation, artifacts: artifacts, asOfYear: year, inputs: inputs)
    }

    /// The one way proposals are read and weighed, for `renewal evaluate` and for a scenario's
    /// renewal events: `include` picks proposals by id (named in `scenarioFile`).
    func evaluateProposals(_ file: URL, include: [String]?, asOfYear year: Int, scenarioFile: String?) throws -> (RenewalEvaluation, [URL]) {
        let rulesFile = try self.file(.renewalRules), listsFile = try self.file(.positiveLists)
        // renewal.json holds the renewal rules and the development controls (density zones, FAR caps).
        let (controls, rules) = try DevelopmentControls.read(rulesFile, alongside: RenewalRules.self)
        let lists = try positiveLists()
        var (proposals, report) = try ProposalReader.read(
            file, district: try districtZone(for: "units"), workingCRS: data.policy.workingCRS, asOfYear: year)
        if let include {
            let known = Set(proposals.map(\.id))
            if let missing = include.first(where: { !known.contains($0) }) {
                throw DataError(
                    file: scenarioFile ?? file.path, problem: "renewal.include names proposal \(missing), which \(file.path) does not have")
            }
            proposals = proposals.filter { include.contains($0.id) }
        }
        if !lists.unknownZoneIDs.isEmpty {
            report.add(
                .warning, layer: "positive lists", file: lists.source, record: nil, id: nil,
                "lists for zones not in this data restrict nothing: \(lists.unknownZoneIDs.joined(separator: ", "))")
        }
        let zoneIDs = Set(data.zones.map(\.id))
        let unmapped = controls.densityZones.keys.filter { !zoneIDs.contains($0) }.sorted()
        if !unmapped.isEmpty {
            report.add(
                .warning, layer: "renewal rules", file: rulesFile.path, record: nil, id: nil,
                "density_zones maps zones not in this data, which place no unit: \(unmapped.joined(separator: ", "))")
        }
        let evaluation = try RenewalEvaluation.evaluate(
            proposals, map: spaceMap, rules: rules, controls: controls, positiveLists: lists, asOfYear: year,
            file: file.path, report: report)
        return (evaluation, [file, rulesFile, listsFile])
    }
}

// MARK: - Land supply

extension Workspace {
    /// Supply scenarios year by year against the targets, side by side.
    public struct SupplyRun: Sendable {
        public let results: [ScenarioResult]
        public let asOfYear: Int
        public let artifacts: [Artifact]
        public let inputs: [URL]
        /// Doubts that do not stop the run: proposals counted that fail their checks, lists for zones the data lack.
        public let warnings: [String]
        /// supply.json's document.
        public let document: SupplyDocument
    }

    public func runSupply(scenarios files: [URL], asOfYear given: Int? = nil, referenceFloorAreaM2: Double) throws -> SupplyRun {
        guard !files.isEmpty else { throw DataError(file: source.name, problem: "give at least one scenario file") }
        _ = try ArgumentError.checking(.referenceFloorArea) { try NumberRule.positive.check(option: $0, referenceFloorAreaM2) }
        let settingsFile = try file(.landSupply)
        let settings = try readConfig(SupplySettings.self, from: settingsFile)
        let year = try asOfYear(given)
        var inputs = files + [settingsFile]
        var warnings: [String] = []
        let results = try files.map { url -> ScenarioResult in
            let scenario = try Scenario.decode(try readConfigJSON(url, what: Scenario.what), file: url.path, settings: settings, asOfYear: year)
            var renewal: RenewalEvaluation?
            if let proposals = scenario.proposals.map({ configPath($0, namedIn: url) }) {
                let (evaluation, read): (RenewalEvaluation, [URL])
                do {
                    (evaluation, read) = try evaluateProposals(
                        proposals, include: scenario.includedProposals, asOfYear: year, scenarioFile: scenario.file)
                } catch let error as DataErrors {
                    throw DataErrors(errors: error.errors + [Self.namedBy(scenario, proposals)])
                } catch let error as DataError where error.file != scenario.file {
                    throw DataErrors(errors: [error, Self.namedBy(scenario, proposals)])
                }
                renewal = evaluation
                inputs += read
                // Counted as proposed: a scenario may model a proposal that breaks a rule, but says so.
                for p in evaluation.proposals where !p.passes {
                    warnings.append(
                        "\(scenario.file): scenario \"\(scenario.name)\" counts proposal \(p.proposal.id), which fails its checks (\(p.failedChecks.map(\.rule).joined(separator: ", ")))"
                    )
                }
                for entry in evaluation.report.entries where entry.kind == .warning && entry.record == nil {
                    warnings.append("\(entry.file): \(entry.problem)")
                }
            }
            return try ScenarioResult.evaluate(scenario, map: spaceMap, settings: settings, asOfYear: year, renewal: renewal)
        }
        warnings = warnings.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let artifacts = SupplyReport.artifacts(
            results, map: spaceMap, settings: settings, asOfYear: year, referenceM2: referenceFloorAreaM2, warnings: warnings)
        let document = SupplyReport.document(
            results, map: spaceMap, settings: settings, asOfYear: year, referenceM2: referenceFloorAreaM2, warnings: warnings)
        return SupplyRun(results: results, asOfYear: year, artifacts: artifacts, inputs: inputs, warnings: warnings, document: document)
    }

    /// Which scenario named a proposal file that cannot be read or fails its checks (its own errors say what).
    static func namedBy(_ scenario: Scenario, _ proposals: URL) -> DataError {
        DataError(file: scenario.file, problem: "renewal.proposals names \(proposals.path): the scenario cannot count it (see above)")
    }
}

// MARK: - Allocation

/// Which solver places the firms: CBC's exact programme, the Lagrangian heuristic, or the
/// exact one up to the rules' `exact_solver.max_firms`.
public enum SolverChoice: String, CaseIterable, Sendable {
    case auto, exact, heuristic
}

extension Workspace {
    public struct AllocationRun: Sendable {
        public let outcome: AllocationOutcome
        public let artifacts: [Artifact]
        public let inputs: [URL]
    }

    public func allocate(
        demand file: URL, solver: SolverChoice = .auto, until: Int? = nil, map: Bool = true,
        progress: (String) -> Void = { _ in }
    ) throws -> AllocationRun {
        if let until { _ = try ArgumentError.checking(.untilYear) { try NumberRule.year.check(option: $0, until) } }
        let rulesFile = try self.file(.allocationRules), listsFile = try self.file(.positiveLists)
        progress("reading the demand")
        let firms = try DemandLoader.load(file, knownZoneIDs: Set(data.zones.map(\.id)))
        let lists = try positiveLists()
        let result = try allocation(of: firms, solver: solver, until: until, progress: progress)
        let outcome = AllocationOutcome(result, map: spaceMap, demandFile: file.relativePath, warnings: [lists.unknownZonesWarning].compactMap { $0 })
        progress("drawing the map")
        let artifacts = try AllocationFiles.artifacts(outcome, map: map)
        return AllocationRun(outcome: outcome, artifacts: artifacts, inputs: [file, rulesFile, listsFile])
    }

    /// Firms placed in the district's vacant space by the allocation's rules and solver
    /// (`allocation.json`, the positive lists, the incubation ladder): the questions' and the
    /// platform's matching rounds' one allocation.
    public func allocation(
        of firms: [FirmDemand], solver: SolverChoice = .auto, until: Int? = nil, progress: (String) -> Void = { _ in }
    ) throws -> AllocationResult {
        let rules = try readConfig(AllocationRules.self, from: try self.file(.allocationRules))
        let lists = try positiveLists()
        let instance = AllocationInstance(firms: firms, carriers: CarrierSupply.from(spaceMap), rules: rules, positiveLists: lists, untilYear: until)
        let useExact = solver == .exact || (solver == .auto && firms.count <= rules.exactMaxFirms)
        let chosen: AllocationSolver = useExact ? ExactSolver(rules, start: HeuristicSolver(rules)) : HeuristicSolver(rules)
        progress("allocating \(firms.count) firms to \(instance.carriers.count) carriers (\(chosen.name))")
        return AllocationResult(instance, try chosen.solve(instance.problem))
    }

    /// A synthetic demand file for this district (tests, benchmarks).
    public func syntheticDemand(firms: Int, seed: UInt64, demandOverVacant: Double?, path: String) throws -> (
        firms: [FirmDemand], vacantM2: Double, artifact: Artifact
    ) {
        _ = try ArgumentError.checking(.syntheticFirms) {
            try NumberRule.whole(ConfigBounds.syntheticFirms, "a whole number", "a number of firms \(NumberRule.words(ConfigBounds.syntheticFirms))")
                .check(option: $0, firms)
        }
        if let r = demandOverVacant { _ = try ArgumentError.checking(.demandOverVacant) { try NumberRule.ratio.check(option: $0, r) } }
        let zones = data.zones.filter { $0.kind != .district }.map(\.id)
        let vacant = data.carriers.reduce(0) { $0 + max(0, $1.vacantM2) }
        let list = SyntheticDemand.firms(
            .init(
                seed: seed, firms: firms, zoneIDs: zones, asOfYear: try asOfYear(),
                totalMinimumM2: demandOverVacant.map { $0 * vacant }))
        return (list, vacant, Artifact(path, text: SyntheticDemand.csv(list)))
    }
}

// MARK: - Build-out capacity and the path to the target

extension Workspace {
    public struct CapacityRun: Sendable {
        public let capacity: CapacityAnalysis
        public let artifacts: [Artifact]
        public let inputs: [URL]
    }

    /// What every parcel could hold under the rules, and what each mode could make of it.
    public func capacity() throws -> CapacityRun {
        let (capacity, inputs) = try buildOutCapacity()
        return CapacityRun(capacity: capacity, artifacts: try CapacityFiles.artifacts(capacity, map: spaceMap), inputs: inputs)
    }

    func buildOutCapacity() throws -> (CapacityAnalysis, [URL]) {
        let rulesFile = try file(.buildOut), renewalFile = try file(.renewalRules)
        let rules = try readConfig(BuildOutRules.self, from: rulesFile)
        let controls = try DevelopmentControls.read(renewalFile, alongside: RenewalRules.self).controls
        return (CapacityAnalysis.of(spaceMap, rules: rules, controls: controls), [rulesFile, renewalFile])
    }

    public struct TargetRun: Sendable {
        public let analysis: TargetAnalysis
        public let report: ValidationReport
        public let artifacts: [Artifact]
        public let inputs: [URL]
    }

    /// The programme of projects that reaches the policy's targets at least cost and
    /// disruption, or comes closest: candidates from the capacity, with the bureau's own from
    /// `candidates`; `budgetYuanPerYear` overrides the rules' yearly budget; `scenarios` (supply
    /// scenario files) are drawn beside it on the chart.
    public func targetProgramme(
        candidates file: URL? = nil, budgetYuanPerYear: Double? = nil, scenarios: [URL] = [],
        progress: (String) -> Void = { _ in }
    ) throws -> TargetRun {
        var (capacity, inputs) = try buildOutCapacity()
        let renewal = try DevelopmentControls.read(try self.file(.renewalRules), alongside: RenewalRules.self).rules
        var candidates = Candidate.generated(capacity, map: spaceMap, modesDisplacingFirms: renewal.modesDisplacingFirms)
        var report = ValidationReport()
        if let file {
            let lists = try positiveLists()
            let json = try readConfigJSON(file, what: "candidate projects")
            (candidates, report) = try Candidate.merged(
                candidates, with: json, file: file.path, map: spaceMap, rules: capacity.rules, positiveLists: lists)
            inputs.append(file)
        }
        var rules = capacity.rules
        if let budget = budgetYuanPerYear {
            guard budget.isFinite, budget >= 0 else {
                throw ArgumentError(argument: .budget, problem: "must be a non-negative number of yuan a year, found \(budget)")
            }
            rules = rules.withBudget(budget)
        }
        let year = dataYear
        let targets = data.policy.milestones.filter { $0.year > year }.map { TargetProblem.Target(year: $0.year, floorAreaM2: $0.floorAreaM2) }
        guard !targets.isEmpty else {
            throw DataError(file: data.policy.source, problem: "no target year after the data's year \(year): nothing to plan for")
        }
        progress("choosing among \(counted(candidates.count, "candidate project"))")
        let problem = TargetProblem(
            candidates: candidates, targets: targets, openingStockM2: spaceMap.total.techSpaceM2, asOfYear: year, rules: rules)
        let analysis = try TargetAnalysis.run(problem)
        var series: [(name: String, points: [(Int, Double)])] = []
        if !scenarios.isEmpty {
            let supply = try runSupply(scenarios: scenarios, referenceFloorAreaM2: 1)
            series = supply.results.map { r in (r.scenario.name, r.years.compactMap { y in y.stockM2.map { (y.year, $0) } }) }
            inputs += supply.inputs
        }
        return TargetRun(
            analysis: analysis, report: report, artifacts: try TargetFiles.artifacts(analysis, map: spaceMap, scenarios: series), inputs: inputs)
    }
}

// MARK: - Synthetic districts

extension Workspace {
    /// The files of a synthetic district, deterministic for a seed.
    public static func syntheticDistrict(seed: UInt64, buildings: Int) throws -> [Artifact] {
        _ = try ArgumentError.checking(.syntheticBuildings) {
            try NumberRule.whole(
                ConfigBounds.syntheticBuildings, "a whole number", "a number of buildings \(NumberRule.words(ConfigBounds.syntheticBuildings))"
            ).check(option: $0, buildings)
        }
        return try SyntheticDistrict.generate(.init(seed: seed, buildings: buildings))
    }
}
