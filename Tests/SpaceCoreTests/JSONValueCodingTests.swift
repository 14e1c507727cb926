import Foundation
import Testing

@testable import SpaceCore

@Suite("Typed values as JSON documents")
struct JSONValueCodingTests {
    struct Unit: Codable, Equatable {
        var id: String
        var landAreaM2: Double
        var storeys: Int
        var carrier: String?
        var zones: [String]
        var floorArea: OrderedMembers<Double>
        var extra: JSONValue
        enum CodingKeys: String, CodingKey { case id, landAreaM2 = "land_area_m2", storeys, carrier, zones, floorArea = "floor_area", extra }
    }

    let unit = Unit(
        id: "U-1", landAreaM2: 1234.5, storeys: 12, carrier: nil, zones: ["Z2", "Z1"],
        floorArea: OrderedMembers(sorted: ["M1": 10.25, "C": 3, "M0": 0.5]), extra: .object(JSONObject([("b", .bool(true)), ("a", .null)])))

    @Test("members come in the order the type declares them, a nil optional as null, data-named members in their stated order")
    func order() throws {
        #expect(
            serializedJSON(unit.jsonDocument)
                == #"{"id":"U-1","land_area_m2":1234.5,"storeys":12,"carrier":null,"zones":["Z2","Z1"],"floor_area":{"C":3,"M0":0.5,"M1":10.25},"extra":{"b":true,"a":null}}"#
        )
    }

    @Test("what it writes, Foundation's decoder reads back to the same value")
    func roundTrip() throws {
        let text = serializedJSON(unit.jsonDocument)
        let back = try JSONDecoder().decode(Unit.self, from: Data(text.utf8))
        #expect(back == unit)
        var carried = unit
        carried.carrier = "C-7"
        #expect(try JSONDecoder().decode(Unit.self, from: Data(serializedJSON(carried.jsonDocument).utf8)).carrier == "C-7")
    }

    @Test("a JSONValue encoded by Foundation's encoder is the same document")
    func foundation() throws {
        let value: JSONValue = .array([.number(1.5), .string("a\"b"), .null, .object(JSONObject([("k", .array([]))]))])
        let data = try JSONEncoder().encode(value)
        #expect(try parseJSON(data) == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }

    @Test("rounding to decimals is the report files' rounding")
    func rounding() {
        #expect(rounded(2.675, decimals: 1) == 2.7)
        #expect(rounded(1234.5678, decimals: 2) == 1234.57)
        #expect(rounded(0.125, decimals: 2) == 0.13)
        #expect(rounded(-0.125, decimals: 2) == -0.13)
    }
}
