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

    /// What a map of `options` frames (the district or a zone) and the features it shows there.
    struct View {
        let focus: MapScene.ZoneFeature
        let viewport: Viewport
        let parcels: [MapScene.ParcelFeature]
        let buildings: [MapScene.BuildingFeature]
        let firms: [MapScene.FirmFeature]

        init(_ scene: MapScene, _ options: MapOptions) throws {
            var focus = scene.district
            if let id = options.zone {
                guard let zone = scene.zones.first(where: { $0.id == id }) else {
                    throw MapError.unknownZone(id, known: scene.zones.map(\.id))
                }
                focus = zone
            }
            self.focus = focus
            let viewport = Viewport(world: focus.bounds.expanded(by: max(focus.bounds.width, focus.bounds.height) * 0.02), frame: mapFrame)
            self.viewport = viewport
            parcels = scene.parcels.filter {
                viewport.world.intersects(Envelope(minX: $0.centre.x, minY: $0.centre.y, maxX: $0.centre.x, maxY: $0.centre.y))
            }
            buildings = scene.buildings.filter { viewport.world.intersects($0.bounds) }
            firms = scene.firms.filter { viewport.world.intersects(Envelope(minX: $0.at.x, minY: $0.at.y, maxX: $0.at.x, maxY: $0.at.y)) }
        }
    }

    public static func render(_ scene: MapScene, _ options: MapOptions, style: StyleSpecification = .standard) throws -> String {
        let view = try View(scene, options)
        let focus = view.focus, viewport = view.viewport
        let theme = style.theme(options.theme), furniture = style.furniture
        var svg = SVGWriter(width: size.width, height: size.height, title: "\(options.theme.title) — \(scene.title)", page: .map)
        svg.raw(
            """
              <defs><clipPath id="map-frame"><rect x="\(fmt(mapFrame.x))" y="\(fmt(mapFrame.y))" width="\(fmt(mapFrame.width))" height="\(fmt(mapFrame.height))"/></clipPath></defs>

            """)
        svg.element("rect", ["x": "0", "y": "0", "width": fmt(size.width), "height": fmt(size.height), "fill": furniture.background])
        svg.element("text", ["x": "24", "y": "38", "class": "title"], text: options.theme.title)
        let subtitle = (options.zone == nil ? "" : "\(focus.name) · ") + scene.subtitle
        svg.element("text", ["x": "24", "y": "64", "class": "subtitle"], text: subtitle)

        svg.openGroup(["id": "map", "clip-path": "url(#map-frame)"])
        svg.element("path", ["id": "district", "d": viewport.path(scene.district.shape), "fill": style.zones.districtFill, "stroke": "none"])
        if theme.choropleth != nil {
            try drawChoropleth(&svg, scene, viewport, options, style)
        } else {
            if let parcels = theme.parcels { drawParcels(&svg, view, options, style, opacity: parcels.opacity) }
            if theme.roads { drawRoads(&svg, scene, viewport, style) }
            if let colouring = BuildingStyle(theme.buildings) {
                drawBuildings(&svg, scene, view, options, style, colouring: colouring, densityBase: theme.buildingDensityBase)
            }
            if let enterprises = theme.enterprises { drawFirms(&svg, scene, view, options, style, aggregate: enterprises.densityGrid) }
        }
        drawZones(&svg, scene, viewport, style)
        svg.closeGroup()
        svg.element(
            "rect",
            [
                "x": fmt(mapFrame.x), "y": fmt(mapFrame.y), "width": fmt(mapFrame.width), "height": fmt(mapFrame.height),
                "fill": "none", "stroke": furniture.frame, "stroke-width": "1",
            ])

        // Side panel: north arrow, scale bar, legend, inset, notes.
        MapFurniture.northArrow(&svg, x: panelX + 20, y: 106)
        MapFurniture.scaleBar(&svg, viewport: viewport, x: panelX + 50, y: 118, maxWidth: 260)
        var y = 170.0
        svg.openGroup(["id": "legends"])
        for section in try legendSections(scene, view, options, style) {
            y = MapFurniture.legend(&svg, title: section.title, entries: section.entries, x: panelX, y: y) + 8
        }
        svg.closeGroup()
        if options.zone != nil { drawInset(&svg, scene, focus: focus, x: panelX, y: max(y, 600), size: 180, style) }
        let note = "CRS: \(scene.crsLabel). Data: \(scene.title)\(scene.synthetic ? " (synthetic, not real records)" : ""). Drawn by spaceplan."
        svg.openGroup(["id": "notes"])
        for (k, line) in MapFurniture.wrap(note, width: 48).enumerated() {
            svg.element("text", ["x": fmt(panelX), "y": fmt(1000 + Double(k) * 16), "class": "small"], text: line)
        }
        svg.closeGroup()
        return svg.finish()
    }

    // MARK: Legend

    /// The sections of the legend the map of `options` draws, in its order, empty ones left out.
    public static func legendSections(_ scene: MapScene, _ options: MapOptions, style: StyleSpecification = .standard) throws -> [LegendSection] {
        try legendSections(scene, View(scene, options), options, style)
    }

    static func legendSections(_ scene: MapScene, _ view: View, _ options: MapOptions, _ style: StyleSpecification) throws -> [LegendSection] {
        let theme = style.theme(options.theme)
        var sections: [LegendSection] = []
        if theme.choropleth != nil {
            if let classes = try ThemeLegend.choropleth(scene, options, style: style) {
                sections.append(.init(layer: "choropleth", title: classes.title, entries: classes.entries))
            }
        } else {
            if let parcels = theme.parcels, parcels.legend {
                sections.append(.init(layer: "parcels", title: style.landUse.title, entries: parcelEntries(view, options, style)))
            }
            if let colouring = BuildingStyle(theme.buildings) {
                sections.append(
                    .init(
                        layer: "buildings", title: style.buildings.title,
                        entries: buildingEntries(scene, view, options, style, colouring: colouring, densityBase: theme.buildingDensityBase)))
            }
            if let enterprises = theme.enterprises {
                sections.append(
                    .init(
                        layer: "enterprises", title: style.enterprises.title,
                        entries: firmEntries(scene, view, options, style, aggregate: enterprises.densityGrid)))
            }
        }
        sections.append(.init(layer: "zones", title: style.zones.title, entries: zoneEntries(scene, style)))
        return sections.filter { !$0.entries.isEmpty }
    }

    static func parcelEntries(_ view: View, _ options: MapOptions, _ style: StyleSpecification) -> [LegendEntry] {
        var used = Set(view.parcels.map(\.useClass))
        var entries: [LegendEntry] = []
        if view.parcels.count > options.maxParcels {
            let (cell, dominant) = dominantUses(view.parcels, view.viewport)
            used = Set(dominant.map(\.useClass))
            entries.append(
                .init(
                    symbol: .box(fill: style.landUse.gridSwatch, stroke: style.landUse.gridSwatch),
                    label: "dominant use per \(MapFurniture.lengthLabel(cell)) cell (\(grouped(Double(view.parcels.count))) parcels)"))
        }
        return style.landUse.classes.filter { used.contains($0.code) }.map {
            .init(symbol: .box(fill: $0.colour, stroke: nil), label: $0.label)
        } + entries
    }

    static func buildingEntries(
        _ scene: MapScene, _ view: View, _ options: MapOptions, _ style: StyleSpecification,
        colouring: BuildingStyle, densityBase: Bool
    ) -> [LegendEntry] {
        if scene.buildings.isEmpty { return [] }
        let s = style.buildings
        var entries: [LegendEntry]
        switch colouring {
        case .carriers:
            let present = Set(scene.buildings.compactMap(\.carrierType))
            entries = scene.carrierTypes.filter { present.contains($0.code) }.map {
                .init(symbol: .box(fill: style.carrierColour($0.code), stroke: nil), label: $0.label)
            }
        case .renewal:
            let old = scene.buildings.filter(\.oldIndustrial)
            entries = [
                .init(
                    symbol: .box(fill: s.oldIndustrial, stroke: nil),
                    label: "\(s.oldIndustrialLabel) (\(old.count), \(grouped(old.reduce(0) { $0 + $1.gfaM2 })) m²)")
            ]
        }
        if view.buildings.count > options.maxBuildings {
            // Too many footprints to draw usefully: floor area per grid cell, and the highlighted ones on top.
            if densityBase {
                let cell = MapFurniture.niceLength(atMost: view.viewport.metresPerPixel * 8)
                entries.append(
                    .init(
                        symbol: .box(fill: style.densities.floorArea[2], stroke: nil),
                        label: "floor area density (\(grouped(Double(view.buildings.count))) buildings, \(MapFurniture.lengthLabel(cell)) cells)"))
            }
        } else {
            entries.append(.init(symbol: .box(fill: s.other, stroke: nil), label: s.otherLabel))
        }
        return entries
    }

    static func firmEntries(_ scene: MapScene, _ view: View, _ options: MapOptions, _ style: StyleSpecification, aggregate: Bool) -> [LegendEntry] {
        let visible = view.firms, s = style.enterprises
        if visible.isEmpty { return [] }
        if visible.count > options.maxFirms, !aggregate {
            return [
                .init(
                    symbol: .box(fill: s.hiddenSwatch, stroke: s.hiddenSwatch),
                    label: "\(grouped(Double(visible.count))) firms: see the enterprises map")
            ]
        }
        if visible.count > options.maxFirms {
            let cell = MapFurniture.niceLength(atMost: view.viewport.metresPerPixel * 8)
            return [
                .init(
                    symbol: .box(fill: style.densities.employees[2], stroke: nil),
                    label: "employees per \(MapFurniture.lengthLabel(cell)) cell (\(grouped(Double(visible.count))) firms)")
            ]
        }
        let present = Set(visible.map(\.sector))
        var entries: [LegendEntry] = scene.sectors.enumerated().filter { present.contains($0.element) }.map {
            .init(symbol: .circle(fill: style.sectorColour(at: $0.offset), radius: s.legendRadius), label: $0.element)
        }
        for n in s.legendSizes { entries.append(.init(symbol: .circle(fill: s.sizeSwatch, radius: s.radius.radius(n)), label: "\(n) employees")) }
        return entries
    }

    static func zoneEntries(_ scene: MapScene, _ style: StyleSpecification) -> [LegendEntry] {
        let z = style.zones
        var entries: [LegendEntry] = []
        if scene.zones.contains(where: { $0.kind == .subdistrict }) {
            entries.append(.init(symbol: .line(stroke: z.subdistrict.colour, dash: z.subdistrict.dash), label: z.subdistrictLegend))
        }
        if scene.zones.contains(where: { $0.kind == .cluster }) {
            entries.append(.init(symbol: .line(stroke: z.cluster.colour, dash: z.cluster.dash), label: z.clusterLegend))
        }
        return entries
    }

    // MARK: Layers

    /// The land use covering most area in each grid cell of about 8 px, by cell; and the cell size in metres.
    static func dominantUses(_ parcels: [MapScene.ParcelFeature], _ viewport: Viewport) -> (cellM: Double, [(key: Int64, useClass: String)]) {
        let cell = MapFurniture.niceLength(atMost: viewport.metresPerPixel * 8)
        var areas: [Int64: [String: Double]] = [:]
        for p in parcels { areas[gridKey(p.centre, cell), default: [:]][p.useClass, default: 0] += p.areaM2 }
        return (
            cell,
            areas.keys.sorted().map { key in
                (key, areas[key]!.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key)
            }
        )
    }

    static func drawParcels(_ svg: inout SVGWriter, _ view: View, _ options: MapOptions, _ style: StyleSpecification, opacity: Double) {
        let viewport = view.viewport, outline = style.landUse.outline
        svg.openGroup([
            "id": "parcels", "fill-opacity": formatFixed(opacity, 2), "stroke": outline.colour, "stroke-width": styleNumber(outline.width),
        ])
        if view.parcels.count > options.maxParcels {
            // Too many parcels to draw one by one: the land use covering most area in each cell.
            let (cell, dominant) = dominantUses(view.parcels, viewport)
            for (key, use) in dominant {
                let corner = viewport.point(Coordinate(Double(key >> 32) * cell, Double(Int32(truncatingIfNeeded: key) + 1) * cell))
                svg.element(
                    "rect",
                    [
                        "x": fmt(corner.x), "y": fmt(corner.y), "width": fmt(cell / viewport.metresPerPixel),
                        "height": fmt(cell / viewport.metresPerPixel), "fill": style.landUseColour(use), "stroke": "none",
                        "data-land-use": use,
                    ])
            }
        } else {
            for p in view.parcels {
                svg.element(
                    "path", ["d": viewport.path(p.shape), "fill": style.landUseColour(p.useClass), "data-id": p.id, "data-land-use": p.useClass])
            }
        }
        svg.closeGroup()
    }

    /// The grid cell of a point: column in the high 32 bits, row in the low.
    static func gridKey(_ c: Coordinate, _ cell: Double) -> Int64 {
        Int64(floor(c.x / cell)) << 32 | Int64(UInt32(bitPattern: Int32(floor(c.y / cell))))
    }

    static func drawRoads(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport, _ style: StyleSpecification = .standard) {
        guard !scene.roads.isEmpty else { return }
        let stroke = style.roads.stroke
        svg.openGroup(["id": "roads", "fill": "none", "stroke": stroke.colour, "stroke-width": styleNumber(stroke.width), "stroke-linecap": "round"])
        svg.element("path", ["d": scene.roads.map { viewport.path($0) }.joined()])
        svg.closeGroup()
    }

    /// The building colourings an SVG map draws (a faint base is for the interactive map only).
    enum BuildingStyle {
        case carriers, renewal
        init?(_ colouring: StyleSpecification.BuildingColouring) {
            switch colouring {
            case .carriers: self = .carriers
            case .renewal: self = .renewal
            case .faint, .none: return nil
            }
        }
    }

    static func drawBuildings(
        _ svg: inout SVGWriter, _ scene: MapScene, _ view: View, _ options: MapOptions, _ style: StyleSpecification,
        colouring: BuildingStyle, densityBase: Bool
    ) {
        if scene.buildings.isEmpty { return }
        let s = style.buildings, viewport = view.viewport
        let colour: (MapScene.BuildingFeature) -> String = { b in
            switch colouring {
            case .carriers: return b.carrierType.map(style.carrierColour) ?? s.other
            case .renewal: return b.oldIndustrial ? s.oldIndustrial : s.other
            }
        }
        let visible = view.buildings
        if visible.count > options.maxBuildings {
            // Too many footprints to draw usefully: floor area per grid cell, and the highlighted ones on top.
            if densityBase {
                drawDensityGrid(
                    &svg, id: "buildings-density", points: visible.map { ($0.centre, $0.gfaM2) }, viewport: viewport,
                    ramp: style.densities.floorArea)
            }
            // Footprints are a pixel or less at this scale: the highlighted ones become symbols.
            svg.openGroup(["id": "buildings", "stroke": s.symbolOutline.colour, "stroke-width": styleNumber(s.symbolOutline.width)])
            for b in visible where (colouring == .carriers ? b.carrierType != nil : b.oldIndustrial) {
                let p = viewport.point(b.centre)
                svg.element(
                    "circle",
                    [
                        "cx": fmt(p.x), "cy": fmt(p.y), "r": styleNumber(s.symbolRadius), "fill": colour(b), "data-id": b.id,
                        "data-carrier-type": b.carrierType ?? "",
                    ])
            }
            svg.closeGroup()
            return
        }
        svg.openGroup(["id": "buildings", "stroke": s.outline.colour, "stroke-width": styleNumber(s.outline.width)])
        for b in visible {
            var attrs: KeyValuePairs<String, String> = ["d": viewport.path(b.shape), "fill": colour(b), "data-id": b.id]
            if let type = b.carrierType { attrs = ["d": viewport.path(b.shape), "fill": colour(b), "data-id": b.id, "data-carrier-type": type] }
            svg.element("path", attrs)
        }
        svg.closeGroup()
    }

    static func drawFirms(
        _ svg: inout SVGWriter, _ scene: MapScene, _ view: View, _ options: MapOptions, _ style: StyleSpecification,
        aggregate: Bool
    ) {
        let visible = view.firms, s = style.enterprises
        if visible.isEmpty || (visible.count > options.maxFirms && !aggregate) { return }
        if visible.count > options.maxFirms {
            drawDensityGrid(
                &svg, id: "enterprises-density", points: visible.map { ($0.at, Double($0.employees)) }, viewport: view.viewport,
                ramp: style.densities.employees)
            return
        }
        let sectors = scene.sectors
        svg.openGroup([
            "id": "enterprises", "fill-opacity": styleNumber(s.fillOpacity), "stroke": s.outline.colour, "stroke-width": styleNumber(s.outline.width),
        ])
        for f in visible {
            let p = view.viewport.point(f.at)
            let colour = style.sectorColour(at: sectors.firstIndex(of: f.sector) ?? sectors.count - 1)
            svg.element(
                "circle",
                [
                    "cx": fmt(p.x), "cy": fmt(p.y), "r": fmt(s.radius.radius(f.employees)), "fill": colour,
                    "data-id": f.id, "data-sector": f.sector,
                ])
        }
        svg.closeGroup()
    }

    /// Draws the zones' outlines and labels; returns their legend entries.
    @discardableResult
    static func drawZones(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport, _ style: StyleSpecification = .standard) -> [LegendEntry] {
        let z = style.zones
        svg.openGroup(["id": "zones", "fill": "none"])
        for zone in scene.zones {
            let attrs: KeyValuePairs<String, String>
            switch zone.kind {
            case .district:
                attrs = [
                    "d": viewport.path(zone.shape), "stroke": z.district.colour, "stroke-width": styleNumber(z.district.width), "data-id": zone.id,
                    "data-kind": "district",
                ]
            case .subdistrict:
                attrs = [
                    "d": viewport.path(zone.shape), "stroke": z.subdistrict.colour, "stroke-width": styleNumber(z.subdistrict.width),
                    "data-id": zone.id, "data-kind": "subdistrict",
                ]
            case .cluster:
                attrs = [
                    "d": viewport.path(zone.shape), "stroke": z.cluster.colour, "stroke-width": styleNumber(z.cluster.width),
                    "stroke-dasharray": z.cluster.dash ?? "none", "data-id": zone.id, "data-kind": "cluster",
                ]
            }
            svg.element("path", attrs)
        }
        svg.closeGroup()
        svg.openGroup(["id": "zone-labels", "text-anchor": "middle"])
        for zone in scene.zones where zone.kind != .district && viewport.world.intersects(zone.bounds) {
            let p = viewport.point(zone.labelAt)
            svg.element(
                "text",
                [
                    "x": fmt(p.x), "y": fmt(p.y), "class": "zone-label", "fill": zone.kind == .cluster ? z.clusterLabel : z.subdistrictLabel,
                    "data-id": zone.id,
                ], text: zone.name)
        }
        svg.closeGroup()
        return zoneEntries(scene, style)
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

    static func drawChoropleth(_ svg: inout SVGWriter, _ scene: MapScene, _ viewport: Viewport, _ options: MapOptions, _ style: StyleSpecification)
        throws
    {
        guard let classes = try ThemeLegend.choropleth(scene, options, style: style) else { return }
        let subdistricts = scene.zones.filter { $0.kind == .subdistrict }
        let outline = style.zones.choroplethOutline
        svg.openGroup([
            "id": "choropleth", "stroke": outline.colour, "stroke-width": styleNumber(outline.width), "data-method": options.classification.rawValue,
        ])
        for (zone, c) in zip(subdistricts, classes.zones) {
            svg.element(
                "path",
                [
                    "d": viewport.path(zone.shape), "fill": c.colour, "data-id": zone.id,
                    "data-value": c.value.map { formatFixed($0, 2) } ?? "none",
                ])
        }
        svg.closeGroup()
    }

    public static func classRangeLabels(_ c: Classification, unit: String) -> [String] {
        var lower = c.minimum
        return c.breaks.map { upper in
            let text =
                unit == "%" ? "\(String(format: "%.2f", lower)) – \(String(format: "%.2f", upper)) %" : "\(grouped(lower)) – \(grouped(upper)) m²"
            lower = upper
            return text
        }
    }

    static func drawInset(
        _ svg: inout SVGWriter, _ scene: MapScene, focus: MapScene.ZoneFeature, x: Double, y: Double, size: Double,
        _ style: StyleSpecification
    ) {
        let f = style.furniture
        let inset = Viewport(world: scene.district.bounds, frame: (x, y, size * 1.6, size))
        svg.openGroup(["id": "inset"])
        svg.element("rect", ["x": fmt(x), "y": fmt(y), "width": fmt(size * 1.6), "height": fmt(size), "fill": f.background, "stroke": f.frame])
        for z in scene.zones where z.kind != .cluster {
            svg.element(
                "path",
                [
                    "d": inset.path(z.shape), "fill": z.kind == .district ? f.insetDistrict : "none", "stroke": f.insetOutline.colour,
                    "stroke-width": styleNumber(f.insetOutline.width),
                ])
        }
        svg.element(
            "path",
            [
                "d": inset.path(focus.shape), "fill": f.insetFocus, "fill-opacity": "0.6", "stroke": f.insetFocusOutline.colour,
                "stroke-width": styleNumber(f.insetFocusOutline.width), "data-id": focus.id,
            ])
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
