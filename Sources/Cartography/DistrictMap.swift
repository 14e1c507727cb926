import Foundation

import SpaceCore


/// The maps of a district: one theme per question a planner asks of the space map.
public enum MapTheme: String, CaseIterable, Sendable {
    /// Everything: land use, carriers, firms, zones.
    case space
    case landuse, carriers, enterprises, vacancy, techspace, renewal

    public var title: String {
        switch self {
        case .space: return "Industrial-space map 产业空间地图"
        case .landuse: return "Land use 用地性质"
        case .carriers: return "Tech-cultivation carriers 科技培育载体"
        case .enterprises: return "Enterprises by sector 企业分布"
        case .vacancy: return "Vacancy rate of floor area by sub-district 空置率"
        case .techspace: return "Tech-cultivation space by sub-district 科技培育空间"
        case .renewal: return "Renewal candidates: old industrial stock 旧工业建筑"
        }
    }
}

public struct MapOptions: Sendable {
    public var theme: MapTheme = .space
    /// Zoom on one zone (by id); the whole district is then shown in an inset.
    public var zone: String?
    public var classification: ClassificationMethod = .fisherJenks
    public var classes = 5
    /// Choropleth classes a map may have: fewer than two says nothing, more than nine no reader tells apart.
    public static let classCounts = 2...9
    /// Above these counts, footprints and firms are drawn as a density grid (file size stays bounded).
    public var maxBuildings = 60_000
    public var maxFirms = 25_000
    public var maxParcels = 60_000
    public init() {}
}

public enum DistrictMap {
    static let size = (width: 1600.0, height: 1130.0)
    static let mapFrame = (x: 24.0, y: 84.0, width: 1170.0, height: 990.0)
    static let panelX = 1215.0

    public static func render(_ scene: MapScene, _ options: MapOptions) throws -> String {
        var focus = scene.district
        if let id = options.zone {
            guard let zone = scene.zones.first(where: { $0.id == id }) else {
                throw MapError.unknownZone(id, known: scene.zones.map(\.id))
            }
            focus = zone
        }
        let viewport = Viewport(world: focus.bounds.expanded(by: max(focus.bounds.width, focus.bounds.height) * 0.02), frame: mapFrame)
        var svg = SVGWriter(width: size.width, height: size.height, title: "\(options.theme.title) — \(scene.title)", page: .map)
        svg.raw("""
          <defs><clipPath id="map-frame"><rect x="\(fmt(mapFrame.x))" y="\(fmt(mapFrame.y))" width="\(fmt(mapFrame.width))" height="\(fmt(mapFrame.height))"/></clipPath></defs>

        """)
        svg.element("rect", ["x": "0", "y": "0", "width": fmt(size.width), "height": fmt(size.height), "fill": "#FFFFFF"])
        svg.element("text", ["x": "24", "y": "38", "class": "title"], text: options.theme.title)
        let subtitle = (options.zone == nil ? "" : "\(focus.name) · ") + scene.subtitle
        svg.element("text", ["x": "24", "y": "64", "class": "subtitle"], text: subtitle)

        svg.openGroup(["id": "map", "clip-path": "url(#map-frame)"])
        svg.element("path", ["id": "district", "d": viewport.path(scene.district.shape), "fill": "#F7F9F9", "stroke": "none"])
        var legend: [(String, [MapFurniture.LegendEntry])] = []
        switch options.theme {
        case .space:
            legend.append(("Land use 用地", drawParcels(&svg, scene, viewport, options, opacity: 0.45)))
            drawRoads(&svg, scene, viewport)
            // At district scale on a large district the land-use grid is the base: no second grid over it.
            legend.append(("Buildings 建筑", try drawBuildings(&svg, scene, viewport, options, style: .carriers, densityBase: false)))
            legend.append(("Enterprises 企业", drawFirms(&svg, scene, viewport, options, aggregate: false)))
        case .landuse:
            legend.append(("Land use 用地", drawParcels(&svg, scene, viewport, options, opacity: 0.9)))
            drawRoads(&svg, scene, viewport)
        case .carriers:
            drawRoads(&svg, scene, viewport)
            legend.append(("Buildings 建筑", try drawBuildings(&svg, scene, viewport, options, style: .carriers)))
        case .enterprises:
            drawRoads(&svg, scene, viewport)
            legend.append(("Enterprises 企业", drawFirms(&svg, scene, viewport, options)))
        case .vacancy, .techspace:
            legend.append(try drawChoropleth(&svg, scene, viewport, options))
        case .renewal:
            _ = drawParcels(&svg, scene, viewport, options, opacity: 0.25)
            drawRoads(&svg, scene, viewport)
            legend.append(("Buildings 建筑", try drawBuildings(&svg, scene, viewport, options, style: .renewal)))
        }
        legend.append(("Zones 分区", drawZones(&svg, scene, viewport)))
        svg.closeGroup()
        svg.element("rect", ["x": fmt(mapFrame.x), "y": fmt(mapFrame.y), "width": fmt(mapFrame.width), "height": fmt(mapFrame.height),
                             "fill": "none", "stroke": "#888", "stroke-width": "1"])

        // Side panel: north arrow, scale bar, legend, inset, notes.
        MapFurniture.northArrow(&svg, x: panelX + 20, y: 106)
        MapFurniture.scaleBar(&svg, viewport: viewport, x: panelX + 50, y: 118, maxWidth: 260)
        var y = 170.0
        svg.openGroup(["id": "legends"])
        for (title, entries) in legend where !entries.isEmpty {
            y = MapFurniture.legend(&svg, title: title, entries: entries, x: panelX, y: y) + 8
        }
        svg.closeGroup()
        if options.zone != nil { drawInset(&svg, scene, focus: focus, x: panelX, y: max(y, 600), size: 180) }
        let note = "CRS: \(scene.crsLabel). Data: \(scene.title)\(scene.synthetic ? " (synthetic, not real records)" : ""). Drawn by spaceplan."
        svg.openGroup(["id": "notes"])
        for (k, line) in MapFurniture.wrap(note, width: 48).enumerated() {
            svg.element("text", ["x": fmt(panelX), "y": fmt(1000 + Double(k) * 16), "class": "small"], text: line)
        }
        svg.closeGroup()
        return svg.finish()
    }

