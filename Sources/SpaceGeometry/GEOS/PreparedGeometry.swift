import CGEOS

/// A geometry prepared for many predicate tests against it (point-in-zone, block-in-parcel).
/// GEOS builds its internal indexes lazily on first use, so a prepared geometry must stay on
/// one thread: prepare one per worker instead of sharing.
public final class PreparedGeometry {
    public let geometry: Geometry
    let handle: OpaquePointer

    public init(_ geometry: Geometry) throws {
        guard let prepared = GEOSPrepare_r(GEOSContext.handle, geometry.handle) else {
            throw GeometryError.geos(operation: "prepare", message: GEOSContext.current.takeError())
        }
        self.geometry = geometry
        self.handle = prepared
    }

    deinit { GEOSPreparedGeom_destroy_r(GEOSContext.handle, handle) }

    private func predicate(
        _ name: String, _ other: Geometry,
        _ op: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> Int8
    ) throws -> Bool {
        try geometry.checkSameCRS(other, operation: name)
        let answer = op(GEOSContext.handle, handle, other.handle)
        if answer == 2 { throw GeometryError.geos(operation: name, message: GEOSContext.current.takeError()) }
        return answer == 1
    }

    public func intersects(_ other: Geometry) throws -> Bool { try predicate("intersects", other, GEOSPreparedIntersects_r) }
    public func contains(_ other: Geometry) throws -> Bool { try predicate("contains", other, GEOSPreparedContains_r) }
    public func covers(_ other: Geometry) throws -> Bool { try predicate("covers", other, GEOSPreparedCovers_r) }
    public func within(_ other: Geometry) throws -> Bool { try predicate("within", other, GEOSPreparedWithin_r) }
    public func coveredBy(_ other: Geometry) throws -> Bool { try predicate("covered by", other, GEOSPreparedCoveredBy_r) }
    public func touches(_ other: Geometry) throws -> Bool { try predicate("touches", other, GEOSPreparedTouches_r) }
    public func isWithinDistance(_ distance: Double, of other: Geometry) throws -> Bool {
        try predicate("distance within", other) { GEOSPreparedDistanceWithin_r($0, $1, $2, distance) }
    }
}
