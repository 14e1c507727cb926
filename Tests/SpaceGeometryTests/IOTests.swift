import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

@Suite("WKT, WKB and GeoJSON reading and writing")
struct IOTests {
    let polygonWithHole = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))"

    @Test("WKT and WKB round-trip a polygon with a hole")
    func wktWkb() throws {
        let g = try Geometry(wkt: polygonWithHole)
        #expect(g.planarArea == 96)
        #expect(try g.wkt() == "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))")
        let back = try Geometry(wkb: try g.wkb())
        #expect(try back.equalsTopologically(g))
        let hex = try g.wkbHex()
        #expect(hex.hasPrefix("0103000000"))
        #expect(try Geometry(wkbHex: hex).planarArea == 96)
    }

    @Test("GeoJSON: FeatureCollection, null geometry, foreign members, ids and the legacy crs member")
    func geoJSONCollection() throws {
        let text = """
        {"type":"FeatureCollection","name":"x","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},
         "bbox":[0,0,1,1],"features":[
          {"type":"Feature","id":"b1","properties":{"名称":"福田","floors":3},"geometry":{"type":"Point","coordinates":[114.05,22.54,12.5]},"extra":{"kept":"no"}},
          {"type":"Feature","properties":null,"geometry":null},
          {"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[0,0],[1,1]]}]}}
        ]}
        """
        let doc = try GeoJSON.read(Data(text.utf8))
        #expect(doc.declaredCRS == .wgs84)
        #expect(doc.features.count == 3)
        #expect(doc.features[0].id == .string("b1"))
        #expect(doc.features[0].properties["名称"] == .string("福田"))
        #expect(doc.features[0].shape == .point(Coordinate(114.05, 22.54)))
        #expect(doc.features[1].shape == nil)
        #expect(doc.features[2].shape == .collection([.lineString([Coordinate(0, 0), Coordinate(1, 1)])]))
        let written = GeoJSONWriter(decimals: 7).collection(doc.features)
        let again = try GeoJSON.read(Data(written.utf8))
        #expect(again.features.map(\.shape) == doc.features.map(\.shape))
        #expect(again.features[0].properties == doc.features[0].properties)
    }

    @Test("GeoJSON: a bare geometry and a single Feature are read as one feature")
    func bareGeometry() throws {
        let bare = try GeoJSON.read(Data(#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}"#.utf8))
        #expect(bare.features.count == 1)
        let g = try Geometry(bare.features[0].shape!)
        #expect(g.kind == .multiPolygon && g.planarArea == 0.5)
        let one = try GeoJSON.read(Data(#"{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[1,2]}}"#.utf8))
        #expect(one.features[0].properties["a"] == .number(1))
    }

    @Test("shapes survive GEOS and back unchanged")
    func shapeRoundTrip() throws {
        let shapes: [Shape] = [
            .point(Coordinate(1, 2)),
            .lineString([Coordinate(0, 0), Coordinate(3, 4)]),
            .polygon([[Coordinate(0, 0), Coordinate(4, 0), Coordinate(4, 4), Coordinate(0, 0)]]),
            .multiPoint([Coordinate(1, 1), Coordinate(2, 2)]),
            .multiLineString([[Coordinate(0, 0), Coordinate(1, 0)], [Coordinate(2, 2), Coordinate(3, 3)]]),
            .multiPolygon([[[Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 0)]],
                           [[Coordinate(5, 5), Coordinate(6, 5), Coordinate(6, 6), Coordinate(5, 5)]]]),
            .collection([.point(Coordinate(9, 9)), .lineString([Coordinate(0, 0), Coordinate(1, 1)])]),
        ]
        for s in shapes { #expect(try Geometry(s).shape == s) }
    }

    @Test("malformed WKT is an error with GEOS's reason", arguments: [
        "POLYGON((0 0, 1 0, 1 1",
        "POINT(1)",
        "LINESTRING(a b, c d)",
        "CIRCLE(0 0, 1)",
        "",
    ])
    func malformedWKT(text: String) {
        #expect(throws: GeometryError.self) { try Geometry(wkt: text) }
    }

    @Test("NaN and infinite coordinates are refused in every reader")
    func nonFinite() throws {
        #expect(throws: GeometryError.self) { try Geometry(wkt: "POINT (NaN 1)") }
        #expect(throws: GeometryError.self) { try Geometry(.point(Coordinate(.infinity, 1))) }
        #expect(throws: GeometryError.self) {
            try Geometry(.polygon([[Coordinate(0, 0), Coordinate(1, .nan), Coordinate(1, 1), Coordinate(0, 0)]]))
        }
        let nanWKB = try Geometry.point(1, 2).wkb()
        var bad = nanWKB
        withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { bytes in
            for i in 0..<8 { bad[5 + i] = bytes[i] }
        }
        #expect(throws: GeometryError.self) { try Geometry(wkb: bad) }
        let json = #"{"type":"Point","coordinates":[NaN, 22.5]}"#
        let error = #expect(throws: GeoJSONError.self) { try GeoJSON.read(Data(json.utf8)) }
        #expect(error?.description.contains("non-finite") == true)
    }

    @Test("unclosed and short rings are errors naming the ring")
    func rings() {
        let unclosed = #expect(throws: GeometryError.self) {
            try Geometry(.polygon([[Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 1)]]))
        }
        #expect(unclosed?.description.contains("ring 0 is not closed") == true)
        let short = #expect(throws: GeometryError.self) {
            try Geometry(.polygon([[Coordinate(0, 0), Coordinate(1, 0), Coordinate(0, 0)]]))
        }
        #expect(short?.description.contains("at least 4") == true)
        #expect(throws: GeometryError.self) { try Geometry(wkt: "POLYGON((0 0, 1 0, 1 1, 0 1))") }
    }

    @Test("malformed GeoJSON names where the problem is", arguments: [
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,"x"]]]}}]}"#, "feature 0: coordinates[0][1] is not a position"),
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{}}]}"#, "feature 0: has no \"geometry\""),
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[0,0]}}]}"#, "unknown geometry type"),
        (#"{"type":"FeatureCollection"}"#, "needs a \"features\" array"),
        (#"[1,2]"#, "not a JSON object"),
    ])
    func malformedGeoJSON(text: String, expected: String) {
        do {
            _ = try GeoJSON.read(Data(text.utf8))
            Issue.record("no error for \(text)")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test("broken JSON is reported with line and column", arguments: [
        ("{\"type\": \"Feature\",\n  \"properties\": {,}}", 2, 18),
        ("", 1, 1),
        ("{\"a\": tru}", 1, 7),
        ("{\"a\": \"unterminated}", 1, 21),
    ])
    func brokenJSON(text: String, line: Int, column: Int) {
        let error = #expect(throws: JSONParseError.self) { try parseJSON(text) }
        #expect(error?.line == line)
        #expect(error?.column == column)
    }

    @Test("JSON strings with escapes and non-ASCII text")
    func jsonStrings() throws {
        let v = try parseJSON(#"{"s":"a\"b\\c\u00e9\ud83d\ude00\n福田","n":-1.5e3,"t":true,"z":null}"#)
        #expect(v["s"] == .string("a\"b\\cé😀\n福田"))
        #expect(v["n"] == .number(-1500))
        #expect(try parseJSON(serializedJSON(v)) == v)
    }
}

@Suite("Number formatting")
struct FormattingTests {
    @Test("fixed-point text rounds half away from zero and trims trailing zeros", arguments: [
        (114.0186323, 7, "114.0186323"), (2490000.0, 2, "2490000"), (-0.5, 3, "-0.5"), (0.000_000_04, 7, "0"),
        (-0.000_000_06, 7, "-0.0000001"), (1.005, 1, "1"), (22.5, 0, "23"), (3.14159, 2, "3.14"), (1e20, 2, "100000000000000000000.00"),
    ])
    func fixed(value: Double, decimals: Int, expected: String) {
        #expect(formatFixed(value, decimals) == expected)
        var buffer = TextBuffer()
        buffer.appendFixed(value, decimals)
        #expect(buffer.text == expected)
    }

    @Test("the byte writer's numbers, strings and CSV fields are the String writers' text")
    func textBuffer() {
        var state: UInt64 = 7
        for k in 0..<50_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = (Double(state >> 11) / Double(1 << 53) - 0.5) * pow(10, Double(k % 12))
            var buffer = TextBuffer()
            buffer.appendFixed(value, k % 9)
            #expect(buffer.text == formatFixed(value, k % 9))
        }
        var buffer = TextBuffer()
        buffer.appendInteger(-120); buffer.append(" "); buffer.appendInteger(0)
        buffer.append(" "); buffer.appendJSONString("福田 \"x\"\n"); buffer.append(" "); buffer.appendCSVField("a,\"b\"")
        var json = ""
        appendJSONString("福田 \"x\"\n", to: &json)
        #expect(buffer.text == "-120 0 \(json) \"a,\"\"b\"\"\"")
    }
}

@Suite("The parallel GeoJSON reader agrees with the generic one")
struct ParallelGeoJSONTests {
    static let collection = """
    {"name":"x","crs":{"type":"name","properties":{"name":"EPSG:4547"}},"features":[
     {"type":"Feature","id":7,"properties":{"a":"b,]}","n":1.5},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0,5],[1,1],[0,0]]]},"x":[1,{"y":"]"}]},
     {"type":"Feature","properties":null,"geometry":null},
     {"geometry":{"coordinates":[[[[0,0],[2,0],[2,2],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]],"type":"MultiPolygon"},"type":"Feature","properties":{}},
     {"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[0,0],[1,1]]}]}},
     {"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[]}}
    ],"type":"FeatureCollection"}
    """

    @Test("same features, ids, properties and CRS, member order regardless")
    func sameFeatures() throws {
        let data = Data(Self.collection.utf8)
        let generic = try GeoJSON.read(data), parallel = try GeoJSON.readFeatures(data)
        #expect(parallel.declaredCRS == .epsg(4547) && generic.declaredCRS == .epsg(4547))
        #expect(parallel.features.count == 5)
        #expect(parallel.features.map(\.shape) == generic.features.map(\.shape))
        #expect(parallel.features.map(\.properties) == generic.features.map(\.properties))
        #expect(parallel.features.map(\.id) == generic.features.map(\.id))
        #expect(parallel.features[2].shape?.polygons.count == 2)
    }

    @Test("errors still name the feature and the place", arguments: [
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,"x"]}}]}"#, "feature 1: coordinates is not a position"),
        ("{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{,},\"geometry\":null}]}", "line 2"),
        (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,1]}}]}"#, "non-finite"),
    ])
    func errors(text: String, expected: String) {
        do {
            _ = try GeoJSON.readFeatures(Data(text.utf8))
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
        }
    }
}

