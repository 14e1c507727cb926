import Foundation
import SpaceCore
import SpaceGeometry

/// The format of a layer's file: a typed value, so that a new format (a GDAL dataset, a
/// PostGIS table) is a new case and a new source, not a new path through the loaders.
public enum LayerFormat: String, Sendable {
    /// Read by the project's own parsers: the fast path.
    case geoJSON = "GeoJSON"
    case csv = "CSV"
    /// Read through GDAL: Shapefile, GeoPackage, File Geodatabase, spreadsheets…
    case gdal = "GDAL"

    /// What the bureau hands over, by extension (a File Geodatabase is a folder named *.gdb).
    public static let gdalExtensions = ["shp", "dbf", "gpkg", "gdb", "xlsx", "xls", "ods", "fgb", "tab", "mif", "kml", "gml", "sqlite"]

    /// The format a file name says; nil for one no source reads.
    public init?(fileName: String) {
        var name = fileName
        while name.hasSuffix("/") { name.removeLast() }
        let ext = (name as NSString).pathExtension.lowercased()
        switch ext {
        case "geojson", "json": self = .geoJSON
        case "csv": self = .csv
        case _ where LayerFormat.gdalExtensions.contains(ext): self = .gdal
        default: return nil
        }
    }

    /// Why `encoding` cannot be stated for this file, or nil when it can: only Shapefiles
    /// (their .dbf) and CSV files come in local encodings; the other formats are UTF-8 by definition.
    static func encodingProblem(_ encoding: String, format: LayerFormat, path: String) -> String? {
        if (try? TextDecoder(encoding: encoding)) == nil {
            return "encoding \"\(encoding)\" is not one this machine can decode (e.g. GBK, GB18030, UTF-8)"
        }
        let ext = (path as NSString).pathExtension.lowercased()
        if format == .csv || ext == "shp" || ext == "dbf" || TextDecoder.canonicalName(encoding) == "UTF-8" { return nil }
        return "\"encoding\" applies to Shapefiles and CSV files; \(path) is UTF-8 by its format's definition"
    }
}

/// One record as its source gives it, before any check: its position, its attributes and,
/// for geometry layers, its shape in the source's CRS.
public struct SourceRecord {
    public let index: Int
    /// An id the format itself carries (a GeoJSON feature's "id"), used when the fields have none.
    public let formatID: JSONValue?
    let fields: FieldReader.Source
    public let shape: Shape?
}

/// Where a layer's records come from. Reading is all a source does: the loaders check every
/// record the same way whatever its source.
public protocol LayerSource: Sendable {
    /// What messages call it (the file's path).
    var name: String { get }
    /// The CRS the source itself states (GeoJSON's legacy crs member, later a .prj or an SRS).
    var declaredCRS: CRSCode? { get }
    var recordCount: Int { get }
    /// Hands every record to `body` on all cores (with a per-chunk context from `setup`),
    /// returning the results in the source's order.
    func mapRecords<T, Context>(setup: () throws -> Context, _ body: (inout Context, SourceRecord) throws -> T) throws -> [T]
    /// The names of its columns, for tables (nil when records carry their own names, as GeoJSON's do).
    var columnNames: [String]? { get }
    /// Where a record is, as the planner finds it in the file ("line 12", "row 3"); nil: its index says it.
    func recordLabel(_ index: Int) -> String?
    /// How it was read (format, text encoding and where that came from), for the validation report.
    var readingNote: String { get }
}

extension LayerSource {
    public var columnNames: [String]? { nil }
    public func recordLabel(_ index: Int) -> String? { nil }
}

/// Opens the source of one manifest entry: the one door to every format.
func openSource(_ layer: Manifest.Layer) throws -> any LayerSource {
    switch layer.format {
    case .geoJSON: return try GeoJSONFileSource(layer.file)
    case .csv: return try CSVFileSource(layer)
    case .gdal: return try GDALFileSource(layer)
    }
}

/// A GeoJSON file, read on all cores (GeoJSONLayerReader).
struct GeoJSONFileSource: LayerSource {
    let name: String
    let reader: GeoJSONLayerReader

    init(_ url: URL) throws {
        name = url.path
        let data = try readLayerFile(url)
        reader = try readingFeatures(of: url.path) { try GeoJSONLayerReader(data) }
    }

    var declaredCRS: CRSCode? { reader.declaredCRS }
    var recordCount: Int { reader.featureCount }
    var readingNote: String { "GeoJSON, text UTF-8 (RFC 8259)" }

    func mapRecords<T, Context>(setup: () throws -> Context, _ body: (inout Context, SourceRecord) throws -> T) throws -> [T] {
        try readingFeatures(of: name) {
            try reader.mapFeatures(setup: setup) { context, feature in
                try body(
                    &context, SourceRecord(index: feature.index, formatID: feature.id, fields: .properties(feature.properties), shape: feature.shape))
            }
        }
    }
}

/// A CSV file (RFC 4180), its rows split into fields on all cores, its columns found by the
/// schema's names (the manifest's renames applied once). Its table stays visible to the firm
/// loader's byte-level fast path.
struct CSVFileSource: LayerSource {
    let name: String
    let table: CSVTable
    /// Schema field → column index.
    let columns: [String: Int]

    /// The encoding the manifest states (nil: UTF-8, checked).
    let encoding: String?

    init(_ layer: Manifest.Layer) throws {
        name = layer.file.path
        encoding = layer.encoding.map(TextDecoder.canonicalName).flatMap { $0 == "UTF-8" ? nil : $0 }
        var data = try readLayerFile(layer.file)
        if let encoding { data = try CSVFileSource.decode(data, from: encoding, file: name) }
        do { table = try CSV.read(data) } catch let error as CSVError {
            throw DataError(file: name, problem: error.description)
        }
        columns = FieldReader.columns(table.header, layer: layer)
    }

    /// A file in a stated local encoding, turned into UTF-8 whole; bytes that are not text in
    /// that encoding are an error naming their line.
    static func decode(_ data: Data, from encoding: String, file: String) throws -> Data {
        do {
            let text = try data.withUnsafeBytes { try TextDecoder(encoding: encoding).decode($0) }
            return Data(text.utf8)
        } catch let failure as TextDecoder.Failure {
            let line = data.prefix(failure.offset).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw DataError(file: file, problem: "line \(line): \(failure.message) (the layer states \"encoding\": \"\(encoding)\")")
        }
    }

    var declaredCRS: CRSCode? { nil }
    var recordCount: Int { table.count }
    var columnNames: [String]? { table.header }
    func recordLabel(_ index: Int) -> String? { "line \(table.lines[index])" }
    var readingNote: String { "CSV, text \(encoding.map { "\($0) (stated in layers.json)" } ?? "UTF-8")" }

    func mapRecords<T, Context>(setup: () throws -> Context, _ body: (inout Context, SourceRecord) throws -> T) throws -> [T] {
        try ParallelMap.mapPartitioned(0..<table.count, setup: setup) { context, k in try body(&context, record(k)) }
    }

    /// Row `k` split into fields.
    func record(_ k: Int) -> SourceRecord {
        SourceRecord(index: k, formatID: nil, fields: .csv(columns: columns, row: table.fields(ofRow: k)), shape: nil)
    }

    /// The 1-based line where a row starts, for messages.
    func line(of row: Int) -> Int { table.lines[row] }
}
