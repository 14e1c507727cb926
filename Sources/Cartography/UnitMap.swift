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
        case "rnd": return StyleSpecification.standard.renewalUnitMap.rndUse
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
        let s = StyleSpecification.standard.renewalUnitMap
        let title = "\(input.title) — \(stage == .before ? "before 更新前" : "after 更新后")"
        var svg = SVGWriter(width: size.width, height: size.height, title: title, page: .unit)
        svg.raw(
            """
              <defs><clipPath id="map-frame"><rect x="\(fmt(frame.x))" y="\(fmt(frame.y))" width="\(fmt(frame.width))" height="\(fmt(frame.height))"/></clipPath>
              <pattern id="new-build" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="\(useColour(input.builtUse ?? "industrial"))" fill-opacity="\(styleNumber(s.newBuildOpacity))"/><line x1="0" y1="0" x2="0" y2="8" stroke="\(useColour(input.builtUse ?? "industrial"))" stroke-width="\(styleNumber(s.newBuildLineWidth))"/></pattern></defs>

            """)
        svg.element(
            "rect",
            ["x": "0", "y": "0", "width": fmt(size.width), "height": fmt(size.height), "fill": StyleSpecification.standard.furniture.background])
        svg.element("text", ["x": "24", "y": "38", "class": "title"], text: title)
        svg.element("text", ["x": "24", "y": "62", "class": "subtitle"], text: input.subtitle)

        svg.openGroup(["id": "map", "clip-path": "url(#map-frame)"])
        svg.openGroup([
            "id": "parcels", "fill-opacity": styleNumber(s.parcelOpacity), "stroke": s.parcelOutline.colour,
            "stroke-width": styleNumber(s.parcelOutline.width),
        ])
        for p in input.parcels { svg.element("path", ["d": viewport.path(p.shape), "fill": Palette.landUse(p.useClass)]) }
        svg.closeGroup()
        if stage == .after, input.builtUse != nil {
            svg.element("path", ["id": "new-development", "d": viewport.path(input.unit), "fill": "url(#new-build)", "stroke": "none"])
        }
        svg.openGroup(["id": "buildings", "stroke-width": styleNumber(s.buildingWidth)])
        for b in input.buildings {
            var attrs: [(String, String)] = [("d", viewport.path(b.shape)), ("data-state", b.state.rawValue), ("data-use", b.use)]
            switch (stage, b.state) {
            case (.after, .demolished):
                attrs += [("fill", "none"), ("stroke", s.demolished.colour), ("stroke-dasharray", s.demolished.dash ?? "none")]
            case (_, .around):
                attrs += [("fill", useColour(b.use)), ("fill-opacity", styleNumber(s.aroundOpacity)), ("stroke", s.aroundOutline)]
            default:
                attrs += [("fill", useColour(b.use)), ("stroke", s.unitBuilding.colour), ("stroke-width", styleNumber(s.unitBuilding.width))]
            }
            svg.raw("    <path " + attrs.map { "\($0.0)=\"\(SVGWriter.escape($0.1))\"" }.joined(separator: " ") + "/>\n")
        }
        svg.closeGroup()
        if stage == .before {
            svg.openGroup(["id": "firms", "stroke": s.firmOutline.colour, "stroke-width": styleNumber(s.firmOutline.width)])
            for f in input.firms {
                let (x, y) = viewport.point(f.at)
                svg.element(
                    "circle",
                    [
                        "cx": fmt(x), "cy": fmt(y), "r": styleNumber(f.displaced ? s.displacedFirmRadius : s.stayingFirmRadius),
                        "fill": f.displaced ? s.displacedFirm : s.stayingFirm, "data-displaced": f.displaced ? "true" : "false",
                    ])
            }
            svg.closeGroup()
        }
        for other in input.otherUnits {
            svg.element(
                "path",
                [
                    "class": "other-unit", "d": viewport.path(other), "fill": "none", "stroke": s.otherUnit.colour,
                    "stroke-width": styleNumber(s.otherUnit.width), "stroke-dasharray": s.otherUnit.dash ?? "none",
                ])
        }
        svg.element(
            "path",
            [
                "id": "unit", "d": viewport.path(input.unit), "fill": "none", "stroke": s.unit.colour, "stroke-width": styleNumber(s.unit.width),
                "stroke-dasharray": s.unit.dash ?? "none",
            ])
        if stage == .after, let at = input.carrierAt, let type = input.carrierType {
            let (x, y) = viewport.point(at)
            svg.element(
                "path",
                [
                    "id": "carrier", "d": star(x: x, y: y, r: s.carrierRadius), "fill": Palette.carrierType(type), "stroke": s.carrierOutline.colour,
                    "stroke-width": styleNumber(s.carrierOutline.width),
                ])
        }
        svg.closeGroup()
        svg.element(
            "rect",
            [
                "x": fmt(frame.x), "y": fmt(frame.y), "width": fmt(frame.width), "height": fmt(frame.height), "fill": "none",
                "stroke": StyleSpecification.standard.furniture.frame,
            ])

        MapFurniture.northArrow(&svg, x: panelX + 20, y: 106)
        MapFurniture.scaleBar(&svg, viewport: viewport, x: panelX + 50, y: 118, maxWidth: 240)
        var legend: [MapFurniture.LegendEntry] = [.init(symbol: .line(stroke: s.unit.colour, dash: s.unit.dash), label: "renewal unit 更新单元")]
        if !input.otherUnits.isEmpty {
            legend.append(.init(symbol: .line(stroke: s.otherUnit.colour, dash: s.otherUnit.dash), label: "other units in the file"))
        }
        let uses = Array(Set(input.buildings.map(\.use) + (stage == .after ? [input.builtUse].compactMap { $0 } : []))).sorted()
        legend += uses.map { .init(symbol: .box(fill: useColour($0), stroke: nil), label: "building use: \($0)") }
        legend.append(.init(symbol: .box(fill: "none", stroke: s.unitBuilding.colour), label: "building in the unit"))
        if stage == .before {
            legend.append(.init(symbol: .circle(fill: s.displacedFirm, radius: s.displacedFirmRadius), label: "firm displaced 搬迁企业"))
            legend.append(.init(symbol: .circle(fill: s.stayingFirm, radius: s.stayingFirmRadius), label: "firm staying"))
        } else {
            legend.append(.init(symbol: .line(stroke: s.demolished.colour, dash: s.demolished.dash), label: "demolished 拆除"))
            if input.builtUse != nil {
                legend.append(.init(symbol: .box(fill: useColour(input.builtUse!), stroke: nil), label: "new floor area (hatched) 新建"))
            }
            if let type = input.carrierType {
                legend.append(
                    .init(
                        symbol: .box(fill: Palette.carrierType(type), stroke: s.carrierOutline.colour),
                        label: "becomes \(type.replacingOccurrences(of: "_", with: " ")) ★"))
            }
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
