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
            guard let v = Double(text), v.isFinite, v > 0 else {
                throw WorkbenchError.badRequest("mpp (metres per pixel) must be a positive number, found '\(text)'")
            }
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

extension SpaceMapController {
    func view(_ layer: IndexedLayer, _ query: ViewQuery) throws -> Response {
        Reply.bytes(try district.view(layer, boxes: query.bbox, metresPerPixel: query.metresPerPixel, crs: query.crs), type: "application/geo+json")
    }

    /// The inspector's answer for a building: its joined attributes, its parcel (with the floor
    /// area on it by use), its carriers, its firms (by sector) and its vacancy.
    func inspectBuilding(_ id: String) throws -> Response {
        guard let answer = district.inspect(building: id) else { throw WorkbenchError.notFound("no building \(id)") }
        return Reply.json(answer)
    }
}
