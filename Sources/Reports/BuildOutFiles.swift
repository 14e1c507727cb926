import BuildOut
import Cartography
import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// capacity.csv (per parcel), capacity-zones.csv, capacity.geojson (parcels with their capacity,
/// WGS84), capacity.gpkg (the same in the working CRS, for QGIS), capacity.md and headroom.svg.
public enum CapacityFiles {
    public static func artifacts(_ c: CapacityAnalysis, map: SpaceMap) throws -> [Artifact] {
        [
            Artifact("capacity.csv", text: parcelsCSV(c, map: map)),
            Artifact("capacity-zones.csv", text: zonesCSV(c, map: map)),
            Artifact("capacity.geojson", stream: { try geoJSON(c, map: map, $0) }),
            Artifact(
                "capacity.gpkg",
                file: { try GeoPackageWriter.write([table(c, map: map)], to: $0.path, lastChange: SpaceMapLayers.inputsChanged(map.data)) }),
            Artifact("capacity.md", text: markdown(c, map: map)),
            Artifact("headroom.svg", text: try headroomMap(c, map: map)),
        ]
    }

    static func parcelsCSV(_ c: CapacityAnalysis, map: SpaceMap) -> String {
        let modes = c.rules.modes.map(\.id)
        var text = CSV.line(
            [
                "parcel_id", "land_use", "land_area_m2", "far_cap", "far_cap_source", "height_cap_m", "allowed_m2", "existing_m2",
                "headroom_m2", "existing_tech_m2",
            ] + modes.map { "tech_\($0)_m2" } + ["subdistrict", "cluster"])
        for p in c.parcels {
            let parcel = map.data.parcels[p.parcel]
            text += CSV.line(
                [
                    parcel.id, parcel.landUse, formatFixed(parcel.landAreaM2, 1), p.farCap.map { formatFixed($0, 2) } ?? "",
                    p.farCap == nil ? "none" : p.farCapFromParcel ? "parcel" : "rules", p.heightCapM.map { formatFixed($0, 1) } ?? "",
                    formatFixed(p.allowedM2, 1), formatFixed(p.existingM2, 1), formatFixed(p.headroomM2, 1), formatFixed(p.existingTechM2, 1),
                ]
                    + modes.map { formatFixed(p.techByMode[$0] ?? 0, 1) }
                    + [map.zoneIDs(map.parcelZones[p.parcel], .subdistrict), map.zoneIDs(map.parcelZones[p.parcel], .cluster)])
        }
        return text
    }

    static func zonesCSV(_ c: CapacityAnalysis, map: SpaceMap) -> String {
        let modes = c.rules.modes.map(\.id)
        var text = CSV.line(["zone_id", "name", "kind", "headroom_m2"] + modes.map { "tech_\($0)_m2" })
        for (z, zone) in map.data.zones.enumerated() {
            text += CSV.line(
                [zone.id, zone.name, zone.kind.rawValue, formatFixed(c.zoneHeadroomM2[z], 1)]
                    + modes.map { formatFixed(c.zoneTechByMode[z][$0] ?? 0, 1) })
        }
        text += CSV.line(
            ["total", "district", "total", formatFixed(c.totalHeadroomM2, 1)] + modes.map { formatFixed(c.totalTechByMode[$0] ?? 0, 1) })
        return text
    }

    static func geoJSON(_ c: CapacityAnalysis, map: SpaceMap, _ sink: any ArtifactSink) throws {
        let data = map.data
        let writer = GeoJSONWriter(decimals: 7)
        let transformer = try CoordinateTransformer(from: data.policy.workingCRS, to: .wgs84)
        try sink.write("{\"type\":\"FeatureCollection\",\"name\":\"capacity\",\"features\":[\n")
        for (k, p) in c.parcels.enumerated() {
            var properties = JSONObject([
                ("parcel_id", .string(data.parcels[p.parcel].id)), ("land_use", .string(data.parcels[p.parcel].landUse)),
                ("far_cap", p.farCap.map(JSONValue.number) ?? .null), ("allowed_m2", .number(round1(p.allowedM2))),
                ("existing_m2", .number(round1(p.existingM2))), ("headroom_m2", .number(round1(p.headroomM2))),
                ("existing_tech_m2", .number(round1(p.existingTechM2))),
            ])
            for mode in c.rules.modes { properties["tech_\(mode.id)_m2"] = .number(round1(p.techByMode[mode.id] ?? 0)) }
            var text = ""
            writer.appendFeature(
                GeoJSONFeature(index: k, properties: properties, shape: try transformer.transform(data.parcels[p.parcel].geometry.shape)), to: &text)
            try sink.write(text + (k + 1 < c.parcels.count ? ",\n" : "\n"))
        }
        try sink.write("]}\n")
    }

