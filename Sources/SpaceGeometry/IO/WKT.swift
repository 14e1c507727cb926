import CGEOS
import Foundation
import SpaceCore

/// WKT and WKB, through GEOS's own readers and writers.
extension Geometry {
    /// Parses WKT; malformed text throws with GEOS's reason (e.g. "ParseException: Expected number but encountered ')'").
    public convenience init(wkt: String, crs: CRSCode? = nil) throws {
        let context = GEOSContext.handle
        guard let reader = GEOSWKTReader_create_r(context) else {
            throw GeometryError.geos(operation: "WKT reader", message: GEOSContext.current.takeError())
        }
        defer { GEOSWKTReader_destroy_r(context, reader) }
        guard let handle = GEOSWKTReader_read_r(context, reader, wkt) else {
            throw GeometryError.geos(operation: "reading WKT", message: GEOSContext.current.takeError())
        }
        try Geometry.requireFiniteCoordinates(handle, context: context)
        self.init(owning: handle, crs: crs)
    }

    /// WKT text; `precision` rounds to that many decimals, nil keeps full precision.
    public func wkt(precision: Int? = nil) throws -> String {
        let context = GEOSContext.handle
        guard let writer = GEOSWKTWriter_create_r(context) else {
            throw GeometryError.geos(operation: "WKT writer", message: GEOSContext.current.takeError())
        }
        defer { GEOSWKTWriter_destroy_r(context, writer) }
        GEOSWKTWriter_setTrim_r(context, writer, 1)
        if let precision { GEOSWKTWriter_setRoundingPrecision_r(context, writer, Int32(precision)) }
        guard let text = GEOSWKTWriter_write_r(context, writer, handle) else {
            throw GeometryError.geos(operation: "writing WKT", message: GEOSContext.current.takeError())
        }
        defer { GEOSFree_r(context, text) }
        return String(cString: text)
    }

    /// Parses WKB (ISO or extended, either byte order).
    public convenience init(wkb: [UInt8], crs: CRSCode? = nil) throws {
        let context = GEOSContext.handle
        guard let reader = GEOSWKBReader_create_r(context) else {
            throw GeometryError.geos(operation: "WKB reader", message: GEOSContext.current.takeError())
        }
        defer { GEOSWKBReader_destroy_r(context, reader) }
        let handle = wkb.withUnsafeBufferPointer { GEOSWKBReader_read_r(context, reader, $0.baseAddress, $0.count) }
        guard let handle else {
            throw GeometryError.geos(operation: "reading WKB", message: GEOSContext.current.takeError())
        }
        try Geometry.requireFiniteCoordinates(handle, context: context)
        self.init(owning: handle, crs: crs)
    }

    /// Parses hex-encoded WKB, as PostGIS prints it.
    public convenience init(wkbHex: String, crs: CRSCode? = nil) throws {
        var bytes: [UInt8] = []
        var high: UInt8?
        for c in wkbHex.utf8 {
            guard let nibble = hexValue(c) else { throw GeometryError.invalidInput("WKB hex contains a non-hex character") }
            if let h = high { bytes.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        if high != nil { throw GeometryError.invalidInput("WKB hex has an odd number of digits") }
        try self.init(wkb: bytes, crs: crs)
    }

    /// Little-endian ISO WKB.
    public func wkb() throws -> [UInt8] {
        let context = GEOSContext.handle
        guard let writer = GEOSWKBWriter_create_r(context) else {
            throw GeometryError.geos(operation: "WKB writer", message: GEOSContext.current.takeError())
        }
        defer { GEOSWKBWriter_destroy_r(context, writer) }
        GEOSWKBWriter_setByteOrder_r(context, writer, Int32(GEOS_WKB_NDR.rawValue))
        var size = 0
        guard let buffer = GEOSWKBWriter_write_r(context, writer, handle, &size) else {
            throw GeometryError.geos(operation: "writing WKB", message: GEOSContext.current.takeError())
        }
        defer { GEOSFree_r(context, buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: size))
    }

    public func wkbHex() throws -> String {
        try wkb().map { String(format: "%02X", $0) }.joined()
    }

    /// GEOS reads "NaN" in WKT and NaN doubles in WKB without complaint; a planner's data never
    /// means that, so it is refused here (and the GEOS object freed).
    static func requireFiniteCoordinates(_ handle: OpaquePointer, context: GEOSContextHandle_t) throws {
        do {
            try shape(of: handle, context: context).forEachCoordinate { c in
                guard c.isFinite else { throw GeometryError.nonFiniteCoordinate(x: c.x, y: c.y) }
            }
        } catch {
            GEOSGeom_destroy_r(context, handle)
            throw error
        }
    }
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}
