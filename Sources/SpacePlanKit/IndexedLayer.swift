import Foundation
import Reports
import SpaceCore

/// One published layer indexed for queries (an OGC API collection): its model, its features'
/// ids and WGS84 envelopes. Features are written from the model, in WGS84 for the OGC API or
/// GCJ-02 when a page sits on Amap or Tencent tiles.
public struct IndexedLayer: Sendable {
    let model: PublishedLayer
    public let ids: [String]
    public let byID: [String: Int]
    let grid: EnvelopeGrid

    public var id: String { model.id }
    public var title: String { model.title }
    public var description: String { model.description }
    public var count: Int { ids.count }
    /// The WGS84 extent of its features.
    public var extent: Envelope? { grid.extent }

    /// The layer's attributes as a JSON Schema (OGC API – Features Part 3 queryables).
    public func queryables(id: String) -> JSONValue { model.queryables(id: id) }

    /// Envelopes are computed once here, on all cores.
    init(_ model: PublishedLayer) throws {
        self.model = model
        let ids = (0..<model.count).map(model.featureID)
        self.ids = ids
        byID = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let envelopes = try ParallelMap.map(0..<model.count, chunk: 2_048) { i -> Envelope? in
            try model.shape(i).flatMap { try IndexedLayer.envelope(of: $0, from: model.crs) }
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
