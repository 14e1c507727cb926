/// A position in a layer's own coordinate system: `x` is longitude or easting, `y` is
/// latitude or northing. The order is always (x, y), whatever a CRS's official axis order.
public struct Coordinate: Hashable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    public init(x: Double, y: Double) { self.x = x; self.y = y }
    public var isFinite: Bool { x.isFinite && y.isFinite }
    public var description: String { "(\(x), \(y))" }
}

/// A plain Swift description of a geometry, free of GEOS: what readers produce before
/// validation and what cartography draws. Rings are lists of coordinates, first == last.
public enum Shape: Equatable, Sendable {
    case point(Coordinate)
    case lineString([Coordinate])
    case polygon([[Coordinate]])
    case multiPoint([Coordinate])
    case multiLineString([[Coordinate]])
    case multiPolygon([[[Coordinate]]])
    case collection([Shape])

    /// The GeoJSON / OGC type name.
    public var typeName: String {
        switch self {
        case .point: return "Point"
        case .lineString: return "LineString"
        case .polygon: return "Polygon"
        case .multiPoint: return "MultiPoint"
        case .multiLineString: return "MultiLineString"
        case .multiPolygon: return "MultiPolygon"
        case .collection: return "GeometryCollection"
        }
    }

    /// Polygons of a polygonal shape (a polygon is one, a collection contributes its polygons).
    public var polygons: [[[Coordinate]]] {
        switch self {
        case let .polygon(rings): return [rings]
        case let .multiPolygon(parts): return parts
        case let .collection(members): return members.flatMap(\.polygons)
        default: return []
        }
    }

    /// Applies `transform` to every coordinate.
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows -> Shape {
        switch self {
        case let .point(c): return .point(try transform(c))
        case let .lineString(cs): return .lineString(try cs.map(transform))
        case let .polygon(rings): return .polygon(try rings.map { try $0.map(transform) })
        case let .multiPoint(cs): return .multiPoint(try cs.map(transform))
        case let .multiLineString(lines): return .multiLineString(try lines.map { try $0.map(transform) })
        case let .multiPolygon(parts): return .multiPolygon(try parts.map { try $0.map { try $0.map(transform) } })
        case let .collection(members): return .collection(try members.map { try $0.mapCoordinates(transform) })
        }
    }

    /// Calls `body` with every coordinate, in order.
    public func forEachCoordinate(_ body: (Coordinate) throws -> Void) rethrows {
        switch self {
        case let .point(c): try body(c)
        case let .lineString(cs), let .multiPoint(cs): try cs.forEach(body)
        case let .polygon(rings), let .multiLineString(rings): try rings.forEach { try $0.forEach(body) }
        case let .multiPolygon(parts): try parts.forEach { try $0.forEach { try $0.forEach(body) } }
        case let .collection(members): try members.forEach { try $0.forEachCoordinate(body) }
        }
    }
}
