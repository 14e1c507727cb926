import Foundation
import SpaceCore
import SpaceGeometry

/// `layers.json`: which file holds each layer, and in which CRS.
public struct Manifest: Sendable {
    /// One file of a layer. A bureau's files rarely use our field names: `fields` maps a schema
    /// field to the file's own (e.g. "id": "nbs_code"), `defaults` gives values for fields the
    /// file lacks (e.g. "kind": "subdistrict"). An `optional` file may be absent (e.g. a layer
    /// whose licence forbids shipping it): it is then skipped, not an error.
    public struct Layer: Sendable {
        public let name: String
        public let file: URL
        public let crs: CRSCode?
        public var fields: [String: String] = [:]
        public var defaults = JSONObject()
        public var optional = false
        /// How the file is read (from its name).
        public let format: LayerFormat
        /// The layer inside a multi-layer source (a GeoPackage table, a File Geodatabase feature
        /// class, a workbook's sheet); nil for a file of one layer.
        public var sourceLayer: String?
        /// The text encoding the manifest states ("GBK"), overriding what the file says or lacks.
        public var encoding: String?

        /// What messages call it: the file, and the layer inside it when it has several.
        public var label: String { file.path + (sourceLayer.map { " (layer \($0))" } ?? "") }
    }

    public let name: String
    public let synthetic: Bool
    /// Each layer's files (usually one; zones may come from a district file and a sub-district file).
    public let layers: [String: [Layer]]
    /// Optional files that were absent, left out of `layers` (the loader reports each as a warning).
    public let skipped: [Layer]
    public let file: String

    /// The first file of a layer, for messages about the layer as a whole.
    public func path(of layer: String) -> String { layers[layer]?.first?.label ?? layer }

    /// The year the data describe (for the trajectory chart); nil when the manifest does not say.
    public let asOfYear: Int?

    /// `roads` is drawn on maps only (a basemap), it takes no part in the analysis.
    public static let layerNames = ["zones", "parcels", "buildings", "carriers", "enterprises", "roads"]
    static let required = ["zones", "parcels"]
    static let needCRS: Set<String> = ["zones", "parcels", "buildings", "enterprises", "roads"]

