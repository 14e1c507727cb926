import Foundation

/// A feature as read from GeoJSON (RFC 7946): geometry as a plain shape (or nil for a
/// `null` geometry), properties in file order, the optional id, and its position in the file.
public struct GeoJSONFeature: Sendable {
    public var index: Int
    public var id: JSONValue?
    public var properties: JSONObject
    public var shape: Shape?

    public init(index: Int, id: JSONValue? = nil, properties: JSONObject = JSONObject(), shape: Shape?) {
        self.index = index; self.id = id; self.properties = properties; self.shape = shape
    }
}

/// A GeoJSON document read as features. A bare geometry or a single Feature becomes one feature.
/// Foreign members are ignored (not an error); the legacy "crs" member, which many GIS exports
/// still write, is read so that a layer's CRS can be checked instead of assumed.
public struct GeoJSONDocument: Sendable {
    public var features: [GeoJSONFeature]
    /// The CRS the document declares with the legacy "crs" member, if any. RFC 7946 says WGS84.
    public var declaredCRS: CRSCode?
}

public struct GeoJSONError: Error, CustomStringConvertible {
    /// Index of the feature in the collection, when the problem is inside one.
    public let featureIndex: Int?
    public let message: String
    public var description: String {
        if let featureIndex { return "feature \(featureIndex): \(message)" }
        return message
    }
}

public enum GeoJSON {
    /// Reads a GeoJSON document from bytes.
    public static func read(_ data: Data) throws -> GeoJSONDocument {
        try read(parseJSON(data))
    }

    public static func read(_ json: JSONValue) throws -> GeoJSONDocument {
        guard case let .object(root) = json else {
            throw GeoJSONError(featureIndex: nil, message: "the top level is not a JSON object")
        }
        let declared = try declaredCRS(root)
        switch root["type"]?.stringValue {
        case "FeatureCollection":
            guard let items = root["features"]?.arrayValue else {
                throw GeoJSONError(featureIndex: nil, message: "a FeatureCollection needs a \"features\" array")
            }
            var features: [GeoJSONFeature] = []
            features.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { features.append(try feature(item, index: i)) }
            return GeoJSONDocument(features: features, declaredCRS: declared)
        case "Feature":
            return GeoJSONDocument(features: [try feature(json, index: 0)], declaredCRS: declared)
        case _?:
            return GeoJSONDocument(features: [GeoJSONFeature(index: 0, shape: try shape(json))], declaredCRS: declared)
        case nil:
            throw GeoJSONError(featureIndex: nil, message: "the top-level object has no \"type\"")
        }
    }

    private static func declaredCRS(_ root: JSONObject) throws -> CRSCode? {
        guard let crs = root["crs"], !crs.isNull else { return nil }
        guard let name = crs["properties"]?["name"]?.stringValue else {
            throw GeoJSONError(featureIndex: nil, message: "the \"crs\" member has no properties.name")
        }
        do { return try CRSCode(parsing: name) } catch {
            throw GeoJSONError(featureIndex: nil, message: "the \"crs\" member names an unknown CRS '\(name)'")
        }
    }

    static func feature(_ json: JSONValue, index: Int) throws -> GeoJSONFeature {
        guard case let .object(object) = json, object["type"]?.stringValue == "Feature" else {
            throw GeoJSONError(featureIndex: index, message: "is not a GeoJSON Feature object")
        }
        let properties: JSONObject
        switch object["properties"] {
        case nil, .null?: properties = JSONObject()
        case let .object(p)?: properties = p
        default: throw GeoJSONError(featureIndex: index, message: "\"properties\" is neither an object nor null")
        }
        let geometry: Shape?
        switch object["geometry"] {
        case nil: throw GeoJSONError(featureIndex: index, message: "has no \"geometry\" member (use null for none)")
        case .null?: geometry = nil
        case let g?:
            do { geometry = try shape(g) } catch let error as GeoJSONError {
                throw GeoJSONError(featureIndex: index, message: error.message)
            }
        }
        return GeoJSONFeature(index: index, id: object["id"], properties: properties, shape: geometry)
    }

    /// Converts a GeoJSON geometry object into a shape, checking every position.
    public static func shape(_ json: JSONValue) throws -> Shape {
        guard case let .object(object) = json, let type = object["type"]?.stringValue else {
            throw GeoJSONError(featureIndex: nil, message: "geometry is not an object with a \"type\"")
        }
        if type == "GeometryCollection" {
            guard let members = object["geometries"]?.arrayValue else {
                throw GeoJSONError(featureIndex: nil, message: "GeometryCollection needs a \"geometries\" array")
            }
            return .collection(try members.map(shape))
        }
        guard let coordinates = object["coordinates"] else {
            throw GeoJSONError(featureIndex: nil, message: "\(type) has no \"coordinates\"")
        }
        switch type {
        case "Point": return .point(try position(coordinates, path: "coordinates"))
        case "MultiPoint": return .multiPoint(try positions(coordinates, path: "coordinates"))
        case "LineString": return .lineString(try positions(coordinates, path: "coordinates"))
        case "MultiLineString":
            return .multiLineString(try list(coordinates, path: "coordinates") { try positions($0, path: $1) })
        case "Polygon":
            return .polygon(try list(coordinates, path: "coordinates") { try positions($0, path: $1) })
        case "MultiPolygon":
            return .multiPolygon(
                try list(coordinates, path: "coordinates") { part, partPath in
                    try list(part, path: partPath) { try positions($0, path: $1) }
                })
        default:
            throw GeoJSONError(featureIndex: nil, message: "unknown geometry type \"\(type)\"")
        }
    }

