/// A fast path for the features of a large layer: positions are read straight into
/// `[Coordinate]` rings instead of one JSON array per position. Anything unusual (a
/// malformed value, an odd structure) falls back to the generic parser, whose error messages
/// name the exact place.
enum CoordinateTree {
    case position(Coordinate)
    case positions([Coordinate])
    case lists([CoordinateTree])
}

extension JSONParser {
    /// Parses a GeoJSON Feature object quickly; nil means "use the generic path".
    mutating func parseFeatureFast(index: Int) -> GeoJSONFeature? {
        guard let (feature, isFeature) = try? parseFeatureMembers(index: index), isFeature else { return nil }
        skipWhitespace()
        return position == bytes.count ? feature : nil
    }

    private mutating func parseFeatureMembers(index: Int) throws -> (GeoJSONFeature, Bool)? {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
        position += 1
        var feature = GeoJSONFeature(index: index, shape: nil)
        var isFeature = false, sawGeometry = false
        try parseMembers { parser, key in
            switch key {
            case "type": isFeature = try parser.parseValue().stringValue == "Feature"
            case "id": feature.id = try parser.parseValue()
            case "properties":
                switch try parser.parseValue() {
                case .null: break
                case let .object(p): feature.properties = p
                default: throw parser.error("properties")
                }
            case "geometry":
                sawGeometry = true
                feature.shape = try parser.parseGeometryFast()
            default: _ = try parser.parseValue()
            }
        }
        return sawGeometry ? (feature, isFeature) : nil
    }

    /// A geometry object or null.
    private mutating func parseGeometryFast() throws -> Shape? {
        // Nested collections recurse: bounded as the generic parser is, whose error is then reported.
        depth += 1
        defer { depth -= 1 }
        if depth > JSONParser.maxDepth { throw error("nesting") }
        skipWhitespace()
        guard position < bytes.count else { throw error("end") }
        if bytes[position] == UInt8(ascii: "n") { try expectLiteral("null"); return nil }
        guard bytes[position] == UInt8(ascii: "{") else { throw error("geometry") }
        position += 1
        var type: String?
        var tree: CoordinateTree?
        var members: [Shape]?
        try parseMembers { parser, key in
            switch key {
            case "type": type = try parser.parseValue().stringValue
            case "coordinates": tree = try parser.parseCoordinateTree()
            case "geometries":
                skipWhitespaceAndExpect(&parser, "[")
                var list: [Shape] = []
                parser.skipWhitespace()
                if parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "]") {
                    parser.position += 1
                } else {
                    while true {
                        guard let shape = try parser.parseGeometryFast() else { throw parser.error("null member") }
                        list.append(shape)
                        parser.skipWhitespace()
                        guard parser.position < parser.bytes.count else { throw parser.error("end") }
                        if parser.bytes[parser.position] == UInt8(ascii: ",") { parser.position += 1; continue }
                        if parser.bytes[parser.position] == UInt8(ascii: "]") { parser.position += 1; break }
                        throw parser.error("',' or ']'")
                    }
                }
                members = list
            default: _ = try parser.parseValue()
            }
        }
        guard let type else { throw error("no type") }
        if type == "GeometryCollection" {
            guard let members else { throw error("no geometries") }
            return .collection(members)
        }
        guard let tree, let shape = Self.shape(type: type, tree) else { throw error("coordinates") }
        return shape
    }

    private static func shape(type: String, _ tree: CoordinateTree) -> Shape? {
        func positions(_ t: CoordinateTree) -> [Coordinate]? {
            switch t {
            case let .positions(p): return p
            case let .lists(l) where l.isEmpty: return []
            default: return nil
            }
        }
        func lists(_ t: CoordinateTree) -> [CoordinateTree]? {
            switch t {
            case let .lists(l): return l
            case let .positions(p) where p.isEmpty: return []
            default: return nil
            }
        }
        func rings(_ t: CoordinateTree) -> [[Coordinate]]? {
            guard let l = lists(t) else { return nil }
            var out: [[Coordinate]] = []
            out.reserveCapacity(l.count)
            for r in l { guard let p = positions(r) else { return nil }; out.append(p) }
            return out
        }
        switch type {
        case "Point": if case let .position(c) = tree { return .point(c) }; return nil
        case "MultiPoint": return positions(tree).map(Shape.multiPoint)
        case "LineString": return positions(tree).map(Shape.lineString)
        case "MultiLineString": return rings(tree).map(Shape.multiLineString)
        case "Polygon": return rings(tree).map(Shape.polygon)
        case "MultiPolygon":
            guard let parts = lists(tree) else { return nil }
            var out: [[[Coordinate]]] = []
            for part in parts { guard let r = rings(part) else { return nil }; out.append(r) }
            return .multiPolygon(out)
        default: return nil
        }
    }

    /// Nested arrays of numbers; the innermost arrays become `Coordinate`s.
    mutating func parseCoordinateTree() throws -> CoordinateTree {
        // Each level of brackets is a level of recursion: bounded, so no input overflows the stack.
        depth += 1
        defer { depth -= 1 }
        if depth > JSONParser.maxDepth { throw error("nesting") }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { throw error("array") }
        position += 1
        skipWhitespace()
        guard position < bytes.count else { throw error("end") }
        if bytes[position] == UInt8(ascii: "]") { position += 1; return .lists([]) }
        if bytes[position] != UInt8(ascii: "[") {
            return .position(try parsePositionBody())
        }
        let first = try parseCoordinateTree()
        if case let .position(c) = first {
            var ring = [c]
            while try nextElement() {
                guard case let .position(p) = try parseCoordinateTree() else { throw error("position") }
                ring.append(p)
            }
            return .positions(ring)
        }
        var children = [first]
        while try nextElement() { children.append(try parseCoordinateTree()) }
        return .lists(children)
    }

    /// After an element: true at ',' (another follows), false at ']' (the array ended).
    private mutating func nextElement() throws -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw error("end") }
        if bytes[position] == UInt8(ascii: ",") { position += 1; return true }
        if bytes[position] == UInt8(ascii: "]") { position += 1; return false }
        throw error("',' or ']'")
    }

    /// The numbers of a position after its '[': x, y, and any z/m (ignored); finite only.
    private mutating func parsePositionBody() throws -> Coordinate {
        var values: [Double] = []
        values.reserveCapacity(2)
        repeat {
            skipWhitespace()
            guard position < bytes.count,
                bytes[position] == UInt8(ascii: "-") || (bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9"))
            else {
                throw error("number")
            }
            let v = try parseNumber()
            guard v.isFinite else { throw error("finite") }
            values.append(v)
        } while try nextElement()
        guard values.count >= 2 else { throw error("position") }
        return Coordinate(values[0], values[1])
    }
}

private func skipWhitespaceAndExpect(_ parser: inout JSONParser, _ char: Unicode.Scalar) {
    parser.skipWhitespace()
    if parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(char.value) { parser.position += 1 }
}
