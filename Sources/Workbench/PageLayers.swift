import Foundation
import Hummingbird
import HummingbirdCore
import SpacePlanKit

/// What the page asks while it is panned and zoomed: the features in view, or, when more are
/// in view than a browser draws fluidly, the generalisation the SVG maps use (floor area or
/// employees per grid cell of about 8 pixels); carriers stay symbols on top.
struct ViewQuery {
    var bbox: [Envelope]?
    var bboxText: String?
    /// Ground metres per screen pixel, which sets the grid cell as on the SVG maps.
    var metresPerPixel: Double?
    /// GCJ-02 when the page sits on Amap/Tencent tiles: the data are shifted, not the tiles.
    var crs: CRSCode = .wgs84

    init(_ parameters: FlatDictionary<Substring, Substring>) throws {
        for (key, _) in parameters where !["bbox", "mpp", "crs"].contains(String(key)) {
            throw WorkbenchError.badRequest("unknown query parameter '\(key)'; layers take bbox, mpp, crs")
        }
        if let text = parameters.get("bbox") { bboxText = text; bbox = try ItemsQuery.parseBBox(text) }
        if let text = parameters.get("mpp") {
            guard let v = Double(text), v.isFinite, v > 0 else { throw WorkbenchError.badRequest("mpp (metres per pixel) must be a positive number, found '\(text)'") }
            metresPerPixel = v
        }
        if let text = parameters.get("crs") {
            switch try? CRSCode(parsing: text) {
            case .wgs84?: crs = .wgs84
            case .gcj02?: crs = .gcj02
            default: throw WorkbenchError.badRequest("crs must be WGS84 or GCJ-02, found '\(text)'")
            }
        }
    }
}

extension Workbench {
    func view(_ layer: FeatureLayer, _ query: ViewQuery) throws -> Response {
        // A bbox in GCJ-02 (from a page on GCJ-02 tiles) is taken back to WGS84 to query.
        var boxes = query.bbox
        if query.crs == .gcj02, let given = boxes {
            boxes = try given.map { e in
                let a = try Reprojection.coordinate(Coordinate(e.minX, e.minY), from: .gcj02, to: .wgs84)
                let b = try Reprojection.coordinate(Coordinate(e.maxX, e.maxY), from: .gcj02, to: .wgs84)
                return Envelope(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
            }
        }
        let matched = boxes.map { layer.grid.matching(boxes: $0) } ?? Array(0..<layer.count)
        var text = TextBuffer(capacity: 256 * min(matched.count, options.maxFeaturesInView) + 512)
        text.append("{\"type\":\"FeatureCollection\",\"layer\":")
        text.appendJSONString(layer.id)
        text.append(",\"numberMatched\":")
        text.appendInteger(matched.count)
        let limit = layer.id == "enterprises" ? options.maxPointsInView : options.maxFeaturesInView
        let generalise = matched.count > limit && ["buildings", "enterprises", "parcels"].contains(layer.id)
        if !generalise {
            text.append(",\"generalised\":null,\"features\":[\n")
            if layer.id == "buildings" {
                let drawn = drawnBuildings
                try appendFeatures(matched, of: layer, crs: query.crs, to: &text) { b, part in
                    try drawn.appendGeoJSON(b, to: &part, target: query.crs, withID: true)
                }
            } else {
                try appendFeatures(matched, of: layer, crs: query.crs, to: &text)
            }
            text.append("\n]}\n")
            return Reply.text(text, type: "application/geo+json")
        }
        let mpp = query.metresPerPixel ?? 20
        let grid: DensityGrid, what: String, ramp: [String]
        switch layer.id {
        case "buildings":
            grid = DensityGrid(points: matched.map { (scene.buildings[$0].centre, scene.buildings[$0].gfaM2) }, metresPerPixel: mpp, classes: DensityGrid.floorAreaRamp.count)
            (what, ramp) = ("floor area density (\(grouped(Double(matched.count))) buildings", DensityGrid.floorAreaRamp)
        case "enterprises":
            let data = workspace.data, map = workspace.spaceMap
            let points = matched.compactMap { e -> (Coordinate, Double)? in
                let at = data.enterprises[e].location ?? map.enterpriseBuilding[e].building.map { scene.buildings[$0].centre }
                return at.map { ($0, Double(data.enterprises[e].employees)) }
            }
            grid = DensityGrid(points: points, metresPerPixel: mpp, classes: DensityGrid.employeesRamp.count)
            (what, ramp) = ("employees (\(grouped(Double(matched.count))) firms", DensityGrid.employeesRamp)
        default:
            // Parcels are drawn one by one only close up; farther out the buildings' grid shows the fabric.
            text.append(",\"generalised\":{\"note\":")
            text.appendJSONString("\(grouped(Double(matched.count))) parcels in view: zoom in to draw them")
            text.append("},\"features\":[]}\n")
            return Reply.text(text, type: "application/geo+json")
        }
        text.append(",\"generalised\":")
        text.append(serializedJSON(.object(JSONObject([
            ("kind", .string("density")), ("cell_m", .number(grid.cellM)),
            ("label", .string("\(what), \(grid.cellLabel) cells)")), ("ramp", .array(ramp.map(JSONValue.string))),
        ]))))
        text.append(",\"features\":[\n")
        let working = workspace.data.policy.workingCRS
        let writer = GeoJSONWriter(decimals: 7)
        for (k, cell) in grid.cells.enumerated() {
            if k > 0 { text.append(",\n") }
            let (x0, y0, x1, y1) = (cell.minX, cell.minY, cell.minX + grid.cellM, cell.minY + grid.cellM)
            let ring = try [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)].map { try Reprojection.coordinate($0, from: working, to: query.crs) }
            text.append("{\"type\":\"Feature\",\"properties\":{\"sum\":")
            text.appendFixed(cell.sum, 1)
            text.append(",\"class\":")
            text.appendInteger(cell.classIndex)
            text.append(",\"colour\":")
            text.appendJSONString(ramp[cell.classIndex])
            text.append("},\"geometry\":")
            writer.appendGeometry(.polygon([ring]), to: &text)
            text.append("}")
        }
        text.append("\n]}\n")
        return Reply.text(text, type: "application/geo+json")
    }

    /// The inspector's answer for a building: its joined attributes, its parcel (with the floor
    /// area on it by use), its carriers, its firms (by sector) and its vacancy.
    func inspectBuilding(_ id: String) throws -> Response {
        guard let answer = inspector.building(id) else { throw WorkbenchError.notFound("no building \(id)") }
        return Reply.json(answer)
    }
}
