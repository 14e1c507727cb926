import Cartography
import Foundation
import SpaceCore
import SpaceData
import StockHistory

/// progress.md, progress.csv (one row per period), zones.csv (each zone's stock per period),
/// changes.csv (every change of the stock with its edit), progress.json, and the charts:
/// stock.svg (against the plan's path), additions.svg (by supply mode), occupancy.svg.
public enum ProgressFiles {
    public static func artifacts(_ p: StockProgress, district: String, store: String, timeZone: String) -> [Artifact] {
        [
            Artifact("progress.md", text: markdown(p, district: district, store: store, timeZone: timeZone)),
            Artifact("progress.csv", text: csv(p)),
            Artifact("zones.csv", text: zonesCSV(p)),
            Artifact("changes.csv", text: changesCSV(p, timeZone: timeZone)),
            Artifact("progress.json", text: serializedJSON(document(p)) + "\n"),
            Artifact("maps/stock.svg", text: stockChart(p, district: district)),
            Artifact("maps/additions.svg", text: additionsChart(p, district: district)),
            Artifact("maps/occupancy.svg", text: occupancyChart(p, district: district)),
        ]
    }

    static func m2(_ x: Double) -> String { formatFixed(x, 0) }

    /// Every carrier type and supply mode that appears, in a fixed order.
    static func types(_ p: StockProgress) -> [String] { Set(p.periods.flatMap(\.techSpaceByType.keys)).sorted() }
    static func modes(_ p: StockProgress) -> [String] { Set(p.periods.flatMap(\.addedByMode.keys)).sorted() }
    static func stages(_ p: StockProgress) -> [String] {
        let order = FirmStage.allCases.map(\.rawValue)
        return Set(p.periods.flatMap(\.tenantsByStage.keys)).sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
    }

    public static func csv(_ p: StockProgress) -> String {
        let types = types(p), modes = modes(p), stages = stages(p)
        var out = CSV.line(
            ["period", "last_day", "tech_space_m2", "plan_m2", "gap_m2", "occupied_m2", "vacant_m2", "occupancy", "carriers"]
                + types.map { "tech_\($0)_m2" } + modes.map { "added_\($0)_m2" } + ["lost_m2", "firms_moved_in", "firms_moved_out"]
                + stages.map { "tenants_\($0)" })
        for e in p.periods {
            out += CSV.line(
                [
                    e.period.label, e.period.lastDay, m2(e.techSpaceM2), e.planM2.map(m2) ?? "", e.planM2.map { m2($0 - e.techSpaceM2) } ?? "",
                    m2(e.occupiedM2), m2(e.vacantM2), e.occupancy.map { formatFixed($0, 4) } ?? "", String(e.carriers),
                ] + types.map { m2(e.techSpaceByType[$0] ?? 0) } + modes.map { m2(e.addedByMode[$0] ?? 0) }
                    + [m2(e.lostM2), String(e.firmsMovedIn), String(e.firmsMovedOut)] + stages.map { String(e.tenantsByStage[$0] ?? 0) })
        }
        return out
    }

    public static func zonesCSV(_ p: StockProgress) -> String {
        var out = CSV.line(["period", "zone_id", "zone_name", "kind", "tech_space_m2", "occupied_m2", "vacant_m2"])
        for e in p.periods {
            for (zone, z) in zip(p.zones, e.zones) {
                out += CSV.line([e.period.label, zone.id, zone.name, zone.kind.rawValue, m2(z.techSpaceM2), m2(z.occupiedM2), m2(z.techSpaceM2 - z.occupiedM2)])
            }
        }
        return out
    }

    public static func changesCSV(_ p: StockProgress, timeZone: String) -> String {
        var out = CSV.line(["period", "day", "change", "edit_set", "author", "reason", "carrier_id", "carrier_type", "kind", "mode", "delta_m2"])
        for m in p.movements {
            out += CSV.line(
                [
                    m.period, m.change.day, String(m.change.seq), m.change.editSet.map(String.init) ?? "", m.change.author, m.change.reason ?? "",
                    m.carrierID, m.carrierType, m.kind, m.mode, m2(m.deltaM2),
                ])
        }
        return out
    }