    /// The parcels of capacity.geojson as one GeoPackage layer, same fields, in the working CRS.
    static func table(_ c: CapacityAnalysis, map: SpaceMap) -> VectorTable {
        let data = map.data
        let fields =
            [VectorField(name: "parcel_id", kind: .text), VectorField(name: "land_use", kind: .text)]
            + ["far_cap", "allowed_m2", "existing_m2", "headroom_m2", "existing_tech_m2"].map { VectorField(name: $0, kind: .real) }
            + c.rules.modes.map { VectorField(name: "tech_\($0.id)_m2", kind: .real) }
        return VectorTable(name: "capacity", crs: data.policy.workingCRS, geometryType: .multiPolygon, fields: fields, count: c.parcels.count) { k in
            let p = c.parcels[k]
            let parcel = data.parcels[p.parcel]
            let values: [VectorValue] =
                [
                    .string(parcel.id), .string(parcel.landUse), p.farCap.map(VectorValue.real) ?? .null,
                    .real(round1(p.allowedM2)), .real(round1(p.existingM2)), .real(round1(p.headroomM2)), .real(round1(p.existingTechM2)),
                ]
                + c.rules.modes.map { .real(round1(p.techByMode[$0.id] ?? 0)) }
            return (values, parcel.geometry.shape)
        }
    }

    static func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }

    static func markdown(_ c: CapacityAnalysis, map: SpaceMap) -> String {
        let data = map.data
        var md = "# Build-out capacity 建设容量\n\nData: **\(data.manifest.name)**\(data.manifest.synthetic ? " — synthetic, not real records" : ""). "
        md += "Rules: `\(c.rules.source)` (all assumptions) and the FAR caps of the renewal rules.\n\n"
        md +=
            "Allowed floor area = FAR cap × land area, and no more than (height cap ÷ \(formatFixed(c.rules.floorHeightM, 1)) m a storey) × \(percent(c.rules.siteCoverage)) site coverage × land area. "
        md +=
            "Headroom = allowed − floor area standing. Tech-cultivation space by mode: what each mode could make of the parcel's buildings or land; modes are alternatives, so their columns do not add up.\n\n"
        md += "District headroom: **\(grouped(c.totalHeadroomM2)) m²** over \(counted(c.parcels.filter { $0.headroomM2 > 0 }.count, "parcel")).\n\n"
        md += "| mode | tech-cultivation space m² | years to use | public cost |\n|---|---:|---:|---|\n"
        for mode in c.rules.modes {
            let cost = [
                mode.oneOffCostPerM2 > 0 ? "\(grouped(mode.oneOffCostPerM2)) yuan/m² once" : nil,
                mode.annualCostPerM2 > 0 ? "\(grouped(mode.annualCostPerM2)) yuan/m² a year" : nil,
            ].compactMap { $0 }.joined(separator: ", ")
            md += "| \(mode.label) | \(grouped(c.totalTechByMode[mode.id] ?? 0)) | \(mode.constructionYears) | \(cost.isEmpty ? "–" : cost) |\n"
        }
        md +=
            "\n## By zone\n\n| zone | kind | headroom m² | " + c.rules.modes.map(\.id).joined(separator: " | ") + " |\n|---|---|---:|"
            + String(repeating: "---:|", count: c.rules.modes.count) + "\n"
        for (z, zone) in data.zones.enumerated() where zone.kind != .district {
            md +=
                "| \(zone.name) | \(zone.kind.rawValue) | \(grouped(c.zoneHeadroomM2[z])) | "
                + c.rules.modes.map { grouped(c.zoneTechByMode[z][$0.id] ?? 0) }.joined(separator: " | ") + " |\n"
        }
        md += "\nFiles: capacity.csv (per parcel), capacity-zones.csv, capacity.geojson (parcels in WGS84 with their capacity), headroom.svg.\n"
        return md
    }

    static func headroomMap(_ c: CapacityAnalysis, map: SpaceMap) throws -> String {
        var input = ParcelMapInput(
            title: "Build-out headroom 建设容量余量", legendTitle: "Headroom, floor area m² (Fisher-Jenks)",
            fill: .values(Dictionary(uniqueKeysWithValues: c.parcels.map { (map.data.parcels[$0.parcel].id, $0.headroomM2) }), unit: "m²"))
        input.figures =
            ["district headroom \(grouped(c.totalHeadroomM2)) m²"]
            + c.rules.modes.map { "\($0.label): \(grouped(c.totalTechByMode[$0.id] ?? 0)) m² tech space" }
        return try ParcelMap.render(try MapScene(map), input)
    }
}

