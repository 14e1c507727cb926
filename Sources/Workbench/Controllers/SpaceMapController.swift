import Foundation
import Hummingbird
import HummingbirdCore
import SpacePlanKit

/// The space map in the JSON API (mounted at /api): summaries, the trajectory, the inspector's
/// answers, the themes' legends and classes, the maps' style, every map and file the command line writes.
struct SpaceMapController: WorkbenchController {
    let live: LiveDistrict
    /// The district as published last (a store's edits replace it whole).
    var district: PublishedDistrict { live.current }
    var workspace: Workspace { live.current.workspace }
    let options: WorkbenchOptions
    let web: StaticFiles
    let shipped: ShippedInputs

    /// The routes, mounted by the server at their path.
    var endpoints: RouteCollection<WorkbenchContext> {
        let router = RouteCollection(context: WorkbenchContext.self)
        router.get("config") { _, _ in Reply.json(self.pageConfiguration()) }
        router.get("style") { _, _ in Reply.bytes(Array(try Workspace.styleJSON(self.workspace.styleSpecification())), type: "application/json") }
        router.get("headlines") { _, _ in Reply.json([("lines", .array(self.workspace.headlines.map(JSONValue.string)))]) }
        router.get("summary") { _, _ in try self.spaceMapFile("summary.json", download: false) }
        router.get("trajectory") { _, _ in Reply.json(self.workspace.trajectory.jsonDocument) }
        router.get("zones/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let zone = self.district.zoneFigures(id) else {
                throw WorkbenchError.notFound("no zone \(id); zones are \(self.workspace.data.zones.map(\.id).joined(separator: ", "))")
            }
            return Reply.json(zone.jsonDocument)
        }
        router.get("buildings/:id") { _, context in try self.inspectBuilding(context.parameters.get("id") ?? "") }
        router.get("themes/:theme") { request, context in
            try self.theme(try Self.mapTheme(context.parameters.get("theme") ?? ""), try MapQuery(request.uri.queryParameters))
        }
        router.get("maps") { request, _ in
            let base = self.base(request)
            let names = MapTheme.allCases.map { "\($0.rawValue).svg" } + ["trajectory.svg", "floor-area-by-zone.svg"]
            return Reply.json([("maps", .object(JSONObject(names.map { ($0, .string("\(base)/api/maps/\($0)")) })))])
        }
        router.get("maps/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            let query = try MapQuery(request.uri.queryParameters)
            return try await offThePool { try self.mapFile(file, query) }
        }
        router.get("files") { request, _ in
            let base = self.base(request)
            let paths = try self.workspace.spaceMapArtifacts(maps: false).map(\.path)
            return Reply.json([("files", .object(JSONObject(paths.map { ($0, .string("\(base)/api/files/\($0)")) })))])
        }
        router.get("files/**") { request, context in
            // A client that follows the OpenAPI document sends joins/x.csv as joins%2Fx.csv: one parameter.
            let path = filePath(context.parameters.getCatchAll())
            let download = request.uri.queryParameters.get("download") != nil
            return try await offThePool { try self.spaceMapFile(path, download: download) }
        }
        router.get("layers/:layer") { request, context in
            let id = context.parameters.get("layer") ?? ""
            guard let layer = self.district[id] else {
                throw WorkbenchError.notFound("no layer \(id); layers are \(self.district.layers.map(\.id).joined(separator: ", "))")
            }
            let query = try ViewQuery(request.uri.queryParameters)
            return try await offThePool { try self.view(layer, query) }
        }
        return router
    }

    /// What the page needs to start: the district, its extent, the layers, the basemap (its colours are in /api/style).
    func pageConfiguration() -> JSONValue {
        let data = workspace.data
        let extent = district.districtExtent
        var tiles: JSONValue = .null
        if let url = options.tileURL {
            tiles = .object(
                JSONObject([
                    ("url", .string(url)), ("crs", .string(options.tileCRS == .gcj02 ? "GCJ-02" : "WGS84")),
                    ("attribution", options.tileAttribution.map(JSONValue.string) ?? .null),
                    (
                        "note",
                        .string(
                            options.tileCRS == .gcj02
                                ? "GCJ-02 tiles (Amap, Tencent): the layers are shifted to GCJ-02 to sit on them; the tiles are not moved. The OGC API stays in WGS84."
                                : "WGS84 tiles: the layers are drawn as they are.")
                    ),
                ]))
        }
        return .object(
            JSONObject([
                ("name", .string(data.manifest.name)), ("synthetic", .bool(data.manifest.synthetic)),
                ("as_of_year", .number(Double(workspace.dataYear))), ("working_crs", .string(data.policy.workingCRS.description)),
                ("district_bbox", extent.map { e in .array([e.minX, e.minY, e.maxX, e.maxY].map { .number($0, decimals: 7) }) } ?? .null),
                (
                    "layers",
                    .array(
                        district.layers.map {
                            .object(JSONObject([("id", .string($0.id)), ("title", .string($0.title)), ("features", .number(Double($0.count)))]))
                        })
                ),
                ("themes", .array(MapTheme.allCases.map { .object(JSONObject([("id", .string($0.rawValue)), ("title", .string($0.title))])) })),
                ("classifications", .array(ClassificationMethod.allCases.map { .string($0.rawValue) })),
                ("leaflet", .bool(web.hasLeaflet)), ("leaflet_path", .string(StaticFiles.leafletFolder.path)),
                ("tiles", tiles), ("max_features_in_view", .number(Double(options.maxFeaturesInView))),
                ("upload_limit_bytes", .number(Double(options.uploadLimitBytes))),
                ("shipped_proposals", .bool(shipped.proposals != nil)),
            ]))
    }

    func spaceMapFile(_ path: String, download: Bool) throws -> Response {
        let files = try workspace.spaceMapArtifacts(maps: false)
        guard let artifact = files.first(where: { $0.path == path }) else {
            throw WorkbenchError.notFound("no space-map file \(path); files are \(files.map(\.path).joined(separator: ", "))")
        }
        return Reply.bytes(try artifact.bytes(), type: artifact.mediaType, download: download ? (path as NSString).lastPathComponent : nil)
    }

    static func mapTheme(_ name: String) throws -> MapTheme {
        guard let theme = MapTheme(rawValue: name) else {
            throw WorkbenchError.notFound("unknown theme '\(name)'; use one of \(MapTheme.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return theme
    }

    /// An SVG map (a theme, optionally zoomed on a zone) or one of the two charts, as `spaceplan map` draws it.
    func mapFile(_ file: String, _ query: MapQuery) throws -> Response {
        guard let artifact = try district.map(named: file, options: query.options) else {
            throw WorkbenchError.notFound(
                "no map \(file); maps are \(MapTheme.allCases.map { "\($0.rawValue).svg" }.joined(separator: ", ")), trajectory.svg, floor-area-by-zone.svg"
            )
        }
        return Reply.bytes(try artifact.bytes(), type: artifact.mediaType, download: query.download ? artifact.path : nil)
    }

    /// A theme's legend as its SVG map draws it, and for the choropleths each sub-district's value, class and colour.
    func theme(_ theme: MapTheme, _ query: MapQuery) throws -> Response {
        let legend = try district.themeLegend(theme: theme, classification: query.options.classification, classes: query.options.classes)
        return Reply.bytes(Array(try Workspace.styleJSON(legend)), type: "application/json")
    }
}

/// The options of a map or theme request, checked as `spaceplan map` checks its flags.
struct MapQuery {
    var options = MapOptions()
    var download = false

    init(_ parameters: FlatDictionary<Substring, Substring>) throws {
        if let text = parameters.get("classification") {
            guard let method = ClassificationMethod(rawValue: text) else {
                throw WorkbenchError.badRequest(
                    "unknown classification '\(text)'; use \(ClassificationMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.classification = method
        }
        if let text = parameters.get("classes") {
            guard let k = Int(text), (2...9).contains(k) else { throw WorkbenchError.badRequest("classes must be between 2 and 9, found '\(text)'") }
            options.classes = k
        }
        if let zone = parameters.get("zone"), zone.isEmpty {
            throw WorkbenchError.badRequest("zone is empty: give a zone id, or leave zone out for the whole district")
        }
        options.zone = parameters.get("zone")
        download = parameters.get("download") != nil
    }
}

/// A file route's path: its parts joined, with %2F (and any other escape) decoded; files are
/// found by name in a list, never on disk, so a decoded "../" names nothing.
func filePath(_ parts: [Substring]) -> String {
    let joined = parts.joined(separator: "/")
    return joined.removingPercentEncoding ?? joined
}
