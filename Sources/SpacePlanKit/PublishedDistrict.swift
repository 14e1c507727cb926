import Cartography
import Foundation
import Reports
import SpaceCore
import SpaceData

/// The district as a server publishes it, prepared once when it opens: every published layer
/// indexed by id and extent, the map scene the maps and the page's generalisation draw from,
/// the inspector, and summary.json's figures. It answers with bytes and documents; the front
/// end frames them in its protocol (links, paging, status).
public final class PublishedDistrict: Sendable {
    public let workspace: Workspace
    public let layers: [IndexedLayer]
    let scene: MapScene
    let inspector: BuildingInspector
    let drawnBuildings: PublishedLayer
    /// summary.json's figures, for the zones'.
    let summary: SpaceMapSummary
    /// The views answered lately (the snapshot is immutable, so they stay right).
    let views = ViewCache()
    /// Above this many features in view a view is generalised (buildings and parcels; firms have their own limit).
    public let maxFeaturesInView, maxPointsInView: Int

    /// `renewal`: the shipped proposals' evaluation, published as the renewal-units layer.
    public init(
        _ workspace: Workspace, renewal: Workspace.RenewalRun?, maxFeaturesInView: Int, maxPointsInView: Int,
        progress: (String) -> Void = { _ in }
    ) throws {
        self.workspace = workspace
        self.maxFeaturesInView = maxFeaturesInView
        self.maxPointsInView = maxPointsInView
        progress("preparing the map scene")
        scene = try MapScene(workspace.spaceMap)
        let published = SpaceMapLayers(workspace.spaceMap)
        var models = try published.all()
        if let renewal { models.append(renewal.evaluation.unitLayer(workingCRS: workspace.data.policy.workingCRS)) }
        layers = try models.map { model in
            progress("publishing \(model.id)")
            return try IndexedLayer(model)
        }
        inspector = BuildingInspector(published, published: models, scene: scene)
        drawnBuildings = inspector.drawingLayer()
        summary = SummaryFormats.document(workspace.spaceMap)
    }

    /// The district after an edit of carriers' figures only (the same carriers in the same
    /// buildings, so the same shapes and scene): the carriers and zones layers, the inspector and
    /// the figures made again from `workspace`; every other layer kept as it was indexed.
    public init(_ before: PublishedDistrict, carriersUpdatedIn workspace: Workspace) throws {
        self.workspace = workspace
        maxFeaturesInView = before.maxFeaturesInView
        maxPointsInView = before.maxPointsInView
        scene = before.scene
        let published = SpaceMapLayers(workspace.spaceMap)
        let remade = [try published.carriers(), published.zones]
        var models: [PublishedLayer] = []
        layers = try before.layers.map { layer in
            if let model = remade.first(where: { $0.id == layer.id }) {
                models.append(model)
                return try IndexedLayer(model)
            }
            models.append(layer.model)
            return layer
        }
        inspector = BuildingInspector(published, published: models, scene: scene)
        drawnBuildings = inspector.drawingLayer()
        summary = SummaryFormats.document(workspace.spaceMap)
    }

    public subscript(id: String) -> IndexedLayer? { layers.first { $0.id == id } }

    /// The district zone's WGS84 extent (where a map opens).
    public var districtExtent: Envelope? {
        guard let zones = self["zones"], let z = workspace.data.zones.firstIndex(where: { $0.kind == .district }) else { return nil }
        return zones.grid.envelopes[z]
    }

    /// A zone's figures as summary.json gives them.
    public func zoneFigures(_ id: String) -> SpaceMapSummary.Zone? { summary.zone(id) }

    /// The inspector's answer for a building, or nil when there is none of that id.
    public func inspect(building id: String) -> JSONValue? { inspector.building(id) }

    // MARK: Features

