/// Well-known binary (OGC 06-103 / ISO 13249), the geometry encoding GDAL and PostGIS hand over.
/// Read straight into `Shape` (no GEOS on the way in: the loaders check and repair afterwards);
/// Z and M values are dropped, as the planner's layers are flat.
public struct WKBError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { "WKB: \(message)" }
    public init(message: String) { self.message = message }
}

extension Shape {
    /// Parses one WKB geometry (either byte order; ISO or extended Z/M flags).
    public init(wkb bytes: UnsafeRawBufferPointer) throws {
        var reader = WKBReader(bytes: bytes)
        self = try reader.shape(depth: 0)
        if reader.offset != bytes.count { throw WKBError(message: "\(bytes.count - reader.offset) byte(s) after the geometry") }
    }

    public init(wkb bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try Shape(wkb: $0) }
    }

    /// The shape as little-endian ISO WKB (2D).
    public var wkb: [UInt8] {
        var out: [UInt8] = []
        WKBWriter.append(self, to: &out)
        return out
    }
}

private struct WKBReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    var littleEndian = true

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw WKBError(message: "ends early at byte \(offset)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() throws -> UInt32 {
        guard offset + 4 <= bytes.count else { throw WKBError(message: "ends early at byte \(offset)") }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return littleEndian ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
    }

    mutating func double() throws -> Double {
        guard offset + 8 <= bytes.count else { throw WKBError(message: "ends early at byte \(offset)") }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return Double(bitPattern: littleEndian ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
    }

    /// A count of parts or points, refused when the bytes left cannot hold that many.
    mutating func count(each minimumBytes: Int) throws -> Int {
        let n = Int(try uint32())
        guard n <= (bytes.count - offset) / max(minimumBytes, 1) else {
            throw WKBError(message: "claims \(n) parts or points, more than its \(bytes.count) bytes can hold")
        }
        return n
    }

    mutating func points(dimensions: Int) throws -> [Coordinate] {
        let n = try count(each: 8 * dimensions)
        var points: [Coordinate] = []
        points.reserveCapacity(n)
        for _ in 0..<n {
            let x = try double(), y = try double()
            for _ in 2..<dimensions { _ = try double() }
            points.append(Coordinate(x, y))
        }
        return points
    }

    mutating func rings(dimensions: Int) throws -> [[Coordinate]] {
        let n = try count(each: 4)
        return try (0..<n).map { _ in try points(dimensions: dimensions) }
    }

    mutating func shape(depth: Int) throws -> Shape {
        guard depth < 32 else { throw WKBError(message: "collections nested more than 32 deep") }
        switch try byte() {
        case 0: littleEndian = false
        case 1: littleEndian = true
        case let other: throw WKBError(message: "byte-order mark \(other) at byte \(offset - 1) is neither 0 nor 1")
        }
        let code = try uint32()
        // Extended WKB (PostGIS) flags Z, M and an SRID in the high bits; ISO adds 1000s.
        var dimensions = 2
        if code & 0x8000_0000 != 0 { dimensions += 1 }
        if code & 0x4000_0000 != 0 { dimensions += 1 }
        if code & 0x2000_0000 != 0 { _ = try uint32() }
        var type = Int(code & 0x0FFF_FFFF)
        switch type / 1000 {
        case 1, 2: dimensions = 3
        case 3: dimensions = 4
        default: break
        }
        type %= 1000
        switch type {
        case 1:
            let point = try point(dimensions: dimensions)
            return .point(point)
        case 2: return .lineString(try points(dimensions: dimensions))
        case 3: return .polygon(try rings(dimensions: dimensions))
        case 4, 5, 6, 7:
            let n = try count(each: 5)
            let members = try (0..<n).map { _ in try shape(depth: depth + 1) }
            switch type {
            case 4:
                return .multiPoint(
                    try members.map { member in
                        guard case let .point(c) = member else { throw WKBError(message: "a MultiPoint holds a \(member.typeName)") }
                        return c
                    })
            case 5:
                return .multiLineString(
                    try members.map { member in
                        guard case let .lineString(cs) = member else { throw WKBError(message: "a MultiLineString holds a \(member.typeName)") }
                        return cs
                    })
            case 6:
                return .multiPolygon(
                    try members.map { member in
                        guard case let .polygon(rings) = member else { throw WKBError(message: "a MultiPolygon holds a \(member.typeName)") }
                        return rings
                    })
            default: return .collection(members)
            }
        default:
            throw WKBError(
                message:
                    "geometry type \(code) is not one the layers hold (curves and surfaces are not read: convert them with ogr2ogr -nlt CONVERT_TO_LINEAR)"
            )
        }
    }

    mutating func point(dimensions: Int) throws -> Coordinate {
        let x = try double(), y = try double()
        for _ in 2..<dimensions { _ = try double() }
        return Coordinate(x, y)
    }
}

private enum WKBWriter {
    static func header(_ type: UInt32, _ out: inout [UInt8]) {
        out.append(1)
        uint32(type, &out)
    }

    static func uint32(_ v: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    static func points(_ cs: [Coordinate], _ out: inout [UInt8]) {
        uint32(UInt32(cs.count), &out)
        for c in cs {
            withUnsafeBytes(of: c.x.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: c.y.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
    }

    static func rings(_ rings: [[Coordinate]], _ out: inout [UInt8]) {
        uint32(UInt32(rings.count), &out)
        for ring in rings { points(ring, &out) }
    }

    static func append(_ shape: Shape, to out: inout [UInt8]) {
        switch shape {
        case let .point(c):
            header(1, &out)
            withUnsafeBytes(of: c.x.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: c.y.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case let .lineString(cs): header(2, &out); points(cs, &out)
        case let .polygon(rs): header(3, &out); rings(rs, &out)
        case let .multiPoint(cs):
            header(4, &out); uint32(UInt32(cs.count), &out)
            for c in cs { append(.point(c), to: &out) }
        case let .multiLineString(lines):
            header(5, &out); uint32(UInt32(lines.count), &out)
            for line in lines { append(.lineString(line), to: &out) }
        case let .multiPolygon(parts):
            header(6, &out); uint32(UInt32(parts.count), &out)
            for part in parts { append(.polygon(part), to: &out) }
        case let .collection(members):
            header(7, &out); uint32(UInt32(members.count), &out)
            for member in members { append(member, to: &out) }
        }
    }
}
