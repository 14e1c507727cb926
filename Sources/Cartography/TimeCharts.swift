import Foundation
import SpaceCore

/// Charts over time: lines with spreads (the stock against the plan's path, a simulation's
/// P10–P90 fan), stacked bars (additions by supply mode) and the ladder grid (each rung's
/// occupancy year by year, the jams outlined). They draw plain series; what a series means
/// is the report's business.
public enum TimeCharts {
    public struct Line: Sendable {
        public let name: String
        public let values: [Double?]
        public let colour: String
        public let dash: String?
        public init(name: String, values: [Double?], colour: String, dash: String? = nil) {
            self.name = name; self.values = values; self.colour = colour; self.dash = dash
        }
    }

    /// A spread between two series (P10 and P90), drawn under its line.
    public struct Band: Sendable {
        public let name: String
        public let low: [Double]
        public let high: [Double]
        public let colour: String
        public init(name: String, low: [Double], high: [Double], colour: String) { self.name = name; self.low = low; self.high = high; self.colour = colour }
    }

    public struct Stack: Sendable {
        public let name: String
        public let values: [Double]
        public let colour: String
        public init(name: String, values: [Double], colour: String) { self.name = name; self.values = values; self.colour = colour }
    }

    /// One cell of the ladder grid: the rung's occupancy that year, what to write in it, and whether it jams.
    public struct Cell: Sendable {
        public let occupancy: Double?
        public let text: String
        public let jam: Bool
        public init(occupancy: Double?, text: String, jam: Bool) { self.occupancy = occupancy; self.text = text; self.jam = jam }
    }

    static var style: StyleSpecification.TimeChart { StyleSpecification.standard.timeChart }

    /// The colour of the `k`-th series (the report's series take the sector colours in turn).
    public static func colour(_ k: Int) -> String { StyleSpecification.standard.sectorColour(at: k) }
    public static var planPath: StyleSpecification.Stroke { StyleSpecification.standard.scenarioChart.planPath }
    public static var lostColour: String { style.lost }

    /// x positions of `count` categories across the plot, and which to label (at most about 12).
    static func xAxis(_ count: Int) -> (x: (Int) -> Double, labelled: (Int) -> Bool) {
        let plot = Charts.plot
        let step = count > 1 ? plot.width / Double(count - 1) : 0
        let every = max(1, Int((Double(count) / 12).rounded(.up)))
        return ({ plot.x + (count > 1 ? Double($0) * step : plot.width / 2) }, { $0 % every == 0 || $0 == count - 1 })
    }

    public static func lines(
        title: String, subtitle: String, labels: [String], yTitle: String, lines: [Line], bands: [Band] = [], legendTitle: String, note: String,
        percent: Bool = false
    ) -> String {
        let plot = Charts.plot
        let values = lines.flatMap { $0.values.compactMap { $0 } } + bands.flatMap(\.high)
        let (top, step) = percent ? (1.0, 0.25) : Charts.axis((values.max() ?? 1) * 1.05)
        let (x, labelled) = xAxis(labels.count)
        let y = { (v: Double) in plot.y + plot.height - v / top * plot.height }
        var svg = Charts.header(title, subtitle)
        axes(&svg, labels: labels, x: x, labelled: labelled, top: top, step: step, y: y, yTitle: yTitle, percent: percent)
        var legend: [MapFurniture.LegendEntry] = []
        for band in bands where !band.low.isEmpty {
            let upper = band.high.enumerated().map { ($0.offset == 0 ? "M" : "L") + "\(fmt(x($0.offset))) \(fmt(y($0.element)))" }.joined()
            let lower = band.low.enumerated().reversed().map { "L\(fmt(x($0.offset))) \(fmt(y($0.element)))" }.joined()
            svg.element(
                "path", ["d": upper + lower + "Z", "fill": band.colour, "fill-opacity": styleNumber(style.bandOpacity), "class": "band", "data-series": band.name])
            legend.append(.init(symbol: .box(fill: band.colour, stroke: nil), label: band.name))
        }
        for line in lines {
            var d = "", pen = false
            for (k, v) in line.values.enumerated() {
                guard let v else { pen = false; continue }
                d += (pen ? "L" : "M") + "\(fmt(x(k))) \(fmt(y(v)))"
                pen = true
            }
            svg.openGroup(["class": "series", "data-series": line.name])
            svg.element(
                "path", ["d": d, "fill": "none", "stroke": line.colour, "stroke-width": styleNumber(style.lineWidth), "stroke-dasharray": line.dash ?? "none"])
            for (k, v) in line.values.enumerated() {
                guard let v else { continue }
                svg.element("circle", ["cx": fmt(x(k)), "cy": fmt(y(v)), "r": "2.5", "fill": line.colour, "data-label": labels[k], "data-value": formatFixed(v, percent ? 4 : 0)])
            }
            svg.closeGroup()
            legend.append(.init(symbol: .line(stroke: line.colour, dash: line.dash), label: line.name))
        }
        finishLegend(&svg, title: legendTitle, entries: legend, note: note)
        return svg.finish()
    }

