import Foundation
import SpaceData
import SpaceGeometry

/// How firms are placed, read from `GIS/config/allocation.json`, where each entry says where it
/// comes from. No value has a default in code.
public struct AllocationRules: Sendable {
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

    public init(stageCarriers: [FirmStage: Set<CarrierType>], basePriority: Double, flagPriority: [String: Double],
                preferredZoneBonus: Double, sectorClusterBonus: Double, areaAboveMinimumWeight: Double,
                exactMaxFirms: Int, exactTimeLimitS: Double, boundIterations: Int, localSearchPasses: Int, candidateOptions: Int, searchEveryStartUpToFirms: Int, source: String) {
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

    public static func load(_ url: URL) throws -> AllocationRules {
        let file = url.path
        let json = try readConfigJSON(url, what: "allocation rules")
        func fail(_ problem: String) -> DataError { DataError(file: file, problem: problem) }
        func value(_ key: String) throws -> JSONValue {
            guard let entry = json[key] else { throw fail("missing entry \"\(key)\"") }
            guard let v = entry["value"] else { throw fail("entry \"\(key)\" has no \"value\"") }
            return v
        }
        func number(_ v: JSONValue?, _ path: String, max: Double = .infinity) throws -> Double {
            guard let n = v?.numberValue, n.isFinite, n >= 0, n <= max else {
                throw fail("\(path) must be a number from 0 to \(max == .infinity ? "any" : formatFixed(max, 0))")
            }
            return n
        }

        guard let stages = try value("stages").objectValue else { throw fail("stages.value must map stages to carrier types") }
        var stageCarriers: [FirmStage: Set<CarrierType>] = [:]
        for (name, types) in stages.members {
            guard let stage = FirmStage(rawValue: name) else {
                throw fail("stages: unknown stage \"\(name)\" (known: \(FirmStage.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let list = types.arrayValue?.compactMap(\.stringValue) else { throw fail("stages.\(name) must be a list of carrier types") }
            stageCarriers[stage] = Set(try list.map { t in
                guard let type = CarrierType(rawValue: t) else { throw fail("stages.\(name): unknown carrier type \"\(t)\"") }
                return type
            })
        }
        if let missing = FirmStage.allCases.first(where: { stageCarriers[$0] == nil }) {
            throw fail("stages has no entry for \"\(missing.rawValue)\"")
        }

        let priority = try value("priority")
        let basePriority = try number(priority["base"], "priority.base")
        guard let flags = priority["flags"]?.objectValue else { throw fail("priority.flags must map kind flags to weights") }
        var flagPriority: [String: Double] = [:]
        for (flag, weight) in flags.members {
            guard Vocabulary.enterpriseFlags.contains(flag) else {
                throw fail("priority.flags: unknown flag \"\(flag)\" (known: \(Vocabulary.enterpriseFlags.joined(separator: ", ")))")
            }
            flagPriority[flag] = try number(weight, "priority.flags.\(flag)")
        }
        let fit = try value("fit")
        guard try value("split_firms").boolValue == false else {
            throw fail("split_firms: splitting a firm across carriers is not modelled; set it to false")
        }
        let exact = try value("exact_solver")
        let heuristic = try value("heuristic")
        return AllocationRules(
            stageCarriers: stageCarriers, basePriority: basePriority, flagPriority: flagPriority,
            preferredZoneBonus: try number(fit["preferred_zone"], "fit.preferred_zone"),
            sectorClusterBonus: try number(fit["sector_cluster"], "fit.sector_cluster"),
            areaAboveMinimumWeight: try number(try value("area_above_minimum_weight"), "area_above_minimum_weight", max: 1),
            exactMaxFirms: Int(try number(exact["max_firms"], "exact_solver.max_firms")),
            exactTimeLimitS: try number(exact["time_limit_s"], "exact_solver.time_limit_s"),
            boundIterations: Int(try number(heuristic["bound_iterations"], "heuristic.bound_iterations")),
            localSearchPasses: Int(try number(heuristic["local_search_passes"], "heuristic.local_search_passes")),
            candidateOptions: max(1, Int(try number(heuristic["candidate_options"], "heuristic.candidate_options"))),
            searchEveryStartUpToFirms: Int(try number(heuristic["search_every_start_up_to_firms"], "heuristic.search_every_start_up_to_firms")),
            source: file)
    }
}
