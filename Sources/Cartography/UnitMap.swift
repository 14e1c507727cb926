import Foundation
import SpaceCore

/// What a before/after map of one renewal unit shows, as plain shapes in the working CRS.
public struct UnitMapInput: Sendable {
    public enum BuildingState: String, Sendable { case around, touched, demolished, kept }
    public struct BuildingShape: Sendable {
        public let shape: Shape
        /// Building use (industrial, rnd, warehouse, office…): the use after renewal on the after map.
        public let use: String
        public let state: BuildingState
        public let isCarrier: Bool
        public init(shape: Shape, use: String, state: BuildingState, isCarrier: Bool) {
            self.shape = shape; self.use = use; self.state = state; self.isCarrier = isCarrier
        }
    }

    public var title: String
    public var subtitle: String
    public var crsLabel: String
    public var synthetic: Bool
    public var unit: Shape
    public var bounds: Envelope
    /// Other units of the same file, drawn for context.
    public var otherUnits: [Shape] = []
    public var parcels: [(shape: Shape, useClass: String)] = []
    public var buildings: [BuildingShape] = []
    public var firms: [(at: Coordinate, displaced: Bool)] = []
    /// After the works: the main use of the new floor area (nil when nothing is built),
    /// where the carrier marker goes, and the figures to print on the map.
    public var builtUse: String?
    public var carrierAt: Coordinate?
    public var carrierType: String?
    public var figures: [String] = []

    public init(title: String, subtitle: String, crsLabel: String, synthetic: Bool, unit: Shape, bounds: Envelope) {
        self.title = title; self.subtitle = subtitle; self.crsLabel = crsLabel; self.synthetic = synthetic
        self.unit = unit; self.bounds = bounds
    }
}

/// Before/after maps of a renewal unit (更新单元): what stands there and who is inside, then
/// what is demolished, kept and built and which carrier it becomes.
public enum UnitMap {
    public enum Stage: String, Sendable { case before, after }
    static let size = (width: 1200.0, height: 880.0)
    static let frame = (x: 24.0, y: 84.0, width: 800.0, height: 770.0)
    static let panelX = 850.0

    /// Building uses in the land-use palette's colours.
    public static func useColour(_ use: String) -> String {
        switch use {
        case "industrial": return Palette.landUse("M")
        case "rnd": return "#B07CC6"
        case "warehouse": return Palette.landUse("W")
        case "office", "commercial", "mixed": return Palette.landUse("C")
        case "residential": return Palette.landUse("R")
        case "public": return Palette.landUse("GIC")
        default: return Palette.otherBuilding
        }
    }

