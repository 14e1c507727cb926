import Foundation
import SpaceCore

/// What a parcel map shows: a value per parcel (classified into a colour ramp, as the
/// choropleths are) or a category per parcel (one colour each), with the figures to print.
public struct ParcelMapInput: Sendable {
    public enum Fill: Sendable {
        /// Parcel id → value; `unit` for the legend ("m²").
        case values([String: Double], unit: String)
        /// Parcel id → category code; the categories in legend order with their labels.
        case categories([String: String], legend: [MapScene.Category])
    }

    public var title: String
    public var legendTitle: String
    public var fill: Fill
    public var figures: [String] = []
    public var classification: ClassificationMethod = .fisherJenks
    public var classes = 5

    public init(title: String, legendTitle: String, fill: Fill) {
        self.title = title; self.legendTitle = legendTitle; self.fill = fill
    }
}

/// Parcels coloured by a figure of theirs on the district map: the headroom of the build-out,
/// the sites a programme chooses.
public enum ParcelMap {
    public static func render(_ scene: MapScene, _ input: ParcelMapInput) throws -> String {
        let frame = DistrictMap.mapFrame, size = DistrictMap.size, panelX = DistrictMap.panelX
        let focus = scene.district
        let viewport = Viewport(world: focus.bounds.expanded(by: max(focus.bounds.width, focus.bounds.height) * 0.02), frame: frame)
        var svg = SVGWriter(width: size.width, height: size.height, title: "\(input.title) — \(scene.title)", page: .map)
        svg.raw(
            """
              <defs><clipPath id="map-frame"><rect x="\(fmt(frame.x))" y="\(fmt(frame.y))" width="\(fmt(frame.width))" height="\(fmt(frame.height))"/></clipPath></defs>

            """)
        svg.element(
            "rect",
            ["x": "0", "y": "0", "width": fmt(size.width), "height": fmt(size.height), "fill": StyleSpecification.standard.furniture.background])
        svg.element("text", ["x": "24", "y": "38", "class": "title"], text: input.title)
        svg.element("text", ["x": "24", "y": "64", "class": "subtitle"], text: scene.subtitle)

        svg.openGroup(["id": "map", "clip-path": "url(#map-frame)"])
        svg.element(
            "path", ["id": "district", "d": viewport.path(focus.shape), "fill": StyleSpecification.standard.zones.districtFill, "stroke": "none"])
        let visible = scene.parcels.filter {
            viewport.world.intersects(Envelope(minX: $0.centre.x, minY: $0.centre.y, maxX: $0.centre.x, maxY: $0.centre.y))
        }
        // Too many parcels to draw one by one (the file would not open): cells of the district
        // grid, each with the summed value or the most frequent category of its parcels.
        let cell = visible.count > MapOptions().maxParcels ? MapFurniture.niceLength(atMost: viewport.metresPerPixel * 8) : nil
        let (colour, entries) = try colouring(cell.map { aggregated(input, visible, cell: $0) } ?? input)
        let outline = StyleSpecification.standard.landUse.outline
        svg.openGroup(["id": "parcels", "stroke": cell == nil ? outline.colour : "none", "stroke-width": styleNumber(outline.width)])
        if let cell {
            for key in Set(visible.map { DistrictMap.gridKey($0.centre, cell) }).sorted() {
                guard let fill = colour("cell-\(key)") else { continue }
                let corner = viewport.point(Coordinate(Double(key >> 32) * cell, Double(Int32(truncatingIfNeeded: key) + 1) * cell))
                svg.element(
                    "rect",
                    [
                        "x": fmt(corner.x), "y": fmt(corner.y), "width": fmt(cell / viewport.metresPerPixel),
                        "height": fmt(cell / viewport.metresPerPixel), "fill": fill,
                    ])
            }
        } else {
            for p in visible {
                guard let fill = colour(p.id) else { continue }
                svg.element("path", ["d": viewport.path(p.shape), "fill": fill, "data-id": p.id])
            }
        }
        svg.closeGroup()
        DistrictMap.drawRoads(&svg, scene, viewport)
        let zoneLegend = DistrictMap.drawZones(&svg, scene, viewport)
        svg.closeGroup()
        svg.element(
            "rect",
            [
                "x": fmt(frame.x), "y": fmt(frame.y), "width": fmt(frame.width), "height": fmt(frame.height), "fill": "none",
                "stroke": StyleSpecification.standard.furniture.frame,
            ])

        MapFurniture.northArrow(&svg, x: panelX + 20, y: 106)
        MapFurniture.scaleBar(&svg, viewport: viewport, x: panelX + 50, y: 118, maxWidth: 260)
        var y = MapFurniture.legend(&svg, title: input.legendTitle, entries: entries, x: panelX, y: 170) + 8
        y = MapFurniture.legend(&svg, title: "Zones 分区", entries: zoneLegend, x: panelX, y: y) + 8
        MapFurniture.figuresAndNote(&svg, input.figures, scene: scene, x: panelX, y: y)
        return svg.finish()
    }

