import Foundation
import SpaceGeometry

/// Policy numbers and settings, read from `GIS/config/policy.json`, where each one says where
/// it comes from. Nothing here has a default in code: a missing entry is an error naming it.
public struct Policy: Sendable {
    public struct Milestone: Sendable, Equatable {
        public let year: Int
        public let floorAreaM2: Double
        public let label: String?
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
    /// The file it was read from.
    public let source: String

    public static func load(_ url: URL) throws -> Policy {
        let file = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError(file: file, problem: "cannot read the policy configuration: \(error.localizedDescription)")
        }
        let json: JSONValue
        do { json = try parseJSON(data) } catch { throw DataError(file: file, problem: "\(error)") }
        func entry(_ key: String) throws -> JSONValue {
            guard let section = json[key] else { throw DataError(file: file, problem: "missing entry \"\(key)\"") }
            return section
        }
        func value(_ key: String) throws -> JSONValue {
            guard let v = try entry(key)["value"] else { throw DataError(file: file, problem: "entry \"\(key)\" has no \"value\"") }
            return v
        }
        func strings(_ key: String) throws -> [String] {
            guard let list = try value(key).arrayValue?.compactMap(\.stringValue) else {
                throw DataError(file: file, problem: "\"\(key)\".value must be a list of strings")
            }
            return list
        }
        func number(_ key: String) throws -> Double {
            guard let n = try value(key).numberValue, n.isFinite, n >= 0 else {
                throw DataError(file: file, problem: "\"\(key)\".value must be a non-negative number")
            }
            return n
        }
        func milestone(_ json: JSONValue, _ path: String) throws -> Milestone {
            guard let year = json["year"]?.numberValue, let area = json["floor_area_m2"]?.numberValue, area > 0 else {
                throw DataError(file: file, problem: "\(path) needs a year and a positive floor_area_m2")
            }
            return Milestone(year: Int(year), floorAreaM2: area, label: json["label"]?.stringValue)
        }
        guard let crsText = try value("working_crs").stringValue else {
            throw DataError(file: file, problem: "\"working_crs\".value must be a CRS name such as EPSG:4547")
        }
        let crs: CRSCode
        do {
            crs = try CRSCode(parsing: crsText)
            guard try CRSInfo.lookup(crs).isProjectedInMetres else {
                throw DataError(file: file, problem: "working_crs \(crsText) is not a projected CRS in metres; areas need one")
            }
        } catch let error as CRSError { throw DataError(file: file, problem: "working_crs: \(error)") }
        let targets = try entry("tech_cultivation_targets")
        guard let baselineJSON = targets["baseline"] else { throw DataError(file: file, problem: "tech_cultivation_targets needs a baseline") }
        let milestones = try (targets["milestones"]?.arrayValue ?? []).enumerated().map {
            try milestone($1, "tech_cultivation_targets.milestones[\($0)]")
        }
        if milestones.isEmpty { throw DataError(file: file, problem: "tech_cultivation_targets needs at least one milestone") }
        return Policy(
            workingCRS: crs,
            baseline: try milestone(baselineJSON, "tech_cultivation_targets.baseline"),
            alternativeBaselines: try (targets["alternative_baselines"]?.arrayValue ?? []).enumerated().map {
                try milestone($1, "tech_cultivation_targets.alternative_baselines[\($0)]")
            },
            milestones: milestones.sorted { $0.year < $1.year },
            techCarrierTypes: try strings("tech_cultivation_carrier_types"),
            industrialBuildingUses: Set(try strings("industrial_building_uses")),
            industrialLandUses: Set(try strings("industrial_land_uses")),
            oldIndustrialConditions: Set(try strings("old_industrial_conditions")),
            enterpriseMatchMaxDistanceM: try number("enterprise_match_max_distance_m"),
            landAreaTolerance: try number("land_area_tolerance"),
            source: file)
    }
}