    public static func stackedBars(title: String, subtitle: String, labels: [String], yTitle: String, stacks: [Stack], legendTitle: String, note: String) -> String {
        let plot = Charts.plot
        let totals = labels.indices.map { k in stacks.reduce(0.0) { $0 + max(0, $1.values[k]) } }
        let (top, step) = Charts.axis((totals.max() ?? 1) * 1.05)
        let width = plot.width / Double(max(1, labels.count)) * 0.7
        let x = { (k: Int) in plot.x + (Double(k) + 0.5) * plot.width / Double(max(1, labels.count)) }
        let every = max(1, Int((Double(labels.count) / 12).rounded(.up)))
        let y = { (v: Double) in plot.y + plot.height - v / top * plot.height }
        var svg = Charts.header(title, subtitle)
        axes(&svg, labels: labels, x: x, labelled: { $0 % every == 0 }, top: top, step: step, y: y, yTitle: yTitle, percent: false)
        var base = [Double](repeating: 0, count: labels.count)
        for stack in stacks {
            svg.openGroup(["class": "stack", "data-series": stack.name])
            for (k, v) in stack.values.enumerated() where v > 0 {
                svg.element(
                    "rect",
                    [
                        "x": fmt(x(k) - width / 2), "y": fmt(y(base[k] + v)), "width": fmt(width), "height": fmt(y(base[k]) - y(base[k] + v)),
                        "fill": stack.colour, "data-label": labels[k], "data-value": formatFixed(v, 0),
                    ])
                base[k] += v
            }
            svg.closeGroup()
        }
        finishLegend(&svg, title: legendTitle, entries: stacks.map { .init(symbol: .box(fill: $0.colour, stroke: nil), label: $0.name) }, note: note)
        return svg.finish()
    }

