import Foundation
import SpaceCore
import SpaceGeometry

/// What `spaceplan inspect` finds in a bureau's files: each layer's format, geometry, feature
/// count, CRS and text encoding, and the schema layer and field mapping it most likely is, so
/// that a planner edits a draft manifest instead of writing one from nothing.
public struct InspectedLayer: Sendable {
    /// The file, and the layer inside it when the file has several.
    public let file: URL
    public let layer: String?
    public let format: String
    public let geometryType: String
    public let featureCount: Int
    /// The CRS the file states and its name; nil when it states none (a CSV, a Shapefile without .prj).
    public let crs: CRSCode?
    public let crsName: String?
    /// The encoding to state in the manifest, when it must be stated (text that is not UTF-8
    /// and that no .cpg or language byte declares).
    public let encodingToState: String?
    /// How the text reads: "UTF-8 (GeoPackage)", "GBK (from the .cpg file)", "GBK, guessed: not UTF-8".
    public let encoding: String
    public let fields: [String]
    /// The schema layer it most likely is (nil: none fits), and schema field → its column.
    public let role: String?
    public let mapping: [String: String]
    /// What the planner must still do for this layer to load (missing CRS, required fields not found).
    public let todo: [String]
}

public enum Inspection {
    /// Sample values per column, for suggestions by content.
    static let sampleSize = 50