    // MARK: Layers

    static func drawParcels(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport, _ options: MapOptions,
                            opacity: Double) -> [MapFurniture.LegendEntry] {
        let visible = scene.parcels.filter { viewport.world.intersects(Envelope(minX: $0.centre.x, minY: $0.centre.y, maxX: $0.centre.x, maxY: $0.centre.y)) }
        var used = Set(visible.map(\.useClass))
        var entries: [MapFurniture.LegendEntry] = []
        svg.openGroup(["id": "parcels", "fill-opacity": formatFixed(opacity, 2), "stroke": "#FFFFFF", "stroke-width": "0.3"])
        if visible.count > options.maxParcels {
            // Too many parcels to draw one by one: the land use covering most area in each cell.
            let cell = MapFurniture.niceLength(atMost: viewport.metresPerPixel * 8)
            var areas: [Int64: [String: Double]] = [:]
            for p in visible { areas[gridKey(p.centre, cell), default: [:]][p.useClass, default: 0] += p.areaM2 }
            used = []
            for key in areas.keys.sorted() {
                let dominant = areas[key]!.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
                used.insert(dominant)
                let corner = viewport.point(Coordinate(Double(key >> 32) * cell, Double(Int32(truncatingIfNeeded: key) + 1) * cell))
                svg.element("rect", ["x": fmt(corner.x), "y": fmt(corner.y), "width": fmt(cell / viewport.metresPerPixel),
                                     "height": fmt(cell / viewport.metresPerPixel), "fill": Palette.landUse(dominant), "stroke": "none",
                                     "data-land-use": dominant])
            }
            entries.append(.init(symbol: .box(fill: "#FFFFFF", stroke: "#FFFFFF"),
                                 label: "dominant use per \(MapFurniture.lengthLabel(cell)) cell (\(grouped(Double(visible.count))) parcels)"))
        } else {
            for p in visible {
                svg.element("path", ["d": viewport.path(p.shape), "fill": Palette.landUse(p.useClass), "data-id": p.id, "data-land-use": p.useClass])
            }
        }
        svg.closeGroup()
        return Palette.landUseLegend.filter { used.contains($0.code) }.map {
            .init(symbol: .box(fill: Palette.landUse($0.code), stroke: nil), label: $0.label)
        } + entries
    }

