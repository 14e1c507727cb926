import Foundation

import SpaceCore

/// Charts for reports: the tech-cultivation space trajectory and floor area by zone.
public enum Charts {
    static let width = 1120.0, height = 580.0
    static let plot = (x: 110.0, y: 100.0, width: 600.0, height: 400.0)

    static func header(_ title: String, _ subtitle: String) -> SVGWriter {
        var svg = SVGWriter(width: width, height: height, title: title, page: .chart)
        svg.element(
            "rect", ["x": "0", "y": "0", "width": fmt(width), "height": fmt(height), "fill": StyleSpecification.standard.furniture.background])
        svg.element("text", ["x": "24", "y": "34", "class": "title"], text: title)
        svg.element("text", ["x": "24", "y": "56", "class": "subtitle"], text: subtitle)
        return svg
    }

    /// A round axis maximum and step for values up to `maximum`.
    static func axis(_ maximum: Double) -> (top: Double, step: Double) {
        let step = MapFurniture.niceLength(atMost: max(maximum, 1) / 4)
        return ((maximum / step).rounded(.up) * step, step)
    }

    /// Horizontal grid lines with their values, from 0 to `top`.
    static func gridLines(_ svg: inout SVGWriter, top: Double, step: Double, y: (Double) -> Double) {
        var v = 0.0
        while v <= top + 1e-9 {
            svg.element(
                "line",
                [
                    "x1": fmt(plot.x), "y1": fmt(y(v)), "x2": fmt(plot.x + plot.width), "y2": fmt(y(v)),
                    "stroke": StyleSpecification.standard.trajectory.grid,
                ])
            svg.element("text", ["x": fmt(plot.x - 8), "y": fmt(y(v) + 4), "text-anchor": "end", "class": "axis"], text: grouped(v))
            v += step
        }
    }

    /// The plan's path (baseline → milestones) against the stock the data show in their year.
    public static func trajectory(_ scene: MapScene, style: StyleSpecification = .standard) -> String {
        let policy = scene.targets, s = style.trajectory
        let path = [policy.baseline] + policy.milestones
        let stock = scene.total.techSpaceM2
        let firstYear = min(path.first!.year, scene.asOfYear) - 1, lastYear = max(path.last!.year, scene.asOfYear) + 1
        let maxValue = max(path.map(\.floorAreaM2).max()!, stock)
        let (top, step) = axis(maxValue * 1.05)
        let x = { (year: Double) in plot.x + (year - Double(firstYear)) / Double(lastYear - firstYear) * plot.width }
        let y = { (m2: Double) in plot.y + plot.height - m2 / top * plot.height }
        var svg = header(
            "Tech-cultivation space: the plan's path and the stock 科技培育空间",
            "\(scene.subtitle) · stock as of \(scene.asOfYear)")
        svg.openGroup(["id": "axes", "class": "axis"])
        gridLines(&svg, top: top, step: step, y: y)
        for year in firstYear...lastYear {
            svg.element(
                "text", ["x": fmt(x(Double(year))), "y": fmt(plot.y + plot.height + 20), "text-anchor": "middle", "class": "axis"], text: String(year)
            )
        }
        svg.element("text", ["x": "24", "y": fmt(plot.y - 14), "class": "axis"], text: "floor area m² 建筑面积")
        svg.closeGroup()
        svg.openGroup(["id": "target-path", "data-series": "target"])
        svg.element(
            "path",
            [
                "d": path.enumerated().map { ($0.offset == 0 ? "M" : "L") + "\(fmt(x(Double($0.element.year)))) \(fmt(y($0.element.floorAreaM2)))" }
                    .joined(),
                "fill": "none", "stroke": s.target.colour, "stroke-width": styleNumber(s.target.width),
            ])
        for m in path {
            svg.element(
                "circle",
                [
                    "cx": fmt(x(Double(m.year))), "cy": fmt(y(m.floorAreaM2)), "r": styleNumber(s.targetMarkerRadius), "fill": s.target.colour,
                    "data-year": String(m.year), "data-m2": formatFixed(m.floorAreaM2, 0),
                ])
            svg.element(
                "text", ["x": fmt(x(Double(m.year)) + 8), "y": fmt(y(m.floorAreaM2) - 8), "class": "small"],
                text: "\(m.year): \(grouped(m.floorAreaM2))")
        }
        svg.closeGroup()
        svg.openGroup(["id": "alternative-baselines", "data-series": "alternative-baseline"])
        for alt in policy.alternativeBaselines {
            let half = s.alternativeBaselineSize / 2
            svg.element(
                "rect",
                [
                    "x": fmt(x(Double(alt.year)) - half), "y": fmt(y(alt.floorAreaM2) - half), "width": styleNumber(s.alternativeBaselineSize),
                    "height": styleNumber(s.alternativeBaselineSize), "fill": s.alternativeBaseline, "data-m2": formatFixed(alt.floorAreaM2, 0),
                ])
        }
        svg.closeGroup()
        svg.openGroup(["id": "stock", "data-series": "stock"])
        svg.element(
            "circle",
            [
                "cx": fmt(x(Double(scene.asOfYear))), "cy": fmt(y(stock)), "r": styleNumber(s.stockMarkerRadius), "fill": s.stock,
                "data-m2": formatFixed(stock, 0),
            ])
        svg.element(
            "text", ["x": fmt(x(Double(scene.asOfYear)) + 12), "y": fmt(y(stock) + 4), "class": "small"], text: "stock: \(grouped(stock)) m²")
        svg.closeGroup()
        let legend: [MapFurniture.LegendEntry] =
            [
                .init(symbol: .line(stroke: s.target.colour, dash: s.target.dash), label: "plan path (baseline → 2023 → 2025)"),
                .init(symbol: .circle(fill: s.stock, radius: s.stockLegendRadius), label: "stock in the data (\(scene.asOfYear))"),
            ]
            + policy.alternativeBaselines.map {
                .init(symbol: .box(fill: s.alternativeBaseline, stroke: nil), label: "alternative baseline \(grouped($0.floorAreaM2)) m²")
            }
        MapFurniture.legend(&svg, title: "Legend", entries: legend, x: plot.x + plot.width + 30, y: plot.y + 10)
        for (k, line) in MapFurniture.wrap(
            "Targets from \(policy.source.split(separator: "/").last ?? "policy.json"); the plan gives two baselines that it does not reconcile.",
            width: 40
        ).enumerated() {
            svg.element("text", ["x": fmt(plot.x + plot.width + 30), "y": fmt(plot.y + 140 + Double(k) * 16), "class": "small"], text: line)
        }
        return svg.finish()
    }

