import Renewal
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// renewal.json and renewal.md: every proposal's figures, checks and rank.
public enum RenewalReport {
    static func number(_ x: Double) -> JSONValue { .number((x * 100).rounded() / 100) }
    static func byUse(_ d: FloorAreaByUse) -> JSONValue { .object(JSONObject(d.keys.sorted().map { ($0, number(d[$0]!)) })) }
    static func timeline(_ t: [YearChange]) -> JSONValue {
        .array(
            t.map { c in
                .object(
                    JSONObject([
                        ("year", .number(Double(c.year))), ("tech_added_m2", number(c.techAddedM2)), ("tech_lost_m2", number(c.techLostM2)),
                        ("industrial_added_m2", number(c.industrialAddedM2)), ("industrial_lost_m2", number(c.industrialLostM2)),
                        ("government_housing_m2", number(c.governmentHousingM2)),
                    ]))
            })
    }

    public static func scoringFormula(_ r: RenewalRules.Ranking) -> String {
        "score = (\(formatJSONNumber(r.techSpaceWeight)) × net tech-cultivation space added by \(r.targetYear) + \(formatJSONNumber(r.governmentHousingWeight)) × government industrial housing completed by \(r.targetYear)) / (displaced firms' floor area + \(grouped(r.displacementFloorM2)) m²)"
            + (r.noncompliantLast ? "; proposals failing a check rank after those that pass" : "")
    }

    public static func json(_ e: RenewalEvaluation, map: SpaceMap) -> String { serializedJSON(document(e, map: map).jsonDocument) + "\n" }

    /// renewal.json, typed, for a front end that answers with it.
    public static func document(_ e: RenewalEvaluation, map: SpaceMap) -> RenewalDocument { RenewalDocument(e, map: map) }

