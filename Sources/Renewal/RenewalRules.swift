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
        let json = try readConfigJSON(url, what: "renewal rules")
        let file = try decodeConfig(RenewalFile.self, from: json, file: url.path)
        try checkDensityZones(file, url.path)
        let ranking = file.ranking.value
        return RenewalRules(
            densityZones: file.densityZones.value.zones, defaultDensityZone: file.densityZones.value.default,
            farCaps: Dictionary(uniqueKeysWithValues: file.farCaps.value.byKey.map { ($0.name, $1.mapValues(\.value)) }),
            minimumIndustrialShare: file.minimumIndustrialShare.value.value,
            minimumHandoverShare: file.minimumHandoverShare.value.byKey.mapValues(\.value),
            modes: file.modes.value.byKey.mapValues { ModeRule(label: $0.label, demolishes: $0.demolishes, displacesFirms: $0.displacesFirms) },
            buildingOverlapTolerance: file.buildingOverlapTolerance.value.value,
            rehousingRadiusM: file.rehousingRadiusM.value.value,
            ranking: Ranking(
                targetYear: ranking.targetYear.value, techSpaceWeight: ranking.techSpaceWeight.value,
                governmentHousingWeight: ranking.governmentHousingWeight.value, displacementFloorM2: ranking.displacementFloorM2.value,
                noncompliantLast: ranking.noncompliantLast),
            source: url.path, sources: try decodeConfig(ConfigSources.self, from: json, file: url.path).byEntry)
    }

    /// Every density zone that density_zones names must have a FAR cap for every land-use class
    /// of far_caps: a unit in a zone without one would have its FAR checked against nothing.
    private static func checkDensityZones(_ file: RenewalFile, _ path: String) throws {
        let named = [("density_zones.value.default", file.densityZones.value.default)]
            + file.densityZones.value.zones.sorted { $0.key < $1.key }.map { ("density_zones.value.zones.\($0.key)", $0.value) }
        var errors: [DataError] = []
        if file.farCaps.value.byKey.isEmpty { errors.append(DataError(file: path, problem: "far_caps.value is empty: no unit's FAR could be checked")) }
        let caps = file.farCaps.value.byKey.map { (landClass: $0.key.name, zones: Set($0.value.keys)) }.sorted { $0.landClass < $1.landClass }
        let known = caps.reduce(into: Set<String>()) { $0.formUnion($1.zones) }.sorted()
        var reported: Set<String> = []
        for (key, zone) in named where reported.insert(zone).inserted {
            let lacking = caps.filter { !$0.zones.contains(zone) }.map(\.landClass)
            if lacking.isEmpty { continue }
            let which = lacking.count == caps.count ? "which far_caps does not know (it knows \(known.joined(separator: ", ")))"
                : "for which far_caps.value has no cap for \(lacking.joined(separator: ", "))"
            errors.append(DataError(file: path, problem: "\(key) names density zone \"\(zone)\", \(which)"))
        }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
    }

    /// The density zone of a place lying in `zoneIDs`: the mapped zone with the strictest caps
    /// (lowest FAR cap for `landClass`), else the default.
    public func densityZone(of zoneIDs: [String], landClass: String) -> String {
        let mapped = zoneIDs.compactMap { densityZones[$0] }
        guard !mapped.isEmpty else { return defaultDensityZone }
        return mapped.min { (farCaps[landClass]?[$0] ?? .infinity, $0) < (farCaps[landClass]?[$1] ?? .infinity, $1) }!
    }
}

extension RenewalMode: ConfigVocabulary {
    public static var noun: String { "renewal mode" }
}

/// renewal.json as written: each entry `{"value": …, "source": …}`, checked as it decodes.
private struct RenewalFile: Decodable {
    let densityZones: ConfigEntry<DensityZones>
    /// Land-use class → density zone → FAR cap.
    let farCaps: ConfigEntry<Config.KnownKeys<LandUseClass, [String: Config.NonNegative]>>
    let minimumIndustrialShare: ConfigEntry<Config.Share>
    let minimumHandoverShare: ConfigEntry<Config.KnownKeys<RenewalMode, Config.Share>>
    let modes: ConfigEntry<Config.EveryKey<RenewalMode, ModeEntry>>
    let buildingOverlapTolerance: ConfigEntry<Config.Share>
    let rehousingRadiusM: ConfigEntry<Config.NonNegative>
    let ranking: ConfigEntry<RankingEntry>

    enum CodingKeys: String, CodingKey {
        case densityZones = "density_zones", farCaps = "far_caps", minimumIndustrialShare = "minimum_industrial_share"
        case minimumHandoverShare = "minimum_handover_share", modes, buildingOverlapTolerance = "building_overlap_tolerance"
        case rehousingRadiusM = "rehousing_radius_m", ranking
    }

    struct DensityZones: Decodable {
        let `default`: String
        /// Zone id → density zone.
        let zones: [String: String]
    }

    struct ModeEntry: Decodable {
        let label: String
        let demolishes: Bool
        let displacesFirms: Bool
        enum CodingKeys: String, CodingKey { case label, demolishes, displacesFirms = "displaces_firms" }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            label = try c.decodeIfPresent(String.self, forKey: .label) ?? decoder.codingPath.last?.stringValue ?? ""
            demolishes = try c.decode(Bool.self, forKey: .demolishes)
            displacesFirms = try c.decode(Bool.self, forKey: .displacesFirms)
        }
    }

    struct RankingEntry: Decodable {
        let targetYear: Config.Year
        let techSpaceWeight: Config.Weight
        let governmentHousingWeight: Config.Weight
        /// The score divides by it: 0 would make a proposal that displaces no one infinite.
        let displacementFloorM2: Config.Positive
        let noncompliantLast: Bool
        enum CodingKeys: String, CodingKey {
            case targetYear = "target_year", techSpaceWeight = "tech_space_weight", governmentHousingWeight = "government_housing_weight"
            case displacementFloorM2 = "displacement_floor_m2", noncompliantLast = "noncompliant_last"
        }
    }

    /// A land-use class (M, W, C…): caps under any other key would never apply.
    struct LandUseClass: ConfigNames {
        let name: String
        static var noun: String { "land-use class" }
        static var terms: [String] { Vocabulary.landUsePrefixes }
    }
}
