import Foundation
import SpaceCore

/// One line of a legend: a symbol and what it stands for.
public struct LegendEntry: Codable, Sendable, Equatable {
    public enum Symbol: Sendable, Equatable {
        case box(fill: String, stroke: String?)
        case line(stroke: String, dash: String?)
        case circle(fill: String, radius: Double)
    }
    public let symbol: Symbol
    public let label: String
    public init(symbol: Symbol, label: String) { self.symbol = symbol; self.label = label }

    /// The symbol's main colour: a box's or a circle's fill, a line's stroke.
    public var colour: String {
        switch symbol {
        case let .box(fill, _): return fill
        case let .line(stroke, _): return stroke
        case let .circle(fill, _): return fill
        }
    }

    enum CodingKeys: String, CodingKey { case symbol, colour, stroke, dash, radius, label }

    /// {"symbol": "box"|"line"|"circle", "colour", "label"} and the symbol's stroke, dash or radius.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(colour, forKey: .colour)
        try c.encode(label, forKey: .label)
        switch symbol {
        case let .box(_, stroke): try c.encode("box", forKey: .symbol); try c.encodeIfPresent(stroke, forKey: .stroke)
        case let .line(_, dash): try c.encode("line", forKey: .symbol); try c.encodeIfPresent(dash, forKey: .dash)
        case let .circle(_, radius): try c.encode("circle", forKey: .symbol); try c.encode(radius, forKey: .radius)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let colour = try c.decode(String.self, forKey: .colour)
        label = try c.decode(String.self, forKey: .label)
        switch try c.decode(String.self, forKey: .symbol) {
        case "line": symbol = .line(stroke: colour, dash: try c.decodeIfPresent(String.self, forKey: .dash))
        case "circle": symbol = .circle(fill: colour, radius: try c.decode(Double.self, forKey: .radius))
        default: symbol = .box(fill: colour, stroke: try c.decodeIfPresent(String.self, forKey: .stroke))
        }
    }
}

/// A legend's block: a heading and its entries, as a map's side panel draws it.
public struct LegendSection: Codable, Sendable, Equatable {
    /// The layer it explains: parcels, buildings, enterprises, choropleth or zones.
    public let layer: String
    public let title: String
    public let entries: [LegendEntry]
    public init(layer: String, title: String, entries: [LegendEntry]) { self.layer = layer; self.title = title; self.entries = entries }
}

/// A choropleth's classes: the breaks, one colour and one label per class, each zone's class.
public struct ChoroplethClasses: Sendable, Equatable {
    public struct Zone: Codable, Sendable, Equatable {
        public let id: String
        public let value: Double?
        /// nil for a zone without a value.
        public let classIndex: Int?
        public let colour: String
    }
    public let classification: Classification
    public let unit: String
    public let colours: [String]
    public let labels: [String]
    public let zones: [Zone]
    /// "Vacant / gross floor area (quantiles, 4 classes)".
    public let title: String
    /// The classes' legend entries, and one for the zones without a value when there are any.
    public let entries: [LegendEntry]
}

