import CGEOS

/// Spatial predicates (DE-9IM). GEOS answers 2 on an internal error: that becomes a thrown error.
extension Geometry {
    private func predicate(
        _ name: String, _ other: Geometry,
        _ op: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> Int8
    ) throws -> Bool {
        try checkSameCRS(other, operation: name)
        let answer = op(GEOSContext.handle, handle, other.handle)
        if answer == 2 { throw GeometryError.geos(operation: name, message: GEOSContext.current.takeError()) }
        return answer == 1
    }

    public func intersects(_ other: Geometry) throws -> Bool { try predicate("intersects", other, GEOSIntersects_r) }
    public func contains(_ other: Geometry) throws -> Bool { try predicate("contains", other, GEOSContains_r) }
    public func within(_ other: Geometry) throws -> Bool { try predicate("within", other, GEOSWithin_r) }
    public func covers(_ other: Geometry) throws -> Bool { try predicate("covers", other, GEOSCovers_r) }
    public func coveredBy(_ other: Geometry) throws -> Bool { try predicate("covered by", other, GEOSCoveredBy_r) }
    public func touches(_ other: Geometry) throws -> Bool { try predicate("touches", other, GEOSTouches_r) }
    public func disjoint(_ other: Geometry) throws -> Bool { try predicate("disjoint", other, GEOSDisjoint_r) }
    public func equalsTopologically(_ other: Geometry) throws -> Bool { try predicate("equals", other, GEOSEquals_r) }

    /// True when the two geometries are within `distance` of each other (in CRS units).
    public func isWithinDistance(_ distance: Double, of other: Geometry) throws -> Bool {
        try predicate("distance within", other) { GEOSDistanceWithin_r($0, $1, $2, distance) }
    }

    /// Minimum Cartesian distance, in CRS units.
    public func distance(to other: Geometry) throws -> Double {
        try checkSameCRS(other, operation: "distance")
        var d = 0.0
        guard GEOSDistance_r(GEOSContext.handle, handle, other.handle, &d) == 1 else {
            throw GeometryError.geos(operation: "distance", message: GEOSContext.current.takeError())
        }
        return d
    }
}
