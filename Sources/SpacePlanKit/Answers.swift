import Allocation
import Cartography
import Foundation
import Reports
import SpaceCore
import SpaceData

// Each question's answer as a typed value: the figures its report file holds, with the headlines
// a front end prints. The command line writes the report part as its file; the server answers
// with the whole, serialised the same way (`jsonDocument`), so neither parses the other's bytes.

/// renewal.json, supply.json, target.json, allocation.json and simulation.json, typed.
public typealias RenewalDocument = Reports.RenewalDocument
public typealias SupplyDocument = Reports.SupplyDocument
public typealias TargetDocument = Reports.TargetDocument
public typealias AllocationDocument = Reports.AllocationDocument
public typealias SimulationDocument = Reports.SimulationDocument
/// summary.json, typed: the space map's figures for the district and each zone.
public typealias SpaceMapSummary = Reports.SpaceMapSummary
/// Members of a JSON object under names that are data (zone ids, land uses), in a fixed order.
public typealias OrderedMembers = SpaceCore.OrderedMembers

/// The plan's path of tech-cultivation space and where the data stand on it.
public struct TrajectoryAnswer: Codable, Equatable, Sendable {
    public var asOfYear: Int
    public var stockM2: Double
    public var occupiedM2: Double
    public var baseline: Point
    public var alternativeBaselines: [Point]
    public var milestones: [Milestone]
    public var source: String

    enum CodingKeys: String, CodingKey {
        case asOfYear = "as_of_year", stockM2 = "stock_m2", occupiedM2 = "occupied_m2", baseline, alternativeBaselines = "alternative_baselines"
        case milestones, source
    }

    public typealias Point = SpaceMapSummary.PlanPoint
    public typealias Milestone = SpaceMapSummary.Progress
}

public struct RenewalAnswer: Codable, Equatable, Sendable {
    public var headlines: [String]
    public var renewal: RenewalDocument
}

public struct SupplyAnswer: Codable, Equatable, Sendable {
    public var headlines: [String]
    public var supply: SupplyDocument
}

public struct TargetAnswer: Codable, Equatable, Sendable {
    public var headlines: [String]
    public var target: TargetDocument
    /// The rules' supply modes with their labels and the colours target-sites.svg gives them.
    public var modes: [Mode]

    public struct Mode: Codable, Equatable, Sendable {
        public var id: String
        public var label: String
        public var colour: String
    }
}

public struct SimulationAnswer: Codable, Equatable, Sendable {
    public var headlines: [String]
    public var simulation: SimulationDocument
}

/// allocation.json's figures, and each firm placed or not and each carrier let to.
public struct AllocationAnswer: Codable, Equatable, Sendable {
    public var headlines: [String]
    public var allocation: AllocationDocument
    public var placed: [PlacedFirm]
    /// The carriers let to.
    public var carriers: [LetCarrier]
    public var unplaced: [UnplacedFirm]

    public struct PlacedFirm: Codable, Equatable, Sendable {
        public var firmID: String
        public var firmName: String
        public var sector: String
        public var stage: String
        public var carrierID: String
        public var areaM2: Double
        public var inPreferredZone: Bool
        enum CodingKeys: String, CodingKey {
            case firmID = "firm_id", firmName = "firm_name", sector, stage, carrierID = "carrier_id", areaM2 = "area_m2"
            case inPreferredZone = "in_preferred_zone"
        }
    }

    public struct LetCarrier: Codable, Equatable, Sendable {
        public var carrierID: String
        public var name: String
        public var allocatedM2: Double
        public var firms: Int
        public var vacantBeforeM2: Double
        public var vacantAfterM2: Double
        enum CodingKeys: String, CodingKey {
            case carrierID = "carrier_id", name, allocatedM2 = "allocated_m2", firms, vacantBeforeM2 = "vacant_before_m2"
            case vacantAfterM2 = "vacant_after_m2"
        }
    }

    public struct UnplacedFirm: Codable, Equatable, Sendable {
        public var firmID: String
        public var firmName: String
        public var sector: String
        public var stage: String
        public var minM2: Double
        /// `UnplacedReason`'s code, and the reason in words with its detail.
        public var reason: String
        public var detail: String
        enum CodingKeys: String, CodingKey { case firmID = "firm_id", firmName = "firm_name", sector, stage, minM2 = "min_m2", reason, detail }
    }
}

extension Workspace {
    /// The space map's headline figures.
    public var headlines: [String] { Headlines.spaceMap(spaceMap) }

    /// The plan's path of tech-cultivation space and where the data stand on it.
    public var trajectory: TrajectoryAnswer {
        let map = spaceMap, plan = SpaceMapSummary.Targets(map)
        return TrajectoryAnswer(
            asOfYear: dataYear, stockM2: rounded(map.total.techSpaceM2, decimals: 2), occupiedM2: rounded(map.total.techOccupiedM2, decimals: 2),
            baseline: plan.baseline, alternativeBaselines: plan.alternativeBaselines, milestones: plan.progress, source: plan.source)
    }

