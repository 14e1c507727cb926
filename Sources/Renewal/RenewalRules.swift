import Foundation
import SpaceData
import SpaceGeometry

/// The four renewal modes of the domain brief.
public enum RenewalMode: String, Sendable, CaseIterable {
    case comprehensiveRemediation = "comprehensive_remediation"
    case functionChange = "function_change"
    case demolitionRebuild = "demolition_rebuild"
    case microRenewal = "micro_renewal"
}

/// Rules and scoring for renewal proposals, read from `GIS/config/renewal.json`, where each
/// entry says where it comes from. No value has a default in code.
public struct RenewalRules: Sendable {
    public struct ModeRule: Sendable {
        public let label: String
        public let demolishes: Bool
        public let displacesFirms: Bool
    }

    public struct Ranking: Sendable {
        public let targetYear: Int
        public let techSpaceWeight: Double
        public let governmentHousingWeight: Double
        public let displacementFloorM2: Double
        public let noncompliantLast: Bool
    }

    /// Zone id → density zone, and the zone of places in no mapped zone.
    public let densityZones: [String: String]
    public let defaultDensityZone: String
    /// Land-use class (M, W, C…) → density zone → FAR cap.
    public let farCaps: [String: [String: Double]]
    public let minimumIndustrialShare: Double
    /// Mode → minimum share of new industrial floor area handed to the government.
    public let minimumHandoverShare: [RenewalMode: Double]
    public let modes: [RenewalMode: ModeRule]
    public let buildingOverlapTolerance: Double
    public let rehousingRadiusM: Double
    public let ranking: Ranking
    public let source: String

    /// Each entry's "source" text, for the report's rule column.
    public let sources: [String: String]

    public static func load(_ url: URL) throws -> RenewalRules {
        let file = url.path
        let json = try readConfigJSON(url, what: "renewal rules")
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
        func object(_ v: JSONValue?, _ path: String) throws -> JSONObject {
            guard let o = v?.objectValue else { throw fail("\(path) must be an object") }
            return o
        }

        let density = try object(try value("density_zones"), "density_zones.value")
        guard let defaultZone = density["default"]?.stringValue else { throw fail("density_zones.value needs a \"default\" zone") }
        var densityZones: [String: String] = [:]
        for (zone, dz) in try object(density["zones"], "density_zones.value.zones").members {
            guard let name = dz.stringValue else { throw fail("density_zones.value.zones.\(zone) must be a density-zone name") }
            densityZones[zone] = name
        }
        var farCaps: [String: [String: Double]] = [:]
        for (landClass, caps) in try object(try value("far_caps"), "far_caps.value").members {
            var byZone: [String: Double] = [:]
            for (zone, cap) in try object(caps, "far_caps.value.\(landClass)").members {
                byZone[zone] = try number(cap, "far_caps.value.\(landClass).\(zone)")
            }
            farCaps[landClass] = byZone
        }
        var handover: [RenewalMode: Double] = [:]
        for (name, share) in try object(try value("minimum_handover_share"), "minimum_handover_share.value").members {
            guard let mode = RenewalMode(rawValue: name) else { throw fail("minimum_handover_share: unknown mode \"\(name)\"") }
            handover[mode] = try number(share, "minimum_handover_share.value.\(name)", max: 1)
        }
        var modes: [RenewalMode: ModeRule] = [:]
        for (name, rule) in try object(try value("modes"), "modes.value").members {
            guard let mode = RenewalMode(rawValue: name) else { throw fail("modes: unknown mode \"\(name)\"") }
            guard let demolishes = rule["demolishes"]?.boolValue, let displaces = rule["displaces_firms"]?.boolValue else {
                throw fail("modes.value.\(name) needs demolishes and displaces_firms (true or false)")
            }
            modes[mode] = ModeRule(label: rule["label"]?.stringValue ?? name, demolishes: demolishes, displacesFirms: displaces)
        }
        if let missing = RenewalMode.allCases.first(where: { modes[$0] == nil }) { throw fail("modes.value has no entry for \(missing.rawValue)") }
        let ranking = try object(try value("ranking"), "ranking.value")
        guard let targetYear = ranking["target_year"]?.numberValue, let noncompliantLast = ranking["noncompliant_last"]?.boolValue else {
            throw fail("ranking.value needs target_year and noncompliant_last")
        }
        var sources: [String: String] = [:]
        for (key, entry) in json.objectValue?.members ?? [] { if let s = entry["source"]?.stringValue { sources[key] = s } }

        return RenewalRules(
            densityZones: densityZones, defaultDensityZone: defaultZone, farCaps: farCaps,
            minimumIndustrialShare: try number(try value("minimum_industrial_share"), "minimum_industrial_share.value", max: 1),
            minimumHandoverShare: handover, modes: modes,
            buildingOverlapTolerance: try number(try value("building_overlap_tolerance"), "building_overlap_tolerance.value", max: 1),
            rehousingRadiusM: try number(try value("rehousing_radius_m"), "rehousing_radius_m.value"),
            ranking: Ranking(
                targetYear: Int(targetYear),
                techSpaceWeight: try number(ranking["tech_space_weight"], "ranking.value.tech_space_weight"),
                governmentHousingWeight: try number(ranking["government_housing_weight"], "ranking.value.government_housing_weight"),
                displacementFloorM2: try number(ranking["displacement_floor_m2"], "ranking.value.displacement_floor_m2"),
                noncompliantLast: noncompliantLast),
            source: file, sources: sources)
    }

    /// The density zone of a place lying in `zoneIDs`: the mapped zone with the strictest caps
    /// (lowest FAR cap for `landClass`), else the default.
    public func densityZone(of zoneIDs: [String], landClass: String) -> String {
        let mapped = zoneIDs.compactMap { densityZones[$0] }
        guard !mapped.isEmpty else { return defaultDensityZone }
        return mapped.min { (farCaps[landClass]?[$0] ?? .infinity, $0) < (farCaps[landClass]?[$1] ?? .infinity, $1) }!
    }
}
