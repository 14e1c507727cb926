import Allocation
import Cartography
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// The allocation's files: assignments, unplaced firms with reasons, use per carrier and per
/// zone (CSV), the summary (JSON) and a readable report (Markdown).
public struct AllocationReport {
    public let outcome: AllocationOutcome
    public init(_ outcome: AllocationOutcome) { self.outcome = outcome }

    var result: AllocationResult { outcome.result }
    var map: SpaceMap { outcome.map }
    var demandFile: String { outcome.demandFile }
    var instance: AllocationInstance { result.instance }
    var zoneUse: [AllocationOutcome.ZoneUse] { outcome.zoneUse }
    var occupiedBeforeM2: Double { outcome.occupiedBeforeM2 }
    var occupiedAfterM2: Double { outcome.occupiedAfterM2 }
    var byMoveInYear: [(year: Int, firms: Int, areaM2: Double, occupiedM2: Double)] { outcome.byMoveInYear }

    static func m2(_ x: Double) -> String { formatFixed(x, 1) }

    public var assignmentsCSV: String {
        var text = CSV.line([
            "firm_id", "firm_name", "sector", "stage", "carrier_id", "carrier_name", "carrier_type", "zones",
            "area_m2", "min_m2", "preferred_m2", "priority", "in_preferred_zone", "move_in_year", "worth",
        ])
        for a in result.assignments {
            let firm = instance.firms[a.firm], carrier = instance.carriers[a.carrier]
            text += CSV.line([
                firm.id, firm.name, firm.sector, firm.stage.rawValue, carrier.id, carrier.name, carrier.type.rawValue,
                carrier.zoneIDs.joined(separator: ";"), Self.m2(a.areaM2), Self.m2(firm.minM2), Self.m2(firm.preferredM2),
                formatFixed(instance.priorities[a.firm], 3), a.inPreferredZone ? "yes" : "no", "\(firm.moveInYear)",
                formatFixed(a.worth, 2),
            ])
        }
        return text
    }

    public var unplacedCSV: String {
        var text = CSV.line(["firm_id", "firm_name", "sector", "stage", "min_m2", "preferred_m2", "reason", "detail"])
        for u in result.unplaced {
            let firm = instance.firms[u.firm]
            text += CSV.line([
                firm.id, firm.name, firm.sector, firm.stage.rawValue, Self.m2(firm.minM2), Self.m2(firm.preferredM2),
                u.reason.rawValue, u.detail.isEmpty ? u.reason.label : "\(u.reason.label): \(u.detail)",
            ])
        }
        return text
    }

    public var carriersCSV: String {
        var text = CSV.line([
            "carrier_id", "name", "type", "zones", "floor_area_m2", "occupied_before_m2", "vacant_before_m2",
            "allocated_m2", "vacant_after_m2", "firms_placed", "share_of_vacant_let", "occupancy_before", "occupancy_after",
        ])
        for use in result.carrierUse {
            let c = instance.carriers[use.carrier]
            text += CSV.line([
                c.id, c.name, c.type.rawValue, c.zoneIDs.joined(separator: ";"), Self.m2(c.floorAreaM2), Self.m2(c.occupiedM2),
                Self.m2(use.vacantBeforeM2), Self.m2(use.allocatedM2), Self.m2(use.vacantAfterM2), "\(use.firms)",
                formatFixed(use.utilisation, 4), formatFixed(c.occupiedM2 / c.floorAreaM2, 4),
                formatFixed((c.occupiedM2 + use.allocatedM2) / c.floorAreaM2, 4),
            ])
        }
        return text
    }

    public var zonesCSV: String {
        var text = CSV.line(["zone_id", "name", "kind", "vacant_before_m2", "allocated_m2", "vacant_after_m2", "firms_placed", "share_of_vacant_let"])
        for z in zoneUse {
            text += CSV.line([
                z.zone.id, z.zone.name, z.zone.kind.rawValue, Self.m2(z.vacantBeforeM2), Self.m2(z.allocatedM2),
                Self.m2(z.vacantBeforeM2 - z.allocatedM2), "\(z.firms)",
                formatFixed(z.vacantBeforeM2 > 0 ? z.allocatedM2 / z.vacantBeforeM2 : 0, 4),
            ])
        }
        return text
    }

    public var json: String { serializedJSON(document.jsonDocument) + "\n" }

    /// allocation.json, typed, for a front end that answers with it.
    public var document: AllocationDocument { AllocationDocument(self) }

    public static func objectiveFormula(_ r: AllocationRules) -> String {
        "maximise Σ placed firms priority × (1 + \(formatJSONNumber(r.preferredZoneBonus)) if in a preferred zone + \(formatJSONNumber(r.sectorClusterBonus)) × share of the carrier's firms in its sector) × (minimum m² + \(formatJSONNumber(r.areaAboveMinimumWeight)) × m² above the base)"
    }

