import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// A store's snapshot as a data folder (GIS/README.md's layout): layers.json; zones, parcels,
/// buildings and roads as GeoJSON in the working CRS; carriers and enterprises as CSV (firms'
/// points as x, y in the working CRS); the configuration beside them; every other document at
/// its path. Numbers are written as stored (shortest exact form), so importing the folder gives
/// the same records.
public enum StoreExport {
    public static func artifacts(_ snapshot: StoreSnapshot) -> [Artifact] {
        let meta = snapshot.meta
        let crs = meta.workingCRS.description
        var layers: [(String, JSONValue)] = []
        var out: [Artifact] = []
        func add(_ layer: String, _ file: String, crs: String?) {
            var entry: [(String, JSONValue)] = [("file", .string(file))]
            if let crs { entry.append(("crs", .string(crs))) }
            layers.append((layer, .object(JSONObject(entry))))
        }
        let rows = snapshot.rows
        out.append(Artifact("zones.geojson", text: geoJSON(rows["zones"] ?? [], ["id", "name", "kind", "code"], name: "zones")))
        add("zones", "zones.geojson", crs: crs)
        out.append(
            Artifact(
                "parcels.geojson",
                text: geoJSON(
                    rows["parcels"] ?? [],
                    ["id", "land_use", "recorded_land_area_m2:land_area_m2", "far_cap", "height_cap_m", "tenure_start", "tenure_end", "supply_mode"],
                    name: "parcels")))
        add("parcels", "parcels.geojson", crs: crs)
        if let buildings = rows["buildings"], !buildings.isEmpty || meta.manifest.layers["buildings"] != nil {
            // A derived floor area is left out, so that it is derived again.
            let written = buildings.map { row -> StoreRow in
                var r = row
                if r["gfa_derived"].int == 1 { r.values["gfa_m2"] = .null }
                return r
            }
            out.append(
                Artifact(
                    "buildings.geojson",
                    text: geoJSON(written, ["id", "floors", "height_m", "gfa_m2", "use", "year_built", "condition", "vacant_m2"], name: "buildings")))
            add("buildings", "buildings.geojson", crs: crs)
        }
        if let roads = rows["roads"], !roads.isEmpty {
            out.append(Artifact("roads.geojson", text: geoJSON(roads, ["id"], name: "roads")))
            add("roads", "roads.geojson", crs: crs)
        }
        if let carriers = rows["carriers"], !carriers.isEmpty || meta.manifest.layers["carriers"] != nil {
            let columns = [
                "id", "name", "type", "level", "operator", "floor_area_m2", "occupied_m2", "building_ids", "unit_m2", "rent_yuan_m2_month", "status",
            ]
            out.append(Artifact("carriers.csv", text: csv(carriers, columns, point: false)))
            add("carriers", "carriers.csv", crs: nil)
        }
        if let firms = rows["enterprises"], !firms.isEmpty || meta.manifest.layers["enterprises"] != nil {
            let columns = ["id", "name", "sector", "flags", "employees", "floor_area_m2", "building_id", "carrier_id"]
            out.append(Artifact("enterprises.csv", text: csv(firms, columns, point: true)))
            add("enterprises", "enterprises.csv", crs: crs)
        }
        var manifest: [(String, JSONValue)] = [
            ("name", .string(meta.manifest.name)), ("synthetic", .bool(meta.manifest.synthetic)),
        ]
        if let year = meta.manifest.asOfYear { manifest.append(("as_of_year", .number(Double(year)))) }
        manifest.append(("note", .string("Exported from a spaceplan store imported from \(meta.importedFrom) on \(meta.importedAt).")))
        manifest.append(("layers", .object(JSONObject(layers))))
        out.append(Artifact("layers.json", text: serializedJSON(.object(JSONObject(manifest))) + "\n"))
        for (path, body) in snapshot.documents.sorted(by: { $0.key < $1.key }) {
            // Configuration sits beside the layers, where every command looks for it.
            let written = path.hasPrefix("config/") ? String(path.dropFirst("config/".count)) : path
            out.append(Artifact(written, stream: { sink in try sink.write(TextBuffer(bytes: [UInt8](body))) }))
        }
        return out
    }

    /// Properties: "column" or "column:name in the file".
    static func geoJSON(_ rows: [StoreRow], _ properties: [String], name: String) -> String {
        var text = "{\"type\":\"FeatureCollection\",\"name\":\"\(name)\",\"features\":[\n"
        for (k, row) in rows.enumerated() {
            text += "{\"type\":\"Feature\",\"properties\":{"
            text += properties.map { spec -> String in
                let parts = spec.split(separator: ":").map(String.init)
                var key = ""
                appendJSONString(parts.last!, to: &key)
                return key + ":" + json(row[parts[0]])
            }.joined(separator: ",")
            text += "},\"geometry\":"
            if let blob = row.geometry, let shape = try? GeoPackageBlob.decode(blob) {
                text += geometry(shape)
            } else {
                text += "null"
            }
            text += k + 1 < rows.count ? "},\n" : "}\n"
        }
        return text + "]}\n"
    }