    /// One page of a layer's features in `boxes` (WGS84; nil for all): how many match, and the
    /// page's features as GeoJSON, comma-separated, in WGS84.
    public func page(_ layer: IndexedLayer, boxes: [Envelope]?, offset: Int, limit: Int) throws -> (matched: Int, returned: Int, features: [UInt8]) {
        let matched = boxes.map { layer.grid.matching(boxes: $0) } ?? Array(0..<layer.count)
        let page = Array(matched.dropFirst(offset).prefix(limit))
        var text = TextBuffer(capacity: 512 * page.count + 16)
        try appendFeatures(page, of: layer, crs: .wgs84, to: &text)
        return (matched.count, page.count, text.bytes)
    }

    /// One feature as GeoJSON (WGS84), or nil when the layer has none of that id.
    public func feature(_ layer: IndexedLayer, id: String) throws -> [UInt8]? {
        guard let i = layer.byID[id] else { return nil }
        var text = TextBuffer()
        try layer.append(i, to: &text)
        return text.bytes
    }

    /// Features written on all cores in blocks, in order.
    func appendFeatures(
        _ indices: [Int], of layer: IndexedLayer, crs: CRSCode, to text: inout TextBuffer,
        writer: ((Int, inout TextBuffer) throws -> Void)? = nil
    ) throws {
        let block = 512
        let parts = try ParallelMap.map(0..<((indices.count + block - 1) / block), chunk: 1) { k -> TextBuffer in
            var part = TextBuffer(capacity: 512 * block)
            for j in (k * block)..<min(indices.count, (k + 1) * block) {
                if j > 0 { part.append(",\n") }
                if let writer { try writer(indices[j], &part) } else { try layer.append(indices[j], crs: crs, to: &part) }
            }
            return part
        }
        for part in parts { text.append(part) }
    }

    // MARK: The page's view

    /// What a page asks while it is panned and zoomed: the features in view (buildings with only
    /// what the themes colour by), or, when more are in view than a browser draws fluidly, the
    /// generalisation the SVG maps use (floor area or employees per grid cell of about 8 pixels
    /// at `metresPerPixel`). `crs` is WGS84 or GCJ-02 (a page on Amap/Tencent tiles); the boxes are in it.
    public func view(_ layer: IndexedLayer, boxes given: [Envelope]?, metresPerPixel: Double?, crs: CRSCode) throws -> [UInt8] {
        // Many pages ask the same views (the whole district first): this snapshot never changes, so
        // an answer made once is kept for the next asker.
        let key = "\(layer.id)|\(crs)|\(metresPerPixel.map { "\($0)" } ?? "-")|" + (given ?? []).map { "\($0.minX),\($0.minY),\($0.maxX),\($0.maxY)" }.joined(separator: ";")
        if let kept = views.answer(key) { return kept }
        let answer = try makeView(layer, boxes: given, metresPerPixel: metresPerPixel, crs: crs)
        views.keep(key, answer)
        return answer
    }

