import Foundation
import Reports
import SpaceCore
import SpaceGeometry

/// One published layer indexed for queries (an OGC API collection): its model, its features'
/// ids and WGS84 envelopes. Features are written from the model, in WGS84 for the OGC API or
/// GCJ-02 when a page sits on Amap or Tencent tiles.
public struct IndexedLayer: Sendable {
    let model: PublishedLayer
    public let ids: [String]
    public let byID: IDIndex
    let grid: EnvelopeGrid

    public var id: String { model.id }
    public var title: String { model.title }
    public var description: String { model.description }
    public var count: Int { ids.count }
    /// The WGS84 extent of its features.
    public var extent: Envelope? { grid.extent }

    /// The layer's attributes as a JSON Schema (OGC API – Features Part 3 queryables).
    public func queryables(id: String) -> JSONValue { model.queryables(id: id) }

    /// Ids and envelopes are computed once here, on all cores (a layer of firms has 1.5 million
    /// at 500,000 buildings), each chunk with its own transformer to WGS84.
    init(_ model: PublishedLayer) throws {
        self.model = model
        let ids = try ParallelMap.map(0..<model.count, chunk: 8_192) { model.featureID($0) }
        self.ids = ids
        byID = IDIndex(ids)
        let crs = model.crs
        let envelopes = try ParallelMap.mapPartitioned(
            0..<model.count, chunk: 2_048,
            setup: { crs == .wgs84 ? nil : try CoordinateTransformer.forThisThread(from: crs, to: .wgs84) }
        ) { transformer, i -> Envelope? in
            try model.shape(i).flatMap { try IndexedLayer.envelope(of: $0, transformer: transformer) }
        }
        grid = EnvelopeGrid(envelopes)
    }

    /// Feature `i` as the OGC API gives it: with its id, reals typed as reals.
    func append(_ i: Int, crs: CRSCode = .wgs84, to text: inout TextBuffer) throws {
        try model.appendGeoJSON(i, to: &text, target: crs, withID: true, typedReals: true)
    }

    /// The WGS84 envelope of a shape, through `transformer` (nil: the shape is in WGS84).
    static func envelope(of shape: Shape, transformer: CoordinateTransformer?) throws -> Envelope? {
        var box: Envelope?
        try shape.forEachCoordinate { c in
            let p = try transformer?.transform(c) ?? c
            let point = Envelope(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y)
            box = box.map { $0.union(point) } ?? point
        }
        return box
    }
}
