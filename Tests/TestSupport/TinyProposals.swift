import Foundation

/// Renewal units drawn as rectangles on the tiny district (EPSG:4547 metres from its origin).
public struct TinyProposals {
    public init() {}

    public var units: [(rect: (Double, Double, Double, Double), properties: String)] = []

    public mutating func add(_ rect: (Double, Double, Double, Double), _ properties: String) { units.append((rect, properties)) }

    public func write() throws -> URL {
        let features = units.map { u in
            "{\"type\":\"Feature\",\"properties\":{\(u.properties)},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\(TinyDistrict.ring(TinyDistrict.rect(u.rect.0, u.rect.1, u.rect.2, u.rect.3)))}}"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("proposals-\(UUID().uuidString).geojson")
        let text =
            "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::4547\"}},\"features\":[\n"
            + features.joined(separator: ",\n") + "\n]}\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