    /// Every layer of the files at `paths` (a folder: the files in it, not its sub-folders,
    /// except *.gdb folders, which are File Geodatabases).
    public static func inspect(_ paths: [URL]) throws -> [InspectedLayer] {
        var files: [URL] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
                throw DataError(file: path.path, problem: "no such file or folder")
            }
            if isFolder.boolValue, path.pathExtension.lowercased() != "gdb" {
                let names = try FileManager.default.contentsOfDirectory(atPath: path.path).sorted()
                files += names.filter { !$0.hasPrefix(".") && $0 != "layers.json" }.map { path.appendingPathComponent($0) }
                    .filter { readable($0, among: names) }
            } else {
                files.append(path)
            }
        }
        if files.isEmpty {
            throw DataError(
                file: paths.map(\.path).joined(separator: ", "), problem: "holds no file spaceplan reads (GeoJSON, CSV, or a format GDAL reads)")
        }
        return try files.flatMap(inspect)
    }

    /// Whether a folder entry is a layer file (a .dbf beside its .shp is part of the Shapefile).
    static func readable(_ url: URL, among names: [String]) -> Bool {
        let ext = url.pathExtension.lowercased()
        if ext == "dbf", names.contains(where: { $0.lowercased() == url.deletingPathExtension().lastPathComponent.lowercased() + ".shp" }) {
            return false
        }
        return LayerFormat(fileName: url.lastPathComponent) != nil
    }

    static func inspect(_ url: URL) throws -> [InspectedLayer] {
        switch LayerFormat(fileName: url.lastPathComponent) {
        case .geoJSON: return [try geoJSON(url)]
        case .csv: return [try csv(url)]
        case .gdal: return try gdal(url)
        case nil: throw DataError(file: url.path, problem: "is not a file spaceplan reads")
        }
    }

    static func geoJSON(_ url: URL) throws -> InspectedLayer {
        let document: GeoJSONDocument
        do { document = try GeoJSON.read(try readLayerFile(url)) } catch let error as DataError { throw error } catch {
            throw DataError(file: url.path, problem: "\(error)")
        }
        var columns: [String] = []
        var samples: [String: [String]] = [:]
        for feature in document.features.prefix(sampleSize) {
            for (key, value) in feature.properties.members {
                if samples[key] == nil { columns.append(key) }
                samples[key, default: []].append(value.stringValue ?? (value.isNull ? "" : value.displayText))
            }
        }
        let types = Set(document.features.compactMap { $0.shape?.typeName })
        return describe(
            url, layer: nil, format: "GeoJSON", geometry: types.sorted().joined(separator: ", "),
            count: document.features.count, crs: document.declaredCRS ?? .wgs84,
            crsName: document.declaredCRS == nil ? "WGS 84 (GeoJSON, RFC 7946)" : nil,
            encoding: "UTF-8 (GeoJSON)", encodingToState: nil, columns: columns, samples: samples)
    }

    static func csv(_ url: URL) throws -> InspectedLayer {
        var data = try readLayerFile(url)
        var encoding = "UTF-8", toState: String?
        if data.withUnsafeBytes({ TextEncoding.firstProblem($0.bindMemory(to: UInt8.self)) }) != nil {
            guard let decoded = try? CSVFileSource.decode(data, from: "GBK", file: url.path) else {
                throw DataError(file: url.path, problem: "its text is neither UTF-8 nor GBK: state its encoding with \"encoding\" in layers.json")
            }
            data = decoded
            encoding = "GBK, guessed: not UTF-8, reads as GBK"
            toState = "GBK"
        }
        let table: CSVTable
        do { table = try CSV.read(data) } catch { throw DataError(file: url.path, problem: "\(error)") }
        var samples: [String: [String]] = [:]
        for k in 0..<min(table.count, sampleSize) {
            let row = table.fields(ofRow: k)
            for (i, name) in table.header.enumerated() where i < row.count { samples[name, default: []].append(row[i]) }
        }
        return describe(
            url, layer: nil, format: "CSV", geometry: "None", count: table.count, crs: nil, crsName: nil,
            encoding: encoding, encodingToState: toState, columns: table.header, samples: samples)
    }

    static func gdal(_ url: URL) throws -> [InspectedLayer] {
        let isSpreadsheet = GDALFileSource.spreadsheetExtensions.contains(url.pathExtension.lowercased())
        do {
            return try GDALFileSource.withDataset(url) { dataset in
                let names = dataset.layerNames
                return try names.map { name in
                    let layer = try dataset.layer(named: name)
                    let fields = layer.fields
                    var raw: [[VectorValue]] = []
                    var count = 0
                    try layer.forEachFeature { feature in
                        if raw.count < sampleSize * 20 { raw.append(feature.values) }
                        count += 1
                    }
                    // A declared encoding, else UTF-8 if all text is UTF-8, else GBK if it all reads as GBK.
                    let declared = GDALFileSource.declaredEncoding(of: layer)
                    var encoding = declared.map { "\($0.encoding) (\($0.origin))" } ?? "UTF-8 (\(dataset.driverName))"
                    var toState: String?
                    var decoder = try TextDecoder(encoding: declared?.encoding ?? "UTF-8")
                    let allText =
                        fields.map(\.nameBytes)
                        + raw.flatMap { $0 }.compactMap { value -> [UInt8]? in if case let .text(b) = value { return b } else { return nil } }
                    if declared == nil, allText.contains(where: { (try? decoder.decode($0)) == nil }) {
                        let gbk = try TextDecoder(encoding: "GBK")
                        if allText.allSatisfy({ (try? gbk.decode($0)) != nil }) {
                            decoder = gbk
                            encoding = "GBK, guessed: not UTF-8, no .cpg, reads as GBK"
                            toState = "GBK"
                        } else {
                            encoding = "unknown: neither UTF-8 nor GBK"
                        }
                    }
                    let columns = fields.map { (try? decoder.decode($0.nameBytes)) ?? $0.name }
                    var samples: [String: [String]] = [:]
                    for values in raw.prefix(sampleSize) {
                        for (i, value) in values.enumerated() {
                            let text: String
                            switch value {
                            case .null: text = ""
                            case let .integer(n): text = String(n)
                            case let .real(x): text = formatJSONNumber(x)
                            case let .text(bytes): text = (try? decoder.decode(bytes)) ?? ""
                            case let .string(s): text = s
                            }
                            samples[columns[i], default: []].append(text)
                        }
                    }
                    let srs = layer.spatialReference
                    return describe(
                        url, layer: names.count > 1 || isSpreadsheet ? name : nil, format: dataset.driverName,
                        geometry: layer.geometryTypeName, count: count, crs: srs?.epsgCode.map(CRSCode.epsg),
                        crsName: srs?.name, encoding: encoding, encodingToState: toState,
                        columns: columns, samples: samples, hasGeometry: layer.hasGeometry)
                }
            }
        } catch let error as GDALError {
            throw DataError(file: url.path, problem: error.message)
        }
    }

    /// The role and mapping a layer suggests, and what is left to do.
    static func describe(
        _ url: URL, layer: String?, format: String, geometry: String, count: Int, crs: CRSCode?, crsName: String?,
        encoding: String, encodingToState: String?, columns: [String], samples: [String: [String]],
        hasGeometry: Bool? = nil
    ) -> InspectedLayer {
        let lower = geometry.lowercased()
        let isPolygon = lower.contains("polygon"), isLine = lower.contains("line"), isPoint = lower.contains("point")
        let hasShapes = hasGeometry ?? !(lower.isEmpty || lower == "none")
        // Which layers the geometry allows: polygons are zones, parcels or buildings; tables are carriers or firms.
        let candidates: [String]
        if isPolygon {
            candidates = ["buildings", "parcels", "zones"]
        } else if isLine {
            candidates = ["roads"]
        } else if isPoint || !hasShapes {
            candidates = hasShapes ? ["enterprises"] : ["enterprises", "carriers"]
        } else {
            candidates = []
        }
        var best: (role: String, mapping: [String: String], score: Double)?
        for role in candidates {
            let mapping = FieldSuggestions.mapping(for: role, columns: columns, samples: samples)
            var score = FieldSuggestions.score(role, mapping: mapping)
            if role == "roads" { score = 1 }
            // Few large polygons with names and no floors are zones.
            if role == "zones", count <= 200, mapping["name"] != nil { score += 0.3 }
            if best == nil || score > best!.score { best = (role, mapping, score) }
        }
        var todo: [String] = []
        let role = best.flatMap { $0.score > 0 ? $0.role : nil }
        if let role, let best {
            let required: [String: [String]] = [
                "zones": ["id", "name", "kind"], "parcels": ["id", "land_use"], "buildings": ["id", "floors", "use"],
                "carriers": ["id", "name", "type", "floor_area_m2", "occupied_m2", "building_ids"],
                "enterprises": ["id", "sector", "employees", "floor_area_m2"],
            ]
            let missing = (required[role] ?? []).filter { best.mapping[$0] == nil }
            if !missing.isEmpty {
                todo.append("no column found for \(missing.joined(separator: ", ")): map it in \"fields\" or give it in \"defaults\"")
            }
            if role == "enterprises", !hasShapes, best.mapping["lon"] == nil || best.mapping["lat"] == nil, best.mapping["building_id"] == nil {
                todo.append("no lon/lat or building_id column found to place the firms")
            }
        } else {
            todo.append("no schema layer fits it: leave it out, or add it by hand")
        }
        let needsCRS = hasShapes || (role == "enterprises" && best?.mapping["lon"] != nil)
        if needsCRS, crs == nil, role != nil {
            todo.append(
                crsName == nil
                    ? "states no CRS: add \"crs\" (EPSG:4547 for CGCS2000 Gauss-Krüger 114°E, GCJ-02 for geocoded firm lists)"
                    : "its CRS \"\(crsName!)\" has no EPSG code: add \"crs\"")
        }
        if encoding.hasPrefix("unknown") { todo.append("its text is neither UTF-8 nor GBK: find its encoding and state it in \"encoding\"") }
        return InspectedLayer(
            file: url, layer: layer, format: format, geometryType: geometry.isEmpty ? "None" : geometry, featureCount: count,
            crs: crs, crsName: crsName, encodingToState: encodingToState, encoding: encoding, fields: columns,
            role: role, mapping: best?.mapping ?? [:], todo: todo)
    }
}