@Suite("Plain decimals parsed without strtod")
struct PlainDecimalTests {
    /// strtod's answer for the same text: the reference.
    static func strtodValue(_ text: String) -> Double { strtod(text, nil) }

    static func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { parsePlainDecimal($0) }
    }

    @Test("every plain decimal of up to 15 significant digits gives strtod's exact bits")
    func agreesWithStrtod() {
        var state: UInt64 = 2021
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var checked = 0
        for _ in 0..<200_000 {
            let integerDigits = Int(next() % 8), fractionDigits = Int(next() % 16)
            var text = next() % 2 == 0 ? "-" : ""
            text += integerDigits == 0 ? "0" : String((0..<integerDigits).map { _ in Character(String(next() % 10)) })
            if fractionDigits > 0 { text += "." + String((0..<fractionDigits).map { _ in Character(String(next() % 10)) }) }
            guard let fast = Self.parse(text) else { continue }
            #expect(fast.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
            checked += 1
        }
        #expect(checked > 150_000)
        // Coordinates as the layers write them, and signed zero.
        for text in ["114.0579123", "22.5431", "-0", "-0.0", "0", "2490000", "0.0000001", "9007199254740.99"] {
            #expect(Self.parse(text)?.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
        }
    }

    @Test("exponents, long mantissas and malformed text are left to strtod")
    func declines() {
        for text in ["1e5", "1.5E-3", "1234567890123456", "0.1234567890123456", "", "-", ".5", "5.", "1.2.3", "+1", "1-", "Infinity", "0x10"] {
            #expect(Self.parse(text) == nil, "\(text)")
        }
    }
}
