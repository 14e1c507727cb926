import SpaceCore
import CGEOS

/// Overlay, construction and repair operations. Results keep the receiver's CRS.
extension Geometry {
    private func unary(_ name: String, _ op: (GEOSContextHandle_t, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        let context = GEOSContext.handle
        return try Geometry.wrap(op(context, handle), crs: crs, operation: name)
    }

    private func binary(
        _ name: String, _ other: Geometry,
        _ op: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> OpaquePointer?
    ) throws -> Geometry {
        try checkSameCRS(other, operation: name)
        let context = GEOSContext.handle
        return try Geometry.wrap(op(context, handle, other.handle), crs: crs, operation: name)
    }

    /// Mixing coordinates of two different CRSs is a silent error in most tools: here it is loud.
    func checkSameCRS(_ other: Geometry, operation: String) throws {
        if let a = crs, let b = other.crs, a != b {
            throw GeometryError.invalidInput("\(operation): geometries are in different CRSs (\(a) and \(b)); transform one first")
        }
    }

    public func intersection(_ other: Geometry) throws -> Geometry { try binary("intersection", other, GEOSIntersection_r) }
    public func union(_ other: Geometry) throws -> Geometry { try binary("union", other, GEOSUnion_r) }
    public func difference(_ other: Geometry) throws -> Geometry { try binary("difference", other, GEOSDifference_r) }
    public func symmetricDifference(_ other: Geometry) throws -> Geometry { try binary("symmetric difference", other, GEOSSymDifference_r) }

    /// Dissolves the parts of this geometry (a multi or a collection) into one.
    public func unaryUnion() throws -> Geometry { try unary("unary union", GEOSUnaryUnion_r) }

    /// Cascaded union of many geometries, e.g. all the blocks of a zone.
    public static func union(of geometries: [Geometry]) throws -> Geometry {
        guard let first = geometries.first else {
            return try Geometry(.collection([]))
        }
        for g in geometries.dropFirst() { try first.checkSameCRS(g, operation: "union") }
        let context = GEOSContext.handle
        var clones: [OpaquePointer?] = geometries.map { GEOSGeom_clone_r(context, $0.handle) }
        let collection = clones.withUnsafeMutableBufferPointer {
            GEOSGeom_createCollection_r(context, Int32(Kind.collection.rawValue), $0.baseAddress, UInt32($0.count))
        }
        let bag = try Geometry.wrap(collection, crs: first.crs, operation: "union")
        return try bag.unaryUnion()
    }

    /// Buffer with round joins; `quadrantSegments` as in GEOS and shapely (default 8).
    public func buffer(_ distance: Double, quadrantSegments: Int32 = 8) throws -> Geometry {
        try unary("buffer") { GEOSBuffer_r($0, $1, distance, quadrantSegments) }
    }

    public func centroid() throws -> Geometry { try unary("centroid", GEOSGetCentroid_r) }
    /// A point guaranteed to lie inside the geometry (for labels and point-in-zone joins).
    public func pointOnSurface() throws -> Geometry { try unary("point on surface", GEOSPointOnSurface_r) }
    public func envelope() throws -> Geometry { try unary("envelope", GEOSEnvelope_r) }

    /// The x, y of a point geometry.
    public var pointCoordinate: Coordinate? {
        guard kind == .point, !isEmpty else { return nil }
        var x = 0.0, y = 0.0
        let context = GEOSContext.handle
        GEOSGeomGetX_r(context, handle, &x)
        GEOSGeomGetY_r(context, handle, &y)
        return Coordinate(x, y)
    }

    // MARK: Validity and repair

    public var isValid: Bool { GEOSisValid_r(GEOSContext.handle, handle) == 1 }

    /// GEOS's reason for invalidity, e.g. "Self-intersection[114.05 22.54]", or "Valid Geometry".
    public var validityReason: String {
        let context = GEOSContext.handle
        guard let text = GEOSisValidReason_r(context, handle) else { return "unknown" }
        defer { GEOSFree_r(context, text) }
        return String(cString: text)
    }

    /// The result of repairing a geometry: the valid geometry and what was wrong, if anything.
    public struct Repair {
        public let geometry: Geometry
        /// GEOS's reason for the original's invalidity, or nil if it was already valid.
        public let problem: String?
        public var wasRepaired: Bool { problem != nil }
    }

    /// Makes the geometry valid with GEOS's "structure" method, which keeps polygons polygonal
    /// (a bow-tie becomes two triangles, a collapsed sliver disappears), and reports the problem.
    public func repaired() throws -> Repair {
        if isValid { return Repair(geometry: self, problem: nil) }
        let problem = validityReason
        let context = GEOSContext.handle
        guard let params = GEOSMakeValidParams_create_r(context) else {
            throw GeometryError.geos(operation: "make valid", message: GEOSContext.current.takeError())
        }
        defer { GEOSMakeValidParams_destroy_r(context, params) }
        GEOSMakeValidParams_setMethod_r(context, params, GEOS_MAKE_VALID_STRUCTURE)
        GEOSMakeValidParams_setKeepCollapsed_r(context, params, 0)
        let fixed = try Geometry.wrap(GEOSMakeValidWithParams_r(context, handle, params), crs: crs, operation: "make valid")
        return Repair(geometry: fixed, problem: problem)
    }

    /// GEOS's default make-valid ("linework" method, as shapely.make_valid).
    public func makeValid() throws -> Geometry { try unary("make valid", GEOSMakeValid_r) }
}
