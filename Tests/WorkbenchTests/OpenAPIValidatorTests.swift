import SpaceCore
import Foundation
import SpacePlanKit
import Testing

@Suite("The OpenAPI validator the router tests check every response with")
struct OpenAPIValidatorTests {
    let validator = OpenAPIValidator.shipped

    @Test("a body that breaks its schema is reported with the path, status and JSON pointer")
    func brokenBody() throws {
        let body =
            #"{"type":"FeatureCollection","numberMatched":"3","numberReturned":1,"links":[],"features":[{"type":"Feature","properties":{},"geometry":{"type":"Blob"}}]}"#
        let problems = validator.problems(
            method: "GET", uri: "/collections/zones/items?limit=1", status: 200, contentType: "application/geo+json", body: body)
        #expect(problems.contains { $0.hasPrefix("GET /collections/zones/items → 200: /numberMatched: expected integer") }, "\(problems)")
        #expect(problems.contains { $0.contains("/features/0/geometry/type: \"Blob\" is not one of") }, "\(problems)")
        #expect(problems.count == 2, "\(problems)")
        let missing = validator.problems(
            method: "GET", uri: "/api/runs", status: 200, contentType: "application/json", body: #"{"running":[],"queued":[],"runs":[{"id":"r1"}]}"#)
        #expect(missing.contains("GET /api/runs → 200: /: the required member \"max_running\" is missing"), "\(missing)")
        #expect(missing.contains("GET /api/runs → 200: /runs/0: the required member \"kind\" is missing"), "\(missing)")
    }

    @Test("an undocumented status, content type, path or method is reported; a documented answer is not")
    func statusAndType() {
        #expect(
            validator.problems(method: "GET", uri: "/conformance", status: 201, contentType: "application/json", body: "{}").first?.contains(
                "status 201 is not documented") == true)
        #expect(
            validator.problems(method: "GET", uri: "/api/files/summary.csv", status: 200, contentType: "text/csv; charset=utf-8", body: "a,b\n")
                .isEmpty)
        #expect(
            validator.problems(method: "GET", uri: "/api/maps/space.svg", status: 200, contentType: "text/plain", body: "x").first?.contains(
                "Content-Type text/plain is not one the document lists") == true)
        #expect(
            validator.problems(method: "GET", uri: "/conformance", status: 200, contentType: "application/json", body: #"{"conformsTo":["a"]}"#)
                .isEmpty)
        #expect(
            validator.problems(method: "PUT", uri: "/conformance", status: 200, contentType: "application/json", body: "{}").first?.contains(
                "PUT is not documented") == true)
        #expect(
            validator.problems(method: "PUT", uri: "/conformance", status: 405, contentType: "application/json", body: #"{"error":"no"}"#).isEmpty)
        #expect(validator.problems(method: "GET", uri: "/nowhere", status: 404, contentType: "application/json", body: #"{"error":"no"}"#).isEmpty)
        #expect(
            validator.problems(method: "GET", uri: "/nowhere", status: 200, contentType: "application/json", body: "{}").first?.contains(
                "not in the document") == true)
    }

    @Test("$ref, nullable, oneOf, anyOf, allOf, enum and additionalProperties")
    func keywords() throws {
        let v = OpenAPIValidator(
            document: try parseJSON(
                #"""
                {"paths": {}, "components": {"schemas": {
                  "N": {"type": "integer", "nullable": true},
                  "T": {"type": "object", "additionalProperties": false, "required": ["a"],
                        "properties": {"a": {"$ref": "#/components/schemas/N"}, "b": {"oneOf": [{"type": "string"}, {"type": "number"}]},
                                       "c": {"anyOf": [{"enum": ["x"]}, {"type": "boolean"}]}, "d": {"allOf": [{"type": "number"}, {"minimum": 1}]}}}}}}
                """#))
        let t: JSONValue = .object(JSONObject([("$ref", .string("#/components/schemas/T"))]))
        #expect(v.validate(try parseJSON(#"{"a":null,"b":"s","c":true,"d":2}"#), against: t, at: "").isEmpty)
        #expect(v.validate(try parseJSON(#"{"a":1.5}"#), against: t, at: "") == ["/a: expected integer or null, found 1.5"])
        #expect(v.validate(try parseJSON(#"{"a":1,"b":[]}"#), against: t, at: "") == ["/b: matches 0 of oneOf's 2 schemas, not one"])
        #expect(v.validate(try parseJSON(#"{"a":1,"c":"y"}"#), against: t, at: "") == ["/c: matches none of anyOf's 2 schemas"])
        #expect(v.validate(try parseJSON(#"{"a":1,"d":0}"#), against: t, at: "") == ["/d: 0 is below the minimum 1.0"])
        #expect(v.validate(try parseJSON(#"{"a":1,"e/f":0}"#), against: t, at: "") == ["/e~1f: the member \"e/f\" is not allowed"])
        #expect(v.validate(try parseJSON(#"{}"#), against: t, at: "") == ["/: the required member \"a\" is missing"])
    }
}
