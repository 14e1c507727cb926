import CGDAL
import Foundation
import SpaceCore

/// One value of a feature's attribute as GDAL holds it. Text stays bytes: its encoding is the
/// reader's to decide (a Shapefile's .dbf may be GBK), never GDAL's guess.
public enum VectorValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    /// Text as a file gives it: bytes in the file's encoding.
    case text([UInt8])
    /// Text made in memory, for the writers: most cells are short strings held inline, so
    /// written rows need no allocation per cell.
    case string(String)
}

/// A field of a vector layer: its name (UTF-8, as GDAL gives it) and its kind.
public struct VectorField: Sendable, Equatable {
    public enum Kind: String, Sendable { case integer, real, text }
    public let name: String
    public let kind: Kind
    /// GDAL's name for the type ("String", "Integer64", "Date"…), for `inspect`.
    public let typeName: String
    /// The name's bytes as the file holds them: a GBK .dbf read without recoding names its
    /// fields in GBK too, for the reader to decode like the values.
    public let nameBytes: [UInt8]

    public init(name: String, kind: Kind, typeName: String? = nil, nameBytes: [UInt8]? = nil) {
        self.name = name
        self.kind = kind
        self.typeName = typeName ?? kind.rawValue
        self.nameBytes = nameBytes ?? Array(name.utf8)
    }
}

/// One feature as read: its position in the layer, attribute values in field order, and its
/// geometry as WKB (nil when it has none).
public struct VectorFeature: Sendable {
    public let index: Int
    public let values: [VectorValue]
    public let wkb: [UInt8]?
}

/// A vector dataset opened read-only through GDAL: a Shapefile, GeoPackage, File Geodatabase,
/// Excel workbook… Not shared between threads (GDAL datasets are not thread-safe); closed when
/// released, so files are never held open past their reading.
public final class VectorDataset {
    let handle: GDALDatasetH
    public let path: String
    /// GDAL's short name of the format ("ESRI Shapefile", "GPKG", "OpenFileGDB", "XLSX").
    public let driverName: String

    /// Opens `path` as a vector dataset; `options` are the driver's open options (e.g.
    /// ENCODING= for Shapefiles, HEADERS=FORCE for spreadsheets).
    public init(path: String, options: [(String, String)] = []) throws {
        GDALLibrary.ensureRegistered()
        CPLErrorReset()
        let opened = GDALLibrary.withOptions(options) { list in
            GDALOpenEx(path, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR), nil, GDALLibrary.constant(list), nil)
        }
        guard let opened else {
            throw GDALError(message: GDALLibrary.lastMessage(or: "GDAL cannot open it as a vector dataset"))
        }
        handle = opened
        self.path = path
        driverName = GDALGetDatasetDriver(opened).flatMap { GDALGetDriverShortName($0) }.map { String(cString: $0) } ?? "unknown"
    }

    deinit { GDALClose(handle) }

    /// Runs `body` with GDAL configuration options set for the calling thread only (some
    /// drivers read theirs when a layer is first touched, not when the file is opened).
    public static func withConfiguration<T>(_ options: [(String, String)], _ body: () throws -> T) rethrows -> T {
        GDALLibrary.ensureRegistered()
        let previous = options.map { key, _ in CPLGetThreadLocalConfigOption(key, nil).map { String(cString: $0) } }
        for (key, value) in options { CPLSetThreadLocalConfigOption(key, value) }
        defer { for ((key, _), old) in zip(options, previous) { CPLSetThreadLocalConfigOption(key, old) } }
        return try body()
    }

    public var layerNames: [String] {
        (0..<GDALDatasetGetLayerCount(handle)).compactMap { i in
            GDALDatasetGetLayer(handle, i).flatMap { OGR_L_GetName($0) }.map { String(cString: $0) }
        }
    }

    /// The layer called `name`, or the only layer when `name` is nil.
    public func layer(named name: String?) throws -> VectorLayer {
        let names = layerNames
        if let name {
            guard let layer = GDALDatasetGetLayerByName(handle, name) else {
                throw GDALError(message: "has no layer \"\(name)\"; its layers are \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            return VectorLayer(dataset: self, handle: layer)
        }
        guard names.count == 1, let layer = GDALDatasetGetLayer(handle, 0) else {
            throw GDALError(
                message: names.isEmpty
                    ? "holds no vector layer"
                    : "holds \(names.count) layers (\(names.map { "\"\($0)\"" }.joined(separator: ", "))): name one with \"layer\" in layers.json")
        }
        return VectorLayer(dataset: self, handle: layer)
    }
}

