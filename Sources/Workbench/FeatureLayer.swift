import Foundation
import SpacePlanKit

/// One layer the workbench publishes (an OGC API collection): its features by position, their
/// ids and WGS84 envelopes, and a writer that turns feature `i` into GeoJSON in a target CRS
/// (WGS84 for the OGC API; GCJ-02 when the page sits on Amap or Tencent tiles).
struct FeatureLayer: Sendable {
    let id, title, description: String
    let ids: [String]
    let byID: [String: Int]
    let grid: EnvelopeGrid
    private let writer: @Sendable (Int, CRSCode, inout TextBuffer) throws -> Void

    var count: Int { ids.count }
    var extent: Envelope? { grid.extent }

    /// `shape` is in the working CRS (`crs`); envelopes are computed once here, on all cores.
    init(id: String, title: String, description: String, crs: CRSCode, count: Int,
         featureID: @escaping @Sendable (Int) -> String, shape: @escaping @Sendable (Int) -> Shape?,
         properties: @escaping @Sendable (Int) -> [(String, Property)]) throws {
        try self.init(id: id, title: title, description: description, crs: crs, count: count, featureID: featureID, shape: shape) { i, target, text in
            try FeatureLayer.appendFeature(id: featureID(i), properties: properties(i), shape: shape(i), from: crs, to: target, into: &text)
        }
    }

    /// A layer with its own writer (the buildings, through the space map's writer).
    init(id: String, title: String, description: String, crs: CRSCode, count: Int,
         featureID: @escaping @Sendable (Int) -> String, shape: @escaping @Sendable (Int) -> Shape?,
         writer: @escaping @Sendable (Int, CRSCode, inout TextBuffer) throws -> Void) throws {
        self.id = id; self.title = title; self.description = description
        let ids = (0..<count).map(featureID)
        self.ids = ids
        byID = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let envelopes = try ParallelMap.map(0..<count, chunk: 2_048) { i -> Envelope? in
            try shape(i).flatMap { try FeatureLayer.envelope(of: $0, from: crs) }
        }
        grid = EnvelopeGrid(envelopes)
        self.writer = writer
    }

    func append(_ i: Int, crs: CRSCode = .wgs84, to text: inout TextBuffer) throws { try writer(i, crs, &text) }

    /// The WGS84 envelope of a shape in `crs`.
    static func envelope(of shape: Shape, from crs: CRSCode) throws -> Envelope? {
        var box: Envelope?
        try shape.forEachCoordinate { c in
            let p = try Reprojection.coordinate(c, from: crs, to: .wgs84)
            let point = Envelope(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y)
            box = box.map { $0.union(point) } ?? point
        }
        return box
    }

    static func appendFeature(id: String, properties: [(String, Property)], shape: Shape?, from crs: CRSCode, to target: CRSCode,
                              into text: inout TextBuffer) throws {
        text.append("{\"type\":\"Feature\",\"id\":")
        text.appendJSONString(id)
        text.append(",\"properties\":{")
        for (k, (name, value)) in properties.enumerated() {
            if k > 0 { text.append(",") }
            text.appendJSONString(name)
            text.append(":")
            value.append(to: &text)
        }
        text.append("},\"geometry\":")
        GeoJSONWriter(decimals: 7).appendGeometry(try shape.map { try Reprojection.shape($0, from: crs, to: target) }, to: &text)
        text.append("}")
    }
}

/// A feature's attribute as GIS clients type it: a measure is always written as a real number
/// (1576.0 m², not 1576), a count as an integer, so GDAL and QGIS, which type a field from the
/// first features they read, give it the right type.
enum Property {
    case text(String?), whole(Int?), real(Double?, decimals: Int), flag(Bool)

    static func string(_ s: String) -> Property { .text(s) }
    static func optional(_ s: String?) -> Property { .text(s) }
    static func integer(_ n: Int) -> Property { .whole(n) }
    static func optional(_ n: Int?) -> Property { .whole(n) }
    static func number(_ x: Double, decimals: Int) -> Property { .real(x, decimals: decimals) }
    static func optional(_ x: Double?, decimals: Int = 2) -> Property { .real(x, decimals: decimals) }
    static func bool(_ b: Bool) -> Property { .flag(b) }

    func append(to text: inout TextBuffer) {
        switch self {
        case let .text(s?): text.appendJSONString(s)
        case let .whole(n?): text.appendInteger(n)
        case let .real(x?, decimals): text.appendReal(x, decimals)
        case let .flag(b): text.append(b ? "true" : "false")
        case .text(nil), .whole(nil), .real(nil, _): text.append("null")
        }
    }
}

extension JSONValue {
    static func number(_ x: Double, decimals: Int) -> JSONValue {
        let scale = pow(10, Double(decimals))
        return .number((x * scale).rounded() / scale)
    }
    static func optional(_ x: Double?, decimals: Int = 2) -> JSONValue { x.map { .number($0, decimals: decimals) } ?? .null }
    static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    static func integer(_ n: Int) -> JSONValue { .number(Double(n)) }
}
