import Foundation
import SpaceGeometry

/// The format of a layer's file: a typed value, so that a new format (a GDAL dataset, a
/// PostGIS table) is a new case and a new source, not a new path through the loaders.
public enum LayerFormat: String, Sendable {
    case geoJSON = "GeoJSON"
    case csv = "CSV"

    /// The format a file name says (.geojson or .json; .csv); nil for one no source reads yet.
    public init?(fileName: String) {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "geojson", "json": self = .geoJSON
        case "csv": self = .csv
        default: return nil
        }
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
}

/// Opens the source of one manifest entry: the one door to every format.
func openSource(_ layer: Manifest.Layer) throws -> any LayerSource {
    switch layer.format {
    case .geoJSON: return try GeoJSONFileSource(layer.file)
    case .csv: return try CSVFileSource(layer)
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

    func mapRecords<T, Context>(setup: () throws -> Context, _ body: (inout Context, SourceRecord) throws -> T) throws -> [T] {
        try readingFeatures(of: name) {
            try reader.mapFeatures(setup: setup) { context, feature in
                try body(&context, SourceRecord(index: feature.index, formatID: feature.id, fields: .properties(feature.properties), shape: feature.shape))
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

    init(_ layer: Manifest.Layer) throws {
        name = layer.file.path
        let data = try readLayerFile(layer.file)
        do { table = try CSV.read(data) } catch let error as CSVError {
            throw DataError(file: name, problem: error.description)
        }
        columns = FieldReader.columns(table.header, layer: layer)
    }

    var declaredCRS: CRSCode? { nil }
    var recordCount: Int { table.count }

    func mapRecords<T, Context>(setup: () throws -> Context, _ body: (inout Context, SourceRecord) throws -> T) throws -> [T] {
        try ParallelMap.mapPartitioned(0..<table.count, setup: setup) { context, k in
            try body(&context, SourceRecord(index: k, formatID: nil, fields: .csv(columns: columns, row: table.fields(ofRow: k)), shape: nil))
        }
    }

    /// The 1-based line where a row starts, for messages.
    func line(of row: Int) -> Int { table.lines[row] }
}
