import Allocation
import Foundation
import Ladder
import LandSupply
import Reports
import SpaceCore
import SpaceData
import SpaceStore

extension Workspace {
    public struct SimulationRun: Sendable {
        public let summary: SimulationSummary
        public let runs: [[LadderYear]]
        public let start: LadderStart
        public let artifacts: [Artifact]
        public let inputs: [URL]
        public let seconds: Double
        public let target: FirmTarget?
        public let seed: UInt64
    }

    /// The year a simulation starts from: a store's day when given, else the year of its last
    /// change; the data's year for files (and a store without changes).
    func simulationStartYear() -> Int {
        if let source = source as? StoreSource {
            if let day = source.asOfDate, let year = Int(day.prefix(4)) { return year }
            let zone = source.snapshot.meta.timeZone
            if source.snapshot.lastChange > 0, let last = try? source.store.changes(afterSeq: source.snapshot.lastChange - 1).first,
                let year = Int(StoreClock.local(last.at, timeZone: zone).prefix(4))
            {
                return year
            }
        }
        return dataYear
    }

    /// The carriers and their tenants as the simulation starts: a store's recorded tenants
    /// (`carrier_id`); where none is recorded (files, a store without move-ins), the firms
    /// placed in each carrier's buildings (by id) as long as they fit its occupied area. The rest
    /// of its occupied area is others' and stays as it is.
    func ladderStart(settings: SimulationSettings) -> LadderStart {
        let supply = CarrierSupply.from(spaceMap)
        let index = Dictionary(supply.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var recorded: [String: String] = [:]
        if let source = source as? StoreSource {
            for row in source.snapshot.rows[StoreLayer.enterprises.name] ?? [] {
                if let carrier = row["carrier_id"].string, !carrier.isEmpty { recorded[row.id] = carrier }
            }
        }
        var tenantArea = [Double](repeating: 0, count: supply.count)
        var firms: [LadderFirm] = []
        var placed = Set<String>()
        func place(_ e: Enterprise, _ c: Int) {
            let stage = settings.stageOfCarrierType[supply[c].type] ?? .startUp
            firms.append(LadderFirm(id: e.id, sector: e.sector, stage: stage, areaM2: e.floorAreaM2, carrier: c, highTech: e.flags.contains("national_high_tech")))
            tenantArea[c] += e.floorAreaM2
            placed.insert(e.id)
        }
        for e in data.enterprises { if let carrier = recorded[e.id], let c = index[carrier] { place(e, c) } }
        var firmsInBuilding: [Int: [Int]] = [:]
        for (k, match) in spaceMap.enterpriseBuilding.enumerated() { if let b = match.building { firmsInBuilding[b, default: []].append(k) } }
        // Where the data record tenancy (a store whose firms moved in), the recorded tenants are
        // the ladder; the rest of each carrier's occupied area is others' and stays.
        for (c, carrier) in supply.enumerated() where recorded.isEmpty {
            let candidates = spaceMap.carrierBuildings[c].flatMap { firmsInBuilding[$0] ?? [] }.map { data.enterprises[$0] }.sorted { $0.id < $1.id }
            for e in candidates where !placed.contains(e.id) && e.floorAreaM2 > 0 && tenantArea[c] + e.floorAreaM2 <= carrier.occupiedM2 { place(e, c) }
        }
        let carriers = supply.enumerated().map { c, s in
            LadderCarrier(
                id: s.id, type: s.type, zoneIDs: s.zoneIDs, floorAreaM2: s.floorAreaM2, otherOccupiedM2: max(0, s.occupiedM2 - tenantArea[c]),
                unitM2: s.unitM2, rentYuanPerM2Month: s.rentYuanPerM2Month, sectorShares: s.sectorShares)
        }
        var sectors: [String: Double] = [:]
        for f in firms { sectors[f.sector, default: 0] += 1 }
        if sectors.isEmpty { for e in data.enterprises { sectors[e.sector, default: 0] += 1 } }
        let highTech = data.enterprises.filter { !placed.contains($0.id) && $0.flags.contains("national_high_tech") }.count
        return LadderStart(
            year: simulationStartYear(), carriers: carriers, firms: firms.sorted { $0.id < $1.id },
            arrivalSectors: sectors.keys.sorted().map { ($0, sectors[$0]!) }, highTechElsewhere: highTech)
    }

    /// Firms up the ladder to `toYear`, `runs` times from `seed`, with the space a supply
    /// `scenario` (or a target programme's folder, its target-scenario.json) delivers.
    public func simulate(
        toYear: Int, runs: Int, seed: UInt64, scenario: URL? = nil, programme: URL? = nil, progress: @escaping (String) -> Void = { _ in }
    ) throws -> SimulationRun {
        guard runs >= 1, runs <= 100_000 else { throw ArgumentError(argument: .runs, problem: "must be a whole number from 1 to 100000, found \(runs)") }
        let settingsFile = try file(.simulation), rulesFile = try file(.allocationRules)
        let settings = try readConfig(SimulationSettings.self, from: settingsFile)
        let rules = try readConfig(AllocationRules.self, from: rulesFile)
        let lists = try positiveLists()
        let start = ladderStart(settings: settings)
        guard toYear > start.year else {
            throw ArgumentError(argument: .toYear, problem: "\(toYear) is not after the year the simulation starts from, \(start.year)")
        }
        var inputs = [settingsFile, rulesFile]
        var deliveries: [Delivery] = []
        let chosen = try programme.map { folder -> URL in
            let file = folder.appendingPathComponent("target-scenario.json")
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw ArgumentError(argument: .scenario, problem: "\(folder.path) holds no target-scenario.json: give the output folder of `spaceplan target`")
            }
            return file
        } ?? scenario.map { try resolve($0) }
        if let chosen {
            // A store's later day starts after some of the scenario's events: those are in the
            // store already, and only the years after the start are added.
            let supply = try runSupply(scenarios: [chosen], asOfYear: min(start.year, dataYear), referenceFloorAreaM2: 1)
            inputs += supply.inputs
            for change in supply.results.first?.changes ?? [] where change.addedM2 > 0 && change.year > start.year && change.year <= toYear {
                deliveries.append(Delivery(year: change.year, floorAreaM2: change.addedM2, zoneIDs: [], label: change.event))
            }
        }
        let simulation = LadderSimulation(
            start: start, settings: settings, rules: rules, positiveLists: lists, deliveries: deliveries, toYear: toYear,
            districtZoneID: data.zones.first { $0.kind == .district }?.id)
        progress("simulating \(counted(runs, "run")) of \(toYear - start.year) years")
        let began = Date()
        let results = try ParallelMap.map(0..<runs, chunk: 1) { run in try simulation.run(seed: seed, run: run) }
        let seconds = Date().timeIntervalSince(began)
        let summary = SimulationSummary(runs: results, settings: settings)
        let target = try FirmTarget.nationalHighTech(policy: try readConfigJSON(try file(.policy), what: "policy configuration"), source: data.policy.source)
        let artifacts = SimulationFiles.artifacts(
            summary, runs: results, start: start, settings: settings, target: target, district: districtLabel, seed: seed,
            supply: chosen?.lastPathComponent, zones: data.zones)
        return SimulationRun(
            summary: summary, runs: results, start: start, artifacts: artifacts, inputs: inputs, seconds: seconds, target: target, seed: seed)
    }
}