    public static func markdown(_ e: RenewalEvaluation, map: SpaceMap, mapFiles: [String: [String]] = [:]) -> String {
        let data = map.data, policy = data.policy, r = e.rules.ranking
        var md = "# Renewal proposals 城市更新 — evaluation\n\n"
        md += "Data: **\(data.manifest.name)**\(data.manifest.synthetic ? " — synthetic, not real records" : ""), as of \(e.asOfYear). "
        md +=
            "Rules: `\(e.rules.source)`. \(e.proposals.count) proposal\(e.proposals.count == 1 ? "" : "s"), \(e.proposals.reduce(0) { $0 + $1.units.count }) units.\n\n"

        md += "## Ranking\n\n\(scoringFormula(r)).\n\n"
        md +=
            "| rank | proposal | units | net tech space by \(r.targetYear) m² | gov. industrial housing m² | firms displaced | displaced m² | re-housed nearby | score | checks |\n"
        md += "|---:|---|---:|---:|---:|---:|---:|---|---:|---|\n"
        for i in e.ranking {
            let p = e.proposals[i], d = p.displacement
            let failed = p.failedChecks.map(\.rule)
            md +=
                "| \(p.rank) | \(p.proposal.id) \(p.proposal.name) | \(p.units.count) | \(grouped(p.netTechByTargetYearM2)) | \(grouped(p.governmentHousingByTargetYearM2)) | "
            md +=
                "\(d.firms.count) | \(grouped(d.floorAreaM2)) | \(d.firms.isEmpty ? "–" : "\(d.rehousedFirms) of \(d.firms.count)") | \(formatFixed(p.score, 2)) | "
            md += failed.isEmpty ? "pass |\n" : "**fail**: \(failed.joined(separator: ", ")) |\n"
        }

        md += "\n## All proposals together\n\n"
        let stock = map.total.techSpaceM2
        md +=
            "Tech-cultivation space in the data: \(grouped(stock)) m². \(counted(e.displacedFirms.count, "firm")) displaced in all (each counted once).\n\n"
        md +=
            "| year | tech space added | lost | stock if all go ahead | industrial added | industrial lost | gov. housing |\n|---:|---:|---:|---:|---:|---:|---:|\n"
        var running = stock
        for c in e.timeline {
            running += c.techAddedM2 - c.techLostM2
            md +=
                "| \(c.year) | \(grouped(c.techAddedM2)) | \(grouped(c.techLostM2)) | \(grouped(running)) | \(grouped(c.industrialAddedM2)) | \(grouped(c.industrialLostM2)) | \(grouped(c.governmentHousingM2)) |\n"
        }
        for m in policy.milestones {
            let reached = stock + e.timeline.filter { $0.year <= m.year }.reduce(0) { $0 + $1.techAddedM2 - $1.techLostM2 }
            md += "\nBy \(m.year): \(grouped(reached)) m² against the target \(grouped(m.floorAreaM2)) m² (\(percent(reached / m.floorAreaM2))); "
            md += reached >= m.floorAreaM2 ? "reached." : "gap \(groupedGap(target: m.floorAreaM2, stock: reached)) m²."
        }
        md += "\n\nRenewal alone rarely closes the gap: `spaceplan supply` adds purchases, leases, conversions and new land.\n"

        for i in e.ranking {
            let p = e.proposals[i], d = p.displacement
            md += "\n## \(p.rank). \(p.proposal.id) — \(p.proposal.name)\n\n"
            for u in p.units {
                md += "### Unit \(u.unit.id) \(u.unit.name): \(e.rules.modes[u.unit.mode]?.label ?? u.unit.mode.rawValue)\n\n"
                md +=
                    "Land \(grouped(u.unit.landAreaM2)) m², land use \(u.unit.landUse), density zone \(u.densityZone), in \(u.footprint.zoneIDs.map { id in data.zones.first { $0.id == id }?.name ?? id }.joined(separator: ", ")). "
                md +=
                    "Touches \(counted(u.footprint.parcels.count, "parcel")) and \(counted(u.footprint.buildings.count, "building")) with \(counted(u.firmsInUnit.count, "firm"))"
                // Whether firms stay is the mode's rule, not whether this unit happens to hold any.
                let moveOut = e.rules.modes[u.unit.mode]?.displacesFirms ?? false
                md += u.firmsInUnit.isEmpty ? ". " : moveOut ? " (all move out for the works). " : " (they stay during the works). "
                md += "Works start \(u.unit.startYear); "
                md += u.unit.phases.map { "\($0.name) \(percent($0.share)) in \($0.completionYear)" }.joined(separator: ", ") + ".\n\n"
                let uses = Set(u.before.keys).union(u.after.keys).union(u.built.keys).sorted()
                if !uses.isEmpty {
                    md += "| use | before | demolished | kept | built | after |\n|---|---:|---:|---:|---:|---:|\n"
                    for use in uses {
                        md +=
                            "| \(use) | \(grouped(u.before[use] ?? 0)) | \(grouped(u.demolished[use] ?? 0)) | \(grouped(u.kept[use] ?? 0)) | \(grouped(u.built[use] ?? 0)) | \(grouped(u.after[use] ?? 0)) |\n"
                    }
                    md +=
                        "| **total** | \(grouped(u.before.total)) | \(grouped(u.demolished.total)) | \(grouped(u.kept.total)) | \(grouped(u.built.total)) | \(grouped(u.after.total)) |\n\n"
                }
                md += "Industrial floor area \(grouped(u.industrialBeforeM2)) → \(grouped(u.industrialAfterM2)) m² (\(signed(u.netIndustrialM2))). "
                if let c = u.unit.carrier {
                    md += "Becomes \(c.type.label) \"\(c.name)\" of \(grouped(u.carrierFloorAreaM2)) m²"
                    md += u.existingTechSpaceM2 > 0 ? " (tech space already here: \(grouped(u.existingTechSpaceM2)) m²)" : ""
                    md += ". "
                }
                md +=
                    "Tech-cultivation space \(signed(u.netTechM2)) m²; government industrial housing \(grouped(u.governmentHousingM2)) m²; FAR after \(formatFixed(u.farAfter, 2)).\n\n"
                md += "| check | value | limit | result | detail |\n|---|---:|---:|---|---|\n"
                for c in u.checks {
                    let value = c.value.map { c.rule.hasSuffix("share") ? percent($0) : formatFixed($0, 2) } ?? "–"
                    let limit = c.limit.map { c.rule.hasSuffix("share") ? percent($0) : formatFixed($0, 2) } ?? "–"
                    md += "| \(c.rule) | \(value) | \(limit) | \(c.outcome == .fail ? "**fail**" : c.outcome.rawValue) | \(c.detail) |\n"
                }
                if let files = mapFiles[u.unit.id], !files.isEmpty {
                    md += "\nMaps: " + files.map { "[\($0)](\($0))" }.joined(separator: " · ") + "\n"
                }
                md += "\n"
            }
            md += "**Firms displaced:** \(d.firms.count) (\(grouped(d.floorAreaM2)) m², \(grouped(Double(d.employees))) employees)"
            if !d.bySector.isEmpty { md += ": " + d.bySector.map { "\($0.sector) \($0.firms)" }.joined(separator: ", ") }
            md += ".\n\n"
            if !d.firms.isEmpty {
                md +=
                    "**Re-housing:** \(grouped(d.nearbyVacantM2)) m² vacant tech-cultivation space in \(counted(d.nearbyCarriers.count, "carrier")) within \(grouped(e.rules.rehousingRadiusM)) m; "
                md +=
                    "a first-fit placement respecting the positive lists re-houses \(d.rehousedFirms) of \(d.firms.count) firms (\(grouped(d.rehousedM2)) m²)"
                md += d.canRehouseAll ? ": all can move nearby.\n\n" : ".\n\n"
            }
        }
        if !e.report.entries.isEmpty {
            md += "## Notes on the proposal file\n\n" + e.report.entries.map { "- \($0.recordID ?? "") \($0.problem)" }.joined(separator: "\n") + "\n"
        }
        return md
    }

    public static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + grouped(x) }
}