    public static func document(_ p: StockProgress) -> JSONValue {
        func object(_ d: [String: Double]) -> JSONValue { .object(JSONObject(d.keys.sorted().map { ($0, .number(d[$0]!.rounded())) })) }
        return .object(
            JSONObject([
                ("opening_m2", .number(p.openingM2.rounded())),
                (
                    "periods",
                    .array(
                        p.periods.map { e in
                            .object(
                                JSONObject([
                                    ("period", .string(e.period.label)), ("last_day", .string(e.period.lastDay)),
                                    ("tech_space_m2", .number(e.techSpaceM2.rounded())), ("plan_m2", e.planM2.map { .number($0.rounded()) } ?? .null),
                                    ("occupied_m2", .number(e.occupiedM2.rounded())), ("vacant_m2", .number(e.vacantM2.rounded())),
                                    ("by_type", object(e.techSpaceByType)), ("added_by_mode", object(e.addedByMode)), ("lost_m2", .number(e.lostM2.rounded())),
                                    ("firms_moved_in", .number(Double(e.firmsMovedIn))), ("firms_moved_out", .number(Double(e.firmsMovedOut))),
                                    ("tenants_by_stage", .object(JSONObject(e.tenantsByStage.keys.sorted().map { ($0, .number(Double(e.tenantsByStage[$0]!))) }))),
                                ]))
                        })),
            ]))
    }

