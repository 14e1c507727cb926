import Foundation

/// Development controls: which density zone (密度分区) each zone is in, and the FAR cap
/// (容积率上限) of each land-use class in each density zone. Policy that renewal checks proposals
/// against and build-out caps parcels by. They are written in `GIS/config/renewal.json`
/// (`density_zones`, `far_caps`), beside the renewal rules, each entry with its source.
public struct DevelopmentControls: Sendable {
    /// Zone id → density zone, and the zone of places in no mapped zone.
    public let densityZones: [String: String]
    public let defaultDensityZone: String
    /// Land-use class (M, W, C…) → density zone → FAR cap.
    public let farCaps: [String: [String: Double]]
    /// The file they were read from, and the "source" text of `density_zones` and `far_caps`.
    public let source: String
    public let sources: [String: String]

    /// The density zone of a place lying in `zoneIDs`: the mapped zone with the strictest caps
    /// (lowest FAR cap for `landClass`), else the default.
    public func densityZone(of zoneIDs: [String], landClass: String) -> String {
        let mapped = zoneIDs.compactMap { densityZones[$0] }
        guard !mapped.isEmpty else { return defaultDensityZone }
        return mapped.min { (farCaps[landClass]?[$0] ?? .infinity, $0) < (farCaps[landClass]?[$1] ?? .infinity, $1) }!
    }

    /// The FAR cap of `landClass` at a place lying in `zoneIDs`; nil where nothing caps it.
    public func farCap(landClass: String, zoneIDs: [String]) -> Double? {
        farCaps[landClass]?[densityZone(of: zoneIDs, landClass: landClass)]
    }

    /// The "source" text of far_caps, else the file, for a check citing the cap.
    public var farCapsSource: String { sources["far_caps"] ?? source }

    /// Reads renewal.json: the development controls, and the renewal rules (`Rules`, which decodes
    /// the file's other entries). The file's problems come in the order they always have: each
    /// entry as written, the controls' first, then whether every density zone has its caps, then
    /// any other member's "source" that is not text.
    public static func read<Rules: ConfigDocument>(_ url: URL, alongside rules: Rules.Type) throws -> (controls: DevelopmentControls, rules: Rules) {
        let json = try readConfigJSON(url, what: Rules.what)
        let file = try decodeConfig(ControlsFile.self, from: json, file: url.path)
        let decoded = try Rules.decode(json, source: url.path)
        try file.checkDensityZones(url.path)
        _ = try decodeConfig(ConfigSources.self, from: json, file: url.path)
        let sources = [(ControlsFile.CodingKeys.densityZones, file.densityZones.source), (.farCaps, file.farCaps.source)]
        let controls = DevelopmentControls(
            densityZones: file.densityZones.value.zones, defaultDensityZone: file.densityZones.value.default,
            farCaps: Dictionary(uniqueKeysWithValues: file.farCaps.value.byKey.map { ($0.name, $1.mapValues(\.value)) }),
            source: url.path, sources: Dictionary(uniqueKeysWithValues: sources.compactMap { key, text in text.map { (key.rawValue, $0) } }))
        return (controls, decoded)
    }
}

/// The controls' entries as written, each `{"value": …, "source": …}`, checked as they decode.
private struct ControlsFile: Decodable {
    let densityZones: ConfigEntry<DensityZones>
    /// Land-use class → density zone → FAR cap.
    let farCaps: ConfigEntry<Config.KnownKeys<LandUseClass, [String: Config.NonNegative]>>

    enum CodingKeys: String, CodingKey {
        case densityZones = "density_zones"
        case farCaps = "far_caps"
    }

    struct DensityZones: Decodable {
        let `default`: String
        /// Zone id → density zone.
        let zones: [String: String]
    }

    /// A land-use class (M, W, C…): caps under any other key would never apply.
    struct LandUseClass: ConfigNames {
        let name: String
        static var noun: String { "land-use class" }
        static var terms: [String] { Vocabulary.landUsePrefixes }
    }

    /// Every density zone that density_zones names must have a FAR cap for every land-use class
    /// of far_caps: a place in a zone without one would have its FAR checked against nothing.
    func checkDensityZones(_ path: String) throws {
        let named =
            [("density_zones.value.default", densityZones.value.default)]
            + densityZones.value.zones.sorted { $0.key < $1.key }.map { ("density_zones.value.zones.\($0.key)", $0.value) }
        var errors: [DataError] = []
        if farCaps.value.byKey.isEmpty { errors.append(DataError(file: path, problem: "far_caps.value is empty: no unit's FAR could be checked")) }
        let caps = farCaps.value.byKey.map { (landClass: $0.key.name, zones: Set($0.value.keys)) }.sorted { $0.landClass < $1.landClass }
        let known = caps.reduce(into: Set<String>()) { $0.formUnion($1.zones) }.sorted()
        var reported: Set<String> = []
        for (key, zone) in named where reported.insert(zone).inserted {
            let lacking = caps.filter { !$0.zones.contains(zone) }.map(\.landClass)
            if lacking.isEmpty { continue }
            let which =
                lacking.count == caps.count
                ? "which far_caps does not know (it knows \(known.joined(separator: ", ")))"
                : "for which far_caps.value has no cap for \(lacking.joined(separator: ", "))"
            errors.append(DataError(file: path, problem: "\(key) names density zone \"\(zone)\", \(which)"))
        }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
    }
}