    public static func render(_ input: UnitMapInput, stage: Stage) -> String {
        let pad = max(input.bounds.width, input.bounds.height) * 0.45 + 50
        let viewport = Viewport(world: input.bounds.expanded(by: pad), frame: frame)
        let title = "\(input.title) — \(stage == .before ? "before 更新前" : "after 更新后")"
        var svg = SVGWriter(width: size.width, height: size.height, title: title, page: .unit)
        svg.raw("""
          <defs><clipPath id="map-frame"><rect x="\(fmt(frame.x))" y="\(fmt(frame.y))" width="\(fmt(frame.width))" height="\(fmt(frame.height))"/></clipPath>
          <pattern id="new-build" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="\(useColour(input.builtUse ?? "industrial"))" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="8" stroke="\(useColour(input.builtUse ?? "industrial"))" stroke-width="3"/></pattern></defs>

        """)
        svg.element("rect", ["x": "0", "y": "0", "width": fmt(size.width), "height": fmt(size.height), "fill": StyleSpecification.standard.furniture.background])
        svg.element("text", ["x": "24", "y": "38", "class": "title"], text: title)
        svg.element("text", ["x": "24", "y": "62", "class": "subtitle"], text: input.subtitle)

        svg.openGroup(["id": "map", "clip-path": "url(#map-frame)"])
        svg.openGroup(["id": "parcels", "fill-opacity": "0.18", "stroke": "#FFFFFF", "stroke-width": "0.8"])
        for p in input.parcels { svg.element("path", ["d": viewport.path(p.shape), "fill": Palette.landUse(p.useClass)]) }
        svg.closeGroup()
        if stage == .after, input.builtUse != nil {
            svg.element("path", ["id": "new-development", "d": viewport.path(input.unit), "fill": "url(#new-build)", "stroke": "none"])
        }
        svg.openGroup(["id": "buildings", "stroke-width": "0.8"])
        for b in input.buildings {
            var attrs: [(String, String)] = [("d", viewport.path(b.shape)), ("data-state", b.state.rawValue), ("data-use", b.use)]
            switch (stage, b.state) {
            case (.after, .demolished):
                attrs += [("fill", "none"), ("stroke", "#7F8C8D"), ("stroke-dasharray", "3 2")]
            case (_, .around):
                attrs += [("fill", useColour(b.use)), ("fill-opacity", "0.45"), ("stroke", "#FFFFFF")]
            default:
                attrs += [("fill", useColour(b.use)), ("stroke", "#641E16"), ("stroke-width", "1.6")]
            }
            svg.raw("    <path " + attrs.map { "\($0.0)=\"\(SVGWriter.escape($0.1))\"" }.joined(separator: " ") + "/>\n")
        }
        svg.closeGroup()
        if stage == .before {
            svg.openGroup(["id": "firms", "stroke": "#FFFFFF", "stroke-width": "0.5"])
            for f in input.firms {
                let (x, y) = viewport.point(f.at)
                svg.element("circle", ["cx": fmt(x), "cy": fmt(y), "r": f.displaced ? "3.2" : "2.2",
                                       "fill": f.displaced ? "#C0392B" : "#566573", "data-displaced": f.displaced ? "true" : "false"])
            }
            svg.closeGroup()
        }
        for other in input.otherUnits {
            svg.element("path", ["class": "other-unit", "d": viewport.path(other), "fill": "none", "stroke": "#34495E", "stroke-width": "1.5", "stroke-dasharray": "4 3"])
        }
        svg.element("path", ["id": "unit", "d": viewport.path(input.unit), "fill": "none", "stroke": "#111", "stroke-width": "3", "stroke-dasharray": "10 5"])
        if stage == .after, let at = input.carrierAt, let type = input.carrierType {
            let (x, y) = viewport.point(at)
            svg.element("path", ["id": "carrier", "d": star(x: x, y: y, r: 14), "fill": Palette.carrierType(type), "stroke": "#111", "stroke-width": "1.2"])
        }
        svg.closeGroup()
        svg.element("rect", ["x": fmt(frame.x), "y": fmt(frame.y), "width": fmt(frame.width), "height": fmt(frame.height), "fill": "none", "stroke": StyleSpecification.standard.furniture.frame])

        MapFurniture.northArrow(&svg, x: panelX + 20, y: 106)
        MapFurniture.scaleBar(&svg, viewport: viewport, x: panelX + 50, y: 118, maxWidth: 240)
        var legend: [MapFurniture.LegendEntry] = [.init(symbol: .line(stroke: "#111", dash: "10 5"), label: "renewal unit 更新单元")]
        if !input.otherUnits.isEmpty { legend.append(.init(symbol: .line(stroke: "#34495E", dash: "4 3"), label: "other units in the file")) }
        let uses = Array(Set(input.buildings.map(\.use) + (stage == .after ? [input.builtUse].compactMap { $0 } : []))).sorted()
        legend += uses.map { .init(symbol: .box(fill: useColour($0), stroke: nil), label: "building use: \($0)") }
        legend.append(.init(symbol: .box(fill: "none", stroke: "#641E16"), label: "building in the unit"))
        if stage == .before {
            legend.append(.init(symbol: .circle(fill: "#C0392B", radius: 3.2), label: "firm displaced 搬迁企业"))
            legend.append(.init(symbol: .circle(fill: "#566573", radius: 2.2), label: "firm staying"))
        } else {
            legend.append(.init(symbol: .line(stroke: "#7F8C8D", dash: "3 2"), label: "demolished 拆除"))
            if input.builtUse != nil { legend.append(.init(symbol: .box(fill: useColour(input.builtUse!), stroke: nil), label: "new floor area (hatched) 新建")) }
            if let type = input.carrierType { legend.append(.init(symbol: .box(fill: Palette.carrierType(type), stroke: "#111"), label: "becomes \(type.replacingOccurrences(of: "_", with: " ")) ★")) }
        }
        var y = MapFurniture.legend(&svg, title: "Legend", entries: legend, x: panelX, y: 170) + 10
        svg.openGroup(["id": "figures"])
        svg.element("text", ["x": fmt(panelX), "y": fmt(y), "class": "heading"], text: stage == .before ? "In the unit today" : "After renewal")
        for line in input.figures.flatMap({ MapFurniture.wrap($0, width: 44) }) {
            y += 18
            svg.element("text", ["x": fmt(panelX), "y": fmt(y), "class": "figure"], text: line)
        }
        svg.closeGroup()
        let note = "CRS: \(input.crsLabel).\(input.synthetic ? " Synthetic data, not real records." : "") Drawn by spaceplan."
        for (k, line) in MapFurniture.wrap(note, width: 46).enumerated() {
            svg.element("text", ["x": fmt(panelX), "y": fmt(800 + Double(k) * 16), "class": "small"], text: line)
        }
        return svg.finish()
    }

    static func star(x: Double, y: Double, r: Double) -> String {
        (0..<10).map { k -> String in
            let angle = Double(k) * .pi / 5 - .pi / 2, radius = k % 2 == 0 ? r : r * 0.45
            return (k == 0 ? "M" : "L") + "\(fmt(x + radius * cos(angle))) \(fmt(y + radius * sin(angle)))"
        }.joined() + "Z"
    }
}
