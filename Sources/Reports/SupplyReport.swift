import Cartography
import Foundation
import LandSupply
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// supply.json, supply.csv, supply.md and supply.svg: scenarios side by side.
public enum SupplyReport {
    public static func artifacts(
        _ results: [ScenarioResult], map: SpaceMap, settings: SupplySettings, asOfYear: Int, referenceM2: Double,
        warnings: [String] = []
    ) -> [Artifact] {
        [
            Artifact(
                "supply.json", text: json(results, map: map, settings: settings, asOfYear: asOfYear, referenceM2: referenceM2, warnings: warnings)),
            Artifact("supply.csv", text: csv(results)),
            Artifact(
                "supply.md", text: markdown(results, map: map, settings: settings, asOfYear: asOfYear, referenceM2: referenceM2, warnings: warnings)),
            Artifact("supply.svg", text: chart(results, map: map, settings: settings)),
        ]
    }

    /// Cost of one reference floor area under every configured mode, for comparison.
    public static func modeComparison(_ settings: SupplySettings, floorAreaM2: Double) -> [LandCost] {
        settings.modes.keys.sorted().map { LandCost.of(mode: $0, terms: settings.modes[$0]!, floorAreaM2: floorAreaM2, settings: settings) }
    }

    public static func json(
        _ results: [ScenarioResult], map: SpaceMap, settings: SupplySettings, asOfYear: Int, referenceM2: Double,
        warnings: [String] = []
    ) -> String {
        serializedJSON(document(results, map: map, settings: settings, asOfYear: asOfYear, referenceM2: referenceM2, warnings: warnings).jsonDocument) + "\n"
    }

    /// supply.json, typed, for a front end that answers with it.
    public static func document(
        _ results: [ScenarioResult], map: SpaceMap, settings: SupplySettings, asOfYear: Int, referenceM2: Double,
        warnings: [String] = []
    ) -> SupplyDocument {
        SupplyDocument(results, map: map, settings: settings, asOfYear: asOfYear, referenceM2: referenceM2, warnings: warnings)
    }

    /// One row per year, one stock column per scenario.
    public static func csv(_ results: [ScenarioResult]) -> String {
        var out = CSV.line(["year"] + results.map(\.scenario.name))
        guard let years = results.first?.years.map(\.year) else { return out }
        for (k, year) in years.enumerated() {
            out += CSV.line([String(year)] + results.map { $0.years[k].stockM2.map { formatFixed($0, 0) } ?? "" })
        }
        return out
    }

    public static func chart(_ results: [ScenarioResult], map: SpaceMap, settings: SupplySettings) -> String {
        let policy = map.data.policy
        return ScenarioChart.render(
            title: "Will the district reach its target? Supply scenarios 供给情景",
            subtitle:
                "\(map.data.manifest.name)\(map.data.manifest.synthetic && !map.data.manifest.name.contains("synthetic") ? " (synthetic)" : "") · tech-cultivation space at the end of each year",
            years: settings.years,
            series: results.map { r in .init(name: r.scenario.name, points: r.years.compactMap { y in y.stockM2.map { (y.year, $0) } }) },
            milestones: policy.milestones.map { ($0.year, $0.floorAreaM2) }, baseline: (policy.baseline.year, policy.baseline.floorAreaM2),
            note:
                "Targets from \(policy.source.split(separator: "/").last ?? "policy.json"). Stock opens at the data's \(grouped(map.total.techSpaceM2)) m²; additions and losses from each scenario's events."
        )
    }

