import Foundation

extension GeoJSON {
    /// Reads a GeoJSON document like `read(_:)`, but a FeatureCollection's features are parsed
    /// on all cores (see `GeoJSONLayerReader`).
    public static func readFeatures(_ data: Data) throws -> GeoJSONDocument {
        let reader = try GeoJSONLayerReader(data)
        return GeoJSONDocument(features: try reader.mapFeatures(setup: {}) { _, feature in feature }, declaredCRS: reader.declaredCRS)
    }
}

/// Reads a large layer without ever holding it as one JSON tree or one list of features: a
/// quick pass finds where each feature starts and ends, then `mapFeatures` parses and converts
/// them on all cores, chunk by chunk, keeping only what the caller makes of each.
public struct GeoJSONLayerReader: Sendable {
    public let data: Data
    /// The CRS named by the legacy "crs" member, if any.
    public let declaredCRS: CRSCode?
    private let featureRanges: [Range<Int>]?
    /// A document that is not a FeatureCollection (a bare geometry or one Feature): read whole.
    private let smallDocument: GeoJSONDocument?

    public init(_ data: Data) throws {
        self.data = data
        let outline: CollectionOutline? = try data.withUnsafeBytes { raw in
            try checkJSONText(raw.bindMemory(to: UInt8.self))
            var scanner = OutlineScanner(bytes: raw.bindMemory(to: UInt8.self))
            return try scanner.outline()
        }
        guard let outline else {
            let document = try GeoJSON.read(data)
            smallDocument = document
            declaredCRS = document.declaredCRS
            featureRanges = nil
            return
        }
        smallDocument = nil
        featureRanges = outline.featureRanges
        if let crs = outline.crs {
            guard let name = crs["properties"]?["name"]?.stringValue else {
                throw GeoJSONError(featureIndex: nil, message: "the \"crs\" member has no properties.name")
            }
            do { declaredCRS = try CRSCode(parsing: name) } catch {
                throw GeoJSONError(featureIndex: nil, message: "the \"crs\" member names an unknown CRS '\(name)'")
            }
        } else {
            declaredCRS = nil
        }
    }

    public var featureCount: Int { featureRanges?.count ?? smallDocument!.features.count }

    /// Parses each feature and hands it to `body` (with a per-chunk context from `setup`),
    /// returning the results in file order.
    public func mapFeatures<T, Context>(
        setup: () throws -> Context,
        _ body: (inout Context, GeoJSONFeature) throws -> T
    ) throws -> [T] {
        guard let featureRanges else {
            var context = try setup()
            return try smallDocument!.features.map { try body(&context, $0) }
        }
        return try data.withUnsafeBytes { raw -> [T] in
            let bytes = raw.bindMemory(to: UInt8.self)
            return try ParallelMap.mapPartitioned(featureRanges.indices, setup: setup) { context, i in
                try body(&context, try Self.feature(i, in: featureRanges[i], of: bytes))
            }
        }
    }

    private static func feature(_ i: Int, in range: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>) throws -> GeoJSONFeature {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        var fast = JSONParser(bytes: slice)
        if let feature = fast.parseFeatureFast(index: i) { return feature }
        var parser = JSONParser(bytes: slice)
        let json: JSONValue
        do { json = try parser.parseDocument() } catch let error as JSONParseError {
            // Report the position in the whole file, not in the feature's slice.
            var whole = JSONParser(bytes: bytes)
            whole.position = range.lowerBound + parser.position
            throw whole.error("in feature \(i): \(error.message)")
        }
        return try GeoJSON.feature(json, index: i)
    }
}

/// Where a FeatureCollection's parts are, found without building a JSON tree.
struct CollectionOutline {
    var featureRanges: [Range<Int>] = []
    var crs: JSONValue?
}

struct OutlineScanner {
    var parser: JSONParser

    init(bytes: UnsafeBufferPointer<UInt8>) { parser = JSONParser(bytes: bytes) }

    var bytes: UnsafeBufferPointer<UInt8> { parser.bytes }

    /// The outline of a FeatureCollection, or nil if the document is something else.
    mutating func outline() throws -> CollectionOutline? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.position = 3 }
        parser.skipWhitespace()
        guard parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "{") else { return nil }
        parser.position += 1
        var outline = CollectionOutline()
        var type: String?
        var sawFeatures = false
        while true {
            parser.skipWhitespace()
            guard parser.position < bytes.count else { throw parser.error("unexpected end of the document") }
            if bytes[parser.position] == UInt8(ascii: "}") { parser.position += 1; break }
            guard bytes[parser.position] == UInt8(ascii: "\"") else { throw parser.error("expected a member name in quotes") }
            let key = try parser.parseString()
            parser.skipWhitespace()
            guard parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: ":") else {
                throw parser.error("expected ':' after member name \"\(key)\"")
            }
            parser.position += 1
            parser.skipWhitespace()
            switch key {
            case "type": type = try parser.parseValue().stringValue
            case "crs": outline.crs = try parser.parseValue()
            case "features":
                guard parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "[") else { return nil }
                outline.featureRanges = try elementRanges()
                sawFeatures = true
            default: _ = try parser.parseValue()
            }
            parser.skipWhitespace()
            guard parser.position < bytes.count else { throw parser.error("unexpected end inside an object") }
            if bytes[parser.position] == UInt8(ascii: ",") { parser.position += 1; continue }
            if bytes[parser.position] == UInt8(ascii: "}") { parser.position += 1; break }
            throw parser.error("expected ',' or '}' in an object")
        }
        parser.skipWhitespace()
        if parser.position < bytes.count { throw parser.error("unexpected text after the end of the document") }
        return type == "FeatureCollection" && sawFeatures ? outline : nil
    }

    /// Byte ranges of the elements of the array starting at the current position.
    private mutating func elementRanges() throws -> [Range<Int>] {
        parser.position += 1
        var ranges: [Range<Int>] = []
        parser.skipWhitespace()
        if parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "]") { parser.position += 1; return ranges }
        while true {
            parser.skipWhitespace()
            let start = parser.position
            try skipValue()
            ranges.append(start..<parser.position)
            parser.skipWhitespace()
            guard parser.position < bytes.count else { throw parser.error("unexpected end inside the features array") }
            if bytes[parser.position] == UInt8(ascii: ",") { parser.position += 1; continue }
            if bytes[parser.position] == UInt8(ascii: "]") { parser.position += 1; return ranges }
            throw parser.error("expected ',' or ']' in the features array")
        }
    }

    /// Moves past one value, tracking only brackets and strings (the value is checked later,
    /// when it is parsed for real).
    private mutating func skipValue() throws {
        var depth = 0
        var p = parser.position
        let end = bytes.count
        repeat {
            guard p < end else { parser.position = p; throw parser.error("unexpected end of the document") }
            let b = bytes[p]
            switch b {
            case UInt8(ascii: "\""):
                p += 1
                while p < end, bytes[p] != UInt8(ascii: "\"") { p += bytes[p] == UInt8(ascii: "\\") ? 2 : 1 }
                guard p < end else { parser.position = p; throw parser.error("unterminated string") }
                p += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; p += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { parser.position = p; return }
                depth -= 1; p += 1
            case UInt8(ascii: ","):
                if depth == 0 { parser.position = p; return }
                p += 1
            default: p += 1
            }
        } while depth > 0 || (p < end && bytes[p] != UInt8(ascii: ",") && bytes[p] != UInt8(ascii: "]") && bytes[p] != UInt8(ascii: "}"))
        parser.position = p
    }
}
