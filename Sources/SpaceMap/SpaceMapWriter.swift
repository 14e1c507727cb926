import Foundation
import SpaceData
import SpaceGeometry

/// Writes a space map's files (GIS/README.md lists them). Everything is computed before the
/// first file is written, and each file is written atomically.
public enum SpaceMapWriter {
    /// Writes every file and returns their names relative to `folder`.
    public static func write(_ map: SpaceMap, to folder: URL) throws -> [String] {
        let files: [(String, String)] = [
            ("summary.json", try SummaryFormats.json(map)),
            ("summary.csv", SummaryFormats.csv(map)),
            ("joins/building_parcel.csv", buildingParcelCSV(map)),
            ("joins/enterprise_building.csv", enterpriseBuildingCSV(map)),
            ("space-map.geojson", try spaceMapGeoJSON(map)),
            ("validation.json", ValidationFormats.json(map.report)),
            ("validation.txt", ValidationFormats.text(map.report)),
            ("report.md", SpaceMapReport.markdown(map)),
        ]
        for (name, text) in files { try AtomicFile.write(text, to: folder.appendingPathComponent(name)) }
        return files.map(\.0)
    }

    static func buildingParcelCSV(_ map: SpaceMap) -> String {
        var out = "building_id,parcel_id,overlap_m2\n"
        for (b, match) in map.buildingParcel.enumerated() {
            let parcel = match.parcel.map { map.data.parcels[$0].id } ?? ""
            out += CSV.line([map.data.buildings[b].id, parcel, formatFixed(match.overlapM2, 3)])
        }
        return out
    }

    static func enterpriseBuildingCSV(_ map: SpaceMap) -> String {
        var out = "enterprise_id,building_id,method,distance_m\n"
        for (e, match) in map.enterpriseBuilding.enumerated() {
            let building = match.building.map { map.data.buildings[$0].id } ?? ""
            out += CSV.line([map.data.enterprises[e].id, building, match.method.rawValue, formatFixed(match.distanceM, 3)])
        }
        return out
    }

    /// Buildings in WGS84 (for web maps) with everything the joins found about them.
    static func spaceMapGeoJSON(_ map: SpaceMap) throws -> String {
        let data = map.data
        var carriersIn = [[Int]](repeating: [], count: data.buildings.count)
        for (c, buildings) in map.carrierBuildings.enumerated() { for b in buildings { carriersIn[b].append(c) } }
        var firms = [(count: Int, employees: Int)](repeating: (0, 0), count: data.buildings.count)
        for (e, match) in map.enterpriseBuilding.enumerated() {
            if let b = match.building { firms[b].count += 1; firms[b].employees += data.enterprises[e].employees }
        }
        let zoneIDs: (Int, ZoneKind) -> String = { b, kind in
            map.buildingZones[b].filter { data.zones[$0].kind == kind }.map { data.zones[$0].id }.joined(separator: ";")
        }
        let writer = GeoJSONWriter(decimals: 7)
        let features: [String] = try ParallelMap.mapPartitioned(
            data.buildings.indices, setup: { try CoordinateTransformer.forThisThread(from: data.policy.workingCRS, to: .wgs84) }
        ) { transformer, b in
            let building = data.buildings[b]
            let match = map.buildingParcel[b]
            var p = JSONObject()
            p["id"] = .string(building.id)
            p["use"] = .string(building.use)
            p["floors"] = .number(Double(building.floors))
            p["gfa_m2"] = .number(round2(building.gfaM2))
            p["gfa_source"] = .string(building.gfaDerived ? "derived" : "recorded")
            p["footprint_m2"] = .number(round2(building.footprintM2))
            p["vacant_m2"] = .number(round2(building.vacantM2))
            p["condition"] = building.condition.map(JSONValue.string) ?? .null
            p["year_built"] = building.yearBuilt.map { .number(Double($0)) } ?? .null
            p["parcel_id"] = match.parcel.map { .string(data.parcels[$0].id) } ?? .null
            p["parcel_land_use"] = match.parcel.map { .string(data.parcels[$0].landUse) } ?? .null
            p["subdistrict"] = .string(zoneIDs(b, .subdistrict))
            p["cluster"] = .string(zoneIDs(b, .cluster))
            p["carrier_ids"] = .string(carriersIn[b].map { data.carriers[$0].id }.joined(separator: ";"))
            p["carrier_types"] = .string(carriersIn[b].map { data.carriers[$0].type.rawValue }.joined(separator: ";"))
            p["enterprises"] = .number(Double(firms[b].count))
            p["employees"] = .number(Double(firms[b].employees))
            let shape = try transformer.transform(building.geometry.shape)
            var text = ""
            writer.appendFeature(GeoJSONFeature(index: b, properties: p, shape: shape), to: &text)
            return text
        }
        return "{\"type\":\"FeatureCollection\",\"name\":\"space-map\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }
}

func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

enum ValidationFormats {
    static func json(_ report: ValidationReport) -> String {
        var counts = JSONObject()
        for kind in ValidationReport.Kind.allCases { counts[kind.rawValue] = .number(Double(report.count(kind))) }
        var out = "{\"counts\":" + serializedJSON(.object(counts)) + ",\"entries\":[\n"
        for (i, entry) in report.entries.enumerated() {
            var o = JSONObject()
            o["kind"] = .string(entry.kind.rawValue)
            o["layer"] = .string(entry.layer)
            o["file"] = .string(entry.file)
            o["record"] = entry.record.map { .number(Double($0)) } ?? .null
            o["id"] = entry.recordID.map(JSONValue.string) ?? .null
            o["problem"] = .string(entry.problem)
            out += serializedJSON(.object(o)) + (i + 1 < report.entries.count ? ",\n" : "\n")
        }
        return out + "]}\n"
    }

    static func text(_ report: ValidationReport) -> String {
        var out = "Validation report: "
        out += ValidationReport.Kind.allCases.map { "\(report.count($0)) \($0.rawValue)" }.joined(separator: ", ") + "\n\n"
        for entry in report.entries {
            var place = entry.file
            if let r = entry.record { place += " record \(r)" }
            if let id = entry.recordID { place += " (id \(id))" }
            out += "[\(entry.kind.rawValue)] \(place): \(entry.problem)\n"
        }
        return out
    }
}