    private static func list<T>(_ json: JSONValue, path: String, _ each: (JSONValue, String) throws -> T) throws -> [T] {
        guard case let .array(items) = json else {
            throw GeoJSONError(featureIndex: nil, message: "\(path) is not an array")
        }
        var result: [T] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { result.append(try each(item, "\(path)[\(i)]")) }
        return result
    }

    private static func positions(_ json: JSONValue, path: String) throws -> [Coordinate] {
        try list(json, path: path) { try position($0, path: $1) }
    }

    private static func position(_ json: JSONValue, path: String) throws -> Coordinate {
        guard case let .array(values) = json, values.count >= 2,
            let x = values[0].numberValue, let y = values[1].numberValue
        else {
            throw GeoJSONError(featureIndex: nil, message: "\(path) is not a position [x, y]")
        }
        guard x.isFinite, y.isFinite else {
            throw GeoJSONError(featureIndex: nil, message: "\(path) has a non-finite coordinate (\(x), \(y))")
        }
        return Coordinate(x, y)
    }
}

// MARK: Writing

/// Writes GeoJSON with coordinates rounded to a fixed number of decimals (7 for degrees ≈ 1 cm,
/// 2 for metres): file size then grows with features, not with digits.
public struct GeoJSONWriter {
    public var decimals: Int
    public init(decimals: Int = 7) { self.decimals = decimals }

    public func appendCoordinate(_ c: Coordinate, to out: inout TextBuffer) {
        out.append("[")
        out.appendFixed(c.x, decimals)
        out.append(",")
        out.appendFixed(c.y, decimals)
        out.append("]")
    }

    private func appendList<T>(_ items: [T], to out: inout TextBuffer, _ each: (T, inout TextBuffer) -> Void) {
        out.append("[")
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(",") }
            each(item, &out)
        }
        out.append("]")
    }

    public func appendGeometry(_ shape: Shape?, to out: inout TextBuffer) {
        guard let shape else { out.append("null"); return }
        out.append("{\"type\":\"")
        out.append(shape.typeName)
        out.append("\",")
        let coords: (Coordinate, inout TextBuffer) -> Void = { appendCoordinate($0, to: &$1) }
        let line: ([Coordinate], inout TextBuffer) -> Void = { appendList($0, to: &$1, coords) }
        let polygon: ([[Coordinate]], inout TextBuffer) -> Void = { appendList($0, to: &$1, line) }
        switch shape {
        case let .point(c): out.append("\"coordinates\":"); appendCoordinate(c, to: &out)
        case let .lineString(cs), let .multiPoint(cs): out.append("\"coordinates\":"); line(cs, &out)
        case let .polygon(rings), let .multiLineString(rings): out.append("\"coordinates\":"); polygon(rings, &out)
        case let .multiPolygon(parts): out.append("\"coordinates\":"); appendList(parts, to: &out, polygon)
        case let .collection(members):
            out.append("\"geometries\":")
            appendList(members, to: &out) { appendGeometry($0, to: &$1) }
        }
        out.append("}")
    }

    public func appendGeometry(_ shape: Shape?, to out: inout String) {
        var buffer = TextBuffer()
        appendGeometry(shape, to: &buffer)
        out.append(buffer.text)
    }

    public func appendFeature(_ feature: GeoJSONFeature, to out: inout String) {
        out.append("{\"type\":\"Feature\",")
        if let id = feature.id { out.append("\"id\":"); appendJSON(id, to: &out); out.append(",") }
        out.append("\"properties\":")
        appendJSON(.object(feature.properties), to: &out)
        out.append(",\"geometry\":")
        appendGeometry(feature.shape, to: &out)
        out.append("}")
    }

    /// A whole FeatureCollection, one feature per line (diff-friendly, streamable).
    public func collection(_ features: [GeoJSONFeature], name: String? = nil) -> String {
        var out = "{\"type\":\"FeatureCollection\""
        if let name { out.append(",\"name\":"); appendJSONString(name, to: &out) }
        out.append(",\"features\":[\n")
        for (i, feature) in features.enumerated() {
            appendFeature(feature, to: &out)
            out.append(i + 1 < features.count ? ",\n" : "\n")
        }
        out.append("]}\n")
        return out
    }
}
