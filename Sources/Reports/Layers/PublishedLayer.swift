import SpaceCore
import SpaceGeometry

/// How a published attribute is typed in every format: GeoJSON, GeoPackage, Shapefile, the
/// OGC API and its queryables.
public enum FieldType: String, Sendable, Codable {
    case text, integer, real, boolean
}

/// One attribute of a published layer: its name in every format, its type, its unit and what it means.
public struct LayerField: Sendable {
    public let name: String
    public let type: FieldType
    /// "m²", "m", "yuan/m²/month", "share" (0–1)…; nil for text and plain counts.
    public let unit: String?
    public let meaning: String
    /// Decimals a real is published with (every format rounds the same way).
    public let decimals: Int

    public init(_ name: String, _ type: FieldType, unit: String? = nil, decimals: Int = 2, _ meaning: String) {
        self.name = name; self.type = type; self.unit = unit; self.meaning = meaning; self.decimals = decimals
    }
}

/// One feature's attribute value, in the order of its layer's fields.
public enum FieldValue: Sendable, Equatable {
    case text(String?)
    case integer(Int?)
    case real(Double?)
    case boolean(Bool?)
}

/// One layer as it is published: its fields, how its geometry is made and, per feature, its id,
/// its shape (in the working CRS) and its values. Every file and every API that publishes a layer
/// writes it from this model, so a feature has the same attributes and geometry everywhere.
public struct PublishedLayer: Sendable {
    public enum GeometryKind: String, Sendable { case multiPolygon, point, lineString }

    public let id, title, description: String
    public let geometryKind: GeometryKind
    /// How the geometry is made ("the footprint as surveyed", "the union of its buildings' footprints").
    public let geometryNote: String
    public let fields: [LayerField]
    public let crs: CRSCode
    public let count: Int
    public let featureID: @Sendable (Int) -> String
    public let shape: @Sendable (Int) throws -> Shape?
    /// Appends feature `i`'s values, one per field, to an emptied array (reused between features).
    public let values: @Sendable (Int, inout [FieldValue]) -> Void

    public init(
        id: String, title: String, description: String, geometry: GeometryKind, geometryNote: String,
        fields: [LayerField], crs: CRSCode, count: Int, featureID: @escaping @Sendable (Int) -> String,
        shape: @escaping @Sendable (Int) throws -> Shape?, values: @escaping @Sendable (Int, inout [FieldValue]) -> Void
    ) {
        self.id = id; self.title = title; self.description = description; self.geometryKind = geometry
        self.geometryNote = geometryNote; self.fields = fields; self.crs = crs; self.count = count
        self.featureID = featureID; self.shape = shape; self.values = values
    }

    /// Feature `i`'s values, checked against the fields (a model that disagrees with itself is a bug).
    public func values(of i: Int) -> [FieldValue] {
        var list: [FieldValue] = []
        list.reserveCapacity(fields.count)
        values(i, &list)
        precondition(list.count == fields.count, "layer \(id): feature \(i) has \(list.count) values for \(fields.count) fields")
        return list
    }
}

// MARK: - GeoJSON

extension PublishedLayer {
    /// Appends feature `i` as a GeoJSON Feature in `target` (WGS84, or GCJ-02 for a page on Amap
    /// tiles). `withID` adds the feature-level "id" (OGC API items); `typedReals` writes 1576 m²
    /// as 1576.0, for clients that type a field from the first features they read (GDAL's OAPIF).
    public func appendGeoJSON(
        _ i: Int, to text: inout TextBuffer, target: CRSCode = .wgs84, withID: Bool = false,
        typedReals: Bool = false, scratch: inout [FieldValue]
    ) throws {
        text.append("{\"type\":\"Feature\",")
        if withID {
            text.append("\"id\":")
            text.appendJSONString(featureID(i))
            text.append(",")
        }
        text.append("\"properties\":{")
        scratch.removeAll(keepingCapacity: true)
        values(i, &scratch)
        for (k, field) in fields.enumerated() {
            if k > 0 { text.append(",") }
            text.appendJSONString(field.name)
            text.append(":")
            Self.append(scratch[k], decimals: field.decimals, typedReals: typedReals, to: &text)
        }
        text.append("},\"geometry\":")
        let transformer = try CoordinateTransformer.forThisThread(from: crs, to: target)
        GeoJSONWriter(decimals: 7).appendGeometry(try shape(i).map { try transformer.transform($0) }, to: &text)
        text.append("}")
    }