/// A theme's legend, as its SVG map draws it for the whole district: the sections of its side
/// panel, and for a choropleth each sub-district's value, class and colour.
public struct ThemeLegend: Codable, Sendable, Equatable {
    public struct ZoneClass: Codable, Sendable, Equatable {
        public let value: Double?
        public let classIndex: Int?
        public let colour: String
        enum CodingKeys: String, CodingKey { case value, classIndex, colour }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(value, forKey: .value)  // null for a zone without floor area
            try c.encode(classIndex, forKey: .classIndex)
            try c.encode(colour, forKey: .colour)
        }
    }

    public let theme: String
    public let title: String
    /// The theme's own entries (its `legendLayer`'s section).
    public let legend: [LegendEntry]
    /// Every section of the map's legend, in its order.
    public let sections: [LegendSection]
    /// Choropleths only: the method, unit, breaks (upper bounds), the first class's lower bound, the zones.
    public let method: String?
    public let unit: String?
    public let breaks: [Double]?
    public let minimum: Double?
    public let zones: [String: ZoneClass]?
    public let note: String?

    /// The legend of `options.theme`'s map of `scene`, for the whole district.
    public static func legend(_ scene: MapScene, _ options: MapOptions, style: StyleSpecification = .standard) throws -> ThemeLegend {
        let sections = try DistrictMap.legendSections(scene, options, style: style)
        let spec = style.theme(options.theme)
        let own = sections.first { $0.layer == spec.legendLayer }?.entries ?? []
        var classes: ChoroplethClasses?
        if spec.choropleth != nil { classes = try choropleth(scene, options, style: style) }
        return ThemeLegend(
            theme: options.theme.rawValue, title: options.theme.title, legend: own, sections: sections,
            method: classes?.classification.method.rawValue, unit: classes?.unit, breaks: classes?.classification.breaks,
            minimum: classes?.classification.minimum,
            zones: classes.map { c in
                Dictionary(uniqueKeysWithValues: c.zones.map { ($0.id, ZoneClass(value: $0.value, classIndex: $0.classIndex, colour: $0.colour)) })
            },
            note: spec.choropleth != nil && classes == nil ? "no sub-districts with floor area in this data" : nil)
    }

    /// The sub-districts' values of a choropleth theme, in the scene's zone order (nil: no value).
    public static func choroplethValues(_ scene: MapScene, measure: String) -> [(id: String, value: Double?)] {
        scene.zones.filter { $0.kind == .subdistrict }.map { zone in
            (
                zone.id,
                scene.zoneFigures[zone.id].flatMap { t -> Double? in
                    switch measure {
                    case "vacancy_rate": return t.gfaM2 > 0 ? t.vacantBuildingM2 / t.gfaM2 * 100 : nil
                    default: return t.techSpaceM2
                    }
                }
            )
        }
    }

    /// The classes of a choropleth theme's sub-districts, or nil when none has a value (or the theme is no choropleth).
    public static func choropleth(_ scene: MapScene, _ options: MapOptions, style: StyleSpecification = .standard) throws -> ChoroplethClasses? {
        guard let spec = style.theme(options.theme).choropleth else { return nil }
        return try choropleth(
            values: choroplethValues(scene, measure: spec.measure), spec: spec, classification: options.classification,
            classes: options.classes, style: style)
    }

    /// Classifies `values` by `classification` into at most `classes` classes and colours them
    /// from the theme's ramp: what the choropleth maps draw and the workbench serves.
    public static func choropleth(
        values: [(id: String, value: Double?)], spec: StyleSpecification.Theme.Choropleth,
        classification method: ClassificationMethod, classes: Int,
        style: StyleSpecification = .standard
    ) throws -> ChoroplethClasses? {
        let known = values.compactMap(\.value)
        guard !known.isEmpty else { return nil }
        let classification = try Classification.classify(known, classes: classes, method: method)
        let colours = StyleSpecification.ramp(spec.ramp, classes: classification.breaks.count)
        let labels = DistrictMap.classRangeLabels(classification, unit: spec.unit)
        let zones = values.map { id, value in
            let k = value.map { classification.classIndex(of: $0) }
            return ChoroplethClasses.Zone(id: id, value: value, classIndex: k, colour: k.map { colours[$0] } ?? style.zones.noValue)
        }
        var entries = zip(colours, labels).map { LegendEntry(symbol: .box(fill: $0, stroke: nil), label: $1) }
        if values.contains(where: { $0.value == nil }) {
            entries.append(.init(symbol: .box(fill: style.zones.noValue, stroke: nil), label: style.zones.noValueLabel))
        }
        return ChoroplethClasses(
            classification: classification, unit: spec.unit, colours: colours, labels: labels, zones: zones,
            title: "\(spec.legendTitle) (\(method.rawValue), \(classification.breaks.count) classes)", entries: entries)
    }
}
