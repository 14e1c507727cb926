import SpaceCore
import SpaceData
import SpaceGeometry

/// Enterprise → building: the stated building id; else the building containing the firm's
/// point (boundary included); else the nearest building within the configured distance; else
/// unmatched.
public struct EnterpriseBuildingMatch: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case buildingID = "building_id"
        case inside, nearest, unmatched
    }
    public let building: Int?
    public let method: Method
    public let distanceM: Double
    /// Why an unmatched firm is unmatched.
    public let reason: String?
}

public enum EnterpriseBuildingJoin {
    /// Point-in-building works building by building: each footprint is prepared once and tested
    /// against the firms in its envelope (found in a point grid), so no firm needs a GEOS object
    /// unless it is a candidate.
    /// `byID` maps building ids to their index in `buildings`; `index` is the buildings' STRtree.
    public static func match(
        enterprises: [Enterprise], buildings: [Building], byID: IDIndex, index: SpatialIndex,
        maxDistanceM: Double, crs: CRSCode
    ) throws -> [EnterpriseBuildingMatch] {
        // Firms given by building id are placed by it; only the others are located by point.
        let located: [Coordinate?] = enterprises.map { $0.buildingID == nil ? $0.location : nil }
        let grid = PointGrid(located, cellSize: 100)
        let insidePerBuilding: [[Int]] = try ParallelMap.map(buildings.indices, chunk: 1024) { b in
            let footprint = buildings[b].geometry
            guard let bounds = footprint.bounds else { return [] }
            let firms = grid.points(in: bounds)
            if firms.isEmpty { return [] }
            let prepared = try PreparedGeometry(footprint)
            return try firms.filter { e in
                let c = located[e]!
                return try prepared.covers(try Geometry.point(c.x, c.y, crs: crs))
            }
        }
        // The lowest building index wins when footprints overlap, whatever the thread order.
        var inside = [Int?](repeating: nil, count: enterprises.count)
        for (b, firms) in insidePerBuilding.enumerated() {
            for e in firms where inside[e] == nil || b < inside[e]! { inside[e] = b }
        }
        return try ParallelMap.map(enterprises.indices, chunk: 4096) { e in
            let firm = enterprises[e]
            if let id = firm.buildingID {
                if let b = byID[id] { return EnterpriseBuildingMatch(building: b, method: .buildingID, distanceM: 0, reason: nil) }
                return EnterpriseBuildingMatch(
                    building: nil, method: .unmatched, distanceM: 0, reason: "building_id \(id) is not in the buildings layer")
            }
            guard let c = firm.location else {
                return EnterpriseBuildingMatch(building: nil, method: .unmatched, distanceM: 0, reason: "no location")
            }
            if let b = inside[e] { return EnterpriseBuildingMatch(building: b, method: .inside, distanceM: 0, reason: nil) }
            if let near = try index.nearest(to: try Geometry.point(c.x, c.y, crs: crs), maxDistance: maxDistanceM) {
                return EnterpriseBuildingMatch(building: near.index, method: .nearest, distanceM: near.distance, reason: nil)
            }
            return EnterpriseBuildingMatch(
                building: nil, method: .unmatched, distanceM: 0,
                reason: "no building contains it or lies within \(formatFixed(maxDistanceM, 1)) m")
        }
    }
}
