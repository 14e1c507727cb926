import SpaceCore
import CGEOS

/// A geometry owned by GEOS. The GEOS object is freed exactly once, when the last Swift
/// reference goes away. A geometry carries the CRS its coordinates are in, when known.
///
/// Sharing: a `Geometry` is immutable, so several threads may read it at once (GEOS reads
/// are const). Prepared geometries are *not* shareable: see `PreparedGeometry`.
public final class Geometry: @unchecked Sendable, CustomStringConvertible {  // safe: immutable, and GEOS reads are const
    let handle: OpaquePointer
    /// The coordinate reference system of the coordinates, or nil when not stated.
    public let crs: CRSCode?

    /// Takes ownership of a GEOS geometry.
    init(owning handle: OpaquePointer, crs: CRSCode?) {
        self.handle = handle
        self.crs = crs
    }

    deinit { GEOSGeom_destroy_r(GEOSContext.handle, handle) }

    /// Wraps the result of a GEOS call that returns a new geometry, or throws its error.
    static func wrap(_ result: OpaquePointer?, crs: CRSCode?, operation: String) throws -> Geometry {
        guard let result else {
            throw GeometryError.geos(operation: operation, message: GEOSContext.current.takeError())
        }
        return Geometry(owning: result, crs: crs)
    }

    /// The same geometry labelled with another CRS (coordinates unchanged).
    public func labelled(_ crs: CRSCode?) -> Geometry {
        Geometry(owning: GEOSGeom_clone_r(GEOSContext.handle, handle)!, crs: crs)
    }

    public enum Kind: Int32, Sendable {
        case point = 0
        case lineString = 1
        case linearRing = 2
        case polygon = 3
        case multiPoint = 4
        case multiLineString = 5
        case multiPolygon = 6
        case collection = 7
    }

    public var kind: Kind { Kind(rawValue: GEOSGeomTypeId_r(GEOSContext.handle, handle)) ?? .collection }
    public var isEmpty: Bool { GEOSisEmpty_r(GEOSContext.handle, handle) == 1 }
    public var isPolygonal: Bool { kind == .polygon || kind == .multiPolygon }
    /// Number of parts: 1 for a single geometry, the member count for a multi or collection.
    public var partCount: Int { Int(GEOSGetNumGeometries_r(GEOSContext.handle, handle)) }

    public var description: String { (try? wkt(precision: 6)) ?? "<\(kind)>" }

    // MARK: Building from Swift values

    /// Builds a GEOS geometry from a plain shape, checking what GEOS would otherwise reject
    /// with a less helpful message: non-finite coordinates, short or unclosed rings.
    public convenience init(_ shape: Shape, crs: CRSCode? = nil) throws {
        let handle = try Geometry.build(shape, context: GEOSContext.handle)
        self.init(owning: handle, crs: crs)
    }

    public static func point(_ x: Double, _ y: Double, crs: CRSCode? = nil) throws -> Geometry {
        try Geometry(.point(Coordinate(x, y)), crs: crs)
    }

