import Foundation
import SpaceData
import Testing
@testable import Cartography

@Suite("The maps' style specification")
struct StyleSpecificationTests {
    let style = StyleSpecification.standard

    @Test("every land-use class and carrier type of the vocabulary has its own colour")
    func vocabularyIsColoured() {
        for prefix in Vocabulary.landUsePrefixes {
            #expect(style.landUse.classes.contains { $0.code == prefix }, "\(prefix)")
        }
        #expect(Set(style.landUse.classes.map(\.colour)).count == style.landUse.classes.count)
        for type in CarrierType.allCases {
            #expect(style.buildings.carrierTypes.contains { $0.code == type.rawValue }, "\(type)")
            #expect(style.carrierColour(type.rawValue) != style.buildings.other)
        }
        // GB/T 50137's conventions: industrial purple, residential yellow, green spaces green.
        #expect(style.landUseColour("M") == "#8E44AD")
        #expect(style.landUseColour("R") == "#F7DC6F")
        #expect(style.landUseColour("G") == "#58B368")
        #expect(style.landUseColour("X9") == "#E5E7E9")
    }

    @Test("one theme per map theme; the choropleths are the two sub-district themes")
    func themes() {
        #expect(style.themes.map(\.id) == MapTheme.allCases.map(\.rawValue))
        #expect(style.themes.filter { $0.choropleth != nil }.map(\.id) == ["vacancy", "techspace"])
        #expect(style.theme(.landuse).parcels?.opacity == 0.9)
        #expect(style.theme(.landuse).buildings == .none)
        #expect(style.theme(.renewal).buildings == .renewal)
        #expect(style.theme(.space).enterprises?.densityGrid == false)
        #expect(style.theme(.enterprises).enterprises?.densityGrid == true)
    }

    @Test("a firm's circle: 1 px for 10 employees, 5 px for 250, never below 0.6 px")
    func firmRadius() {
        #expect(abs(style.enterprises.radius.radius(10) - 1.012) < 0.001)
        #expect(abs(style.enterprises.radius.radius(250) - 5.060) < 0.001)
        #expect(style.enterprises.radius.radius(0) == 0.6)
    }

    @Test("ramps sample ColorBrewer's seven classes evenly, ends included")
    func ramps() {
        #expect(StyleSpecification.ramp(style.ramps.yellowOrangeRed, classes: 5) == ["#FFFFB2", "#FEB24C", "#FD8D3C", "#E31A1C", "#B10026"])
        #expect(style.densities.employees == ["#FFFFB2", "#FEB24C", "#FD8D3C", "#E31A1C", "#B10026"])
        #expect(StyleSpecification.ramp(style.ramps.bluePurple, classes: 1) == ["#8C96C6"])
    }

    @Test("the specification and a legend survive a JSON round trip")
    func roundTrip() throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let named = style.naming(carrierTypes: [.init(code: "park", label: "park 园区")], sectors: ["ai", "fintech"])
        #expect(try decoder.decode(StyleSpecification.self, from: encoder.encode(named)) == named)
        #expect(named.enterprises.sectors.map(\.colour) == ["#4E79A7", "#F28E2B"])
        let text = String(decoding: try encoder.encode(named), as: UTF8.self)
        #expect(text.contains("\"carrier_types\":[{\"code\":\"park\",\"colour\":\"#27AE60\",\"label\":\"park 园区\"}]"))
        let entries: [LegendEntry] = [
            .init(symbol: .box(fill: "#FFFFFF", stroke: "#555"), label: "a"),
            .init(symbol: .line(stroke: "#7D3C98", dash: "6 4"), label: "b"),
            .init(symbol: .circle(fill: "#4E79A7", radius: 5), label: "c"),
        ]
        #expect(try decoder.decode([LegendEntry].self, from: encoder.encode(entries)) == entries)
    }
}