    static func json(_ value: SQLiteValue) -> String {
        switch value {
        case .null: return "null"
        case let .integer(n): return String(n)
        case let .real(x): return formatJSONNumber(x)
        case let .text(s):
            var out = ""
            appendJSONString(s, to: &out)
            return out
        case .blob: return "null"
        }
    }

    static func geometry(_ shape: Shape) -> String {
        func point(_ c: Coordinate) -> String { "[\(formatJSONNumber(c.x)),\(formatJSONNumber(c.y))]" }
        func line(_ cs: [Coordinate]) -> String { "[" + cs.map(point).joined(separator: ",") + "]" }
        func rings(_ rs: [[Coordinate]]) -> String { "[" + rs.map(line).joined(separator: ",") + "]" }
        switch shape {
        case let .point(c): return "{\"type\":\"Point\",\"coordinates\":\(point(c))}"
        case let .lineString(cs): return "{\"type\":\"LineString\",\"coordinates\":\(line(cs))}"
        case let .multiLineString(ls): return "{\"type\":\"MultiLineString\",\"coordinates\":[\(ls.map(line).joined(separator: ","))]}"
        case let .polygon(rs): return "{\"type\":\"Polygon\",\"coordinates\":\(rings(rs))}"
        case let .multiPolygon(ps): return "{\"type\":\"MultiPolygon\",\"coordinates\":[\(ps.map(rings).joined(separator: ","))]}"
        default: return "null"
        }
    }

    static func csv(_ rows: [StoreRow], _ columns: [String], point: Bool) -> String {
        func cell(_ value: SQLiteValue) -> String {
            let text: String
            switch value {
            case .null, .blob: return ""
            case let .integer(n): text = String(n)
            case let .real(x): text = formatJSONNumber(x)
            case let .text(s): text = s
            }
            return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var text = (columns + (point ? ["lon", "lat"] : [])).joined(separator: ",") + "\n"
        for row in rows {
            var cells = columns.map { cell(row[$0]) }
            if point {
                if let blob = row.geometry, case let .point(c)? = try? GeoPackageBlob.decode(blob) {
                    cells += [formatJSONNumber(c.x), formatJSONNumber(c.y)]
                } else {
                    cells += ["", ""]
                }
            }
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }
}

/// What a change did to a record, field by field, for `store log`.
public enum StoreDifference {
    public static func lines(before: StoreRow?, after: StoreRow?) -> [String] {
        let keys = Set((before?.values.keys).map(Array.init) ?? []).union((after?.values.keys).map(Array.init) ?? [])
            .subtracting(["fid", "version", "source_index"]).sorted()
        var out: [String] = []
        for key in keys {
            let a = before?[key] ?? .null, b = after?[key] ?? .null
            if before != nil, after != nil, a == b { continue }
            if key == "body" {
                out += documentChanges(a.bytes.map { Data($0) }, b.bytes.map { Data($0) })
                continue
            }
            out.append("\(key): \(before == nil ? "—" : StoreExport.json(a)) → \(after == nil ? "—" : StoreExport.json(b))")
        }
        if before?.geometry != after?.geometry {
            let describe = { (row: StoreRow?) -> String in
                guard let blob = row?.geometry, let shape = try? GeoPackageBlob.decode(blob) else { return "none" }
                return "\(shape.typeName) of \(blob.count) bytes"
            }
            out.append("geometry: \(describe(before)) → \(describe(after))")
        }
        return out
    }
}

extension StoreDifference {
    /// A document's change: for JSON, each value that differs by its key path (at most 20);
    /// otherwise its size.
    static func documentChanges(_ before: Data?, _ after: Data?) -> [String] {
        guard let before, let after, let a = try? parseJSON(before), let b = try? parseJSON(after) else {
            return ["body: \(before?.count ?? 0) → \(after?.count ?? 0) bytes"]
        }
        var out: [String] = []
        func walk(_ x: JSONValue?, _ y: JSONValue?, _ path: String) {
            guard out.count <= 20, x != y else { return }
            if let xo = x?.objectValue, let yo = y?.objectValue {
                for key in xo.keys + yo.keys.filter({ xo[$0] == nil }) { walk(xo[key], yo[key], path.isEmpty ? key : path + "." + key) }
            } else if let xa = x?.arrayValue, let ya = y?.arrayValue, xa.count == ya.count {
                for i in xa.indices { walk(xa[i], ya[i], "\(path).\(i)") }
            } else if let xa = x?.arrayValue, let ya = y?.arrayValue {
                out.append("\(path.isEmpty ? "body" : path): \(xa.count) → \(ya.count) items")
            } else {
                let text = { (v: JSONValue?) -> String in
                    guard let v else { return "—" }
                    let s = serializedJSON(v)
                    return s.count > 80 ? String(s.prefix(77)) + "…" : s
                }
                out.append("\(path.isEmpty ? "body" : path): \(text(x)) → \(text(y))")
            }
        }
        walk(a, b, "")
        return out
    }
}

extension EditSet {
    /// The row changes this set makes on the store's current rows, or every problem it has.
    public func plan(reader: StoreReader, workingCRS: CRSCode) throws -> [RowOperation] {
        try EditPlan.make(self, reader: reader, workingCRS: workingCRS)
    }
}