    public static func markdown(_ p: StockProgress, district: String, store: String, timeZone: String) -> String {
        guard let first = p.periods.first, let last = p.periods.last else { return "# Progress\n\nNo period ends in the range asked.\n" }
        var md = "# Tech-cultivation space, \(first.period.label) to \(last.period.label)\n\n"
        md += "\(district), from the history of \(store). Days in \(timeZone); a period's stock is the store as it stood at the end of its last day.\n\n"
        let gap = last.planM2.map { $0 - last.techSpaceM2 }
        md += "- Stock at the end of \(last.period.label): **\(grouped(last.techSpaceM2)) m²**"
        if let plan = last.planM2, let gap {
            md += " against \(grouped(plan)) m² on the plan's path (\(gap > 0 ? "\(grouped(gap)) m² behind" : "\(grouped(-gap)) m² ahead"))"
        }
        md += ".\n- Opening stock (start of \(first.period.label)): \(grouped(p.openingM2)) m²; added \(grouped(p.periods.reduce(0) { $0 + $1.addedByMode.values.reduce(0, +) })) m², lost \(grouped(p.periods.reduce(0) { $0 + $1.lostM2 })) m².\n"
        md += "- Occupied \(grouped(last.occupiedM2)) m² (\(last.occupancy.map { formatFixed($0 * 100, 1) } ?? "–") %), vacant \(grouped(last.vacantM2)) m².\n"
        md += "- Firms moved in \(p.periods.reduce(0) { $0 + $1.firmsMovedIn }), moved out \(p.periods.reduce(0) { $0 + $1.firmsMovedOut }).\n\n"
        md += "| period | stock m² | plan m² | gap m² | added m² | lost m² | occupied | firms in / out |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for e in p.periods {
            let added = e.addedByMode.values.reduce(0, +)
            md += "| \(e.period.label) | \(grouped(e.techSpaceM2)) | \(e.planM2.map(grouped) ?? "–") | \(e.planM2.map { grouped($0 - e.techSpaceM2) } ?? "–") | \(grouped(added)) | \(grouped(e.lostM2)) | \(e.occupancy.map { formatFixed($0 * 100, 1) + " %" } ?? "–") | \(e.firmsMovedIn) / \(e.firmsMovedOut) |\n"
        }
        let modes = modes(p)
        if !modes.isEmpty {
            md += "\n## Added by supply mode (m²)\n\n| mode | " + p.periods.map(\.period.label).joined(separator: " | ") + " |\n|---|" + p.periods.map { _ in "---:|" }.joined() + "\n"
            for mode in modes { md += "| \(mode) | " + p.periods.map { grouped($0.addedByMode[mode] ?? 0) }.joined(separator: " | ") + " |\n" }
        }
        let stages = stages(p)
        if !stages.isEmpty {
            md += "\n## Firms renting in tech-cultivation carriers, by stage (end of period)\n\n| stage | " + p.periods.map(\.period.label).joined(separator: " | ") + " |\n|---|" + p.periods.map { _ in "---:|" }.joined() + "\n"
            for s in stages { md += "| \(s) | " + p.periods.map { String($0.tenantsByStage[s] ?? 0) }.joined(separator: " | ") + " |\n" }
        }
        md += "\n## Every change of the stock\n\n\(p.movements.count) changes, each with its edit set, author and reason, in changes.csv.\n"
        for m in p.movements.suffix(12) {
            md += "- \(m.change.day) \(m.kind) \(m.carrierID) (\(m.carrierType)) \(m.deltaM2 > 0 ? "+" : "")\(grouped(m.deltaM2)) m², \(m.mode): edit set \(m.change.editSet.map(String.init) ?? "–") by \(m.change.author)\(m.change.reason.map { ", \"\($0)\"" } ?? "")\n"
        }
        if p.movements.count > 12 { md += "- … and \(p.movements.count - 12) earlier in changes.csv\n" }
        md += "\nFiles: progress.csv, zones.csv (each zone per period), changes.csv, progress.json, maps/stock.svg, maps/additions.svg, maps/occupancy.svg.\n"
        return md
    }

    static func stockChart(_ p: StockProgress, district: String) -> String {
        let labels = p.periods.map(\.period.label)
        let path = TimeCharts.planPath
        return TimeCharts.lines(
            title: "Tech-cultivation space against the plan's path 科技培育空间", subtitle: "\(district) · at the end of each period, from the store's history",
            labels: labels, yTitle: "m² floor area", lines: [
                .init(name: "plan path", values: p.periods.map(\.planM2), colour: path.colour, dash: path.dash),
                .init(name: "stock", values: p.periods.map { Optional($0.techSpaceM2) }, colour: TimeCharts.colour(0)),
            ] + types(p).enumerated().map { k, t in .init(name: t, values: p.periods.map { $0.techSpaceByType[t] ?? 0 }, colour: TimeCharts.colour(k + 1), dash: "4 3") },
            legendTitle: "Series 系列", note: "The plan's path runs straight from the baseline to each milestone, reached at the end of its year.")
    }

    static func additionsChart(_ p: StockProgress, district: String) -> String {
        TimeCharts.stackedBars(
            title: "Space added by supply mode 新增空间", subtitle: "\(district) · m² added in each period",
            labels: p.periods.map(\.period.label), yTitle: "m² floor area added",
            stacks: modes(p).enumerated().map { k, mode in .init(name: mode, values: p.periods.map { $0.addedByMode[mode] ?? 0 }, colour: TimeCharts.colour(k)) },
            legendTitle: "Mode 方式", note: "A mode is what the edit that added the space named: not_stated when it named none, capacity_change for a carrier made larger.")
    }

    static func occupancyChart(_ p: StockProgress, district: String) -> String {
        TimeCharts.lines(
            title: "Occupancy of tech-cultivation space 入驻率", subtitle: "\(district) · occupied ÷ floor area at the end of each period",
            labels: p.periods.map(\.period.label), yTitle: "occupied share", lines: [.init(name: "occupancy", values: p.periods.map(\.occupancy), colour: TimeCharts.colour(0))],
            legendTitle: "Series 系列", note: "Occupied floor area as operators report it.", percent: true)
    }
}
