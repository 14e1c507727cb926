import SpaceData
import SpaceGeometry

/// Enterprise → building: the stated building id; else the building containing the firm's
/// point; else the nearest building within the configured distance; else unmatched.
public struct EnterpriseBuildingMatch: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case buildingID = "building_id", inside, nearest, unmatched
    }
    public let building: Int?
    public let method: Method
    public let distanceM: Double
    /// Why an unmatched firm is unmatched.
    public let reason: String?
}

public enum EnterpriseBuildingJoin {
    public static func match(enterprises: [Enterprise], buildings: [Building], index: SpatialIndex,
                             maxDistanceM: Double, crs: CRSCode) throws -> [EnterpriseBuildingMatch] {
        var byID: [String: Int] = [:]
        for (i, b) in buildings.enumerated() { byID[b.id] = i }
        return try ParallelMap.map(enterprises.indices, chunk: 2048) { e in
            let firm = enterprises[e]
            if let id = firm.buildingID {
                if let b = byID[id] { return EnterpriseBuildingMatch(building: b, method: .buildingID, distanceM: 0, reason: nil) }
                return EnterpriseBuildingMatch(building: nil, method: .unmatched, distanceM: 0, reason: "building_id \(id) is not in the buildings layer")
            }
            guard let c = firm.location else {
                return EnterpriseBuildingMatch(building: nil, method: .unmatched, distanceM: 0, reason: "no location")
            }
            let point = try Geometry.point(c.x, c.y, crs: crs)
            // Candidates come in index order, so the first covering building is the lowest index.
            for b in index.candidates(intersecting: Envelope(minX: c.x, minY: c.y, maxX: c.x, maxY: c.y))
            where try buildings[b].geometry.covers(point) {
                return EnterpriseBuildingMatch(building: b, method: .inside, distanceM: 0, reason: nil)
            }
            if let near = try index.nearest(to: point, maxDistance: maxDistanceM) {
                return EnterpriseBuildingMatch(building: near.index, method: .nearest, distanceM: near.distance, reason: nil)
            }
            return EnterpriseBuildingMatch(building: nil, method: .unmatched, distanceM: 0,
                                           reason: "no building contains it or lies within \(formatFixed(maxDistanceM, 1)) m")
        }
    }
}