/// One layer of an open dataset (it keeps the dataset open).
public final class VectorLayer {
    let dataset: VectorDataset
    let handle: OGRLayerH

    init(dataset: VectorDataset, handle: OGRLayerH) {
        self.dataset = dataset
        self.handle = handle
    }

    public var name: String { String(cString: OGR_L_GetName(handle)) }

    /// "Polygon", "Multi Polygon", "Point", "None" (a table)…
    public var geometryTypeName: String { String(cString: OGRGeometryTypeToName(OGR_L_GetGeomType(handle))) }
    public var hasGeometry: Bool { OGR_L_GetGeomType(handle) != wkbNone }

    /// The number of features (counted when the format does not store it).
    public var featureCount: Int { Int(OGR_L_GetFeatureCount(handle, 1)) }

    public var fields: [VectorField] {
        let definition = OGR_L_GetLayerDefn(handle)
        return (0..<OGR_FD_GetFieldCount(definition)).map { i in
            let field = OGR_FD_GetFieldDefn(definition, i)
            let type = OGR_Fld_GetType(field)
            let kind: VectorField.Kind
            switch type {
            case OFTInteger, OFTInteger64: kind = .integer
            case OFTReal: kind = .real
            default: kind = .text
            }
            let name = OGR_Fld_GetNameRef(field)!
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name)))
            return VectorField(
                name: String(decoding: bytes, as: UTF8.self), kind: kind,
                typeName: String(cString: OGR_GetFieldTypeName(type)), nameBytes: bytes)
        }
    }

    /// The layer's CRS as its file states it (.prj, GeoPackage SRS), nil when it states none.
    public var spatialReference: SpatialReference? {
        guard let srs = OGR_L_GetSpatialRef(handle), let clone = OSRClone(srs) else { return nil }
        return SpatialReference(owning: clone)
    }

    /// A metadata item of the layer (e.g. "SOURCE_ENCODING" in the "SHAPEFILE" domain).
    public func metadata(_ key: String, domain: String? = nil) -> String? {
        GDALGetMetadataItem(handle, key, domain).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads every feature in order, handing each to `body`. GDAL stays on the calling thread.
    public func forEachFeature(_ body: (VectorFeature) throws -> Void) throws {
        OGR_L_ResetReading(handle)
        let count = OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(handle))
        let kinds = fields.map(\.kind)
        var index = 0
        CPLErrorReset()
        while let feature = OGR_L_GetNextFeature(handle) {
            defer { OGR_F_Destroy(feature) }
            var values = [VectorValue]()
            values.reserveCapacity(Int(count))
            for i in 0..<count {
                guard OGR_F_IsFieldSetAndNotNull(feature, i) != 0 else { values.append(.null); continue }
                switch kinds[Int(i)] {
                case .integer: values.append(.integer(OGR_F_GetFieldAsInteger64(feature, i)))
                case .real: values.append(.real(OGR_F_GetFieldAsDouble(feature, i)))
                case .text:
                    let text = OGR_F_GetFieldAsString(feature, i)!
                    values.append(
                        .text(Array(UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: strlen(text)))))
                }
            }
            var wkb: [UInt8]?
            if let geometry = OGR_F_GetGeometryRef(feature), OGR_G_IsEmpty(geometry) == 0 {  // an empty geometry counts as none
                let size = Int(OGR_G_WkbSize(geometry))
                var bytes = [UInt8](repeating: 0, count: size)
                let status = bytes.withUnsafeMutableBufferPointer { OGR_G_ExportToIsoWkb(geometry, wkbNDR, $0.baseAddress) }
                if status != OGRERR_NONE {
                    throw GDALError(
                        message: "feature \(index): its geometry cannot be exported (\(GDALLibrary.lastMessage(or: "OGR error \(status)")))")
                }
                wkb = bytes
            }
            try body(VectorFeature(index: index, values: values, wkb: wkb))
            index += 1
        }
        // A read that stops early (a truncated file) leaves GDAL's reason behind.
        if CPLGetLastErrorType() == CE_Failure {
            throw GDALError(message: "reading stopped after \(index) feature(s): \(GDALLibrary.lastMessage(or: "read error"))")
        }
    }
}