    public static func markdown(
        _ results: [ScenarioResult], map: SpaceMap, settings: SupplySettings, asOfYear: Int, referenceM2: Double,
        warnings: [String] = []
    ) -> String {
        let data = map.data
        var md = "# Tech-cultivation space supply: scenarios 科技培育空间供给情景\n\n"
        md += "Data: **\(data.manifest.name)**\(data.manifest.synthetic ? " — synthetic, not real records" : ""). "
        md += "Stock in the data (opening \(asOfYear)): \(grouped(map.total.techSpaceM2)) m². Settings: `\(settings.source)`.\n\n"
        if !warnings.isEmpty { md += "## Warnings\n\n" + warnings.map { "- \($0)\n" }.joined() + "\n" }
        md +=
            "## Targets\n\n| scenario | "
            + data.policy.milestones.map { "\($0.year) (target \(grouped($0.floorAreaM2)) m²)" }.joined(separator: " | ") + " |\n"
        md += "|---|" + String(repeating: "---|", count: data.policy.milestones.count) + "\n"
        for r in results {
            md +=
                "| \(r.scenario.name) | "
                + r.milestones.map { m in
                    guard let stock = m.stockM2 else { return "–" }
                    return m.reached
                        ? "**reached**: \(grouped(stock)) m²" : "\(grouped(stock)) m², gap \(groupedGap(target: m.targetM2, stock: stock)) m²"
                }.joined(separator: " | ") + " |\n"
        }
        md +=
            "\n## Stock at the end of each year, m²\n\n| year | " + results.map(\.scenario.name).joined(separator: " | ") + " |\n|---:|"
            + String(repeating: "---:|", count: results.count) + "\n"
        if let years = results.first?.years.map(\.year) {
            for (k, year) in years.enumerated() {
                md += "| \(year) | " + results.map { $0.years[k].stockM2.map(grouped) ?? "–" }.joined(separator: " | ") + " |\n"
            }
        }
        md += "\nYears before the data's year are not reconstructed. Chart: [supply.svg](supply.svg).\n"
        for r in results {
            md += "\n## \(r.scenario.name)\n\n\(r.scenario.description.isEmpty ? "" : r.scenario.description + "\n\n")"
            md += "| year | " + SupplySource.allCases.map { "+ \($0.label)" }.joined(separator: " | ") + " | − lost | stock |\n"
            md += "|---:|" + String(repeating: "---:|", count: SupplySource.allCases.count + 2) + "\n"
            for y in r.years where y.stockM2 != nil {
                md += "| \(y.year) | " + SupplySource.allCases.map { y.added[$0].map(grouped) ?? "" }.joined(separator: " | ")
                md += " | \(y.lostM2 > 0 ? grouped(y.lostM2) : "") | \(grouped(y.stockM2!)) |\n"
            }
            if let renewal = r.renewal {
                md +=
                    "\nRenewal proposals counted: "
                    + renewal.proposals.map {
                        "\($0.proposal.id)\($0.passes ? "" : " (fails \($0.failedChecks.map(\.rule).joined(separator: ", ")))")"
                    }.joined(separator: ", ") + ".\n"
            }
            if !r.landCosts.isEmpty {
                md +=
                    "\nLand cost borne by firms over each term (yuan):\n\n| event | mode | floor area m² | term | first year | total | present value | per m² per year |\n|---|---|---:|---:|---:|---:|---:|---:|\n"
                for (event, c) in r.landCosts {
                    md +=
                        "| \(event) | \(settings.modes[c.mode]?.label ?? c.mode) | \(grouped(c.floorAreaM2)) | \(c.termYears) | \(grouped(c.upfrontYuan)) | \(grouped(c.totalYuan)) | \(grouped(c.presentValueYuan)) | \(formatFixed(c.perM2PerYear, 1)) |\n"
                }
            }
        }
        md += "\n## Land cost by supply mode for \(grouped(referenceM2)) m² of floor area\n\n"
        md +=
            "Assumed prices and terms (`\(settings.source)`): land premium \(grouped(settings.landPricePerM2)) yuan/m² floor area for a \(settings.fullTermYears)-year transfer, "
        md += "rent \(grouped(settings.annualRentPerM2)) yuan/m² a year, discount rate \(percent(settings.discountRate)).\n\n"
        md += "| mode | term | first year | total | present value | per m² per year |\n|---|---:|---:|---:|---:|---:|\n"
        for c in modeComparison(settings, floorAreaM2: referenceM2) {
            md +=
                "| \(settings.modes[c.mode]?.label ?? c.mode) | \(c.termYears) | \(grouped(c.upfrontYuan)) | \(grouped(c.totalYuan)) | \(grouped(c.presentValueYuan)) | \(formatFixed(c.perM2PerYear, 1)) |\n"
        }
        return md
    }
}