/// target.json, target.csv (chosen projects), target.md, target-sites.svg, target-trajectory.svg
/// and target-scenario.json (the programme as a `supply` scenario, to replay and edit).
public enum TargetFiles {
    public static func artifacts(_ a: TargetAnalysis, map: SpaceMap, scenarios: [(name: String, points: [(Int, Double)])] = []) throws -> [Artifact] {
        [
            Artifact("target.json", text: json(a, map: map)),
            Artifact("target.csv", text: csv(a.programme, map: map)),
            Artifact("target.md", text: markdown(a, map: map)),
            Artifact("target-sites.svg", text: try sitesMap(a.programme, map: map)),
            Artifact("target-trajectory.svg", text: chart(a.programme, map: map, scenarios: scenarios)),
            Artifact("target-scenario.json", text: scenario(a.programme, map: map)),
        ]
    }

    static func json(_ a: TargetAnalysis, map: SpaceMap) -> String { serializedJSON(document(a, map: map).jsonDocument) + "\n" }

    /// target.json, typed, for a front end that answers with it.
    public static func document(_ a: TargetAnalysis, map: SpaceMap) -> TargetDocument { TargetDocument(a, map: map) }

    /// How far from proved the programme is, in words.
    public static func solverStatus(_ p: TargetProgramme) -> String {
        if p.provenOptimal { return "proved the optimum" }
        if p.gap.isNaN { return "no bound (the targets are not reached)" }
        return "within \(formatFixed(p.gap * 100, 3)) % of its bound"
    }

    static func csv(_ p: TargetProgramme, map: SpaceMap) -> String {
        var text = CSV.line([
            "id", "mode", "parcel_id", "building_ids", "tech_m2", "start_year", "completion_year", "one_off_cost_yuan", "annual_cost_yuan",
            "discounted_cost_yuan", "displaced_m2", "displaced_firms", "clusters", "source",
        ])
        for c in p.chosen {
            let x = c.candidate
            text += CSV.line([
                x.id, x.mode, x.parcel.map { map.data.parcels[$0].id } ?? "", x.buildings.map { map.data.buildings[$0].id }.joined(separator: ";"),
                formatFixed(x.techM2, 1), "\(c.startYear)", "\(c.completionYear)", formatFixed(x.oneOffCostYuan, 0), formatFixed(x.annualCostYuan, 0),
                formatFixed(c.discountedCostYuan, 0), formatFixed(x.displacedM2, 1), "\(x.displacedFirms)", x.clusters.joined(separator: ";"),
                x.fromFile ? "file" : "capacity",
            ])
        }
        return text
    }

