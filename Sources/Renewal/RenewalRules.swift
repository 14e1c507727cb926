import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// Rules and scoring for renewal proposals, decoded from `GIS/config/renewal.json`, where each
/// entry says where it comes from. No value has a default in code. The file's density zones and
/// FAR caps are development controls (SpaceData's `DevelopmentControls`), which build-out applies too.
public struct RenewalRules: ConfigDocument {
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

    public let minimumIndustrialShare: Double
    /// Mode → minimum share of new industrial floor area handed to the government.
    public let minimumHandoverShare: [RenewalMode: Double]
    public let modes: [RenewalMode: ModeRule]
    public let buildingOverlapTolerance: Double
    public let rehousingRadiusM: Double
    public let ranking: Ranking
    public let source: String

    /// Each renewal entry's "source" text, for the report's rule column.
    public let sources: [String: String]

    public static var what: String { "renewal rules" }

    /// The renewal entries of renewal.json; `DevelopmentControls.read` reads the file and decodes
    /// its density zones and FAR caps.
    public static func decode(_ json: JSONValue, source: String) throws -> RenewalRules {
        let file = try decodeConfig(RenewalFile.self, from: json, file: source)
        let ranking = file.ranking.value
        let entries: [(RenewalFile.CodingKeys, String?)] = [
            (.minimumIndustrialShare, file.minimumIndustrialShare.source), (.minimumHandoverShare, file.minimumHandoverShare.source),
            (.modes, file.modes.source), (.buildingOverlapTolerance, file.buildingOverlapTolerance.source),
            (.rehousingRadiusM, file.rehousingRadiusM.source), (.ranking, file.ranking.source),
        ]
        return RenewalRules(
            minimumIndustrialShare: file.minimumIndustrialShare.value.value,
            minimumHandoverShare: file.minimumHandoverShare.value.byKey.mapValues(\.value),
            modes: file.modes.value.byKey.mapValues { ModeRule(label: $0.label, demolishes: $0.demolishes, displacesFirms: $0.displacesFirms) },
            buildingOverlapTolerance: file.buildingOverlapTolerance.value.value,
            rehousingRadiusM: file.rehousingRadiusM.value.value,
            ranking: Ranking(
                targetYear: ranking.targetYear.value, techSpaceWeight: ranking.techSpaceWeight.value,
                governmentHousingWeight: ranking.governmentHousingWeight.value, displacementFloorM2: ranking.displacementFloorM2.value,
                noncompliantLast: ranking.noncompliantLast),
            source: source, sources: Dictionary(uniqueKeysWithValues: entries.compactMap { key, text in text.map { (key.rawValue, $0) } }))
    }

    /// The modes whose works move the firms out (by mode id), counted as displaced by build-out too.
    public var modesDisplacingFirms: Set<String> { Set(modes.filter { $0.value.displacesFirms }.map(\.key.rawValue)) }
}

/// renewal.json's renewal entries as written: each `{"value": …, "source": …}`, checked as it decodes.
private struct RenewalFile: Decodable {
    let minimumIndustrialShare: ConfigEntry<Config.Share>
    let minimumHandoverShare: ConfigEntry<Config.KnownKeys<RenewalMode, Config.Share>>
    let modes: ConfigEntry<Config.EveryKey<RenewalMode, ModeEntry>>
    let buildingOverlapTolerance: ConfigEntry<Config.Share>
    let rehousingRadiusM: ConfigEntry<Config.NonNegative>
    let ranking: ConfigEntry<RankingEntry>

    enum CodingKeys: String, CodingKey {
        case minimumIndustrialShare = "minimum_industrial_share"
        case minimumHandoverShare = "minimum_handover_share"
        case modes
        case buildingOverlapTolerance = "building_overlap_tolerance"
        case rehousingRadiusM = "rehousing_radius_m"
        case ranking
    }

    struct ModeEntry: Decodable {
        let label: String
        let demolishes: Bool
        let displacesFirms: Bool
        enum CodingKeys: String, CodingKey {
            case label, demolishes
            case displacesFirms = "displaces_firms"
        }

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
            case targetYear = "target_year"
            case techSpaceWeight = "tech_space_weight"
            case governmentHousingWeight = "government_housing_weight"
            case displacementFloorM2 = "displacement_floor_m2"
            case noncompliantLast = "noncompliant_last"
        }
    }
}