    private static func sequence(_ coordinates: [Coordinate], context: GEOSContextHandle_t) throws -> OpaquePointer {
        for c in coordinates where !c.isFinite {
            throw GeometryError.nonFiniteCoordinate(x: c.x, y: c.y)
        }
        let sequence = coordinates.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyFromBuffer_r(context, doubles.baseAddress, UInt32(coordinates.count), 0, 0)
            }
        }
        guard let sequence else {
            throw GeometryError.geos(operation: "coordinate sequence", message: GEOSContext.current.takeError())
        }
        return sequence
    }

    private static func ring(_ coordinates: [Coordinate], index: Int, context: GEOSContextHandle_t) throws -> OpaquePointer {
        if coordinates.count < 4 {
            throw GeometryError.invalidInput(
                "ring \(index) has \(coordinates.count) positions; a ring needs at least 4 (the first repeated at the end)")
        }
        if coordinates.first != coordinates.last {
            throw GeometryError.invalidInput(
                "ring \(index) is not closed: it starts at \(coordinates.first!) and ends at \(coordinates.last!)")
        }
        let seq = try sequence(coordinates, context: context)
        guard let ring = GEOSGeom_createLinearRing_r(context, seq) else {
            throw GeometryError.geos(operation: "linear ring", message: GEOSContext.current.takeError())
        }
        return ring
    }

    private static func polygon(_ rings: [[Coordinate]], context: GEOSContextHandle_t) throws -> OpaquePointer {
        guard let first = rings.first else { return GEOSGeom_createEmptyPolygon_r(context)! }
        let shell = try ring(first, index: 0, context: context)
        var holes: [OpaquePointer?] = []
        do {
            for (i, hole) in rings.dropFirst().enumerated() { holes.append(try ring(hole, index: i + 1, context: context)) }
        } catch {
            GEOSGeom_destroy_r(context, shell)
            holes.forEach { GEOSGeom_destroy_r(context, $0) }
            throw error
        }
        let polygon = holes.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createPolygon_r(context, shell, buffer.baseAddress, UInt32(buffer.count))
        }
        guard let polygon else {
            throw GeometryError.geos(operation: "polygon", message: GEOSContext.current.takeError())
        }
        return polygon
    }

    private static func collection(_ type: Kind, _ members: [OpaquePointer?], context: GEOSContextHandle_t) throws -> OpaquePointer {
        var members = members
        let result = members.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createCollection_r(context, Int32(type.rawValue), buffer.baseAddress, UInt32(buffer.count))
        }
        guard let result else {
            throw GeometryError.geos(operation: "collection", message: GEOSContext.current.takeError())
        }
        return result
    }

    /// Builds each member, destroying those already built if a later one fails.
    private static func buildAll<T>(
        _ items: [T], context: GEOSContextHandle_t,
        _ build: (T, Int) throws -> OpaquePointer
    ) throws -> [OpaquePointer?] {
        var built: [OpaquePointer?] = []
        built.reserveCapacity(items.count)
        do {
            for (i, item) in items.enumerated() { built.append(try build(item, i)) }
        } catch {
            built.forEach { GEOSGeom_destroy_r(context, $0) }
            throw error
        }
        return built
    }

    static func build(_ shape: Shape, context: GEOSContextHandle_t) throws -> OpaquePointer {
        switch shape {
        case let .point(c):
            guard c.isFinite else { throw GeometryError.nonFiniteCoordinate(x: c.x, y: c.y) }
            return GEOSGeom_createPointFromXY_r(context, c.x, c.y)!
        case let .lineString(cs):
            if cs.count == 1 { throw GeometryError.invalidInput("a line string needs at least 2 positions, found 1") }
            guard let line = GEOSGeom_createLineString_r(context, try sequence(cs, context: context)) else {
                throw GeometryError.geos(operation: "line string", message: GEOSContext.current.takeError())
            }
            return line
        case let .polygon(rings):
            return try polygon(rings, context: context)
        case let .multiPoint(cs):
            let points = try buildAll(cs, context: context) { c, _ in try build(.point(c), context: context) }
            return try collection(.multiPoint, points, context: context)
        case let .multiLineString(lines):
            let built = try buildAll(lines, context: context) { l, _ in try build(.lineString(l), context: context) }
            return try collection(.multiLineString, built, context: context)
        case let .multiPolygon(parts):
            let built = try buildAll(parts, context: context) { rings, i in
                do { return try polygon(rings, context: context) } catch let error as GeometryError {
                    throw GeometryError.invalidInput("polygon \(i) of the multipolygon: \(error)")
                }
            }
            return try collection(.multiPolygon, built, context: context)
        case let .collection(members):
            let built = try buildAll(members, context: context) { m, _ in try build(m, context: context) }
            return try collection(.collection, built, context: context)
        }
    }

    // MARK: Reading back into Swift values

    /// The geometry as a plain Swift shape (for writers and cartography).
    public var shape: Shape { Geometry.shape(of: handle, context: GEOSContext.handle) }

    static func coordinates(of sequenceOwner: OpaquePointer, context: GEOSContextHandle_t) -> [Coordinate] {
        guard let seq = GEOSGeom_getCoordSeq_r(context, sequenceOwner) else { return [] }
        var size: UInt32 = 0
        GEOSCoordSeq_getSize_r(context, seq, &size)
        var result = [Coordinate](repeating: Coordinate(0, 0), count: Int(size))
        result.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                _ = GEOSCoordSeq_copyToBuffer_r(context, seq, doubles.baseAddress, 0, 0)
            }
        }
        return result
    }

    static func rings(of polygon: OpaquePointer, context: GEOSContextHandle_t) -> [[Coordinate]] {
        if GEOSisEmpty_r(context, polygon) == 1 { return [] }
        var rings = [coordinates(of: GEOSGetExteriorRing_r(context, polygon)!, context: context)]
        for i in 0..<GEOSGetNumInteriorRings_r(context, polygon) {
            rings.append(coordinates(of: GEOSGetInteriorRingN_r(context, polygon, i)!, context: context))
        }
        return rings
    }

    static func shape(of g: OpaquePointer, context: GEOSContextHandle_t) -> Shape {
        let members = { (0..<GEOSGetNumGeometries_r(context, g)).map { GEOSGetGeometryN_r(context, g, $0)! } }
        switch Kind(rawValue: GEOSGeomTypeId_r(context, g)) ?? .collection {
        case .point:
            if GEOSisEmpty_r(context, g) == 1 { return .multiPoint([]) }
            var x = 0.0, y = 0.0
            GEOSGeomGetX_r(context, g, &x)
            GEOSGeomGetY_r(context, g, &y)
            return .point(Coordinate(x, y))
        case .lineString, .linearRing: return .lineString(coordinates(of: g, context: context))
        case .polygon: return .polygon(rings(of: g, context: context))
        case .multiPoint:
            return .multiPoint(
                members().map { shape(of: $0, context: context) }.compactMap {
                    if case let .point(c) = $0 { return c } else { return nil }
                })
        case .multiLineString: return .multiLineString(members().map { coordinates(of: $0, context: context) })
        case .multiPolygon: return .multiPolygon(members().map { rings(of: $0, context: context) })
        case .collection: return .collection(members().map { shape(of: $0, context: context) })
        }
    }

    // MARK: Envelope

    /// The bounding box, or nil for an empty geometry.
    public var bounds: Envelope? {
        if isEmpty { return nil }
        var e = Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0)
        GEOSGeom_getExtent_r(GEOSContext.handle, handle, &e.minX, &e.minY, &e.maxX, &e.maxY)
        return e
    }
}
