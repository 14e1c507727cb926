import SpaceCore
import SpaceData
import SpaceGeometry

/// Catches a firm list declared in the wrong CRS. A GCJ-02 list read as WGS84 lands ~550 m off
/// in Futian: the firms miss their buildings, nothing else looks wrong. When few firms fall
/// inside a building, a sample is re-read as each other system; one that puts most firms inside
/// buildings is named in a warning.
enum FirmCRSCheck {
    static let sampleSize = 400
    /// Below this share of located firms inside a building, the stated CRS is doubted.
    static let doubtfulShare = 0.5

    static func check(_ data: DistrictData, matches: [EnterpriseBuildingMatch], index: SpatialIndex) throws -> String? {
        guard let stated = data.manifest.layers["enterprises"]?.first?.crs else { return nil }
        let located = data.enterprises.indices.filter { data.enterprises[$0].buildingID == nil && data.enterprises[$0].location != nil }
        guard located.count >= 20 else { return nil }
        let inside = located.filter { matches[$0].method == .inside }.count
        let share = Double(inside) / Double(located.count)
        guard share < doubtfulShare else { return nil }
        let step = max(1, located.count / sampleSize)
        let sample = stride(from: 0, to: located.count, by: step).map { data.enterprises[located[$0]].location! }
        let working = data.policy.workingCRS
        let back = try CoordinateTransformer(from: working, to: stated)
        var best: (crs: CRSCode, share: Double)?
        for alternative in [CRSCode.wgs84, .gcj02, .bd09] where alternative != stated {
            let reread = try CoordinateTransformer(from: alternative, to: working)
            var hits = 0
            for c in sample {
                let moved = try reread.transform(try back.transform(c))
                let point = try Geometry.point(moved.x, moved.y, crs: working)
                let box = Envelope(minX: moved.x, minY: moved.y, maxX: moved.x, maxY: moved.y)
                if try index.candidates(intersecting: box).contains(where: { try index.geometries[$0].covers(point) }) { hits += 1 }
            }
            let altShare = Double(hits) / Double(sample.count)
            if altShare > max(2 * share, doubtfulShare), altShare > (best?.share ?? 0) { best = (alternative, altShare) }
        }
        guard let best else { return nil }
        return "only \(percentText(share)) of the located firms fall inside a building as \(stated); read as \(best.crs), "
            + "\(percentText(best.share)) of a sample would: is the enterprises layer's crs in layers.json right?"
    }

    static func percentText(_ share: Double) -> String { formatFixed(share * 100, 1) + " %" }
}