    /// The input with parcels merged into grid cells ("cell-KEY"): values summed, the most
    /// frequent category kept.
    static func aggregated(_ input: ParcelMapInput, _ parcels: [MapScene.ParcelFeature], cell: Double) -> ParcelMapInput {
        var out = input
        switch input.fill {
        case let .values(byParcel, unit):
            var sums: [String: Double] = [:]
            for p in parcels { sums["cell-\(DistrictMap.gridKey(p.centre, cell))", default: 0] += byParcel[p.id] ?? 0 }
            out.fill = .values(sums, unit: unit)
            out.legendTitle += " per \(MapFurniture.lengthLabel(cell)) cell"
        case let .categories(byParcel, legend):
            var counts: [String: [String: Int]] = [:]
            for p in parcels { if let c = byParcel[p.id] { counts["cell-\(DistrictMap.gridKey(p.centre, cell))", default: [:]][c, default: 0] += 1 } }
            out.fill = .categories(counts.mapValues { $0.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key }, legend: legend)
            out.legendTitle += " (most frequent per \(MapFurniture.lengthLabel(cell)) cell)"
        }
        return out
    }

    /// Each parcel's colour (nil: not drawn) and the legend.
    static func colouring(_ input: ParcelMapInput) throws -> ((String) -> String?, [MapFurniture.LegendEntry]) {
        switch input.fill {
        case let .categories(byParcel, legend):
            let colours = Dictionary(uniqueKeysWithValues: legend.enumerated().map { ($1.code, Palette.categorical[$0 % Palette.categorical.count]) })
            let used = Set(byParcel.values)
            return (
                { byParcel[$0].flatMap { colours[$0] } ?? StyleSpecification.standard.zones.noValue },
                legend.filter { used.contains($0.code) }.map { .init(symbol: .box(fill: colours[$0.code]!, stroke: nil), label: $0.label) }
                    + [.init(symbol: .box(fill: StyleSpecification.standard.zones.noValue, stroke: nil), label: "not chosen")]
            )
        case let .values(byParcel, unit):
            let positive = byParcel.values.filter { $0 > 0 }
            guard !positive.isEmpty else {
                return (
                    { _ in StyleSpecification.standard.zones.noValue },
                    [.init(symbol: .box(fill: StyleSpecification.standard.zones.noValue, stroke: nil), label: "none")]
                )
            }
            let classification = try Classification.classify(positive, classes: min(input.classes, Set(positive).count), method: input.classification)
            let ramp = Palette.ramp(Palette.yellowOrangeRed, classes: classification.breaks.count)
            let labels = DistrictMap.classRangeLabels(classification, unit: unit)
            return (
                {
                    byParcel[$0].map { $0 > 0 ? ramp[classification.classIndex(of: $0)] : StyleSpecification.standard.zones.noValue }
                        ?? StyleSpecification.standard.zones.noValue
                },
                zip(ramp, labels).map { .init(symbol: .box(fill: $0, stroke: nil), label: $1) }
                    + [.init(symbol: .box(fill: StyleSpecification.standard.zones.noValue, stroke: nil), label: "none")]
            )
        }
    }
}