    /// Horizontal stacked bars: tech-cultivation space per sub-district, by carrier type.
    public static func floorAreaByZone(_ scene: MapScene, style: StyleSpecification = .standard) -> String {
        let zones = scene.zones.filter { $0.kind == .subdistrict || $0.kind == .cluster }
        let types = scene.carrierTypes
        let totals = zones.map { scene.zoneFigures[$0.id]?.techSpaceM2 ?? 0 }
        let (top, step) = axis(max(totals.max() ?? 0, 1) * 1.05)
        let barHeight = min(26.0, (plot.height - 20) / Double(max(zones.count, 1)) - 6)
        var svg = header(
            "Tech-cultivation space by zone and carrier type 分区科技培育空间",
            "\(scene.subtitle) · m² of floor area")
        let left = 200.0, right = plot.x + plot.width
        let x = { (m2: Double) in left + m2 / top * (right - left) }
        svg.openGroup(["id": "axes", "class": "axis"])
        var v = 0.0
        while v <= top + 1e-9 {
            svg.element(
                "line", ["x1": fmt(x(v)), "y1": fmt(plot.y), "x2": fmt(x(v)), "y2": fmt(plot.y + plot.height), "stroke": style.trajectory.grid])
            svg.element("text", ["x": fmt(x(v)), "y": fmt(plot.y + plot.height + 18), "text-anchor": "middle", "class": "axis"], text: grouped(v))
            v += step
        }
        svg.closeGroup()
        svg.openGroup(["id": "bars"])
        for (k, zone) in zones.enumerated() {
            let yTop = plot.y + 10 + Double(k) * (barHeight + 6)
            svg.element(
                "text", ["x": fmt(left - 8), "y": fmt(yTop + barHeight * 0.7), "text-anchor": "end", "class": "small"],
                text: zone.kind == .cluster ? "\(zone.name) (cluster)" : zone.name)
            var start = 0.0
            for type in types {
                let area = scene.zoneFigures[zone.id]?.techSpaceByType[type.code] ?? 0
                guard area > 0 else { continue }
                svg.element(
                    "rect",
                    [
                        "x": fmt(x(start)), "y": fmt(yTop), "width": fmt(x(start + area) - x(start)), "height": fmt(barHeight),
                        "fill": style.carrierColour(type.code), "data-zone": zone.id, "data-type": type.code, "data-m2": formatFixed(area, 0),
                    ])
                start += area
            }
            svg.element("text", ["x": fmt(x(start) + 6), "y": fmt(yTop + barHeight * 0.7), "class": "small"], text: grouped(start))
        }
        svg.closeGroup()
        MapFurniture.legend(
            &svg, title: "Carrier type 载体类型",
            entries: types.map {
                .init(symbol: .box(fill: style.carrierColour($0.code), stroke: nil), label: $0.label)
            }, x: right + 60, y: plot.y + 10)
        return svg.finish()
    }
}
