import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// summary.json and summary.csv: one record per zone and one for the whole district.
public enum SummaryFormats {
    static func number(_ x: Double) -> JSONValue { .number(round2(x)) }

    static func object(_ t: SpaceTally, policy: Policy) -> JSONObject {
        func dictionary(_ d: [String: Double]) -> JSONValue {
            .object(JSONObject(d.keys.sorted().map { ($0, number(d[$0]!)) }))
        }
        func counts(_ d: [String: Int]) -> JSONValue {
            .object(JSONObject(d.keys.sorted().map { ($0, .number(Double(d[$0]!))) }))
        }
        return JSONObject([
            ("parcels", .number(Double(t.parcels))),
            ("land_area_m2", number(t.landAreaM2)),
            ("land_area_by_use_m2", dictionary(t.landAreaByUse)),
            ("industrial_land_m2", number(t.industrialLandM2)),
            ("buildings", .number(Double(t.buildings))),
            ("gfa_m2", number(t.gfaM2)),
            ("gfa_by_use_m2", dictionary(t.gfaByUse)),
            ("industrial_gfa_m2", number(t.industrialGFAM2)),
            ("vacant_building_m2", number(t.vacantBuildingM2)),
            ("old_industrial_buildings", .number(Double(t.oldIndustrialBuildings))),
            ("old_industrial_gfa_m2", number(t.oldIndustrialGFAM2)),
            ("carriers", .number(Double(t.carriers))),
            ("carriers_by_type", counts(t.carriersByType)),
            ("tech_space_m2", number(t.techSpaceM2)),
            ("tech_space_by_type_m2", dictionary(t.techSpaceByType)),
            ("tech_occupied_m2", number(t.techOccupiedM2)),
            ("tech_vacant_m2", number(t.techVacantM2)),
            ("tech_occupancy", t.techOccupancy.map { .number(($0 * 10000).rounded() / 10000) } ?? .null),
            ("enterprises", .number(Double(t.enterprises))),
            ("employees", .number(Double(t.employees))),
            ("enterprise_floor_area_m2", number(t.enterpriseFloorAreaM2)),
            ("floor_area_per_employee_m2", t.floorAreaPerEmployeeM2.map(number) ?? .null),
            ("enterprises_by_sector", counts(t.enterprisesBySector)),
            ("employees_by_sector", counts(t.employeesBySector)),
            ("enterprises_by_flag", counts(t.enterprisesByFlag)),
        ])
    }

    static func json(_ map: SpaceMap) throws -> String { prettyJSON(try document(map)) }

    /// summary.json as a document, for a front end that answers with parts of it.
    public static func document(_ map: SpaceMap) throws -> JSONValue {
        let policy = map.data.policy
        func milestone(_ m: Policy.Milestone) -> JSONValue {
            .object(
                JSONObject([
                    ("year", .number(Double(m.year))), ("floor_area_m2", .number(m.floorAreaM2)),
                    ("label", m.label.map(JSONValue.string) ?? .null),
                ]))
        }
        let progress: [JSONValue] = map.progress.map { p in
            .object(
                JSONObject([
                    ("year", .number(Double(p.year))), ("target_m2", .number(p.targetM2)),
                    ("stock_m2", number(p.stockM2)), ("share", .number((p.share * 10000).rounded() / 10000)),
                    ("gap_m2", number(p.gapM2)),
                ]))
        }
        let zones: [JSONValue] = map.data.zones.enumerated().map { z, zone in
            var o = JSONObject([
                ("id", .string(zone.id)), ("name", .string(zone.name)), ("kind", .string(zone.kind.rawValue)),
                ("code", zone.code.map(JSONValue.string) ?? .null),
            ])
            for (k, v) in object(map.zoneTallies[z], policy: policy).members { o[k] = v }
            return .object(o)
        }
        let root = JSONObject([
            ("name", .string(map.data.manifest.name)),
            ("synthetic", .bool(map.data.manifest.synthetic)),
            ("working_crs", .string(policy.workingCRS.description)),
            (
                "targets",
                .object(
                    JSONObject([
                        ("source", .string(policy.source)),
                        ("baseline", milestone(policy.baseline)),
                        ("alternative_baselines", .array(policy.alternativeBaselines.map(milestone))),
                        ("progress", .array(progress)),
                    ]))
            ),
            ("total", .object(object(map.total, policy: policy))),
            ("zones", .array(zones)),
        ])
        return .object(root)
    }

