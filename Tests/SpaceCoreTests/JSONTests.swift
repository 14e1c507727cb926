import Foundation
import SpaceCore
import Testing
import TestSupport

@Suite("JSON and GeoJSON reading and writing")
struct JSONTests {
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
        // The shape itself (half a unit square), where this test once asked GEOS for its kind and area.
        #expect(bare.features[0].shape == .multiPolygon([[[Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 0)]]]))
        let one = try GeoJSON.read(Data(#"{"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[1,2]}}"#.utf8))
        #expect(one.features[0].properties["a"] == .number(1))
    }

    @Test("NaN and infinite coordinates are refused by the GeoJSON reader")
    func nonFinite() {
        let json = #"{"type":"Point","coordinates":[NaN, 22.5]}"#
        let error = #expect(throws: GeoJSONError.self) { try GeoJSON.read(Data(json.utf8)) }
        #expect(error?.description.contains("non-finite") == true)
    }

    @Test(
        "malformed GeoJSON names where the problem is",
        arguments: [
            (
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,"x"]]]}}]}"#,
                "feature 0: coordinates[0][1] is not a position"
            ),
            (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{}}]}"#, "feature 0: has no \"geometry\""),
            (
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[0,0]}}]}"#,
                "unknown geometry type"
            ),
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

    @Test(
        "broken JSON is reported with line and column",
        arguments: [
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

    @Test(
        "errors still name the feature and the place",
        arguments: [
            (
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,"x"]}}]}"#,
                "feature 1: coordinates is not a position"
            ),
            ("{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{,},\"geometry\":null}]}", "line 2"),
            (
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,1]}}]}"#,
                "non-finite"
            ),
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