    /// Rows are the ladder's rungs (lowest at the bottom), columns the years.
    public static func ladder(title: String, subtitle: String, years: [String], rows: [(label: String, cells: [Cell])], note: String) -> String {
        let plot = Charts.plot
        let cellWidth = plot.width / Double(max(1, years.count)), cellHeight = plot.height / Double(max(1, rows.count))
        var svg = Charts.header(title, subtitle)
        let ramp = style.occupancyRamp
        for (r, row) in rows.enumerated() {
            let top = plot.y + plot.height - Double(r + 1) * cellHeight
            // The stage, then the rung's carrier types one to a line.
            let lines = row.label.split(separator: "\n")
            for (k, line) in lines.enumerated() {
                svg.element(
                    "text",
                    [
                        "x": fmt(plot.x - 8), "y": fmt(top + cellHeight / 2 + 4 + (Double(k) - Double(lines.count - 1) / 2) * 14), "text-anchor": "end",
                        "class": k == 0 ? "axis" : "small",
                    ], text: String(line))
            }
            for (k, cell) in row.cells.enumerated() {
                let cls = cell.occupancy.map { min(ramp.count - 1, Int(($0 * Double(ramp.count)).rounded(.down))) }
                svg.element(
                    "rect",
                    [
                        "x": fmt(plot.x + Double(k) * cellWidth), "y": fmt(top), "width": fmt(cellWidth), "height": fmt(cellHeight),
                        "fill": cls.map { ramp[$0] } ?? StyleSpecification.standard.zones.noValue,
                        "stroke": cell.jam ? style.jamOutline.colour : style.cellOutline.colour,
                        "stroke-width": styleNumber(cell.jam ? style.jamOutline.width : style.cellOutline.width),
                        "class": cell.jam ? "cell jam" : "cell", "data-rung": row.label, "data-year": years[k],
                    ])
                let dark = (cls ?? 0) >= ramp.count - 2
                for (line, text) in cell.text.split(separator: "\n").enumerated() {
                    svg.element(
                        "text",
                        [
                            "x": fmt(plot.x + (Double(k) + 0.5) * cellWidth), "y": fmt(top + 18 + Double(line) * 14), "text-anchor": "middle",
                            // As a style, not an attribute: the chart's stylesheet sets every text's fill.
                            "class": "small", "style": "fill:\(dark ? StyleSpecification.standard.furniture.paper : StyleSpecification.standard.furniture.ink)",
                        ], text: String(text))
                }
            }
        }
        for (k, year) in years.enumerated() {
            svg.element("text", ["x": fmt(plot.x + (Double(k) + 0.5) * cellWidth), "y": fmt(plot.y + plot.height + 20), "text-anchor": "middle", "class": "axis"], text: year)
        }
        let entries = ramp.enumerated().map { k, colour in
            MapFurniture.LegendEntry(symbol: .box(fill: colour, stroke: nil), label: "\(k * 100 / ramp.count)–\((k + 1) * 100 / ramp.count) % occupied")
        } + [.init(symbol: .box(fill: StyleSpecification.standard.furniture.paper, stroke: style.jamOutline.colour), label: "jams")]
        finishLegend(&svg, title: "Occupancy (P50) 入驻率", entries: entries, note: note)
        return svg.finish()
    }

    static func axes(
        _ svg: inout SVGWriter, labels: [String], x: (Int) -> Double, labelled: (Int) -> Bool, top: Double, step: Double, y: (Double) -> Double,
        yTitle: String, percent: Bool
    ) {
        let plot = Charts.plot
        svg.openGroup(["id": "axes", "class": "axis"])
        if percent {
            var v = 0.0
            while v <= top + 1e-9 {
                svg.element("line", ["x1": fmt(plot.x), "y1": fmt(y(v)), "x2": fmt(plot.x + plot.width), "y2": fmt(y(v)), "stroke": StyleSpecification.standard.trajectory.grid])
                svg.element("text", ["x": fmt(plot.x - 8), "y": fmt(y(v) + 4), "text-anchor": "end", "class": "axis"], text: "\(Int((v * 100).rounded())) %")
                v += step
            }
        } else {
            Charts.gridLines(&svg, top: top, step: step, y: y)
        }
        for (k, label) in labels.enumerated() where labelled(k) {
            svg.element("text", ["x": fmt(x(k)), "y": fmt(plot.y + plot.height + 20), "text-anchor": "middle", "class": "axis"], text: label)
        }
        svg.element("text", ["x": "24", "y": fmt(plot.y - 14), "class": "axis"], text: yTitle)
        svg.closeGroup()
    }

    static func finishLegend(_ svg: inout SVGWriter, title: String, entries: [MapFurniture.LegendEntry], note: String) {
        let plot = Charts.plot
        let below = MapFurniture.legend(&svg, title: title, entries: entries, x: plot.x + plot.width + 30, y: plot.y + 10)
        for (k, line) in MapFurniture.wrap(note, width: 46).enumerated() {
            svg.element("text", ["x": fmt(plot.x + plot.width + 30), "y": fmt(below + 10 + Double(k) * 16), "class": "small"], text: line)
        }
    }
}
