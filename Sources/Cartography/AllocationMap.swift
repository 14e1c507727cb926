import Foundation

import SpaceCore

/// A carrier on the allocation map: its vacant space before, the space now let, the firms placed.
public struct AllocationMapCarrier: Sendable {
    public let id: String
    public let type: String
    public let at: Coordinate
    public let vacantBeforeM2: Double
    public let allocatedM2: Double
    public let firms: Int
    public init(id: String, type: String, at: Coordinate, vacantBeforeM2: Double, allocatedM2: Double, firms: Int) {
        self.id = id; self.type = type; self.at = at; self.vacantBeforeM2 = vacantBeforeM2; self.allocatedM2 = allocatedM2; self.firms = firms
    }
}

/// The allocation on the district map: each carrier a ring as large as its vacant space, filled
/// to the space let to incoming firms, in the colour of its type.
public enum AllocationMap {
    public static func render(_ scene: MapScene, carriers: [AllocationMapCarrier], figures: [String]) -> String {
        let frame = DistrictMap.mapFrame, size = DistrictMap.size, panelX = DistrictMap.panelX
        let focus = scene.district
        let viewport = Viewport(world: focus.bounds.expanded(by: max(focus.bounds.width, focus.bounds.height) * 0.02), frame: frame)
        let title = "Allocation of incoming firms 入驻企业空间配置"
        var svg = SVGWriter(width: size.width, height: size.height, title: "\(title) — \(scene.title)", page: .map)
        svg.raw(
            """
              <defs><clipPath id="map-frame"><rect x="\(fmt(frame.x))" y="\(fmt(frame.y))" width="\(fmt(frame.width))" height="\(fmt(frame.height))"/></clipPath></defs>

            """)
        svg.element(
            "rect",
            ["x": "0", "y": "0", "width": fmt(size.width), "height": fmt(size.height), "fill": StyleSpecification.standard.furniture.background])
        svg.element("text", ["x": "24", "y": "38", "class": "title"], text: title)
        svg.element("text", ["x": "24", "y": "64", "class": "subtitle"], text: scene.subtitle)

        svg.openGroup(["id": "map", "clip-path": "url(#map-frame)"])
        svg.element(
            "path", ["id": "district", "d": viewport.path(focus.shape), "fill": StyleSpecification.standard.zones.districtFill, "stroke": "none"])
        DistrictMap.drawRoads(&svg, scene, viewport)
        let zoneLegend = DistrictMap.drawZones(&svg, scene, viewport)
        // Ring area ∝ vacant space; the largest carrier gets a ring of `maxRadius` px.
        let s = StyleSpecification.standard.allocationMap
        let maxRadius = s.largestRingRadius
        let largest = max(1, carriers.map(\.vacantBeforeM2).max() ?? 1)
        func radius(_ m2: Double) -> Double { maxRadius * (max(0, m2) / largest).squareRoot() }
        svg.openGroup(["id": "carriers"])
        for c in carriers.sorted(by: { $0.vacantBeforeM2 != $1.vacantBeforeM2 ? $0.vacantBeforeM2 > $1.vacantBeforeM2 : $0.id < $1.id }) {
            let (x, y) = viewport.point(c.at)
            let colour = Palette.carrierType(c.type)
            svg.openGroup([
                "class": "carrier", "data-id": c.id, "data-type": c.type, "data-vacant-m2": formatFixed(c.vacantBeforeM2, 0),
                "data-allocated-m2": formatFixed(c.allocatedM2, 0), "data-firms": "\(c.firms)",
            ])
            svg.element(
                "circle",
                [
                    "cx": fmt(x), "cy": fmt(y), "r": fmt(max(s.smallestRingRadius, radius(c.vacantBeforeM2))), "fill": s.ringFill,
                    "fill-opacity": styleNumber(s.ringOpacity), "stroke": colour, "stroke-width": styleNumber(s.ringWidth),
                ])
            if c.allocatedM2 > 0 {
                svg.element(
                    "circle",
                    ["cx": fmt(x), "cy": fmt(y), "r": fmt(max(s.smallestFillRadius, radius(c.allocatedM2))), "fill": colour, "stroke": "none"])
            }
            svg.closeGroup()
        }
        svg.closeGroup()
        svg.closeGroup()
        svg.element(
            "rect",
            [
                "x": fmt(frame.x), "y": fmt(frame.y), "width": fmt(frame.width), "height": fmt(frame.height), "fill": "none",
                "stroke": StyleSpecification.standard.furniture.frame,
            ])

        MapFurniture.northArrow(&svg, x: panelX + 20, y: 106)
        MapFurniture.scaleBar(&svg, viewport: viewport, x: panelX + 50, y: 118, maxWidth: 260)
        let types = Set(carriers.map(\.type))
        let typeEntries: [MapFurniture.LegendEntry] = scene.carrierTypes.filter { types.contains($0.code) }.map {
            .init(symbol: .circle(fill: Palette.carrierType($0.code), radius: s.legendRadius), label: $0.label)
        }
        var y = MapFurniture.legend(&svg, title: "Carriers 载体 (filled: space let)", entries: typeEntries, x: panelX, y: 170) + 8
        y = MapFurniture.legend(&svg, title: "Zones 分区", entries: zoneLegend, x: panelX, y: y) + 8
        // Ring sizes.
        svg.openGroup(["id": "size-legend"])
        svg.element("text", ["x": fmt(panelX), "y": fmt(y), "class": "heading"], text: "Vacant space 空置面积")
        let sample = MapFurniture.niceLength(atMost: largest)
        for (k, m2) in [sample, sample / 4].enumerated() {
            let r = radius(m2), cx = panelX + 40 + Double(k) * 110, cy = y + 20 + maxRadius
            svg.element("circle", ["cx": fmt(cx), "cy": fmt(cy), "r": fmt(r), "fill": "none", "stroke": s.sizeLegendStroke])
            svg.element("text", ["x": fmt(cx + r + 4), "y": fmt(cy + 4), "class": "small"], text: "\(grouped(m2)) m²")
        }
        svg.closeGroup()
        y += 2 * maxRadius + 50
        MapFurniture.figuresAndNote(&svg, figures, scene: scene, x: panelX, y: y)
        return svg.finish()
    }
}
