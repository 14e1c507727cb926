import Cartography
import Foundation
import Ladder
import SpaceCore
import SpaceData

/// simulation.md (where and when the ladder jams, the graduates the district keeps, the firm
/// target), simulation.csv (P10/P50/P90 per year), zones.csv (each zone's occupancy per year),
/// runs/run-NNNN.csv (every run's years),
/// simulation.json, and maps/fan.svg (each rung's occupancy), maps/ladder.svg, maps/high-tech.svg.
public enum SimulationFiles {
    public static func artifacts(
        _ s: SimulationSummary, runs: [[LadderYear]], start: LadderStart, settings: SimulationSettings, target: FirmTarget?, district: String,
        seed: UInt64, supply: String?, zones: [Zone]
    ) -> [Artifact] {
        var out = [
            Artifact("simulation.md", text: markdown(s, runs: runs, start: start, settings: settings, target: target, district: district, seed: seed, supply: supply, zones: zones)),
            Artifact("simulation.csv", text: csv(s)),
            Artifact("zones.csv", text: zonesCSV(s, zones: zones)),
            Artifact("simulation.json", text: serializedJSON(document(s, runs: runs, start: start, target: target, seed: seed).jsonDocument) + "\n"),
            Artifact("maps/fan.svg", text: fan(s, district: district)),
            Artifact("maps/ladder.svg", text: ladder(s, settings: settings, district: district)),
            Artifact("maps/high-tech.svg", text: highTech(s, start: start, target: target, district: district)),
        ]
        let width = max(4, String(runs.count).count)
        for (k, run) in runs.enumerated() {
            out.append(Artifact("runs/run-\(String(repeating: "0", count: width - String(k + 1).count))\(k + 1).csv", text: runCSV(run)))
        }
        return out
    }

    static let stages = SimulationSettings.ladder
    static func pct(_ x: Double) -> String { formatFixed(x * 100, 1) + " %" }
    static func n(_ x: Double) -> String { grouped(x) }
    static func spread(_ x: SimulationSummary.Spread?, _ format: (Double) -> String = grouped) -> String {
        guard let x else { return "–" }
        // A spread that rounds to one figure is written once.
        let (a, b, c) = (format(x.p10), format(x.p50), format(x.p90))
        return a == c ? b : "\(b) (\(a)–\(c))"
    }

    /// Totals over the years, run by run: graduates housed and lost.
    static func totals(_ runs: [[LadderYear]]) -> (housed: SimulationSummary.Spread, lost: SimulationSummary.Spread) {
        (
            .init(runs.map { Double($0.reduce(0) { $0 + $1.graduatesHoused }) }), .init(runs.map { Double($0.reduce(0) { $0 + $1.graduatesLost }) })
        )
    }

