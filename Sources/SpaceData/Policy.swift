import Foundation
import SpaceCore
import SpaceGeometry

/// Policy numbers and settings, read from `GIS/config/policy.json`, where each one says where
/// it comes from. Nothing here has a default in code: a missing entry is an error naming it.
public struct Policy: Sendable {
    public struct Milestone: Sendable, Equatable, Codable {
        public let year: Int
        public let floorAreaM2: Double
        public let label: String?
        enum CodingKeys: String, CodingKey { case year, floorAreaM2 = "floor_area_m2", label }
    }

    public let workingCRS: CRSCode
    public let baseline: Milestone
    public let alternativeBaselines: [Milestone]
    public let milestones: [Milestone]
    public let techCarrierTypes: [String]
    public let industrialBuildingUses: Set<String>
    public let industrialLandUses: Set<String>
    public let oldIndustrialConditions: Set<String>
    public let enterpriseMatchMaxDistanceM: Double
    public let landAreaTolerance: Double
    /// The thresholds of the plausibility rules (`Plausibility`).
    public let plausibility: PlausibilitySettings
    /// The file it was read from.
    public let source: String

    public static func load(_ url: URL) throws -> Policy {
        let file = try decodeConfig(PolicyFile.self, from: url, what: "policy configuration")
        let targets = file.targets
        // A target year given twice, or not after the baseline, makes the trajectory meaningless.
        var errors: [DataError] = [], seen: [Int: Int] = [:]
        for (i, m) in targets.milestones.elements.enumerated() {
            let key = "tech_cultivation_targets.milestones[\(i)].year"
            if let earlier = seen[m.year.value] {
                errors.append(DataError(file: url.path, problem: "\(key) \(m.year.value) is also the year of milestones[\(earlier)]"))
            }
            seen[m.year.value] = seen[m.year.value] ?? i
            if m.year.value <= targets.baseline.year.value {
                errors.append(
                    DataError(file: url.path, problem: "\(key) \(m.year.value) is not after the baseline year \(targets.baseline.year.value)"))
            }
        }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        return Policy(
            workingCRS: file.workingCRS.value.code,
            baseline: targets.baseline.milestone,
            alternativeBaselines: (targets.alternativeBaselines ?? []).map(\.milestone),
            milestones: targets.milestones.elements.map(\.milestone).sorted { $0.year < $1.year },
            techCarrierTypes: file.carrierTypes.value.elements.map(\.value.rawValue),
            industrialBuildingUses: Set(file.buildingUses.value.map(\.value.name)),
            industrialLandUses: Set(file.landUses.value.map(\.value.name)),
            oldIndustrialConditions: Set(file.conditions.value.map(\.value.name)),
            enterpriseMatchMaxDistanceM: file.matchDistance.value.value,
            landAreaTolerance: file.landAreaTolerance.value.value,
            plausibility: file.plausibility.settings,
            source: url.path)
    }
}

/// policy.json as written: each entry `{"value": …, "source": …}`, checked as it decodes.
private struct PolicyFile: Decodable {
    let workingCRS: ConfigEntry<WorkingCRS>
    let targets: Targets
    /// Empty, the tech-cultivation stock would be 0 m².
    let carrierTypes: ConfigEntry<Config.NonEmpty<Config.Known<CarrierType>>>
    // Names the buildings and parcels layers would never match are typing errors.
    let buildingUses: ConfigEntry<[Config.Known<BuildingUse>]>
    let landUses: ConfigEntry<[Config.Known<LandUseCode>]>
    let conditions: ConfigEntry<[Config.Known<BuildingCondition>]>
    let matchDistance: ConfigEntry<Config.NonNegative>
    let landAreaTolerance: ConfigEntry<Config.NonNegative>
    let plausibility: PlausibilityEntries

    enum CodingKeys: String, CodingKey {
        case workingCRS = "working_crs"
        case targets = "tech_cultivation_targets"
        case carrierTypes = "tech_cultivation_carrier_types"
        case buildingUses = "industrial_building_uses"
        case landUses = "industrial_land_uses"
        case conditions = "old_industrial_conditions"
        case matchDistance = "enterprise_match_max_distance_m"
        case landAreaTolerance = "land_area_tolerance"
        case plausibility
    }

    struct Targets: Decodable {
        let baseline: MilestoneEntry
        let alternativeBaselines: [MilestoneEntry]?
        let milestones: Config.NonEmpty<MilestoneEntry>
        enum CodingKeys: String, CodingKey {
            case baseline
            case alternativeBaselines = "alternative_baselines"
            case milestones
        }
    }

    struct MilestoneEntry: Decodable {
        let year: Config.Year
        let floorArea: Config.Positive
        let label: String?
        enum CodingKeys: String, CodingKey {
            case year
            case floorArea = "floor_area_m2"
            case label
        }
        var milestone: Policy.Milestone { Policy.Milestone(year: year.value, floorAreaM2: floorArea.value, label: label) }
    }

    /// Areas are measured in it, so it must be projected and in metres.
    struct WorkingCRS: Decodable {
        let code: CRSCode
        init(from decoder: any Decoder) throws {
            guard let text = try? decoder.singleValueContainer().decode(String.self) else {
                throw ConfigRule.must("must be a CRS name such as EPSG:4547")
            }
            do {
                code = try CRSCode(parsing: text)
                guard try CRSInfo.lookup(code).isProjectedInMetres else {
                    throw ConfigRule.problem("\(text) is not a projected CRS in metres; areas need one")
                }
            } catch let error as CRSError { throw ConfigRule.problem("\(error)") }
        }
    }

    struct BuildingUse: ConfigNames {
        let name: String
        static var noun: String { "building use" }
        static var terms: [String] { Vocabulary.buildingUses.sorted() }
    }

    struct BuildingCondition: ConfigNames {
        let name: String
        static var noun: String { "building condition" }
        static var terms: [String] { Vocabulary.conditions.sorted() }
    }

    /// A code of a known land-use class (M, M0, W1, GIC2…).
    struct LandUseCode: ConfigNames {
        let name: String
        init(name: String) { self.name = name }
        init?(term: String) {
            guard Vocabulary.landUseClass(term) != nil else { return nil }
            name = term
        }
        static var noun: String { "land-use code" }
        static var terms: [String] { Vocabulary.landUsePrefixes.map { "\($0)…" } }
    }
}
