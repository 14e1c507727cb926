import Foundation
import SpacePlanKit

/// One layer the workbench publishes (an OGC API collection): its published model, its features'
/// ids and WGS84 envelopes. Features are written from the model, in WGS84 for the OGC API or
/// GCJ-02 when the page sits on Amap or Tencent tiles.
struct FeatureLayer: Sendable {
    let model: PublishedLayer
    let ids: [String]
    let byID: [String: Int]
    let grid: EnvelopeGrid

    var id: String { model.id }
    var title: String { model.title }
    var description: String { model.description }
    var count: Int { ids.count }
    var extent: Envelope? { grid.extent }

    /// Envelopes are computed once here, on all cores.
    init(_ model: PublishedLayer) throws {
        self.model = model
        let ids = (0..<model.count).map(model.featureID)
        self.ids = ids
        byID = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let envelopes = try ParallelMap.map(0..<model.count, chunk: 2_048) { i -> Envelope? in
            try model.shape(i).flatMap { try FeatureLayer.envelope(of: $0, from: model.crs) }
        }
        grid = EnvelopeGrid(envelopes)
    }

    /// Feature `i` as the OGC API gives it: with its id, reals typed as reals.
    func append(_ i: Int, crs: CRSCode = .wgs84, to text: inout TextBuffer) throws {
        try model.appendGeoJSON(i, to: &text, target: crs, withID: true, typedReals: true)
    }

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