extension Workspace {
    /// What the command line and the page say first about a simulation.
    public func headlines(_ run: SimulationRun) -> [String] {
        let s = run.summary
        guard let first = s.years.first, let last = s.years.last else { return ["nothing to simulate"] }
        var lines = ["\(counted(s.runs, "run")), \(first.year)–\(last.year), in \(formatFixed(run.seconds, 1)) s (placing firms by the allocation took \(formatFixed(s.allocationSeconds, 1)) CPU s over all cores)"]
        if s.jams.isEmpty {
            lines.append("the ladder does not jam")
        } else {
            let firsts = Dictionary(grouping: s.jams, by: \.stage).map { ($0.key, $0.value.map(\.year).min()!) }.sorted { $0.1 < $1.1 }
            lines.append("the ladder jams: " + firsts.map { "\($0.0.rawValue) from \($0.1)" }.joined(separator: ", "))
        }
        let housed = run.runs.map { Double($0.reduce(0) { $0 + $1.graduatesHoused }) }.sorted()
        let lost = run.runs.map { Double($0.reduce(0) { $0 + $1.graduatesLost }) }.sorted()
        lines.append(
            "graduates kept in the district: \(grouped(Ladder.percentile(housed, 0.5))) (P50), lost for lack of space: \(grouped(Ladder.percentile(lost, 0.5)))")
        return lines
    }
}

extension Workspace {
    /// The simulation's headlines and simulation.json's content.
    public func answer(_ run: SimulationRun) -> SimulationAnswer {
        SimulationAnswer(
            headlines: headlines(run),
            simulation: SimulationFiles.document(run.summary, runs: run.runs, start: run.start, target: run.target, seed: run.seed))
    }
}