    static func markdown(_ a: TargetAnalysis, map: SpaceMap) -> String {
        let p = a.programme, rules = p.problem.rules
        var md = "# The path to the target: an optimised supply programme 科技培育空间供给方案\n\n"
        md +=
            "Data: **\(map.data.manifest.name)**\(map.data.manifest.synthetic ? " — synthetic, not real records" : ""). Rules: `\(rules.source)` (assumptions). "
        md +=
            "Opening stock \(grouped(p.problem.openingStockM2)) m² (\(p.problem.asOfYear)); \(counted(p.problem.candidates.count, "candidate project")).\n\n"
        md +=
            p.reachesEveryTarget
            ? "**Every target is reached.**\n\n"
            : "**Not every target can be reached**: the programme below comes closest (least shortfall first, then least cost).\n\n"
        md += "| year | target m² | stock m² | shortfall m² |\n|---:|---:|---:|---:|\n"
        for m in p.milestones {
            md +=
                "| \(m.year) | \(grouped(m.targetM2)) | \(grouped(m.stockM2)) | \(m.reached ? "reached" : groupedGap(target: m.targetM2, stock: m.stockM2)) |\n"
        }
        md +=
            "\nDiscounted public cost **\(grouped(p.discountedCostYuan)) yuan** (rate \(percent(rules.discountRate))); firms' floor area displaced \(grouped(p.displacedM2)) m² (cap \(grouped(rules.displacementCapM2)) m²). "
        md += "Solver: \(p.solver), \(solverStatus(p)), \(formatFixed(p.seconds, 2)) s.\n\n"
        if !a.binding.isEmpty { md += "What binds:\n\n" + a.binding.map { "- \($0)\n" }.joined() + "\n" }
        md += "## By year\n\n| year | stock m² | public cost yuan | budget yuan |\n|---:|---:|---:|---:|\n"
        for (y, cost) in zip(p.stockByYear.dropFirst(), p.costByYear) {
            md += "| \(y.year) | \(grouped(y.stockM2)) | \(grouped(cost.costYuan)) | \(grouped(cost.budgetYuan)) |\n"
        }
        md += "\n## By mode\n\n| mode | projects | tech space m² | discounted cost yuan |\n|---|---:|---:|---:|\n"
        for mode in Set(p.chosen.map(\.candidate.mode)).sorted() {
            let chosen = p.chosen.filter { $0.candidate.mode == mode }
            md +=
                "| \(rules.mode(mode)?.label ?? mode) | \(chosen.count) | \(grouped(chosen.reduce(0) { $0 + $1.candidate.techM2 })) | \(grouped(chosen.reduce(0) { $0 + $1.discountedCostYuan })) |\n"
        }
        if !p.clusterShares.isEmpty {
            md += "\n## Clusters\n\n| cluster | share of space added | minimum |\n|---|---:|---:|\n"
            for c in p.clusterShares {
                md += "| \(map.data.zones.first { $0.id == c.cluster }?.name ?? c.cluster) | \(percent(c.share)) | \(percent(c.minimum)) |\n"
            }
        }
        md +=
            "\n## Marginal cost and sensitivity\n\n| variant | discounted cost yuan | "
            + p.milestones.map { "shortfall \($0.year) m²" }.joined(separator: " | ") + " | displaced m² |\n|---|---:|"
            + String(repeating: "---:|", count: p.milestones.count + 1) + "\n"
        for v in [
            TargetAnalysis.Variant(
                label: "as configured", discountedCostYuan: p.discountedCostYuan, shortfallsM2: p.milestones.map { ($0.year, $0.shortfallM2) },
                displacedM2: p.displacedM2, chosen: p.chosen.count), a.marginal,
        ] + a.sensitivity {
            md +=
                "| \(v.label) | \(grouped(v.discountedCostYuan)) | " + v.shortfallsM2.map { grouped($0.m2) }.joined(separator: " | ")
                + " | \(grouped(v.displacedM2)) |\n"
        }
        md +=
            "\nThe next \(grouped(rules.marginalStepM2)) m² by \(p.problem.lastYear) would cost \(grouped(a.marginal.discountedCostYuan - p.discountedCostYuan)) yuan more"
        md +=
            (a.marginal.shortfallsM2.last?.m2 ?? 0) > (p.milestones.last?.shortfallM2 ?? 0) + 0.5
            ? ", and could not all be found: the shortfall grows to \(grouped(a.marginal.shortfallsM2.last!.m2)) m².\n" : ".\n"
        md +=
            "\nFiles: target.csv (every chosen project), target.json, target-sites.svg, target-trajectory.svg, target-scenario.json (replay with `spaceplan supply --scenario`).\n"
        return md
    }

