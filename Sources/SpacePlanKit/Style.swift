import Cartography
import Foundation
import Reports
import SpaceData

/// The maps' style and the themes' legends, for a front end that draws the maps itself (the
/// workbench's page): the same specification and classes the SVG maps are drawn from.
extension Workspace {
    /// The style of every map, with the vocabulary's carrier types and sectors named and coloured.
    public func styleSpecification() -> StyleSpecification {
        StyleSpecification.standard.naming(
            carrierTypes: CarrierType.allCases.map { MapScene.Category(code: $0.rawValue, label: $0.label) },
            sectors: Vocabulary.sectors)
    }

    /// A theme's legend for the whole district, as its SVG map draws it: the sections of the map's
    /// legend and, for a choropleth, each sub-district's value, class and colour.
    /// - Parameter scene: the map scene of this workspace when the caller keeps one (it is made otherwise).
    public func themeLegend(
        theme: MapTheme, classification: ClassificationMethod = .fisherJenks, classes: Int = 5,
        scene: MapScene? = nil
    ) throws -> ThemeLegend {
        var options = MapOptions()
        options.theme = theme
        options.classification = classification
        options.classes = classes
        return try ThemeLegend.legend(try scene ?? MapScene(spaceMap), options, style: styleSpecification())
    }

    /// JSON of a style or a legend: snake_case keys in a stable order.
    public static func styleJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