    public static func markdown(
        _ s: SimulationSummary, runs: [[LadderYear]], start: LadderStart, settings: SimulationSettings, target: FirmTarget?, district: String,
        seed: UInt64, supply: String?, zones: [Zone]
    ) -> String {
        guard let first = s.years.first, let last = s.years.last else { return "# Simulation\n\nNo year to simulate.\n" }
        let zoneName = Dictionary(zones.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let zonesOf = Dictionary(start.carriers.map { ($0.id, $0.zoneIDs) }, uniquingKeysWith: { a, _ in a })
        var md = "# Firms up the incubation ladder, \(first.year)–\(last.year)\n\n"
        md += "\(district). \(s.runs) runs from seed \(seed); figures are the median (P50) of the runs with P10–P90 in brackets. "
        md += "Space added: \(supply.map { "as \($0) delivers it" } ?? "none (no scenario or programme given)"). "
        let byStage = Dictionary(grouping: start.firms, by: \.stage).mapValues(\.count)
        md += "Start (end of \(start.year)): \(grouped(Double(start.carriers.count))) carriers, \(grouped(Double(start.firms.count))) firms on the ladder ("
            + stages.map { "\(grouped(Double(byStage[$0] ?? 0))) \($0.rawValue)" }.joined(separator: ", ") + ").\n\n"
        md += "## Where and when the ladder jams\n\n"
        if s.jams.isEmpty {
            md += "It does not jam: in no year is a rung at least \(pct(settings.jamOccupancy)) full (P50) while firms of its stage go without space.\n"
        } else {
            let firstJam = Dictionary(grouping: s.jams, by: \.stage).mapValues { $0.map(\.year).min()! }
            md += stages.compactMap { st in firstJam[st].map { "**\(st.rawValue)** (\(s.jams.first { $0.stage == st }!.carrierTypes.map(\.rawValue).joined(separator: ", "))) from \($0)" } }
                .joined(separator: "; ") + ".\n\n"
            md += "| year | stage | rung | occupancy | unmet m² | graduates lost | fullest carriers (zones) |\n|---:|---|---|---:|---:|---:|---|\n"
            for j in s.jams {
                let where_ = j.fullCarriers.prefix(4).map { id in
                    let z = (zonesOf[id] ?? []).compactMap { zoneName[$0] }.filter { _ in true }
                    return z.isEmpty ? id : "\(id) (\(z.joined(separator: ", ")))"
                }.joined(separator: "; ")
                md += "| \(j.year) | \(j.stage.rawValue) | \(j.carrierTypes.map(\.rawValue).joined(separator: ", ")) | \(pct(j.occupancy)) | \(n(j.unmetM2)) | \(n(j.graduatesLost)) | \(where_.isEmpty ? "new space" : where_) |\n"
            }
        }
        let (housed, lost) = totals(runs)
        md += "\n## Graduates the district keeps\n\nOver \(first.year)–\(last.year): \(spread(housed)) graduates housed at their next rung, \(spread(lost)) lost for lack of space there (they waited \(settings.queueMaxYears) year\(settings.queueMaxYears == 1 ? "" : "s"), then left).\n"
        if let target {
            let y = s.years.first { $0.year == target.targetYear } ?? last
            md += "\n## National high-tech enterprises\n\nThe plan: \(grouped(Double(target.baselineCount))) in \(target.baselineYear) → \(grouped(Double(target.targetCount))) by \(target.targetYear). "
            md += "Simulated \(y.year): \(spread(y.highTechFirms)) (the district's firms with the status outside the ladder, \(grouped(Double(start.highTechElsewhere))), and ladder firms that reach it); "
            md += y.highTechFirms.p50 >= Double(target.targetCount) ? "the median run reaches the target.\n" : "the median run is \(grouped(Double(target.targetCount) - y.highTechFirms.p50)) short.\n"
        }
        md += "\n## Year by year (P50, P10–P90)\n\n| year | added m² | " + stages.map { "\($0.rawValue) occupancy" }.joined(separator: " | ")
            + " | firms on the ladder | queue | unmet m² (sum of P50s) | graduates housed / lost | high-tech firms | incubators below density floor |\n|---:|---:|"
            + stages.map { _ in "---:|" }.joined() + "---:|---:|---:|---:|---:|---:|\n"
        for y in s.years {
            let unmet = y.unmetM2ByStage.values.reduce(0.0) { $0 + $1.p50 }
            md += "| \(y.year) | \(n(y.addedM2)) | " + stages.map { spread(y.occupancyByStage[$0], pct) }.joined(separator: " | ")
                + " | \(spread(y.firms)) | \(spread(y.queue)) | \(n(unmet)) | \(n(y.graduatesHoused.p50)) / \(n(y.graduatesLost.p50)) | \(spread(y.highTechFirms)) | \(n(y.belowDensityFloor.p50)) |\n"
        }
        let total = runs.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + $1.allocationSeconds } }
        md += "\nEach year every firm that needs space is placed by the allocation's rules (config/allocation.json) and its heuristic solver; "
        md += "placing firms took \(formatFixed(total, 1)) CPU seconds over all runs. Rates, limits and the pipeline: \(settings.source) (docs/time.md).\n"
        md += "\nFiles: simulation.csv (P10/P50/P90 per year), zones.csv (occupancy by zone), runs/run-NNNN.csv (every run), simulation.json, maps/fan.svg, maps/ladder.svg, maps/high-tech.svg.\n"
        return md
    }

    static func columns(_ s: SimulationSummary) -> [(String, (SimulationSummary.Year) -> SimulationSummary.Spread?)] {
        var out: [(String, (SimulationSummary.Year) -> SimulationSummary.Spread?)] = []
        for st in stages { out.append(("occupancy_\(st.rawValue)", { $0.occupancyByStage[st] })) }
        for type in CarrierType.allCases { out.append(("occupancy_type_\(type.rawValue)", { $0.occupancyByType[type] })) }
        for st in stages { out.append(("firms_\(st.rawValue)", { $0.firmsByStage[st] })) }
        for st in stages { out.append(("queue_\(st.rawValue)", { $0.queueByStage[st] })) }
        for st in stages { out.append(("unmet_m2_\(st.rawValue)", { $0.unmetM2ByStage[st] })) }
        for st in stages { out.append(("graduates_lost_\(st.rawValue)", { $0.graduatesLostByStage[st] })) }
        out += [
            ("graduates_housed", { $0.graduatesHoused }), ("graduates_lost", { $0.graduatesLost }), ("arrivals", { $0.arrivals }),
            ("arrivals_placed", { $0.arrivalsPlaced }), ("high_tech_firms", { $0.highTechFirms }), ("below_density_floor", { $0.belowDensityFloor }),
        ]
        return out
    }

    public static func csv(_ s: SimulationSummary) -> String {
        let cols = columns(s)
        var out = CSV.line(["year", "added_m2"] + cols.flatMap { c in ["p10", "p50", "p90"].map { "\(c.0)_\($0)" } })
        for y in s.years {
            out += CSV.line(
                [String(y.year), formatFixed(y.addedM2, 0)]
                    + cols.flatMap { c -> [String] in
                        let v = c.1(y) ?? .init(p10: 0, p50: 0, p90: 0)
                        return [v.p10, v.p50, v.p90].map { formatFixed($0, 4) }
                    })
        }
        return out
    }

    /// Each zone's tech-cultivation occupancy per year (P10/P50/P90), zones in the layer's order.
    public static func zonesCSV(_ s: SimulationSummary, zones: [Zone]) -> String {
        var out = CSV.line(["year", "zone_id", "zone_name", "kind", "occupancy_p10", "occupancy_p50", "occupancy_p90"])
        for y in s.years {
            for zone in zones {
                guard let o = y.occupancyByZone[zone.id] else { continue }
                out += CSV.line([String(y.year), zone.id, zone.name, zone.kind.rawValue] + [o.p10, o.p50, o.p90].map { formatFixed($0, 4) })
            }
        }
        return out
    }

    public static func runCSV(_ run: [LadderYear]) -> String {
        let types = CarrierType.allCases
        var out = CSV.line(
            ["year", "added_m2"] + types.map { "capacity_\($0.rawValue)_m2" } + types.map { "occupied_\($0.rawValue)_m2" }
                + stages.map { "firms_\($0.rawValue)" } + stages.map { "queue_\($0.rawValue)" } + stages.map { "unmet_m2_\($0.rawValue)" }
                + stages.map { "graduates_housed_\($0.rawValue)" } + stages.map { "graduates_lost_\($0.rawValue)" }
                + ["arrivals", "arrivals_placed", "arrivals_lost", "failed", "left", "grew_in_place", "high_tech_firms", "below_density_floor"])
        for y in run {
            out += CSV.line(
                [String(y.year), formatFixed(y.addedM2, 0)] + types.map { formatFixed(y.capacityByType[$0] ?? 0, 0) }
                    + types.map { formatFixed(y.occupiedByType[$0] ?? 0, 0) } + stages.map { String(y.firmsByStage[$0] ?? 0) }
                    + stages.map { String(y.queueByStage[$0] ?? 0) } + stages.map { formatFixed(y.unmetM2ByStage[$0] ?? 0, 0) }
                    + stages.map { String(y.graduatesHousedByStage[$0] ?? 0) } + stages.map { String(y.graduatesLostByStage[$0] ?? 0) }
                    + [y.arrivals, y.arrivalsPlaced, y.arrivalsLost, y.failed, y.left, y.grewInPlace, y.highTechFirms, y.belowDensityFloor.count].map(String.init))
        }
        return out
    }

    /// simulation.json, typed, for a front end that answers with it.
    public static func document(_ s: SimulationSummary, runs: [[LadderYear]], start: LadderStart, target: FirmTarget?, seed: UInt64) -> SimulationDocument {
        SimulationDocument(s, runs: runs, start: start, target: target, seed: seed)
    }

    static func fan(_ s: SimulationSummary, district: String) -> String {
        let labels = s.years.map { String($0.year) }
        let present = stages.filter { st in s.years.contains { $0.occupancyByStage[st] != nil } }
        return TimeCharts.lines(
            title: "How full each rung is 各级载体入驻率", subtitle: "\(district) · \(s.runs) runs: the median and the P10–P90 band",
            labels: labels, yTitle: "occupied share of the rung's floor area",
            lines: present.enumerated().map { k, st in .init(name: "\(st.rawValue) (P50)", values: s.years.map { $0.occupancyByStage[st]?.p50 }, colour: TimeCharts.colour(k)) },
            bands: present.enumerated().map { k, st in
                .init(name: "\(st.rawValue) P10–P90", low: s.years.map { $0.occupancyByStage[st]?.p10 ?? 0 }, high: s.years.map { $0.occupancyByStage[st]?.p90 ?? 0 }, colour: TimeCharts.colour(k))
            }, legendTitle: "Rung 阶梯", note: "A rung is the carrier types where firms of its stage rent (config/simulation.json).", percent: true)
    }

    static func ladder(_ s: SimulationSummary, settings: SimulationSettings, district: String) -> String {
        let jams = Set(s.jams.map { "\($0.year)|\($0.stage.rawValue)" })
        let rows = stages.map { st -> (label: String, cells: [TimeCharts.Cell]) in
            let types = settings.stageOfCarrierType.filter { $0.value == st }.map(\.key.rawValue).sorted().joined(separator: "\n")
            return (
                "\(st.rawValue)\n\(types)",
                s.years.map { y in
                    TimeCharts.Cell(
                        occupancy: y.occupancyByStage[st]?.p50,
                        text: "\(n(y.firmsByStage[st]?.p50 ?? 0)) firms\nqueue \(n(y.queueByStage[st]?.p50 ?? 0)) · lost \(n(y.graduatesLostByStage[st]?.p50 ?? 0))",
                        jam: jams.contains("\(y.year)|\(st.rawValue)"))
                }
            )
        }
        return TimeCharts.ladder(
            title: "The incubation ladder year by year 孵化链条", subtitle: "\(district) · median of \(s.runs) runs: firms renting, waiting and graduates lost per rung",
            years: s.years.map { String($0.year) }, rows: rows,
            note: "A rung jams (red outline) when it is at least \(pct(settings.jamOccupancy)) full while firms of its stage go without space.")
    }

    static func highTech(_ s: SimulationSummary, start: LadderStart, target: FirmTarget?, district: String) -> String {
        let labels = s.years.map { String($0.year) }
        var lines: [TimeCharts.Line] = [.init(name: "simulated (P50)", values: s.years.map { $0.highTechFirms.p50 }, colour: TimeCharts.colour(0))]
        if let t = target {
            let path = s.years.map { y -> Double? in
                guard y.year <= t.targetYear else { return nil }
                let share = Double(y.year - t.baselineYear) / Double(t.targetYear - t.baselineYear)
                return Double(t.baselineCount) + share * Double(t.targetCount - t.baselineCount)
            }
            lines.insert(.init(name: "plan: \(t.baselineCount) → \(t.targetCount) by \(t.targetYear)", values: path, colour: TimeCharts.planPath.colour, dash: TimeCharts.planPath.dash), at: 0)
        }
        return TimeCharts.lines(
            title: "National high-tech enterprises 国家高新技术企业", subtitle: "\(district) · \(s.runs) runs",
            labels: labels, yTitle: "firms", lines: lines,
            bands: [.init(name: "P10–P90", low: s.years.map(\.highTechFirms.p10), high: s.years.map(\.highTechFirms.p90), colour: TimeCharts.colour(0))],
            legendTitle: "Series 系列", note: "Firms with the status outside the ladder (\(start.highTechElsewhere)) count as they are; ladder firms reach it at simulation.json's rates.")
    }
}