    public func appendGeoJSON(
        _ i: Int, to text: inout TextBuffer, target: CRSCode = .wgs84, withID: Bool = false,
        typedReals: Bool = false
    ) throws {
        var scratch: [FieldValue] = []
        try appendGeoJSON(i, to: &text, target: target, withID: withID, typedReals: typedReals, scratch: &scratch)
    }

    static func append(_ value: FieldValue, decimals: Int, typedReals: Bool, to text: inout TextBuffer) {
        switch value {
        case let .text(s?): text.appendJSONString(s)
        case let .integer(n?): text.appendInteger(n)
        case let .real(x?): if typedReals { text.appendReal(x, decimals) } else { text.appendFixed(x, decimals) }
        case let .boolean(b?): text.append(b ? "true" : "false")
        case .text(nil), .integer(nil), .real(nil), .boolean(nil): text.append("null")
        }
    }

    /// Feature `i`'s attributes as a JSON object (the inspector's answers), rounded as in the files.
    public func properties(of i: Int) -> JSONObject {
        JSONObject(
            zip(fields, values(of: i)).map { field, value in
                switch value {
                case let .text(s?): return (field.name, .string(s))
                case let .integer(n?): return (field.name, .number(Double(n)))
                case let .real(x?): return (field.name, x.isFinite ? .number(rounded(x, decimals: field.decimals)) : .null)
                case let .boolean(b?): return (field.name, .bool(b))
                case .text(nil), .integer(nil), .real(nil), .boolean(nil): return (field.name, .null)
                }
            })
    }
}

// MARK: - GeoPackage and Shapefile

extension PublishedLayer {
    /// The layer as a table for the GeoPackage and Shapefile writers; a boolean is an integer 0/1
    /// there, as GeoPackage's BOOLEAN is.
    public func vectorTable() -> VectorTable {
        let fields = fields
        let kinds: [VectorField] = fields.map { f in
            VectorField(name: f.name, kind: f.type == .text ? .text : f.type == .real ? .real : .integer)
        }
        let type: VectorTable.GeometryType = geometryKind == .point ? .point : geometryKind == .multiPolygon ? .multiPolygon : .none
        return VectorTable(name: id, crs: crs, geometryType: type, fields: kinds, count: count) { i in
            let row = zip(fields, self.values(of: i)).map { field, value -> VectorValue in
                switch value {
                case let .text(s?): return .string(s)
                case let .integer(n?): return .integer(Int64(n))
                case let .real(x?): return x.isFinite ? .real(rounded(x, decimals: field.decimals)) : .null
                case let .boolean(b?): return .integer(b ? 1 : 0)
                case .text(nil), .integer(nil), .real(nil), .boolean(nil): return .null
                }
            }
            return (row, try self.shape(i))
        }
    }
}

// MARK: - Queryables (OGC API – Features Part 3)

extension PublishedLayer {
    /// The layer's attributes as a JSON Schema, as `/collections/{id}/queryables` serves them.
    public func queryables(id schemaID: String) -> JSONValue {
        var properties = fields.map { f -> (String, JSONValue) in
            var o = JSONObject([("title", .string(f.name)), ("description", .string(f.meaning))])
            switch f.type {
            case .text: o["type"] = .string("string")
            case .integer: o["type"] = .string("integer")
            case .real: o["type"] = .string("number")
            case .boolean: o["type"] = .string("boolean")
            }
            if let unit = f.unit { o["x-ogc-unit"] = .string(unit) }
            return (f.name, .object(o))
        }
        let geometry = geometryKind == .point ? "Point" : geometryKind == .lineString ? "LineString" : "MultiPolygon"
        properties.insert(
            (
                "geometry",
                .object(
                    JSONObject([
                        ("$ref", .string("https://geojson.org/schema/\(geometry).json")), ("description", .string(geometryNote)),
                    ]))
            ), at: 0)
        return .object(
            JSONObject([
                ("$schema", .string("https://json-schema.org/draft/2019-09/schema")), ("$id", .string(schemaID)),
                ("type", .string("object")), ("title", .string(title)), ("description", .string(description)),
                ("properties", .object(JSONObject(properties))), ("additionalProperties", .bool(false)),
            ]))
    }
}
