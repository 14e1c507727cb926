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
                try appendFeatures(matched, of: layer, crs: query.crs, to: &text) { b, part in try self.appendBuildingForPage(b, crs: query.crs, to: &part) }
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

    /// A building as the page draws it: only what its themes colour by; a click fetches the rest.
    func appendBuildingForPage(_ b: Int, crs: CRSCode, to text: inout TextBuffer) throws {
        let building = workspace.data.buildings[b], feature = scene.buildings[b]
        text.append("{\"type\":\"Feature\",\"id\":")
        text.appendJSONString(building.id)
        text.append(",\"properties\":{\"id\":")
        text.appendJSONString(building.id)
        text.append(",\"use\":")
        text.appendJSONString(building.use)
        text.append(",\"carrier_type\":")
        if let type = feature.carrierType { text.appendJSONString(type) } else { text.append("null") }
        text.append(",\"old_industrial\":")
        text.append(feature.oldIndustrial ? "true" : "false")
        text.append(",\"gfa_m2\":")
        text.appendFixed(building.gfaM2, 1)
        text.append(",\"vacant_m2\":")
        text.appendFixed(building.vacantM2, 1)
        text.append(",\"enterprises\":")
        text.appendInteger(buildingFeatures.firms[b].count)
        text.append("},\"geometry\":")
        GeoJSONWriter(decimals: 7).appendGeometry(try Reprojection.shape(building.geometry.shape, from: workspace.data.policy.workingCRS, to: crs), to: &text)
        text.append("}")
    }

    /// The properties of feature `i` of a layer, as the OGC API gives them.
    func properties(_ layer: String, _ i: Int) throws -> JSONValue {
        var text = TextBuffer()
        try layers[layer]!.append(i, to: &text)
        return try parseJSON(Data(text.bytes))["properties"] ?? .null
    }

    /// The inspector's answer for a building: its joined attributes, its parcel (with the floor
    /// area on it by use), its carriers, its firms (by sector) and its vacancy.
    func inspectBuilding(_ id: String) throws -> Response {
        let data = workspace.data, map = workspace.spaceMap
        guard let b = layers["buildings"]?.byID[id] else { throw WorkbenchError.notFound("no building \(id)") }
        let building = data.buildings[b]
        var o = JSONObject([("building", try properties("buildings", b)), ("old_industrial", .bool(scene.buildings[b].oldIndustrial))])
        o["vacancy"] = .object(JSONObject([("vacant_m2", .number(building.vacantM2, decimals: 2)), ("gfa_m2", .number(building.gfaM2, decimals: 2)),
                                           ("share", .optional(building.gfaM2 > 0 ? building.vacantM2 / building.gfaM2 : nil, decimals: 4))]))
        if let p = map.buildingParcel[b].parcel {
            var byUse: [String: Double] = [:]
            for other in layers.parcelBuildings[p] { byUse[data.buildings[other].use, default: 0] += data.buildings[other].gfaM2 }
            var parcel = try properties("parcels", p).objectValue ?? JSONObject()
            parcel["gfa_by_use_m2"] = .object(JSONObject(byUse.keys.sorted().map { ($0, .number(byUse[$0]!, decimals: 2)) }))
            parcel["overlap_m2"] = .number(map.buildingParcel[b].overlapM2, decimals: 2)
            o["parcel"] = .object(parcel)
        } else {
            o["parcel"] = .null
        }
        o["carriers"] = .array(try buildingFeatures.carriersIn[b].map { try properties("carriers", $0) })
        let firms = firmsIn[b].map(Int.init).sorted { data.enterprises[$0].floorAreaM2 > data.enterprises[$1].floorAreaM2 }
        var bySector: [String: (Int, Double)] = [:]
        for e in firms { bySector[data.enterprises[e].sector, default: (0, 0)].0 += 1; bySector[data.enterprises[e].sector, default: (0, 0)].1 += data.enterprises[e].floorAreaM2 }
        o["enterprises_total"] = .integer(firms.count)
        o["enterprises"] = .array(try firms.prefix(Self.firmsListed).map { try properties("enterprises", $0) })
        o["by_sector"] = .array(bySector.keys.sorted().map { s in
            .object(JSONObject([("sector", .string(s)), ("firms", .integer(bySector[s]!.0)), ("floor_area_m2", .number(bySector[s]!.1, decimals: 2))]))
        })
        return Reply.json(.object(o))
    }

    /// The inspector lists this many firms of a building (the largest first); the count is of all.
    static let firmsListed = 100
}
