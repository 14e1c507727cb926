import SpaceCore
import SpaceData
import SpaceGeometry

/// Which zones a parcel, building or firm belongs to: those covering its representative
/// point (GEOS point-on-surface, shapely's representative_point). Zones may overlap (a
/// cluster crosses sub-districts), so the answer is a list.
public struct ZoneMembership: Sendable {
    public let zones: [Zone]
    private let envelopes: [Envelope]

    public init(zones: [Zone]) {
        self.zones = zones
        envelopes = zones.map { $0.geometry.bounds ?? Envelope(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity) }
    }

    /// Zone indices for each geometry's representative point.
    public func zones(of geometries: [Geometry]) throws -> [[Int]] {
        try ParallelMap.mapPartitioned(geometries.indices, setup: { try Work(zones) }) { work, i in
            let point = try geometries[i].pointOnSurface()
            return work.shared(try zonesCovering(point, work.prepared))
        }
    }

    /// Zone indices for points (firms placed by coordinates).
    public func zones(ofPoints points: [Coordinate?], crs: CRSCode) throws -> [[Int]] {
        try ParallelMap.mapPartitioned(points.indices, setup: { try Work(zones) }) { work, i in
            guard let c = points[i] else { return [] }
            return work.shared(try zonesCovering(try Geometry.point(c.x, c.y, crs: crs), work.prepared))
        }
    }

    /// One thread's prepared zones, and the zone lists it has made.
    struct Work {
        let prepared: [PreparedGeometry]
        var lists = ZoneListPool()

        init(_ zones: [Zone]) throws { prepared = try zones.map { try PreparedGeometry($0.geometry) } }

        mutating func shared(_ list: [Int]) -> [Int] { lists.shared(list) }
    }

    private func zonesCovering(_ point: Geometry, _ prepared: [PreparedGeometry]) throws -> [Int] {
        guard let c = point.pointCoordinate else { return [] }
        var result: [Int] = []
        for z in prepared.indices {
            let e = envelopes[z]
            // The envelope test first: most zones are far from most points.
            guard c.x >= e.minX, c.x <= e.maxX, c.y >= e.minY, c.y <= e.maxY else { continue }
            if try prepared[z].covers(point) { result.append(z) }
        }
        return result
    }
}

/// Zone lists made once per distinct list: records share a few hundred (a district and a
/// sub-district, say), so each is kept once rather than once per record.
struct ZoneListPool {
    private var known: [[Int]: [Int]] = [:]

    /// `list` itself the first time, then the list kept with the same zones.
    mutating func shared(_ list: [Int]) -> [Int] {
        if let kept = known[list] { return kept }
        known[list] = list
        return list
    }
}