    /// Checks a demand file as `allocate` will read it, so that a bad upload is refused at once.
    public func checkDemand(_ file: URL) throws {
        _ = try DemandLoader.load(file, knownZoneIDs: Set(data.zones.map(\.id)))
    }
}

extension Workspace.RenewalRun {
    public var headlines: [String] { Headlines.renewal(evaluation, asOfYear: asOfYear) }
}

extension Workspace {
    public func answer(_ run: RenewalRun) -> RenewalAnswer {
        RenewalAnswer(headlines: run.headlines, renewal: RenewalReport.document(run.evaluation, map: spaceMap))
    }

    /// Supply's headline figures, with the run's warnings when asked.
    public func headlines(_ run: SupplyRun, warnings: Bool = false) -> [String] {
        Headlines.supply(run.results, map: spaceMap, asOfYear: run.asOfYear, warnings: warnings ? run.warnings : [])
    }

    public func answer(_ run: SupplyRun) -> SupplyAnswer { SupplyAnswer(headlines: headlines(run), supply: run.document) }

    public func answer(_ run: TargetRun) -> TargetAnswer {
        let modes = run.analysis.programme.problem.rules.modes.enumerated().map { k, mode in
            TargetAnswer.Mode(id: mode.id, label: mode.label, colour: Palette.categorical[k % Palette.categorical.count])
        }
        return TargetAnswer(headlines: run.headlines, target: TargetFiles.document(run.analysis, map: spaceMap), modes: modes)
    }
}

extension Workspace.AllocationRun {
    public var headlines: [String] { Headlines.allocation(outcome) }

    public var answer: AllocationAnswer {
        let result = outcome.result, instance = result.instance
        func m2(_ x: Double) -> Double { rounded(x, decimals: 1) }
        return AllocationAnswer(
            headlines: headlines, allocation: AllocationReport(outcome).document,
            placed: result.assignments.map { a in
                let firm = instance.firms[a.firm]
                return .init(
                    firmID: firm.id, firmName: firm.name, sector: firm.sector, stage: firm.stage.rawValue, carrierID: instance.carriers[a.carrier].id,
                    areaM2: m2(a.areaM2), inPreferredZone: a.inPreferredZone)
            },
            carriers: result.carrierUse.filter { $0.allocatedM2 > 0 }.map { u in
                .init(
                    carrierID: instance.carriers[u.carrier].id, name: instance.carriers[u.carrier].name, allocatedM2: m2(u.allocatedM2), firms: u.firms,
                    vacantBeforeM2: m2(u.vacantBeforeM2), vacantAfterM2: m2(u.vacantAfterM2))
            },
            unplaced: result.unplaced.map { u in
                let firm = instance.firms[u.firm]
                return .init(
                    firmID: firm.id, firmName: firm.name, sector: firm.sector, stage: firm.stage.rawValue, minM2: m2(firm.minM2),
                    reason: u.reason.rawValue, detail: u.detail.isEmpty ? u.reason.label : "\(u.reason.label): \(u.detail)")
            })
    }
}

extension Workspace.TargetRun {
    public var headlines: [String] { Headlines.target(analysis) }
}

extension Workspace.CapacityRun {
    public var headlines: [String] { Headlines.capacity(capacity) }
}

/// What `inspect` finds in a folder of bureau files: a table to print, a draft layers.json and the files read.
public enum BureauFiles {
    public static func inspect(_ urls: [URL], name: String, folder: URL) throws -> (table: String, draft: String, files: [URL]) {
        let layers = try Inspection.inspect(urls)
        return (DraftManifest.table(layers), DraftManifest.json(layers, name: name, folder: folder), layers.map(\.file))
    }
}

/// The inputs a data folder ships beside its layers: renewal proposals, supply scenarios and demand files.
public struct ShippedInputs: Sendable {
    public let proposals: URL?
    public let scenarios: [URL]
    public let demand: [URL]
}

extension Workspace {
    /// What the data folder ships: proposals.geojson, scenarios/*.json, demand*.csv|json.
    public var shippedInputs: ShippedInputs {
        let folder = URL(fileURLWithPath: source.name)
        let files = FileManager.default
        let proposals = folder.appendingPathComponent("proposals.geojson")
        let scenarios = folder.appendingPathComponent("scenarios")
        let names = (try? files.contentsOfDirectory(atPath: folder.path)) ?? []
        return ShippedInputs(
            proposals: files.fileExists(atPath: proposals.path) ? proposals : nil,
            scenarios: ((try? files.contentsOfDirectory(atPath: scenarios.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
                .map { scenarios.appendingPathComponent($0) },
            demand: names.filter { $0.hasPrefix("demand") && ($0.hasSuffix(".csv") || $0.hasSuffix(".json")) }.sorted()
                .map { folder.appendingPathComponent($0) })
    }

    /// A shipped scenario's document, or an error naming the file.
    public func scenarioDocument(_ file: URL) throws -> JSONValue {
        try readConfigJSON(file, what: "scenario")
    }
}