    func makeView(_ layer: IndexedLayer, boxes given: [Envelope]?, metresPerPixel: Double?, crs: CRSCode) throws -> [UInt8] {
        // A bbox in GCJ-02 (from a page on GCJ-02 tiles) is taken back to WGS84 to query.
        var boxes = given
        if crs == .gcj02, let given {
            boxes = try given.map { e in
                let a = try Reprojection.coordinate(Coordinate(e.minX, e.minY), from: .gcj02, to: .wgs84)
                let b = try Reprojection.coordinate(Coordinate(e.maxX, e.maxY), from: .gcj02, to: .wgs84)
                return Envelope(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
            }
        }
        let matched = boxes.map { layer.grid.matching(boxes: $0) } ?? Array(0..<layer.count)
        var text = TextBuffer(capacity: 256 * min(matched.count, maxFeaturesInView) + 512)
        text.append("{\"type\":\"FeatureCollection\",\"layer\":")
        text.appendJSONString(layer.id)
        text.append(",\"numberMatched\":")
        text.appendInteger(matched.count)
        let limit = layer.id == "enterprises" ? maxPointsInView : maxFeaturesInView
        let generalise = matched.count > limit && ["buildings", "enterprises", "parcels"].contains(layer.id)
        if !generalise {
            text.append(",\"generalised\":null,\"features\":[\n")
            if layer.id == "buildings" {
                let drawn = drawnBuildings
                try appendFeatures(matched, of: layer, crs: crs, to: &text) { b, part in
                    try drawn.appendGeoJSON(b, to: &part, target: crs, withID: true)
                }
            } else {
                try appendFeatures(matched, of: layer, crs: crs, to: &text)
            }
            text.append("\n]}\n")
            return text.bytes
        }
        let mpp = metresPerPixel ?? 20
        let grid: DensityGrid, what: String, ramp: [String]
        switch layer.id {
        case "buildings":
            grid = DensityGrid(
                points: matched.map { (scene.buildings[$0].centre, scene.buildings[$0].gfaM2) }, metresPerPixel: mpp,
                classes: DensityGrid.floorAreaRamp.count)
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
            return text.bytes
        }
        text.append(",\"generalised\":")
        text.append(
            serializedJSON(
                .object(
                    JSONObject([
                        ("kind", .string("density")), ("cell_m", .number(grid.cellM)),
                        ("label", .string("\(what), \(grid.cellLabel) cells)")), ("ramp", .array(ramp.map(JSONValue.string))),
                    ]))))
        text.append(",\"features\":[\n")
        let working = workspace.data.policy.workingCRS
        let writer = GeoJSONWriter(decimals: 7)
        for (k, cell) in grid.cells.enumerated() {
            if k > 0 { text.append(",\n") }
            let (x0, y0, x1, y1) = (cell.minX, cell.minY, cell.minX + grid.cellM, cell.minY + grid.cellM)
            let ring = try [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)].map {
                try Reprojection.coordinate($0, from: working, to: crs)
            }
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
        return text.bytes
    }

    // MARK: Maps

    /// An SVG map (`THEME.svg`, optionally zoomed on a zone) or one of the two charts
    /// (`trajectory.svg`, `floor-area-by-zone.svg`), as `spaceplan map` draws it; nil for another name.
    public func map(named file: String, options given: MapOptions) throws -> Artifact? {
        guard file.hasSuffix(".svg") else { return nil }
        let name = String(file.dropLast(4))
        var options = given
        let artifacts: [Artifact]
        if name == "trajectory" || name == "floor-area-by-zone" {
            artifacts = try MapFiles.artifacts(scene, themes: [], options: options)
        } else {
            guard let theme = MapTheme(rawValue: name) else { return nil }
            options.theme = theme
            artifacts = try MapFiles.artifacts(scene, themes: [theme], options: options)
        }
        return artifacts.first { $0.path.hasPrefix(name) }
    }

    /// A theme's legend as its SVG map draws it (the page's legend), from the scene kept here.
    public func themeLegend(theme: MapTheme, classification: ClassificationMethod, classes: Int) throws -> ThemeLegend {
        try workspace.themeLegend(theme: theme, classification: classification, classes: classes, scene: scene)
    }
}

/// The last views a published district answered, by their query, up to a number and a size.
final class ViewCache: @unchecked Sendable {  // safe: `entries` only under `lock`
    private let lock = NSLock()
    private var entries: [(key: String, bytes: [UInt8])] = []
    /// Enough for the views of a few pages (the district, a street, a zone) in each theme.
    static let count = 64
    /// A very large answer (a whole layer of a big district) is not kept.
    static let largestBytes = 8 << 20

    func answer(_ key: String) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        guard let k = entries.firstIndex(where: { $0.key == key }) else { return nil }
        let entry = entries.remove(at: k)
        entries.append(entry)
        return entry.bytes
    }

    func keep(_ key: String, _ bytes: [UInt8]) {
        guard bytes.count <= Self.largestBytes else { return }
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.key == key }
        entries.append((key, bytes))
        if entries.count > Self.count { entries.removeFirst(entries.count - Self.count) }
    }
}
