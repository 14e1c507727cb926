import Foundation
import FoundationXML
import SpacePlanKit
import SpaceCore
import SpaceData
import Cartography
import Reports
import BuildOut
import TestSupport
import Testing
@testable import Workbench

/// The page draws from the style the SVG maps are drawn in: what the server gives it for a theme
/// is what the SVG map of that theme shows.
@Suite("The maps' style and legends, served to the page")
struct StyleTests {
    /// One legend block of an SVG map: its heading and its entries (label, symbol, colour).
    struct Block: Equatable, CustomStringConvertible {
        let title: String
        let entries: [[String]]
        var description: String { "\(title): \(entries)" }
    }

    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
    }

    /// The legend blocks of an SVG map, read from its `<g id="legends">` group.
    static func svgLegend(_ svg: String) throws -> [Block] {
        let root = try XMLDocument(xmlString: svg, options: []).rootElement()!
        return try root.nodes(forXPath: "//*[@id='legends']/*[@id='legend']").compactMap { $0 as? XMLElement }.map { block in
            let children = (block.children ?? []).compactMap { $0 as? XMLElement }
            let title = children.first { $0.localName == "text" }?.stringValue ?? ""
            let entries = children.filter { $0.localName == "g" }.map { entry -> [String] in
                let symbol = (entry.children ?? []).compactMap { $0 as? XMLElement }.first!
                let kind = ["rect": "box", "line": "line", "circle": "circle"][symbol.localName!]!
                let colour = attribute(symbol, kind == "line" ? "stroke" : "fill")!
                return [attribute(entry, "data-label")!, kind, colour]
            }
            return Block(title: title, entries: entries)
        }
    }

    /// The sub-districts' fills of an SVG choropleth, by zone id.
    static func svgChoropleth(_ svg: String) throws -> [String: String] {
        let root = try XMLDocument(xmlString: svg, options: []).rootElement()!
        let paths = try root.nodes(forXPath: "//*[@id='choropleth']/*").compactMap { $0 as? XMLElement }
        return Dictionary(uniqueKeysWithValues: paths.map { (attribute($0, "data-id")!, attribute($0, "fill")!) })
    }

    static func served(_ json: JSONValue) -> [Block] {
        json["sections"]!.array.map { section in
            Block(
                title: section["title"]!.string,
                entries: section["entries"]!.array.map { [$0["label"]!.string, $0["symbol"]!.string, $0["colour"]!.string] })
        }
    }

    @Test(
        "for every theme, classification and a few class counts, the legend served is the SVG map's",
        arguments: Cartography.ClassificationMethod.allCases, [3, 5, 7])
    func legendsMatchTheMaps(method: Cartography.ClassificationMethod, classes: Int) async throws {
        for theme in MapTheme.allCases {
            let query = "classification=\(method.rawValue)&classes=\(classes)"
            let json = try await get("/api/themes/\(theme.rawValue)?\(query)").json
            let svg = try await get("/api/maps/\(theme.rawValue).svg?\(query)").text
            let legend = try Self.svgLegend(svg)
            #expect(!legend.isEmpty, "\(theme)")
            #expect(Self.served(json) == legend, "\(theme) \(query)")
            if theme == .vacancy || theme == .techspace {
                let fills = try Self.svgChoropleth(svg)
                #expect(fills.count == Sample.workspace.data.zones.filter { $0.kind == .subdistrict }.count)
                #expect(
                    json["zones"]!.objectValue!.members.map { "\($0.0)=\($0.1["colour"]!.string)" }.sorted()
                        == fills.map { "\($0.key)=\($0.value)" }.sorted(), "\(theme) \(query)")
                // The theme's own legend is the choropleth's classes, as many as asked for (the sample has more sub-districts).
                #expect(json["legend"]!.array.count == classes, "\(theme) \(query)")
                #expect(json["breaks"]!.array.count == classes)
                #expect(json["method"]!.string == method.rawValue)
            }
        }
    }

    @Test("the choropleths' classes take ColorBrewer's YlOrRd and BuPu colours")
    func choroplethColours() async throws {
        let vacancy = try await get("/api/themes/vacancy?classification=quantiles&classes=4").json
        #expect(vacancy["legend"]!.array.map { $0["colour"]!.string } == ["#FFFFB2", "#FEB24C", "#FC4E2A", "#B10026"])
        #expect(vacancy["unit"]!.string == "%")
        #expect(vacancy["legend"]!.array.allSatisfy { $0["label"]!.string.hasSuffix(" %") })
        let techspace = try await get("/api/themes/techspace?classification=equal-interval&classes=3").json
        #expect(techspace["legend"]!.array.map { $0["colour"]!.string } == ["#EDF8FB", "#8C96C6", "#6E016B"])
        #expect(techspace["sections"]!.array[0]["title"]!.string == "Tech-cultivation space (equal-interval, 3 classes)")
        // The zones' classes are ordered as their values are.
        let zones = vacancy["zones"]!.objectValue!.members.map { $0.1 }
        for a in zones {
            for b in zones where a["value"]!.double < b["value"]!.double {
                #expect(a["class_index"]!.double <= b["class_index"]!.double)
            }
        }
    }

    @Test("the style names every carrier type and sector of the data with the maps' colours")
    func style() async throws {
        let style = try await get("/api/style")
        #expect(style.headers[.contentType] == "application/json")
        let json = style.json
        #expect(json["themes"]!.array.map { $0["id"]!.string } == MapTheme.allCases.map(\.rawValue))
        let carriers = json["buildings"]!["carrier_types"]!.array
        #expect(carriers.map { $0["code"]!.string } == CarrierType.allCases.map(\.rawValue))
        #expect(carriers.first { $0["code"]!.string == "incubator" }!["label"]!.string == "incubator 孵化器")
        #expect(carriers.first { $0["code"]!.string == "park" }!["colour"]!.string == "#27AE60")
        #expect(json["enterprises"]!["sectors"]!.array.count == Vocabulary.sectors.count)
        #expect(json["enterprises"]!["sectors"]!.array[0]["colour"]!.string == "#4E79A7")
        #expect(json["enterprises"]!["radius"]!["factor"]!.double == 0.32)
        #expect(json["zones"]!["cluster"]!["dash"]!.string == "6 4")
        #expect(json["themes"]!.array.first { $0["id"]!.string == "renewal" }!["parcels"]!["opacity"]!.double == 0.25)
        // The page's configuration no longer carries a copy of the colours.
        #expect(try await get("/api/config").json["palettes"] == nil)
    }
}
