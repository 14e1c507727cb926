import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// Where tech-cultivation space comes from (or goes) in a scenario.
public enum SupplySource: String, Sendable, CaseIterable {
    case renewal, purchase, lease, conversion
    case landSupply = "land_supply"

    public var label: String {
        switch self {
        case .renewal: return "renewal 城市更新"
        case .purchase: return "government purchase 购"
        case .lease: return "government lease 租"
        case .conversion: return "idle-factory conversion 改"
        case .landSupply: return "new land 建"
        }
    }
}

/// New industrial land supplied in a flexible mode and built out.
public struct LandSupplyEvent: Sendable {
    public let mode: String
    public let landAreaM2: Double
    public let far: Double
    /// Share of the new floor area that becomes tech-cultivation space.
    public let techShare: Double
    public let completionYear: Int
    /// The mode's term, or the event's own.
    public let termYears: Int?
    public var floorAreaM2: Double { landAreaM2 * far }
    public var techSpaceM2: Double { floorAreaM2 * techShare }
}

/// One supply event of a scenario, besides renewal (which comes from a proposal file).
public struct SupplyEvent: Sendable {
    public enum Kind: Sendable {
        /// Space bought by the government: permanent.
        case purchase(floorAreaM2: Double)
        /// Space leased by the government: it leaves the stock after the term unless renewed.
        case lease(floorAreaM2: Double, termYears: Int, renewed: Bool)
        /// Idle factories turned into incubators: their floor area, or the buildings'.
        case conversion(floorAreaM2: Double?, buildingIDs: [String])
        case landSupply(LandSupplyEvent)
    }
    public let index: Int
    public let id: String
    public let year: Int
    public let kind: Kind
    public let note: String?
}

/// A scenario file (JSON, documented in GIS/README.md): a name, the renewal proposals it
/// counts on, and its other supply events.
public struct Scenario: Sendable {
    public let name: String
    public let description: String
    public let file: String
    /// The proposal file it counts on, as written: relative to the scenario file, which the
    /// reader resolves it against (`configPath(_:namedIn:)`).
    public let proposals: String?
    /// Proposal ids to count; nil counts all of the file.
    public let includedProposals: [String]?
    public let events: [SupplyEvent]

    /// What a scenario file holds, for messages.
    public static let what = "scenario"

    /// Decodes and checks a scenario read from `file`, listing all problems at once.
    public static func decode(_ json: JSONValue, file path: String, settings: SupplySettings, asOfYear: Int) throws -> Scenario {
        let file = try decodeConfig(
            ScenarioFile.self, from: json, file: path,
            context: ScenarioFile.Context(settings: settings, asOfYear: asOfYear))
        return Scenario(
            name: file.name.text, description: file.description ?? "", file: path,
            proposals: file.renewal?.proposals, includedProposals: file.renewal?.include,
            events: file.events?.elements.compactMap(\.event) ?? [])
    }
}

/// A scenario file as written (GIS/README.md). Each event is a record: all its problems, and
/// every event's, are reported together.
private struct ScenarioFile: Decodable {
    /// What events are checked against: the settings' modes and horizon, and the data's year.
    struct Context: Sendable {
        let settings: SupplySettings
        let asOfYear: Int
    }

    let name: Name
    let description: String?
    let renewal: Renewal?
    let events: ConfigRecords<Event>?

    struct Name: Decodable {
        let text: String
        init(from decoder: any Decoder) throws {
            text = try decoder.singleValueContainer().decode(String.self)
            if text.isEmpty { throw ConfigRule.must("must not be empty") }
        }
    }

    struct Renewal: Decodable {
        /// A proposal file, relative to the scenario.
        let proposals: String
        /// Proposal ids to count; nil counts all of the file.
        let include: [String]?
    }

    struct Event: Decodable {
        /// Nil when the event has problems (noted, and reported with the others).
        let event: SupplyEvent?

        private enum Kind: String {
            case purchase, lease, conversion
            case landSupply = "land_supply"
        }

