import Foundation
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
    public let proposalsFile: URL?
    /// Proposal ids to count; nil counts all of the file.
    public let includedProposals: [String]?
    public let events: [SupplyEvent]

    /// Reads and checks a scenario, listing all problems at once.
    public static func load(_ url: URL, settings: SupplySettings, asOfYear: Int) throws -> Scenario {
        let file = url.path
        let json: JSONValue
        do { json = try parseJSON(try Data(contentsOf: url)) } catch {
            throw DataError(file: file, problem: "cannot read the scenario: \(error)")
        }
        var errors: [DataError] = []
        guard let name = json["name"]?.stringValue, !name.isEmpty else { throw DataError(file: file, problem: "a scenario needs a \"name\"") }
        var proposalsFile: URL?, included: [String]?
        if let renewal = json["renewal"], !renewal.isNull {
            guard let path = renewal["proposals"]?.stringValue else {
                throw DataError(file: file, problem: "renewal.proposals must name a proposal file (relative to the scenario)")
            }
            proposalsFile = URL(fileURLWithPath: path, relativeTo: url.deletingLastPathComponent()).standardizedFileURL
            included = renewal["include"]?.arrayValue?.compactMap(\.stringValue)
        }
        var events: [SupplyEvent] = []
        var seen: Set<String> = []
        for (i, e) in (json["events"]?.arrayValue ?? []).enumerated() {
            let id = e["id"]?.stringValue ?? "event \(i + 1)"
            var problems: [String] = []
            if !seen.insert(id).inserted { problems.append("duplicate event id") }
            func number(_ key: String, positive: Bool = true, max: Double = .infinity) -> Double? {
                guard let v = e[key] else { return nil }
                guard let n = v.numberValue, n.isFinite, positive ? n > 0 : n >= 0, n <= max else {
                    problems.append("\(key) must be a \(positive ? "positive" : "non-negative") number\(max.isFinite ? " up to \(formatJSONNumber(max))" : "")")
                    return nil
                }
                return n
            }
            func required(_ key: String) -> Double? {
                if e[key] == nil { problems.append("needs \(key)") }
                return number(key)
            }
            func years(_ key: String) -> Int? {
                guard let n = number(key) else { return nil }
                guard n == n.rounded() else { problems.append("\(key) must be a whole number of years"); return nil }
                return Int(n)
            }
            var year = 0
            if let y = e["year"]?.numberValue, y == y.rounded() {
                year = Int(y)
                if year < asOfYear { problems.append("year \(year) is in the past: the data describe \(asOfYear)") }
                if year > settings.lastYear { problems.append("year \(year) is beyond the horizon (\(settings.lastYear))") }
            } else {
                problems.append("needs a year")
            }
            var kind: SupplyEvent.Kind?
            switch e["kind"]?.stringValue {
            case "purchase":
                if let a = required("floor_area_m2") { kind = .purchase(floorAreaM2: a) }
            case "lease":
                let a = required("floor_area_m2")
                if e["term_years"] == nil { problems.append("a lease needs term_years") }
                if let a, let t = years("term_years") { kind = .lease(floorAreaM2: a, termYears: t, renewed: e["renewed"]?.boolValue ?? false) }
            case "conversion":
                let ids = e["building_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let area = number("floor_area_m2")
                if ids.isEmpty == (area == nil) { problems.append("a conversion needs building_ids or floor_area_m2 (one of them)") }
                kind = .conversion(floorAreaM2: area, buildingIDs: ids)
            case "land_supply":
                let mode = e["mode"]?.stringValue ?? ""
                if settings.modes[mode] == nil {
                    problems.append("mode \"\(mode)\" is not a supply mode (\(settings.modes.keys.sorted().joined(separator: ", ")))")
                }
                let land = required("land_area_m2"), far = required("far")
                let share = number("tech_share", positive: false, max: 1) ?? 1
                let completion = e["completion_year"] == nil ? year + settings.constructionYears : (years("completion_year") ?? year)
                if completion < year { problems.append("completion_year \(completion) is before the land is supplied (\(year))") }
                let term = e["term_years"] == nil ? nil : years("term_years")
                if let land, let far {
                    kind = .landSupply(LandSupplyEvent(mode: mode, landAreaM2: land, far: far, techShare: share, completionYear: completion, termYears: term))
                }
            default:
                problems.append("kind must be purchase, lease, conversion or land_supply (got \(e["kind"]?.displayText ?? "nothing"))")
            }
            errors += problems.map { DataError(file: file, record: i, recordID: id, problem: $0) }
            if problems.isEmpty, let kind { events.append(SupplyEvent(index: i, id: id, year: year, kind: kind, note: e["note"]?.stringValue)) }
        }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        return Scenario(name: name, description: json["description"]?.stringValue ?? "", file: file,
                        proposalsFile: proposalsFile, includedProposals: included, events: events)
    }
}
