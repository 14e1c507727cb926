import SpaceCore
import CPROJ
import CGEOS
#if canImport(Glibc)
    import Glibc
#endif

/// Transforms coordinates between any two CRSs the project knows: EPSG codes through PROJ,
/// GCJ-02 and BD-09 through WGS84. Input and output are always (x, y) = (lon, lat) or
/// (easting, northing), whatever a CRS's official axis order: PROJ's
/// `proj_normalize_for_visualization` takes care of EPSG:4326 being latitude-first.
///
/// A transformer holds PROJ objects bound to the thread that made it: make one per thread.
public final class CoordinateTransformer {
    public let source: CRSCode
    public let target: CRSCode
    private let projection: OpaquePointer?

    public init(from source: CRSCode, to target: CRSCode) throws {
        self.source = source
        self.target = target
        // Validate both codes (unknown EPSG codes throw here, with the code in the message).
        _ = try CRSInfo.lookup(source)
        _ = try CRSInfo.lookup(target)
        if source.projCode == target.projCode {
            projection = nil
            return
        }
        let context = PROJContext.current
        guard let raw = proj_create_crs_to_crs(context, "EPSG:\(source.projCode)", "EPSG:\(target.projCode)", nil) else {
            throw CRSError.proj("no transformation from \(source) to \(target): \(PROJContext.lastError())")
        }
        defer { proj_destroy(raw) }
        guard let normalized = proj_normalize_for_visualization(context, raw) else {
            throw CRSError.proj("cannot normalize axis order for \(source) → \(target): \(PROJContext.lastError())")
        }
        projection = normalized
    }

    deinit { if let projection { proj_destroy(projection) } }

    public var isIdentity: Bool { source == target }

    /// Transforms one coordinate; throws for non-finite input or a point PROJ cannot transform.
    public func transform(_ c: Coordinate) throws -> Coordinate {
        guard c.isFinite else { throw GeometryError.nonFiniteCoordinate(x: c.x, y: c.y) }
        if isIdentity { return c }
        var p = c
        switch source {
        case .gcj02: p = ChineseWebMapOffsets.wgs84(fromGCJ02: p)
        case .bd09: p = ChineseWebMapOffsets.wgs84(fromBD09: p)
        case .epsg: break
        }
        if let projection {
            let out = proj_trans(projection, PJ_FWD, proj_coord(p.x, p.y, 0, 0))
            let result = Coordinate(out.xy.x, out.xy.y)
            guard result.isFinite else {
                let reason = String(cString: proj_context_errno_string(PROJContext.current, proj_errno(projection)))
                proj_errno_reset(projection)
                throw CRSError.transformFailed(x: c.x, y: c.y, from: source, to: target, reason: reason)
            }
            p = result
        }
        switch target {
        case .gcj02: p = ChineseWebMapOffsets.gcj02(fromWGS84: p)
        case .bd09: p = ChineseWebMapOffsets.bd09(fromWGS84: p)
        case .epsg: break
        }
        return p
    }

    /// Transforms every coordinate of a geometry; the result is labelled with the target CRS.
    public func transform(_ geometry: Geometry) throws -> Geometry {
        if let crs = geometry.crs, crs != source {
            throw GeometryError.invalidInput("geometry is in \(crs), but the transformer expects \(source)")
        }
        if isIdentity { return geometry.labelled(target) }
        final class Box {
            let transformer: CoordinateTransformer; var error: Error?
            init(_ t: CoordinateTransformer) { transformer = t }
        }
        let box = Box(self)
        let context = GEOSContext.handle
        let result = withExtendedLifetime(box) {
            GEOSGeom_transformXY_r(
                context, geometry.handle,
                { x, y, userdata in
                    let box = Unmanaged<Box>.fromOpaque(userdata!).takeUnretainedValue()
                    do {
                        let out = try box.transformer.transform(Coordinate(x!.pointee, y!.pointee))
                        x!.pointee = out.x
                        y!.pointee = out.y
                        return 1
                    } catch {
                        box.error = error
                        return 0
                    }
                }, Unmanaged.passUnretained(box).toOpaque())
        }
        if let error = box.error {
            if let result { GEOSGeom_destroy_r(context, result) }
            throw error
        }
        return try Geometry.wrap(result, crs: target, operation: "transform")
    }

    /// Transforms a plain shape (no GEOS involved).
    public func transform(_ shape: Shape) throws -> Shape { try shape.mapCoordinates(transform) }
}

extension CoordinateTransformer {
    private struct Pair: Hashable { let source, target: CRSCode }
    private final class Cache { var transformers: [Pair: CoordinateTransformer] = [:] }

    private static let cacheKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { Unmanaged<AnyObject>.fromOpaque($0!).release() }
        return key
    }()

    /// The calling thread's transformer between two CRSs, made once per thread: creating one
    /// costs PROJ tens of milliseconds (it searches its database), using one costs microseconds.
    public static func forThisThread(from source: CRSCode, to target: CRSCode) throws -> CoordinateTransformer {
        let cache: Cache
        if let pointer = pthread_getspecific(cacheKey) {
            cache = Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as! Cache
        } else {
            cache = Cache()
            pthread_setspecific(cacheKey, Unmanaged.passRetained(cache as AnyObject).toOpaque())
        }
        let key = Pair(source: source, target: target)
        if let hit = cache.transformers[key] { return hit }
        let made = try CoordinateTransformer(from: source, to: target)
        cache.transformers[key] = made
        return made
    }
}
