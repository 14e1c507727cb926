import Foundation
import SpaceCore
import SpaceGeometry

/// A layer of a file GDAL reads: a Shapefile, a GeoPackage table, a File Geodatabase feature
/// class, a spreadsheet's sheet. GDAL reads the features on one thread (its datasets are not
/// thread-safe); decoding text and geometry then runs on all cores.
///
/// Text is decoded here, never by GDAL's guess: a Shapefile's encoding comes from the manifest,
/// its .cpg or its DBF language byte, in that order; with none of them its text must be UTF-8,
/// and a field that is not is an error naming the record and the field, not garbled names.
struct GDALFileSource: LayerSource {
    let name: String
    let declaredCRS: CRSCode?
    let fields: [VectorField]
    /// The fields' names, decoded like the values.
    let fieldNames: [String]
    let features: [VectorFeature]
    /// The encoding used and where it came from, for the validation report.
    let encoding: String
    let encodingOrigin: String
    let driver: String
    /// Spreadsheet rows are numbered as the planner sees them (the header is row 1).
    let isSpreadsheet: Bool
    let hasGeometry: Bool

    var recordCount: Int { features.count }
    var columnNames: [String]? { fieldNames }

    init(_ layer: Manifest.Layer) throws {
        name = layer.label
        isSpreadsheet = GDALFileSource.spreadsheetExtensions.contains(layer.file.pathExtension.lowercased())
        let dataset: VectorDataset
        let source: VectorLayer
        do {
            (dataset, source) = try GDALFileSource.withDataset(layer.file) { dataset in
                let source = try dataset.layer(named: layer.sourceLayer)
                _ = source.fields  // a spreadsheet's header is read here, under the options above
                return (dataset, source)
            }
        } catch let error as GDALError {
            throw DataError(file: name, problem: error.message)
        }
        driver = dataset.driverName
        fields = source.fields
        hasGeometry = source.hasGeometry

        if let stated = layer.encoding {
            encoding = TextDecoder.canonicalName(stated)
            encodingOrigin = "stated in layers.json"
        } else if let declared = GDALFileSource.declaredEncoding(of: source) {
            (encoding, encodingOrigin) = declared
        } else {
            encoding = "UTF-8"
            encodingOrigin = driver == "ESRI Shapefile" ? "no .cpg and no language byte: read as UTF-8" : "UTF-8 by the format's definition"
        }
        let decoder = try TextDecoder(encoding: encoding)
        var names: [String] = []
        for (i, field) in fields.enumerated() {
            do { names.append(try decoder.decode(field.nameBytes)) } catch let failure as TextDecoder.Failure {
                throw DataError(
                    file: layer.label,
                    problem: GDALFileSource.decodingProblem(
                        "the name of field \(i + 1)", failure, encoding: encoding,
                        origin: encodingOrigin, driver: driver))
            }
        }
        fieldNames = names
        declaredCRS = try GDALFileSource.crs(of: source, stated: layer.crs, file: name)
        var read: [VectorFeature] = []
        do { try source.forEachFeature { read.append($0) } } catch let error as GDALError {
            throw DataError(file: name, problem: error.message)
        }
        features = read
        if isSpreadsheet { try checkHeaderRow(layer) }
    }

    func recordLabel(_ index: Int) -> String? { isSpreadsheet ? "row \(index + 2)" : nil }

    var readingNote: String {
        "read through GDAL (\(driver)), text \(encoding) (\(encodingOrigin))"
    }

    func mapRecords<T, Context>(setup: () throws -> Context, _ body: (inout Context, SourceRecord) throws -> T) throws -> [T] {
        try ParallelMap.mapPartitioned(0..<features.count, setup: { (try setup(), try TextDecoder(encoding: encoding)) }) { context, k in
            let feature = features[k]
            var properties = JSONObject()
            for (i, value) in feature.values.enumerated() {
                switch value {
                case .null: properties[fieldNames[i]] = .null
                case let .integer(n): properties[fieldNames[i]] = .number(Double(n))
                case let .real(x): properties[fieldNames[i]] = .number(x)
                case let .string(s): properties[fieldNames[i]] = .string(s)
                case let .text(bytes):
                    do { properties[fieldNames[i]] = .string(try context.1.decode(bytes)) } catch let failure as TextDecoder.Failure {
                        let problem = GDALFileSource.decodingProblem(
                            "field \"\(fieldNames[i])\"", failure, encoding: encoding,
                            origin: encodingOrigin, driver: driver)
                        throw DataError(file: name, record: k, problem: (recordLabel(k).map { $0 + ": " } ?? "") + problem)
                    }
                }
            }
            var shape: Shape?
            if let wkb = feature.wkb {
                do { shape = try Shape(wkb: wkb) } catch {
                    throw DataError(file: name, record: k, problem: "its geometry cannot be read: \(error)")
                }
            }
            return try body(&context.0, SourceRecord(index: k, formatID: nil, fields: .properties(properties), shape: shape))
        }
    }