/// A CRS as GDAL/OSR holds it, for checking a file's own CRS against the manifest.
public final class SpatialReference {
    let handle: OGRSpatialReferenceH

    init(owning handle: OGRSpatialReferenceH) {
        self.handle = handle
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
    }

    /// The CRS of a code the project knows (GCJ-02 and BD-09 are WGS84 as far as a file can say).
    public convenience init(_ code: CRSCode) throws {
        GDALLibrary.ensureRegistered()
        guard let srs = OSRNewSpatialReference(nil) else { throw GDALError(message: "cannot create a spatial reference") }
        let epsg: Int
        switch code {
        case let .epsg(n): epsg = n
        case .gcj02, .bd09: epsg = 4326
        }
        guard OSRImportFromEPSG(srs, Int32(epsg)) == OGRERR_NONE else {
            OSRDestroySpatialReference(srs)
            throw GDALError(message: "GDAL does not know EPSG:\(epsg)")
        }
        self.init(owning: srs)
    }

    deinit { OSRDestroySpatialReference(handle) }

    /// Its definition as WKT 1, as GeoPackage 1.2 stores it.
    public func wkt1() throws -> String {
        var text: UnsafeMutablePointer<CChar>?
        guard OSRExportToWkt(handle, &text) == OGRERR_NONE, let text else { throw GDALError(message: "cannot write \(name) as WKT") }
        defer { VSIFree(text) }
        return String(cString: text)
    }

    /// Its name ("CGCS2000_3_Degree_GK_CM_114E", "WGS 84").
    public var name: String { OSRGetName(handle).map { String(cString: $0) } ?? "unnamed CRS" }

    /// The EPSG code it is, when GDAL can tell: stated as an authority, or matched with
    /// confidence (an ESRI .prj rarely names its code).
    public var epsgCode: Int? {
        if let authority = OSRGetAuthorityName(handle, nil), String(cString: authority) == "EPSG",
            let code = OSRGetAuthorityCode(handle, nil), let n = Int(String(cString: code))
        {
            return n
        }
        var count: Int32 = 0
        var confidences: UnsafeMutablePointer<Int32>? = nil
        guard let matches = OSRFindMatches(handle, nil, &count, &confidences) else { return nil }
        defer { OSRFreeSRSArray(matches); VSIFree(confidences) }
        for i in 0..<Int(count) where (confidences?[i] ?? 0) >= 70 {
            if let match = matches[i], let authority = OSRGetAuthorityName(match, nil), String(cString: authority) == "EPSG",
                let code = OSRGetAuthorityCode(match, nil), let n = Int(String(cString: code))
            {
                return n
            }
        }
        return nil
    }

    /// Whether both describe the same CRS, whatever the axis order of their definitions.
    public func isSame(as other: SpatialReference) -> Bool {
        let options = ["IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS"]
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        for option in options { list = CSLAddString(list, option) }
        defer { CSLDestroy(list) }
        return OSRIsSameEx(handle, other.handle, GDALLibrary.constant(list)) != 0
    }
}