    /// The grid cell of a point: column in the high 32 bits, row in the low.
    static func gridKey(_ c: Coordinate, _ cell: Double) -> Int64 {
        Int64(floor(c.x / cell)) << 32 | Int64(UInt32(bitPattern: Int32(floor(c.y / cell))))
    }

    static func drawRoads(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport) {
        guard !scene.roads.isEmpty else { return }
        svg.openGroup(["id": "roads", "fill": "none", "stroke": "#9AA0A6", "stroke-width": "0.8", "stroke-linecap": "round"])
        svg.element("path", ["d": scene.roads.map { viewport.path($0) }.joined()])
        svg.closeGroup()
    }

    enum BuildingStyle { case carriers, renewal }

    static func drawBuildings(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport, _ options: MapOptions,
                              style: BuildingStyle, densityBase: Bool = true) throws -> [MapFurniture.LegendEntry] {
        if scene.buildings.isEmpty { return [] }
        let colour: (MapScene.BuildingFeature) -> String = { b in
            switch style {
            case .carriers: return b.carrierType.map(Palette.carrierType) ?? Palette.otherBuilding
            case .renewal: return b.oldIndustrial ? Palette.oldIndustrial : Palette.otherBuilding
            }
        }
        var entries: [MapFurniture.LegendEntry]
        switch style {
        case .carriers:
            let present = Set(scene.buildings.compactMap(\.carrierType))
            entries = scene.carrierTypes.filter { present.contains($0.code) }.map {
                .init(symbol: .box(fill: Palette.carrierType($0.code), stroke: nil), label: $0.label)
            }
            entries.append(.init(symbol: .box(fill: Palette.otherBuilding, stroke: nil), label: "other building 其他建筑"))
        case .renewal:
            let old = scene.buildings.filter(\.oldIndustrial)
            entries = [.init(symbol: .box(fill: Palette.oldIndustrial, stroke: nil),
                             label: "old factory/warehouse (\(old.count), \(grouped(old.reduce(0) { $0 + $1.gfaM2 })) m²)"),
                       .init(symbol: .box(fill: Palette.otherBuilding, stroke: nil), label: "other building 其他建筑")]
        }
        let visible = scene.buildings.filter { viewport.world.intersects($0.bounds) }
        if visible.count > options.maxBuildings {
            // Too many footprints to draw usefully: floor area per grid cell, and the highlighted ones on top.
            entries.removeAll { $0.label == "other building 其他建筑" }
            if densityBase {
                let cell = drawDensityGrid(&svg, id: "buildings-density", points: visible.map { ($0.centre, $0.gfaM2) }, viewport: viewport,
                                           ramp: DensityGrid.floorAreaRamp)
                entries.append(.init(symbol: .box(fill: "#ABB2B9", stroke: nil), label: "floor area density (\(grouped(Double(visible.count))) buildings, \(MapFurniture.lengthLabel(cell)) cells)"))
            }
            // Footprints are a pixel or less at this scale: the highlighted ones become symbols.
            svg.openGroup(["id": "buildings", "stroke": "#FFFFFF", "stroke-width": "0.4"])
            for b in visible where (style == .carriers ? b.carrierType != nil : b.oldIndustrial) {
                let p = viewport.point(b.centre)
                svg.element("circle", ["cx": fmt(p.x), "cy": fmt(p.y), "r": "2.6", "fill": colour(b), "data-id": b.id,
                                       "data-carrier-type": b.carrierType ?? ""])
            }
            svg.closeGroup()
            return entries
        }
        svg.openGroup(["id": "buildings", "stroke": "#5D6D7E", "stroke-width": "0.2"])
        for b in visible {
            var attrs: KeyValuePairs<String, String> = ["d": viewport.path(b.shape), "fill": colour(b), "data-id": b.id]
            if let type = b.carrierType { attrs = ["d": viewport.path(b.shape), "fill": colour(b), "data-id": b.id, "data-carrier-type": type] }
            svg.element("path", attrs)
        }
        svg.closeGroup()
        return entries
    }