        init(from decoder: any Decoder) throws {
            let context = try decoder.configContext(Context.self)
            let e = Members(container: try decoder.container(keyedBy: ConfigKey.self), decoder: decoder)
            let index = decoder.codingPath.last?.intValue ?? 0
            let id = try e.optional(String.self, "id") ?? "event \(index + 1)"
            let year = try e.required(Config.Year.self, "year")?.value
            if let year, year < context.asOfYear { try e.note("year \(year) is in the past: the data describe \(context.asOfYear)", at: "year") }
            if let year, year > context.settings.lastYear {
                try e.note("year \(year) is beyond the horizon (\(context.settings.lastYear))", at: "year")
            }
            let kindName = try e.optional(String.self, "kind")
            var kind: SupplyEvent.Kind?
            switch kindName.flatMap(Kind.init(rawValue:)) {
            case .purchase:
                kind = try e.required(Config.Positive.self, "floor_area_m2").map { .purchase(floorAreaM2: $0.value) }
            case .lease:
                let area = try e.required(Config.Positive.self, "floor_area_m2"), term = try e.required(Config.TermYears.self, "term_years")
                let renewed = try e.optional(Bool.self, "renewed") ?? false
                if let area, let term { kind = .lease(floorAreaM2: area.value, termYears: term.value, renewed: renewed) }
            case .conversion:
                let ids = try e.optional([String].self, "building_ids") ?? []
                let area = try e.optional(Config.Positive.self, "floor_area_m2")
                // Both: floor_area_m2 is the part of those buildings converted (as a target programme writes it).
                if ids.isEmpty, !e.container.contains("floor_area_m2") {
                    try e.note("a conversion needs building_ids, floor_area_m2, or both (the part of those buildings converted)")
                }
                kind = .conversion(floorAreaM2: area?.value, buildingIDs: ids)
            case .landSupply:
                kind = try Self.landSupply(e, year: year, context: context).map { .landSupply($0) }
            case nil:
                try e.note("kind must be purchase, lease, conversion or land_supply (got \(kindName ?? "nothing"))", at: "kind")
            }
            let note = try e.optional(String.self, "note")
            event = kind.flatMap { kind in year.map { SupplyEvent(index: index, id: id, year: $0, kind: kind, note: note) } }
        }

        /// New land: a mode of the settings, built out `construction_years` after supply unless it says when.
        private static func landSupply(_ e: Members, year: Int?, context: Context) throws -> LandSupplyEvent? {
            let modes = context.settings.modes
            let mode = try e.required(String.self, "mode")
            if let mode, modes[mode] == nil {
                try e.note("mode \"\(mode)\" is not a supply mode (\(modes.keys.sorted().joined(separator: ", ")))", at: "mode")
            }
            let land = try e.required(Config.Positive.self, "land_area_m2"), far = try e.required(Config.Positive.self, "far")
            let share = try e.optional(Config.Share.self, "tech_share")?.value ?? 1
            let completion = try e.optional(Config.Year.self, "completion_year")?.value ?? year.map { $0 + context.settings.constructionYears }
            if let completion, let year, completion < year {
                try e.note("completion_year \(completion) is before the land is supplied (\(year))", at: "completion_year")
            }
            let term = try e.optional(Config.TermYears.self, "term_years")?.value
            guard let mode, let land, let far, let completion else { return nil }
            return LandSupplyEvent(mode: mode, landAreaM2: land.value, far: far.value, techShare: share, completionYear: completion, termYears: term)
        }
    }

    /// An event's members, read so that each problem is noted and reading goes on.
    private struct Members {
        let container: KeyedDecodingContainer<ConfigKey>
        let decoder: any Decoder

        func required<T: Decodable>(_ type: T.Type, _ key: ConfigKey) throws -> T? {
            try decoder.noting { try container.decode(type, forKey: key) }
        }
        func optional<T: Decodable>(_ type: T.Type, _ key: ConfigKey) throws -> T? {
            try decoder.noting { try container.decodeIfPresent(type, forKey: key) } ?? nil
        }
        func note(_ sentence: String, at key: ConfigKey? = nil) throws {
            try decoder.note(key.map { ConfigRule.problem(sentence, at: $0) } ?? ConfigRule.problem(sentence))
        }
    }
}
