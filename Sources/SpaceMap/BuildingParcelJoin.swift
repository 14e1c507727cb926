import SpaceCore
import SpaceData
import SpaceGeometry

/// Building → parcel by largest overlap area.
public struct BuildingParcelMatch: Sendable {
    /// Index into the parcels, or nil when the building overlaps no parcel.
    public let parcel: Int?
    public let overlapM2: Double
    /// Parcels the building covers a meaningful share of (more than 1 % of its footprint and 1 m²).
    public let parcelsSpanned: Int
    /// Another parcel overlaps exactly as much (the lower parcel index was taken).
    public let tiedWith: Int?
}

public enum BuildingParcelJoin {
    /// A share of a footprint below which an overlap is a drawing artefact, not a real span.
    static let meaningfulShare = 0.01
    static let meaningfulAreaM2 = 1.0
    static let tieTolerance = 1e-9

    /// Works parcel by parcel: each parcel is prepared once (GEOS then tests its buildings
    /// against an index of its edges), and only buildings it does not cover whole need an overlay.
    public static func match(buildings: [Building], parcels: [Parcel], buildingIndex: SpatialIndex) throws -> [BuildingParcelMatch] {
        let overlapsPerParcel: [[(building: Int, area: Double)]] = try ParallelMap.map(parcels.indices, chunk: 512) { p in
            let parcel = parcels[p].geometry
            guard let bounds = parcel.bounds else { return [] }
            let candidates = buildingIndex.candidates(intersecting: bounds)
            if candidates.isEmpty { return [] }
            let prepared = try PreparedGeometry(parcel)
            var found: [(Int, Double)] = []
            for b in candidates {
                let building = buildings[b]
                if try prepared.covers(building.geometry) {
                    found.append((b, building.footprintM2))
                } else if try prepared.intersects(building.geometry) {
                    let area = try parcel.intersection(building.geometry).planarArea
                    if area > 0 { found.append((b, area)) }
                }
            }
            return found
        }
        var perBuilding = [[(parcel: Int, area: Double)]](repeating: [], count: buildings.count)
        for (p, overlaps) in overlapsPerParcel.enumerated() {
            for (b, area) in overlaps { perBuilding[b].append((p, area)) }
        }
        return perBuilding.enumerated().map { b, overlaps in choose(overlaps, footprint: buildings[b].footprintM2) }
    }

    /// The largest overlap; equal overlaps go to the lower parcel index, so the result is deterministic.
    static func choose(_ overlaps: [(parcel: Int, area: Double)], footprint: Double) -> BuildingParcelMatch {
        let sorted = overlaps.sorted { $0.area != $1.area ? $0.area > $1.area : $0.parcel < $1.parcel }
        guard let best = sorted.first else {
            return BuildingParcelMatch(parcel: nil, overlapM2: 0, parcelsSpanned: 0, tiedWith: nil)
        }
        let threshold = max(meaningfulAreaM2, meaningfulShare * footprint)
        let spanned = sorted.filter { $0.area > threshold }.count
        var tie: Int?
        if sorted.count > 1, abs(sorted[1].area - best.area) <= tieTolerance * best.area { tie = sorted[1].parcel }
        return BuildingParcelMatch(parcel: best.parcel, overlapM2: best.area, parcelsSpanned: spanned, tiedWith: tie)
    }
}