    static func drawFirms(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport, _ options: MapOptions,
                          aggregate: Bool = true) -> [MapFurniture.LegendEntry] {
        let visible = scene.firms.filter { viewport.world.intersects(Envelope(minX: $0.at.x, minY: $0.at.y, maxX: $0.at.x, maxY: $0.at.y)) }
        if visible.isEmpty { return [] }
        if visible.count > options.maxFirms, !aggregate {
            return [.init(symbol: .box(fill: "#FFFFFF", stroke: "#FFFFFF"), label: "\(grouped(Double(visible.count))) firms: see the enterprises map")]
        }
        if visible.count > options.maxFirms {
            let cell = drawDensityGrid(&svg, id: "enterprises-density", points: visible.map { ($0.at, Double($0.employees)) }, viewport: viewport,
                                       ramp: DensityGrid.employeesRamp)
            return [.init(symbol: .box(fill: Palette.yellowOrangeRed[3], stroke: nil),
                          label: "employees per \(MapFurniture.lengthLabel(cell)) cell (\(grouped(Double(visible.count))) firms)")]
        }
        let sectors = scene.sectors
        svg.openGroup(["id": "enterprises", "fill-opacity": "0.75", "stroke": "#FFFFFF", "stroke-width": "0.2"])
        for f in visible {
            let p = viewport.point(f.at)
            let colour = Palette.categorical[(sectors.firstIndex(of: f.sector) ?? sectors.count - 1) % Palette.categorical.count]
            svg.element("circle", ["cx": fmt(p.x), "cy": fmt(p.y), "r": fmt(radius(employees: f.employees)), "fill": colour,
                                   "data-id": f.id, "data-sector": f.sector])
        }
        svg.closeGroup()
        let present = Set(visible.map(\.sector))
        var entries: [MapFurniture.LegendEntry] = sectors.enumerated().filter { present.contains($0.element) }.map {
            .init(symbol: .circle(fill: Palette.categorical[$0.offset % Palette.categorical.count], radius: 5), label: $0.element)
        }
        for n in [10, 100, 1000] { entries.append(.init(symbol: .circle(fill: "#FFFFFF", radius: radius(employees: n)), label: "\(n) employees")) }
        return entries
    }

    /// Circle area proportional to employees: 1 px radius for 10 people, 5 px for 250.
    static func radius(employees: Int) -> Double { max(0.6, 0.32 * Double(max(1, employees)).squareRoot()) }

    static func drawZones(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport) -> [MapFurniture.LegendEntry] {
        svg.openGroup(["id": "zones", "fill": "none"])
        for z in scene.zones {
            let style: KeyValuePairs<String, String>
            switch z.kind {
            case .district: style = ["d": viewport.path(z.shape), "stroke": "#1B2631", "stroke-width": "2.2", "data-id": z.id, "data-kind": "district"]
            case .subdistrict: style = ["d": viewport.path(z.shape), "stroke": "#2C3E50", "stroke-width": "1.2", "data-id": z.id, "data-kind": "subdistrict"]
            case .cluster: style = ["d": viewport.path(z.shape), "stroke": "#7D3C98", "stroke-width": "1.8", "stroke-dasharray": "6 4", "data-id": z.id, "data-kind": "cluster"]
            }
            svg.element("path", style)
        }
        svg.closeGroup()
        svg.openGroup(["id": "zone-labels", "text-anchor": "middle"])
        for z in scene.zones where z.kind != .district && viewport.world.intersects(z.bounds) {
            let p = viewport.point(z.labelAt)
            svg.element("text", ["x": fmt(p.x), "y": fmt(p.y), "class": "zone-label", "fill": z.kind == .cluster ? "#6C3483" : "#1B2631",
                                 "data-id": z.id], text: z.name)
        }
        svg.closeGroup()
        var entries: [MapFurniture.LegendEntry] = []
        if scene.zones.contains(where: { $0.kind == .subdistrict }) { entries.append(.init(symbol: .line(stroke: "#2C3E50", dash: nil), label: "sub-district 街道")) }
        if scene.zones.contains(where: { $0.kind == .cluster }) { entries.append(.init(symbol: .line(stroke: "#7D3C98", dash: "6 4"), label: "innovation cluster 创新集群")) }
        return entries
    }