    public var markdown: String {
        let s = result.solution
        let vacant = result.vacantBeforeM2
        var md = "# Allocation of incoming firms to tech-cultivation space\n\n"
        md += "Data: \(map.data.manifest.name); demand: `\(demandFile)`; rules: `\(instance.rules.source)`.\n\n"
        md +=
            "- **\(result.assignments.count) of \(instance.firms.count) firms placed**, \(grouped(result.allocatedM2)) m² of \(grouped(vacant)) m² vacant (\(percent(vacant > 0 ? result.allocatedM2 / vacant : 0)))\n"
        md += "- \(result.assignments.filter(\.inPreferredZone).count) placed in a zone they prefer\n"
        md +=
            "- occupied tech-cultivation space: \(grouped(occupiedBeforeM2)) → \(grouped(occupiedAfterM2)) m² of \(grouped(map.total.techSpaceM2)) m² (\(percent(occupiedBeforeM2 / max(1, map.total.techSpaceM2))) → \(percent(occupiedAfterM2 / max(1, map.total.techSpaceM2))))\n"
        for p in map.progress {
            md +=
                "- \(p.year) target \(grouped(p.targetM2)) m² of tech-cultivation space: the stock is \(percent(p.share)) of it; allocation fills stock, it does not add to it\n"
        }
        if !outcome.warnings.isEmpty {
            md += "\n## Warnings\n\n" + outcome.warnings.map { "- \($0)\n" }.joined()
        }
        md += "\n## Solver\n\n"
        md +=
            "\(s.solver): objective \(formatFixed(s.objective, 1)) priority-weighted m², bound \(formatFixed(s.bound, 1)), gap \(formatFixed(s.gap * 100, 3)) % (\(s.boundNote)), \(formatFixed(s.seconds, 2)) s.\n\n"
        md +=
            "Objective: \(Self.objectiveFormula(instance.rules)). A firm takes one carrier, at least its minimum area (whole units where the carrier lets units) and at most its preferred; only carriers its stage fits, whose zones' positive lists admit its sector and whose rent is within its limit.\n\n"
        md += "## Firms not placed\n\n| reason | firms |\n|---|---:|\n"
        for (reason, count) in result.unplacedCounts { md += "| \(reason.label) (`\(reason.rawValue)`) | \(count) |\n" }
        md += "\n## By zone\n\n| zone | kind | vacant before m² | allocated m² | firms placed | share let |\n|---|---|---:|---:|---:|---:|\n"
        for z in zoneUse {
            md +=
                "| \(z.zone.name) | \(z.zone.kind.rawValue) | \(grouped(z.vacantBeforeM2)) | \(grouped(z.allocatedM2)) | \(z.firms) | \(percent(z.vacantBeforeM2 > 0 ? z.allocatedM2 / z.vacantBeforeM2 : 0)) |\n"
        }
        md += "\n## By carrier type\n\n| type | carriers | vacant before m² | allocated m² | firms placed |\n|---|---:|---:|---:|---:|\n"
        for type in CarrierType.allCases {
            let uses = result.carrierUse.filter { instance.carriers[$0.carrier].type == type }
            guard !uses.isEmpty else { continue }
            md +=
                "| \(type.label) | \(uses.count) | \(grouped(uses.reduce(0) { $0 + $1.vacantBeforeM2 })) | \(grouped(uses.reduce(0) { $0 + $1.allocatedM2 })) | \(uses.reduce(0) { $0 + $1.firms }) |\n"
        }
        md += "\n## By move-in year\n\n| year | firms | allocated m² | occupied tech space by then m² |\n|---:|---:|---:|---:|\n"
        for y in byMoveInYear { md += "| \(y.year) | \(y.firms) | \(grouped(y.areaM2)) | \(grouped(y.occupiedM2)) |\n" }
        md += "\nFiles: assignments.csv, unplaced.csv, carriers.csv, zones.csv, allocation.json, allocation.svg.\n"
        return md
    }
}

/// assignments.csv, unplaced.csv, carriers.csv, zones.csv, allocation.json, allocation.md and the map.
public enum AllocationFiles {
    public static func artifacts(_ outcome: AllocationOutcome, map: Bool = true) throws -> [Artifact] {
        let report = AllocationReport(outcome)
        var files = [
            Artifact("assignments.csv", text: report.assignmentsCSV), Artifact("unplaced.csv", text: report.unplacedCSV),
            Artifact("carriers.csv", text: report.carriersCSV), Artifact("zones.csv", text: report.zonesCSV),
            Artifact("allocation.json", text: report.json), Artifact("allocation.md", text: report.markdown),
        ]
        if map { files.append(Artifact("allocation.svg", text: try allocationMap(outcome))) }
        return files
    }

    static func allocationMap(_ outcome: AllocationOutcome) throws -> String {
        let result = outcome.result
        let carriers = result.carrierUse.compactMap { use -> AllocationMapCarrier? in
            let c = result.instance.carriers[use.carrier]
            guard let at = c.location, use.vacantBeforeM2 > 0 else { return nil }
            return AllocationMapCarrier(
                id: c.id, type: c.type.rawValue, at: at, vacantBeforeM2: use.vacantBeforeM2,
                allocatedM2: use.allocatedM2, firms: use.firms)
        }
        let vacant = result.vacantBeforeM2
        let figures =
            [
                "\(result.assignments.count) of \(result.instance.firms.count) firms placed",
                "\(grouped(result.allocatedM2)) m² let of \(grouped(vacant)) m² vacant",
                "occupied tech space \(grouped(outcome.occupiedBeforeM2)) → \(grouped(outcome.occupiedAfterM2)) m²",
                "solver: \(result.solution.solver), gap \(formatFixed(result.solution.gap * 100, 2)) %",
            ] + result.unplacedCounts.map { "not placed (\($0.reason.rawValue.replacingOccurrences(of: "_", with: " "))): \($0.firms) firms" }
        return AllocationMap.render(try MapScene(outcome.map), carriers: carriers, figures: figures)
    }
}
