import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// summary.json and summary.csv: one record per zone and one for the whole district.
public enum SummaryFormats {
    static func json(_ map: SpaceMap) -> String { prettyJSON(document(map).jsonDocument) }

    /// summary.json, typed, for a front end that answers with it or a zone's part of it.
    public static func document(_ map: SpaceMap) -> SpaceMapSummary { SpaceMapSummary(map) }

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
