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

    public static func match(buildings: [Building], parcels: [Parcel]) throws -> [BuildingParcelMatch] {
        let index = SpatialIndex(parcels.map(\.geometry))
        return try ParallelMap.map(buildings.indices) { b in
            try match(buildings[b], parcels: parcels, index: index)
        }
    }

    static func match(_ building: Building, parcels: [Parcel], index: SpatialIndex) throws -> BuildingParcelMatch {
        guard let bounds = building.geometry.bounds else {
            return BuildingParcelMatch(parcel: nil, overlapM2: 0, parcelsSpanned: 0, tiedWith: nil)
        }
        var overlaps: [(parcel: Int, area: Double)] = []
        for p in index.candidates(intersecting: bounds) {
            let parcel = parcels[p].geometry
            guard try parcel.intersects(building.geometry) else { continue }
            // Most buildings sit wholly inside one parcel: no overlay needed for those.
            let area = try parcel.covers(building.geometry)
                ? building.footprintM2
                : try parcel.intersection(building.geometry).planarArea
            if area > 0 { overlaps.append((p, area)) }
        }
        // Largest overlap first; equal overlaps in parcel order, so the result is deterministic.
        overlaps.sort { $0.area != $1.area ? $0.area > $1.area : $0.parcel < $1.parcel }
        guard let best = overlaps.first else {
            return BuildingParcelMatch(parcel: nil, overlapM2: 0, parcelsSpanned: 0, tiedWith: nil)
        }
        let threshold = max(meaningfulAreaM2, meaningfulShare * building.footprintM2)
        let spanned = overlaps.filter { $0.area > threshold }.count
        var tie: Int?
        if overlaps.count > 1, abs(overlaps[1].area - best.area) <= tieTolerance * best.area { tie = overlaps[1].parcel }
        return BuildingParcelMatch(parcel: best.parcel, overlapM2: best.area, parcelsSpanned: spanned, tiedWith: tie)
    }
}