    /// Sums `value` per square cell of ~8 px and colours cells by quantile class. Returns the cell size in metres.
    @discardableResult
    static func drawDensityGrid(_ svg: inout SVGWriter, id: String, points: [(Coordinate, Double)], viewport: Viewport, ramp: [String]) -> Double {
        let grid = DensityGrid(points: points, metresPerPixel: viewport.metresPerPixel, classes: ramp.count)
        let side = fmt(grid.cellM / viewport.metresPerPixel)
        svg.openGroup(["id": id, "stroke": "none"])
        for cell in grid.cells {
            let corner = viewport.point(Coordinate(cell.minX, cell.minY + grid.cellM))
            svg.element("rect", ["x": fmt(corner.x), "y": fmt(corner.y), "width": side, "height": side, "fill": ramp[cell.classIndex]])
        }
        svg.closeGroup()
        return grid.cellM
    }

    static func drawChoropleth(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport, _ options: MapOptions) throws -> (String, [MapFurniture.LegendEntry]) {
        let subdistricts = scene.zones.filter { $0.kind == .subdistrict }
        let value: (MapScene.ZoneFigures) -> Double? = { t in
            switch options.theme {
            case .vacancy: return t.gfaM2 > 0 ? t.vacantBuildingM2 / t.gfaM2 * 100 : nil
            default: return t.techSpaceM2
            }
        }
        let values = subdistricts.map { scene.zoneFigures[$0.id].flatMap(value) }
        let known = values.compactMap { $0 }
        guard !known.isEmpty else { return ("", []) }
        let classification = try Classification.classify(known, classes: options.classes, method: options.classification)
        let ramp = Palette.ramp(options.theme == .vacancy ? Palette.yellowOrangeRed : Palette.bluePurple, classes: classification.breaks.count)
        svg.openGroup(["id": "choropleth", "stroke": "#FFFFFF", "stroke-width": "1", "data-method": options.classification.rawValue])
        for (z, zone) in subdistricts.enumerated() {
            let fill = values[z].map { ramp[classification.classIndex(of: $0)] } ?? "#EEEEEE"
            svg.element("path", ["d": viewport.path(zone.shape), "fill": fill, "data-id": zone.id,
                                 "data-value": values[z].map { formatFixed($0, 2) } ?? "none"])
        }
        svg.closeGroup()
        let unit = options.theme == .vacancy ? "%" : "m²"
        let labels = classRangeLabels(classification, unit: unit)
        var entries = zip(ramp, labels).map { MapFurniture.LegendEntry(symbol: .box(fill: $0, stroke: nil), label: $1) }
        if values.contains(where: { $0 == nil }) { entries.append(.init(symbol: .box(fill: "#EEEEEE", stroke: nil), label: "no floor area")) }
        let title = (options.theme == .vacancy ? "Vacant / gross floor area" : "Tech-cultivation space")
            + " (\(options.classification.rawValue), \(classification.breaks.count) classes)"
        return (title, entries)
    }

    public static func classRangeLabels(_ c: Classification, unit: String) -> [String] {
        var lower = c.minimum
        return c.breaks.map { upper in
            let text = unit == "%" ? "\(String(format: "%.2f", lower)) – \(String(format: "%.2f", upper)) %" : "\(grouped(lower)) – \(grouped(upper)) m²"
            lower = upper
            return text
        }
    }

    static func drawInset(_ svg: inout SVGWriter, _ scene: MapScene, focus: MapScene.ZoneFeature, x: Double, y: Double, size: Double) {
        let inset = Viewport(world: scene.district.bounds, frame: (x, y, size * 1.6, size))
        svg.openGroup(["id": "inset"])
        svg.element("rect", ["x": fmt(x), "y": fmt(y), "width": fmt(size * 1.6), "height": fmt(size), "fill": "#FFFFFF", "stroke": "#888"])
        for z in scene.zones where z.kind != .cluster {
            svg.element("path", ["d": inset.path(z.shape), "fill": z.kind == .district ? "#F2F3F4" : "none", "stroke": "#7F8C8D", "stroke-width": "0.6"])
        }
        svg.element("path", ["d": inset.path(focus.shape), "fill": "#F5B041", "fill-opacity": "0.6", "stroke": "#C0392B", "stroke-width": "1.5", "data-id": focus.id])
        svg.element("text", ["x": fmt(x), "y": fmt(y + size + 16), "class": "small"], text: "Whole district 全区")
        svg.closeGroup()
    }
}

public enum MapError: Error, CustomStringConvertible {
    case unknownZone(String, known: [String])
    public var description: String {
        switch self {
        case let .unknownZone(id, known): return "no zone '\(id)'; zones are \(known.joined(separator: ", "))"
        }
    }
}