    public static func load(directory: URL) throws -> Manifest {
        let url = directory.appendingPathComponent("layers.json")
        let file = url.path
        guard FileManager.default.fileExists(atPath: file) else {
            throw DataError(file: file, problem: "no manifest: a data folder needs layers.json naming each layer's file and CRS (see GIS/README.md)")
        }
        let json: JSONValue
        let bytes = try readLayerFile(url)
        do { json = try parseJSON(bytes) } catch { throw DataError(file: file, problem: "\(error)") }
        guard let layersJSON = json["layers"]?.objectValue else {
            throw DataError(file: file, problem: "needs a \"layers\" object")
        }
        var layers: [String: [Layer]] = [:]
        var skipped: [Layer] = []
        var errors: [DataError] = []
        for (name, value) in layersJSON.members {
            guard Manifest.layerNames.contains(name) else {
                errors.append(DataError(file: file, problem: "unknown layer \"\(name)\"; layers are \(Manifest.layerNames.joined(separator: ", "))"))
                continue
            }
            for entry in value.arrayValue ?? [value] {
                guard let path = entry["file"]?.stringValue, !path.isEmpty else {
                    errors.append(DataError(file: file, problem: "layer \"\(name)\" has no \"file\""))
                    continue
                }
                var crs: CRSCode?
                if let given = entry["crs"], given.stringValue == nil {
                    // 4547 or null is not a CRS name: a number may be an EPSG code or something else, null says nothing.
                    errors.append(
                        DataError(
                            file: file,
                            problem:
                                "layer \"\(name)\": crs must be a CRS name such as \"EPSG:4547\", \"WGS84\" or \"GCJ-02\", found \(describeFound(given))"
                        ))
                    continue
                }
                if let text = entry["crs"]?.stringValue {
                    do { crs = try CRSCode(parsing: text); _ = try CRSInfo.lookup(crs!) } catch {
                        errors.append(DataError(file: file, problem: "layer \"\(name)\": \(error)"))
                        continue
                    }
                } else if Manifest.needCRS.contains(name), LayerFormat(fileName: path) == .csv {
                    errors.append(
                        DataError(file: file, problem: "layer \"\(name)\" has coordinates but no \"crs\" (e.g. \"GCJ-02\" for geocoded firm lists)"))
                    continue
                }
                let resolved = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
                guard let format = LayerFormat(fileName: path) else {
                    errors.append(
                        DataError(
                            file: file,
                            problem:
                                "layer \"\(name)\": cannot read \(path): name a .geojson, .json or .csv file, or one GDAL reads (\(LayerFormat.gdalExtensions.map { "." + $0 }.joined(separator: ", ")))"
                        ))
                    continue
                }
                var layer = Layer(name: name, file: resolved, crs: crs, format: format)
                for member in ["fields", "defaults"] where entry[member].map({ !$0.isNull && $0.objectValue == nil }) == true {
                    errors.append(
                        DataError(file: file, problem: "layer \"\(name)\": \(member) must be an object, found \(describeFound(entry[member]!))"))
                }
                for (field, source) in entry["fields"]?.objectValue?.members ?? [] {
                    guard let source = source.stringValue else {
                        errors.append(DataError(file: file, problem: "layer \"\(name)\": fields.\(field) must name a property or column"))
                        continue
                    }
                    layer.fields[field] = source
                }
                layer.defaults = entry["defaults"]?.objectValue ?? JSONObject()
                for member in ["layer", "encoding"] where entry[member].map({ !$0.isNull && ($0.stringValue ?? "").isEmpty }) == true {
                    errors.append(
                        DataError(
                            file: file, problem: "layer \"\(name)\": \(member) must be a non-empty text, found \(describeFound(entry[member]!))"))
                }
                layer.sourceLayer = entry["layer"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
                if let encoding = entry["encoding"]?.stringValue, !encoding.isEmpty {
                    if let problem = LayerFormat.encodingProblem(encoding, format: format, path: path) {
                        errors.append(DataError(file: file, problem: "layer \"\(name)\": \(problem)"))
                    } else {
                        layer.encoding = encoding
                    }
                }
                if layer.sourceLayer != nil, format != .gdal {
                    errors.append(
                        DataError(
                            file: file,
                            problem: "layer \"\(name)\": \"layer\" picks a layer of a GeoPackage, File Geodatabase or workbook; \(path) has only one")
                    )
                }
                if let flag = entry["optional"] {
                    guard let optional = flag.boolValue else {
                        errors.append(DataError(file: file, problem: "layer \"\(name)\": \"optional\" must be true or false"))
                        continue
                    }
                    layer.optional = optional
                }
                // Only absence is forgiven: an optional file that is there but unreadable or broken
                // fails like any other when the layer is read.
                if layer.optional, !FileManager.default.fileExists(atPath: resolved.path) {
                    skipped.append(layer)
                    continue
                }
                layers[name, default: []].append(layer)
            }
        }
        for name in Manifest.required where layers[name] == nil && !errors.contains(where: { $0.problem.contains("\"\(name)\"") }) {
            let absent = skipped.filter { $0.name == name }.map(\.file.path)
            errors.append(
                DataError(
                    file: file,
                    problem: "the \(name) layer is required"
                        + (absent.isEmpty ? "" : ", and its only files are optional and absent: \(absent.joined(separator: ", "))")))
        }
        var asOfYear: Int?
        if let value = json["as_of_year"], !value.isNull {
            if case let .number(n) = value, let year = NumberRule.year.integer(n) {
                asOfYear = year
            } else {
                errors.append(
                    DataError(
                        file: file,
                        problem: value.numberValue.flatMap { NumberRule.year.problem("as_of_year", $0) }
                            ?? "as_of_year must be a year (a number), found \(describeFound(value))"))
            }
        }
        for (key, wanted) in [("name", "text"), ("synthetic", "true or false")] {
            guard let value = json[key], !value.isNull else { continue }
            let fits = key == "name" ? value.stringValue != nil : value.boolValue != nil
            if !fits { errors.append(DataError(file: file, problem: "\(key) must be \(wanted), found \(describeFound(value))")) }
        }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        return Manifest(
            name: json["name"]?.stringValue ?? directory.lastPathComponent,
            synthetic: json["synthetic"]?.boolValue ?? false, layers: layers, skipped: skipped, file: file,
            asOfYear: asOfYear)
    }
}

extension Manifest {
    /// A manifest as the store keeps it: the layers' files as they were when they were imported.
    public init(stored name: String, synthetic: Bool, layers: [String: [Layer]], skipped: [Layer], file: String, asOfYear: Int?) {
        self.name = name; self.synthetic = synthetic; self.layers = layers; self.skipped = skipped; self.file = file; self.asOfYear = asOfYear
    }
}

extension Manifest.Layer {
    /// A layer file as the store remembers it (where it was imported from).
    public init(name: String, file: URL, crs: CRSCode?, format: LayerFormat, sourceLayer: String? = nil) {
        self.name = name; self.file = file; self.crs = crs; self.format = format; self.sourceLayer = sourceLayer
    }
}
