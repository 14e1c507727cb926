import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// How firms are placed, read from `GIS/config/allocation.json`, where each entry says where it
/// comes from. No value has a default in code.
public struct AllocationRules: ConfigDocument {
    /// Stage → carrier types a firm at that stage may be placed in.
    public let stageCarriers: [FirmStage: Set<CarrierType>]
    public let basePriority: Double
    public let flagPriority: [String: Double]
    public let preferredZoneBonus: Double
    public let sectorClusterBonus: Double
    /// Worth of a m² above a firm's minimum, as a share of a m² of minimum.
    public let areaAboveMinimumWeight: Double
    public let exactMaxFirms: Int
    public let exactTimeLimitS: Double
    public let boundIterations: Int
    public let localSearchPasses: Int
    /// How many of a firm's options (best first at the bound's prices) the heuristic searches.
    public let candidateOptions: Int
    /// Up to this many firms the heuristic improves every greedy start by local search.
    public let searchEveryStartUpToFirms: Int
    public let source: String

    public init(
        stageCarriers: [FirmStage: Set<CarrierType>], basePriority: Double, flagPriority: [String: Double],
        preferredZoneBonus: Double, sectorClusterBonus: Double, areaAboveMinimumWeight: Double,
        exactMaxFirms: Int, exactTimeLimitS: Double, boundIterations: Int, localSearchPasses: Int, candidateOptions: Int,
        searchEveryStartUpToFirms: Int, source: String
    ) {
        self.stageCarriers = stageCarriers; self.basePriority = basePriority; self.flagPriority = flagPriority
        self.preferredZoneBonus = preferredZoneBonus; self.sectorClusterBonus = sectorClusterBonus
        self.areaAboveMinimumWeight = areaAboveMinimumWeight; self.exactMaxFirms = exactMaxFirms
        self.exactTimeLimitS = exactTimeLimitS; self.boundIterations = boundIterations
        self.localSearchPasses = localSearchPasses; self.candidateOptions = candidateOptions
        self.searchEveryStartUpToFirms = searchEveryStartUpToFirms; self.source = source
    }

    /// The priority of a firm with these kind flags, when the demand file gives none.
    public func priority(flags: [String]) -> Double {
        flags.reduce(basePriority) { $0 + (flagPriority[$1] ?? 0) }
    }

    public static var what: String { "allocation rules" }

    public static func decode(_ json: JSONValue, source: String) throws -> AllocationRules {
        let file = try decodeConfig(AllocationFile.self, from: json, file: source)
        let exact = file.exactSolver.value, heuristic = file.heuristic.value
        return AllocationRules(
            stageCarriers: file.stages.value.byKey.mapValues { Set($0.map(\.value)) },
            basePriority: file.priority.value.base.value,
            flagPriority: Dictionary(uniqueKeysWithValues: file.priority.value.flags.byKey.map { ($0.name, $1.value) }),
            preferredZoneBonus: file.fit.value.preferredZone.value,
            sectorClusterBonus: file.fit.value.sectorCluster.value,
            areaAboveMinimumWeight: file.areaAboveMinimumWeight.value.value,
            exactMaxFirms: exact.maxFirms.value, exactTimeLimitS: exact.timeLimitS.value,
            boundIterations: heuristic.boundIterations.value, localSearchPasses: heuristic.localSearchPasses.value,
            candidateOptions: max(1, heuristic.candidateOptions.value),
            searchEveryStartUpToFirms: heuristic.searchEveryStartUpToFirms.value,
            source: source)
    }
}

/// allocation.json as written: each entry `{"value": …, "source": …}`, checked as it decodes.
private struct AllocationFile: Decodable {
    /// Stage → carrier types; every stage needs an entry.
    let stages: ConfigEntry<Config.EveryKey<FirmStage, [Config.Known<CarrierType>]>>
    let priority: ConfigEntry<Priority>
    let fit: ConfigEntry<Fit>
    let areaAboveMinimumWeight: ConfigEntry<Config.Share>
    let splitFirms: ConfigEntry<NoSplitting>
    let exactSolver: ConfigEntry<ExactSolver>
    let heuristic: ConfigEntry<Heuristic>

    enum CodingKeys: String, CodingKey {
        case stages, priority, fit
        case areaAboveMinimumWeight = "area_above_minimum_weight"
        case splitFirms = "split_firms"
        case exactSolver = "exact_solver"
        case heuristic
    }

    // Weights are bounded (Config.Weight): the objective sums them times m², and 1e300 would swamp it.
    struct Priority: Decodable {
        let base: Config.Weight
        let flags: Config.KnownKeys<Config.EnterpriseFlag, Config.Weight>
    }

    struct Fit: Decodable {
        let preferredZone: Config.Weight
        let sectorCluster: Config.Weight
        enum CodingKeys: String, CodingKey {
            case preferredZone = "preferred_zone"
            case sectorCluster = "sector_cluster"
        }
    }

    /// Splitting a firm across carriers is not modelled: only false is accepted.
    struct NoSplitting: Decodable {
        init(from decoder: any Decoder) throws {
            guard try decoder.singleValueContainer().decode(Bool.self) == false else {
                throw ConfigRule.problem("splitting a firm across carriers is not modelled; set it to false")
            }
        }
    }

    struct ExactSolver: Decodable {
        let maxFirms: Config.Count
        let timeLimitS: Config.SolverSeconds
        enum CodingKeys: String, CodingKey {
            case maxFirms = "max_firms"
            case timeLimitS = "time_limit_s"
        }
    }

    struct Heuristic: Decodable {
        // Bounded (Config.SolverSteps): a slip of 1e9 iterations would run for days, not fail.
        let boundIterations: Config.SolverSteps
        let localSearchPasses: Config.SolverSteps
        let candidateOptions: Config.SolverSteps
        let searchEveryStartUpToFirms: Config.Count
        enum CodingKeys: String, CodingKey {
            case boundIterations = "bound_iterations"
            case localSearchPasses = "local_search_passes"
            case candidateOptions = "candidate_options"
            case searchEveryStartUpToFirms = "search_every_start_up_to_firms"
        }
    }
}
