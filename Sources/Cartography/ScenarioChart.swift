import Foundation
import SpaceCore

/// Tech-cultivation space year by year under several supply scenarios, against the plan's
/// milestones: one line per scenario, the targets as marked points.
public enum ScenarioChart {
    public struct Series: Sendable {
        public let name: String
        /// (year, stock at the end of the year); years without a stock are skipped.
        public let points: [(year: Int, m2: Double)]
        public init(name: String, points: [(year: Int, m2: Double)]) { self.name = name; self.points = points }
    }

    public static func render(
        title: String, subtitle: String, years: ClosedRange<Int>, series: [Series],
        milestones: [(year: Int, m2: Double)], baseline: (year: Int, m2: Double), note: String
    ) -> String {
        let plot = Charts.plot
        let values = series.flatMap { $0.points.map(\.m2) } + milestones.map(\.m2) + [baseline.m2]
        let (top, step) = Charts.axis((values.max() ?? 1) * 1.05)
        let first = Double(years.lowerBound), last = Double(max(years.upperBound, years.lowerBound + 1))
        let x = { (year: Int) in plot.x + (Double(year) - first) / (last - first) * plot.width }
        let y = { (m2: Double) in plot.y + plot.height - m2 / top * plot.height }
        var svg = Charts.header(title, subtitle)
        svg.openGroup(["id": "axes", "class": "axis"])
        Charts.gridLines(&svg, top: top, step: step, y: y)
        for year in years {
            svg.element(
                "text", ["x": fmt(x(year)), "y": fmt(plot.y + plot.height + 20), "text-anchor": "middle", "class": "axis"], text: String(year))
        }
        svg.element("text", ["x": "24", "y": fmt(plot.y - 14), "class": "axis"], text: "tech-cultivation space, m² floor area 科技培育空间")
        svg.closeGroup()

        let path = [baseline] + milestones
        let s = StyleSpecification.standard.scenarioChart
        svg.openGroup(["id": "targets", "data-series": "target"])
        svg.element(
            "path",
            [
                "d": path.enumerated().map { ($0.offset == 0 ? "M" : "L") + "\(fmt(x($0.element.year))) \(fmt(y($0.element.m2)))" }.joined(),
                "fill": "none", "stroke": s.planPath.colour, "stroke-width": styleNumber(s.planPath.width),
                "stroke-dasharray": s.planPath.dash ?? "none",
            ])
        for (k, m) in path.enumerated() {
            svg.element(
                "circle",
                [
                    "cx": fmt(x(m.year)), "cy": fmt(y(m.m2)), "r": styleNumber(s.milestoneRadius), "fill": s.milestoneFill,
                    "stroke": s.milestoneOutline.colour, "stroke-width": styleNumber(s.milestoneOutline.width),
                    "data-year": String(m.year), "data-m2": formatFixed(m.m2, 0),
                ])
            // The baseline's label goes right of its point, clear of the axis labels.
            svg.element(
                "text",
                ["x": fmt(x(m.year) + (k == 0 ? 10 : -8)), "y": fmt(y(m.m2) - 10), "class": "small", "text-anchor": k == 0 ? "start" : "end"],
                text: "\(m.year): \(grouped(m.m2))")
        }
        svg.closeGroup()
        var legend: [MapFurniture.LegendEntry] = [
            .init(symbol: .line(stroke: s.planPath.colour, dash: s.planPath.dash), label: "plan path: baseline → milestones")
        ]
        for (k, scenario) in series.enumerated() {
            let colour = StyleSpecification.standard.sectorColour(at: k)
            svg.openGroup(["class": "scenario", "data-series": scenario.name])
            svg.element(
                "path",
                [
                    "d": scenario.points.enumerated().map { ($0.offset == 0 ? "M" : "L") + "\(fmt(x($0.element.year))) \(fmt(y($0.element.m2)))" }
                        .joined(),
                    "fill": "none", "stroke": colour, "stroke-width": styleNumber(s.scenarioWidth),
                ])
            for p in scenario.points {
                svg.element(
                    "circle",
                    [
                        "cx": fmt(x(p.year)), "cy": fmt(y(p.m2)), "r": styleNumber(s.scenarioMarkerRadius), "fill": colour,
                        "data-year": String(p.year), "data-m2": formatFixed(p.m2, 0),
                    ])
            }
            svg.closeGroup()
            legend.append(.init(symbol: .line(stroke: colour, dash: nil), label: scenario.name))
        }
        let below = MapFurniture.legend(&svg, title: "Scenarios 情景", entries: legend, x: plot.x + plot.width + 30, y: plot.y + 10)
        for (k, line) in MapFurniture.wrap(note, width: 46).enumerated() {
            svg.element("text", ["x": fmt(plot.x + plot.width + 30), "y": fmt(below + 10 + Double(k) * 16), "class": "small"], text: line)
        }
        return svg.finish()
    }
}
