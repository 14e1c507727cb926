import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// report.md: the space map as a planner reads it.
public enum SpaceMapReport {
    public static func markdown(_ map: SpaceMap) -> String {
        let data = map.data, policy = data.policy, total = map.total
        var md = "# Industrial-space map: \(data.manifest.name)\n\n"
        if data.manifest.synthetic {
            md += "> **Synthetic data.** This district's parcels, buildings, carriers and firms are generated, not real records.\n\n"
        }
        md += "Measured in \(policy.workingCRS) (\((try? CRSInfo.lookup(policy.workingCRS).name) ?? "")). "
        md += "\(counted(data.zones.count, "zone")), \(counted(total.parcels, "parcel")), \(counted(total.buildings, "building")), "
        md += "\(counted(total.carriers, "carrier")), \(counted(total.enterprises, "enterprise")).\n\n"

        md += "## Tech-cultivation space and the plan's targets\n\n"
        md += "Stock: **\(grouped(total.techSpaceM2)) m²** in \(total.carriers) carriers, \(percent(total.techOccupancy)) occupied "
        md +=
            "(\(grouped(total.techVacantM2)) m² vacant). Baseline in the configuration: \(grouped(policy.baseline.floorAreaM2)) m² (\(policy.baseline.year))"
        for alt in policy.alternativeBaselines { md += "; alternative: \(grouped(alt.floorAreaM2)) m² (\(alt.label ?? "\(alt.year)"))" }
        md += ".\n\n| target year | target m² | stock m² | share of target | gap m² |\n|---:|---:|---:|---:|---:|\n"
        for p in map.progress {
            md +=
                "| \(p.year) | \(grouped(p.targetM2)) | \(grouped(p.stockM2)) | \(percent(p.share)) | \(groupedGap(target: p.targetM2, stock: p.stockM2)) |\n"
        }
        md += "\n| carrier type | carriers | floor area m² | share |\n|---|---:|---:|---:|\n"
        for type in CarrierType.allCases {
            let area = total.techSpaceByType[type.rawValue] ?? 0
            md +=
                "| \(type.label) | \(total.carriersByType[type.rawValue] ?? 0) | \(grouped(area)) | \(percent(total.techSpaceM2 > 0 ? area / total.techSpaceM2 : nil)) |\n"
        }

        for kind in [ZoneKind.subdistrict, .cluster] {
            let zones = data.zones.indices.filter { data.zones[$0].kind == kind }
            if zones.isEmpty { continue }
            md += "\n## \(kind == .subdistrict ? "Sub-districts (街道)" : "Innovation clusters")\n\n"
            md +=
                "| zone | land m² | industrial land m² | buildings | GFA m² | industrial GFA m² | old industrial GFA m² | tech space m² | occupied | firms | employees | m² per employee |\n"
            md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            for z in zones {
                let t = map.zoneTallies[z]
                md +=
                    "| \(data.zones[z].name) | \(grouped(t.landAreaM2)) | \(grouped(t.industrialLandM2)) | \(grouped(Double(t.buildings))) | \(grouped(t.gfaM2)) | \(grouped(t.industrialGFAM2)) | "
                md +=
                    "\(grouped(t.oldIndustrialGFAM2)) | \(grouped(t.techSpaceM2)) | \(percent(t.techOccupancy)) | \(grouped(Double(t.enterprises))) | "
                md += "\(grouped(Double(t.employees))) | \(t.floorAreaPerEmployeeM2.map { formatFixed($0, 1) } ?? "–") |\n"
            }
        }

        md += "\n## Enterprises\n\n| sector | firms | employees |\n|---|---:|---:|\n"
        for sector in Vocabulary.sectors where total.enterprisesBySector[sector] != nil {
            md +=
                "| \(sector) | \(grouped(Double(total.enterprisesBySector[sector]!))) | \(grouped(Double(total.employeesBySector[sector] ?? 0))) |\n"
        }
        md += "\n| kind | firms |\n|---|---:|\n"
        for flag in Vocabulary.enterpriseFlags { md += "| \(flag) | \(grouped(Double(total.enterprisesByFlag[flag] ?? 0))) |\n" }

        md += "\n## Joins\n\n"
        let matched = map.buildingParcel.filter { $0.parcel != nil }.count
        let spans = map.buildingParcel.filter { $0.parcelsSpanned > 1 }.count
        let ties = map.buildingParcel.filter { $0.tiedWith != nil }.count
        md += "- Buildings → parcels (largest overlap): \(grouped(Double(matched))) of \(grouped(Double(data.buildings.count))) matched; "
        md += "\(spans) span more than one parcel; \(ties) ties.\n"
        var byMethod: [EnterpriseBuildingMatch.Method: Int] = [:]
        for match in map.enterpriseBuilding { byMethod[match.method, default: 0] += 1 }
        let methods = EnterpriseBuildingMatch.Method.allCases.map { m in "\(byMethod[m] ?? 0) \(m.rawValue)" }
        md +=
            "- Enterprises → buildings: \(methods.joined(separator: ", ")) (nearest within \(formatFixed(policy.enterpriseMatchMaxDistanceM, 0)) m).\n"

        md += "\n## Data issues\n\n"
        md += map.report.countsLine
        md += ". The full list is in `validation.txt` and `validation.json`.\n"
        let rules = map.report.ruleCounts
        if !rules.isEmpty {
            md += "\nWarnings by plausibility rule (GIS/README.md):\n\n| records | rule | what |\n|---:|---|---|\n"
            for c in rules { md += "| \(c.count) \(c.layer) | `\(c.rule)` | \(c.summary.replacingOccurrences(of: "|", with: "\\|")) |\n" }
        }
        // The first entries of each kind, unmatched records included: a planner sees every kind of problem.
        let shown = ValidationReport.Kind.allCases.flatMap { kind in map.report.entries.filter { $0.kind == kind }.prefix(5) }
        if !shown.isEmpty {
            md += "\n| kind | layer | record | problem |\n|---|---|---|---|\n"
            for e in shown {
                md +=
                    "| \(e.kind.rawValue) | \(e.layer) | \(e.recordID ?? e.record.map(String.init) ?? "–") | \(e.problem.replacingOccurrences(of: "|", with: "\\|")) |\n"
            }
        }
        return md
    }
}