    /// Says which text could not be decoded, and what to state instead.
    static func decodingProblem(_ place: String, _ failure: TextDecoder.Failure, encoding: String, origin encodingOrigin: String, driver: String)
        -> String
    {
        if encoding == "UTF-8", driver == "ESRI Shapefile" {
            return
                "\(place): \(failure.message) — the .dbf is not UTF-8 and has no .cpg to say what it is; Chinese Shapefiles are usually GBK: add \"encoding\": \"GBK\" to this layer in layers.json (or a .cpg file holding GBK)"
        }
        return "\(place): \(failure.message) (encoding \(encoding), \(encodingOrigin)); state the file's encoding with \"encoding\" in layers.json"
    }

    static let spreadsheetExtensions: Set<String> = ["xlsx", "xls", "ods"]

    /// Opens a file as the GDAL sources read it, and runs `body` on it: a Shapefile's sidecars
    /// checked and its .dbf's text left as raw bytes (the encoding is decided here, strictly);
    /// a spreadsheet with its header forced to the first row and every cell read as text, to
    /// be checked by the same field rules as a CSV.
    static func withDataset<T>(_ url: URL, _ body: (VectorDataset) throws -> T) throws -> T {
        try checkSidecars(of: url)
        let ext = url.pathExtension.lowercased()
        let options = ext == "shp" || ext == "dbf" ? [("ENCODING", "")] : []
        let configuration =
            spreadsheetExtensions.contains(ext)
            ? ["XLSX", "XLS", "ODS"].flatMap { [("OGR_\($0)_HEADERS", "FORCE"), ("OGR_\($0)_FIELD_TYPES", "STRING")] } : []
        return try VectorDataset.withConfiguration(configuration) { try body(try VectorDataset(path: url.path, options: options)) }
    }

    /// The encoding a Shapefile declares, and where: its .cpg, else its .dbf language byte.
    static func declaredEncoding(of layer: VectorLayer) -> (encoding: String, origin: String)? {
        if let cpg = layer.metadata("ENCODING_FROM_CPG", domain: "SHAPEFILE") { return (TextDecoder.canonicalName(cpg), "from the .cpg file") }
        if let ldid = layer.metadata("ENCODING_FROM_LDID", domain: "SHAPEFILE") {
            return (TextDecoder.canonicalName(ldid), "from the .dbf language byte")
        }
        return nil
    }

    /// A Shapefile is three files at least: a missing .shx or .dbf is named, with what to do.
    static func checkSidecars(of url: URL) throws {
        let path = url.path
        let ext = url.pathExtension
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(file: path, problem: "file not found")
        }
        guard ext.lowercased() == "shp" else { return }
        let base = url.deletingPathExtension()
        for sidecar in ["shx", "dbf"] {
            let exists = [sidecar, sidecar.uppercased()].contains { FileManager.default.fileExists(atPath: base.appendingPathExtension($0).path) }
            if !exists {
                let role = sidecar == "dbf" ? "attribute table" : "shape index"
                throw DataError(
                    file: path,
                    problem:
                        "the Shapefile's \(role) \(base.lastPathComponent).\(sidecar) is missing: a Shapefile is .shp, .shx and .dbf together (copy all of them, and the .prj and .cpg if there are any)"
                )
            }
        }
    }

    /// The CRS the file states, checked against the manifest's: the same CRS named two ways
    /// (an ESRI .prj and an EPSG code) agrees; two different CRSs are an error naming both.
    static func crs(of layer: VectorLayer, stated: CRSCode?, file: String) throws -> CRSCode? {
        guard layer.hasGeometry else { return stated }
        guard let own = layer.spatialReference else {
            if stated == nil {
                throw DataError(
                    file: file,
                    problem:
                        "the file states no CRS (no .prj or SRS) and layers.json states none: add \"crs\" (e.g. \"EPSG:4547\" for CGCS2000 Gauss-Krüger 114°E) to this layer"
                )
            }
            return stated
        }
        let ownCode = own.epsgCode
        let ownName = "\"\(own.name)\"" + (ownCode.map { " (EPSG:\($0))" } ?? "")
        guard let stated else {
            guard let ownCode else {
                throw DataError(file: file, problem: "its CRS \(ownName) has no EPSG code GDAL can match: state the layer's \"crs\" in layers.json")
            }
            return .epsg(ownCode)
        }
        let expected: SpatialReference
        do { expected = try SpatialReference(stated) } catch { throw DataError(file: file, problem: "\(error)") }
        guard own.isSame(as: expected) else {
            let offsets = stated == .gcj02 || stated == .bd09 ? " (a \(stated) layer's file states WGS 84)" : ""
            throw DataError(
                file: file,
                problem:
                    "layers.json says \(stated)\(offsets) but the file's own CRS is \(ownName): correct the manifest's \"crs\", or reproject the file (ogr2ogr -t_srs)"
            )
        }
        return stated
    }

    /// A spreadsheet whose first row is a title, not the header, shows as one named column and
    /// GDAL's Field2, Field3…: say so rather than list missing columns.
    private func checkHeaderRow(_ layer: Manifest.Layer) throws {
        let generated = fields.filter { $0.name.hasPrefix("Field") && Int($0.name.dropFirst(5)) != nil }.count
        if fields.count > 1, generated >= fields.count - 1 {
            throw DataError(
                file: name,
                problem:
                    "the first row of sheet \"\(layer.sourceLayer ?? "1")\" holds \"\(fields[0].name)\" and nothing else: it looks like a title above the header. The header (id, name, sector…) must be the first row: delete the rows above it"
            )
        }
    }
}
