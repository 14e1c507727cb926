import Foundation
import SpaceGeometry

/// Positive lists for industry entry (产业准入正面清单), read from
/// `GIS/config/positive_lists.json`: the sectors each listed zone admits. A place admits a
/// sector when every listed zone it lies in does; zones without a list add no restriction.
public struct PositiveLists: Sendable {
    /// Zone id → admitted sector codes.
    public let lists: [String: Set<String>]
    public let source: String
    /// Listed zones the district's zones layer does not have (the file may serve several
    /// data sets): they restrict nothing here, and commands report them.
    public let unknownZoneIDs: [String]

    public init(lists: [String: Set<String>], source: String, unknownZoneIDs: [String] = []) {
        self.lists = lists
        self.source = source
        self.unknownZoneIDs = unknownZoneIDs
    }

    /// The warning every command gives for `unknownZoneIDs`, naming the file and the zones; nil when there are none.
    public var unknownZonesWarning: String? {
        unknownZoneIDs.isEmpty ? nil : "\(source): lists for zones not in this data restrict nothing: \(unknownZoneIDs.joined(separator: ", "))"
    }

    /// Whether a sector may enter a place lying in `zoneIDs`.
    public func admits(_ sector: String, inZones zoneIDs: [String]) -> Bool {
        zoneIDs.allSatisfy { lists[$0]?.contains(sector) ?? true }
    }

    /// The listed zones among `zoneIDs` that refuse `sector`, for messages.
    public func refusing(_ sector: String, inZones zoneIDs: [String]) -> [String] {
        zoneIDs.filter { lists[$0].map { !$0.contains(sector) } ?? false }
    }

    /// Reads the file, checking sector codes against the vocabulary and noting, when
    /// `knownZoneIDs` is given, the listed zones that are not among them.
    public static func load(_ url: URL, knownZoneIDs: Set<String>? = nil) throws -> PositiveLists {
        let lists = try decodeConfig(ListsFile.self, from: url, what: "positive lists").lists.elements.mapValues(\.sectors)
        let unknown = knownZoneIDs.map { known in lists.keys.filter { !known.contains($0) }.sorted() } ?? []
        return PositiveLists(lists: lists, source: url.path, unknownZoneIDs: unknown)
    }
}

/// positive_lists.json as written: zone id → `{"sectors": [...]}`, each zone a record so that
/// all its problems are reported.
private struct ListsFile: Decodable {
    let lists: ConfigRecordMap<ZoneList>

    struct ZoneList: Decodable {
        let sectors: Set<String>

        init(from decoder: any Decoder) throws {
            let zone = try decoder.container(keyedBy: ConfigKey.self)
            let names = try zone.decode([String].self, forKey: "sectors")
            for (i, name) in names.enumerated() where Config.Sector(term: name) == nil {
                try decoder.note(ConfigRule.problem(Config.Sector.unknown(name), at: "sectors", .index(i)))
            }
            sectors = Set(names)
        }
    }
}