    static func sitesMap(_ p: TargetProgramme, map: SpaceMap) throws -> String {
        var byParcel: [String: String] = [:]
        for c in p.chosen { if let parcel = c.candidate.parcel { byParcel[map.data.parcels[parcel].id] = c.candidate.mode } }
        let legend = p.problem.rules.modes.map { MapScene.Category(code: $0.id, label: $0.label) }
        var input = ParcelMapInput(
            title: "The programme's sites 供给方案选址", legendTitle: "Parcels by the mode chosen", fill: .categories(byParcel, legend: legend))
        input.figures =
            p.milestones.map { "\($0.year): \(grouped($0.stockM2)) m² of \(grouped($0.targetM2)) m²" + ($0.reached ? " (reached)" : "") }
            + [
                "\(counted(p.chosen.count, "project")), discounted cost \(grouped(p.discountedCostYuan)) yuan",
                "displaced \(grouped(p.displacedM2)) m² of firms' floor area",
            ]
        return try ParcelMap.render(try MapScene(map), input)
    }

    static func chart(_ p: TargetProgramme, map: SpaceMap, scenarios: [(name: String, points: [(Int, Double)])]) -> String {
        let policy = map.data.policy
        let years = p.problem.asOfYear...max(p.problem.asOfYear + 1, p.problem.lastYear)
        return ScenarioChart.render(
            title: "The optimised programme against the targets 优化供给方案",
            subtitle:
                "\(map.data.manifest.name)\(map.data.manifest.synthetic && !map.data.manifest.name.contains("synthetic") ? " (synthetic)" : "") · tech-cultivation space at the end of each year",
            years: years,
            series: [.init(name: "optimised programme", points: p.stockByYear.map { ($0.year, $0.stockM2) })]
                + scenarios.map { s in .init(name: s.name, points: s.points.filter { years.contains($0.0) }) },
            milestones: policy.milestones.map { ($0.year, $0.floorAreaM2) }, baseline: (policy.baseline.year, policy.baseline.floorAreaM2),
            note: "The programme from `spaceplan target`; other lines are `supply` scenarios given with --scenario.")
    }

    /// The programme as a scenario of `spaceplan supply`: purchases, leases, and the works as conversions.
    static func scenario(_ p: TargetProgramme, map: SpaceMap) -> String {
        let events: [JSONValue] = p.chosen.map { c in
            let x = c.candidate
            var e = JSONObject([("id", .string(x.id)), ("year", .number(Double(c.completionYear)))])
            switch x.mode {
            case "purchase": e["kind"] = .string("purchase"); e["floor_area_m2"] = .number(m2(x.techM2))
            case "lease":
                e["kind"] = .string("lease"); e["floor_area_m2"] = .number(m2(x.techM2))
                e["term_years"] = .number(Double(max(1, p.problem.lastYear - c.completionYear + 1))); e["renewed"] = .bool(true)
            default:
                e["kind"] = .string("conversion"); e["floor_area_m2"] = .number(m2(x.techM2))
                e["building_ids"] = .array(x.buildings.map { .string(map.data.buildings[$0].id) })
            }
            e["note"] = .string("\(x.mode) from spaceplan target")
            return .object(e)
        }
        return serializedJSON(
            .object(
                JSONObject([
                    ("name", .string("Optimised programme (spaceplan target)")),
                    (
                        "description",
                        .string(
                            "Written by spaceplan target from \(p.problem.rules.source): every chosen project as a supply event in its completion year."
                        )
                    ),
                    ("events", .array(events)),
                ]))) + "\n"
    }
}