    /// Flat columns: the fixed figures, then one column per carrier type, building use,
    /// land-use class, sector and flag.
    static func csv(_ map: SpaceMap) -> String {
        let policy = map.data.policy
        let all = map.zoneTallies + [map.total]
        let uses = Vocabulary.buildingUses.sorted()
        let landClasses = Set(all.flatMap { $0.landAreaByUse.keys }).sorted()
        var header = [
            "zone_id", "zone_name", "kind", "parcels", "land_area_m2", "industrial_land_m2", "buildings", "gfa_m2",
            "industrial_gfa_m2", "vacant_building_m2", "old_industrial_buildings", "old_industrial_gfa_m2", "carriers",
            "tech_space_m2", "tech_occupied_m2", "tech_vacant_m2", "tech_occupancy", "enterprises", "employees",
            "enterprise_floor_area_m2", "floor_area_per_employee_m2",
        ]
        header += policy.techCarrierTypes.map { "tech_\($0)_m2" }
        header += uses.map { "gfa_\($0)_m2" }
        header += landClasses.map { "land_\($0)_m2" }
        header += Vocabulary.sectors.map { "enterprises_\($0)" }
        header += Vocabulary.enterpriseFlags.map { "flag_\($0)" }
        var out = CSV.line(header)
        let f = { (x: Double) in formatFixed(x, 2) }
        for (i, t) in all.enumerated() {
            let zone = i < map.data.zones.count ? map.data.zones[i] : nil
            var row = [
                zone?.id ?? "total", zone?.name ?? "District total (all records)", zone?.kind.rawValue ?? "total",
                "\(t.parcels)", f(t.landAreaM2), f(t.industrialLandM2), "\(t.buildings)", f(t.gfaM2),
                f(t.industrialGFAM2), f(t.vacantBuildingM2), "\(t.oldIndustrialBuildings)", f(t.oldIndustrialGFAM2),
                "\(t.carriers)", f(t.techSpaceM2), f(t.techOccupiedM2), f(t.techVacantM2),
                t.techOccupancy.map { formatFixed($0, 4) } ?? "", "\(t.enterprises)", "\(t.employees)",
                f(t.enterpriseFloorAreaM2), t.floorAreaPerEmployeeM2.map(f) ?? "",
            ]
            row += policy.techCarrierTypes.map { f(t.techSpaceByType[$0] ?? 0) }
            row += uses.map { f(t.gfaByUse[$0] ?? 0) }
            row += landClasses.map { f(t.landAreaByUse[$0] ?? 0) }
            row += Vocabulary.sectors.map { "\(t.enterprisesBySector[$0] ?? 0)" }
            row += Vocabulary.enterpriseFlags.map { "\(t.enterprisesByFlag[$0] ?? 0)" }
            out += CSV.line(row)
        }
        return out
    }
}

/// JSON with two-space indentation, for files people open.
func prettyJSON(_ value: JSONValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case let .array(items) where !items.isEmpty:
        return "[\n" + items.map { inner + prettyJSON($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    case let .object(o) where o.count > 0:
        return "{\n"
            + o.members.map { member in
                var key = ""
                appendJSONString(member.key, to: &key)
                return inner + key + ": " + prettyJSON(member.value, indent: inner)
            }.joined(separator: ",\n") + "\n\(indent)}"
    default:
        return serializedJSON(value)
    }
}
