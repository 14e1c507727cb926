import CGDAL
import Foundation
import SpaceCore

/// One layer to write: its name, CRS, geometry type, fields, and a function giving each row
/// (values in field order, text as UTF-8, and a shape in `crs`), asked for once per row.
public struct VectorTable: Sendable {
    public enum GeometryType: Sendable {
        case point, multiPolygon, none
        /// Any geometry (road centre lines as they were read: lines and multilines).
        case any

        /// Its name in gpkg_geometry_columns ("" for none).
        public var geoPackageName: String {
            switch self {
            case .point: return "POINT"
            case .multiPolygon: return "MULTIPOLYGON"
            case .any: return "GEOMETRY"
            case .none: return ""
            }
        }
    }

    public let name: String
    public let crs: CRSCode
    public let geometryType: GeometryType
    public let fields: [VectorField]
    public let count: Int
    /// Called from several threads at once: it must only read.
    public let row: @Sendable (Int) throws -> (values: [VectorValue], shape: Shape?)

    public init(
        name: String, crs: CRSCode, geometryType: GeometryType, fields: [VectorField], count: Int,
        row: @escaping @Sendable (Int) throws -> (values: [VectorValue], shape: Shape?)
    ) {
        self.name = name
        self.crs = crs
        self.geometryType = geometryType
        self.fields = fields
        self.count = count
        self.row = row
    }
}

/// Writes Shapefiles through GDAL into memory (/vsimem), handing back the files' bytes, so that
/// the output set is still written whole by its writer, never half by GDAL. (GeoPackages are
/// GeoPackageWriter's: through GDAL 3.6 they took four times as long.)
public enum VectorFileWriter {

    /// Shapefiles (one per table: .shp, .shx, .dbf, .prj and a .cpg naming `encoding`), by file
    /// name. DBF field names hold at most 10 bytes: the caller gives names that fit.
    public static func shapefiles(_ tables: [VectorTable], encoding: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = "/vsimem/spaceplan-\(UUID().uuidString)"
        defer { VSIRmdirRecursive(folder) }
        try write(tables, folder: folder, encoding: encoding)
        var files: [(String, [UInt8])] = []
        for table in tables {
            for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
                let file = "\(folder)/\(table.name).\(ext)"
                if let bytes = try? takeFile(file) { files.append(("\(table.name).\(ext)", bytes)) }
            }
        }
        return files
    }

    private static func takeFile(_ path: String) throws -> [UInt8] {
        var length: vsi_l_offset = 0
        guard let buffer = VSIGetMemFileBuffer(path, &length, 0) else {
            throw GDALError(message: "GDAL wrote no file at \(path)")
        }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }

    /// DBF text fields start at their maximum width, 254 bytes, so that nothing is cut, and
    /// shrink to fit when the file is closed (RESIZE).
    static let dbfTextWidth: Int32 = 254

    private static func write(_ tables: [VectorTable], folder: String, encoding: String) throws {
        GDALLibrary.ensureRegistered()
        guard let driver = GDALGetDriverByName("ESRI Shapefile") else { throw GDALError(message: "this GDAL has no Shapefile driver") }
        CPLErrorReset()
        guard let dataset = GDALCreate(driver, folder, 0, 0, 0, GDT_Unknown, nil) else {
            throw GDALError(message: GDALLibrary.lastMessage(or: "cannot create the Shapefiles"))
        }
        var closed = false
        defer { if !closed { GDALClose(dataset) } }
        for table in tables { try write(table, into: dataset, options: [("ENCODING", encoding), ("RESIZE", "YES")]) }
        closed = true
        // Closing flushes and resizes the fields: its failure is a failed write.
        CPLErrorReset()
        GDALClose(dataset)
        if CPLGetLastErrorType() == CE_Failure { throw GDALError(message: GDALLibrary.lastMessage(or: "closing the Shapefiles failed")) }
    }

    private static func write(_ table: VectorTable, into dataset: GDALDatasetH, options: [(String, String)]) throws {
        let srs = try SpatialReference(table.crs)
        let type: OGRwkbGeometryType
        switch table.geometryType {
        case .point: type = wkbPoint
        case .multiPolygon: type = wkbMultiPolygon
        case .any: type = wkbUnknown
        case .none: type = wkbNone
        }
        CPLErrorReset()
        let layer = GDALLibrary.withOptions(options) { list in
            GDALDatasetCreateLayer(dataset, table.name, table.geometryType == .none ? nil : srs.handle, type, list)
        }
        guard let layer else { throw GDALError(message: "layer \(table.name): \(GDALLibrary.lastMessage(or: "cannot be created"))") }
        for field in table.fields {
            let kind: OGRFieldType
            switch field.kind {
            case .integer: kind = OFTInteger64
            case .real: kind = OFTReal
            case .text: kind = OFTString
            }
            let definition = OGR_Fld_Create(field.name, kind)
            defer { OGR_Fld_Destroy(definition) }
            if kind == OFTString { OGR_Fld_SetWidth(definition, dbfTextWidth) }
            guard OGR_L_CreateField(layer, definition, 1) == OGRERR_NONE else {
                throw GDALError(message: "layer \(table.name), field \(field.name): \(GDALLibrary.lastMessage(or: "cannot be created"))")
            }
        }
        let definition = OGR_L_GetLayerDefn(layer)
        for k in 0..<table.count {
            let (values, shape) = try table.row(k)
            guard let feature = OGR_F_Create(definition) else { throw GDALError(message: "out of memory") }
            defer { OGR_F_Destroy(feature) }
            for (i, value) in values.enumerated() {
                let field = Int32(i)
                switch value {
                case .null: OGR_F_SetFieldNull(feature, field)
                case let .integer(n): OGR_F_SetFieldInteger64(feature, field, n)
                case let .real(x): OGR_F_SetFieldDouble(feature, field, x)
                case let .string(s): OGR_F_SetFieldString(feature, field, s)
                case let .text(bytes):
                    (bytes + [0]).withUnsafeBufferPointer {
                        $0.withMemoryRebound(to: CChar.self) { OGR_F_SetFieldString(feature, field, $0.baseAddress) }
                    }
                }
            }
            if let shape {
                var geometry: OGRGeometryH?
                let wkb = shape.wkb
                let status = wkb.withUnsafeBytes { OGR_G_CreateFromWkb($0.baseAddress, nil, &geometry, Int32(wkb.count)) }
                guard status == OGRERR_NONE, let geometry else {
                    throw GDALError(message: "layer \(table.name), row \(k): its geometry cannot be written")
                }
                let typed = table.geometryType == .multiPolygon ? OGR_G_ForceToMultiPolygon(geometry) : geometry
                OGR_F_SetGeometryDirectly(feature, typed)
            }
            guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
                throw GDALError(message: "layer \(table.name), row \(k): \(GDALLibrary.lastMessage(or: "cannot be written"))")
            }
        }
    }
}
