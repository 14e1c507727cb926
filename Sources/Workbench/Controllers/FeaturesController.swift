import Foundation
import Hummingbird
import HummingbirdCore
import SpacePlanKit

/// OGC API – Features Part 1 (core, GeoJSON, OpenAPI 3.0) and Part 3's queryables: the
/// convention QGIS's "WFS / OGC API – Features" connection and GDAL's OAPIF driver speak, so the
/// live space map opens in them with no export. Mounted at the root.
struct FeaturesController: WorkbenchController {
    let live: LiveDistrict
    /// The district as published last (a store's edits replace it whole).
    var district: PublishedDistrict { live.current }
    var workspace: Workspace { live.current.workspace }
    let options: WorkbenchOptions
    let web: StaticFiles
    /// Part 4's changes, on a server opened from a store with its people; nil: read-only.
    let editing: FeatureEditing?

    static let conformance = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    ]
    static let crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

    static func link(_ href: String, _ rel: String, _ type: String, _ title: String? = nil) -> JSONValue {
        var o = JSONObject([("href", .string(href)), ("rel", .string(rel)), ("type", .string(type))])
        if let title { o["title"] = .string(title) }
        return .object(o)
    }

    /// The routes, mounted by the server at their path.
    var endpoints: RouteCollection<WorkbenchContext> {
        let router = RouteCollection(context: WorkbenchContext.self)
        // The landing page: JSON for GIS clients, the workbench page for a browser.
        router.get("/") { request, _ -> Response in
            let f = request.uri.queryParameters.get("f")
            if let f, !["json", "html"].contains(f) { throw WorkbenchError.badRequest("f=\(f): the landing page is json or html") }
            let wantsPage = f == "html" || (f == nil && (request.headers[.accept] ?? "").contains("text/html"))
            return wantsPage ? try self.web.page("index.html") : self.landingPage(self.base(request))
        }
        router.get("/conformance") { _, _ -> Response in
            Reply.json([("conformsTo", .array((Self.conformance + (self.editing == nil ? [] : FeatureEditing.conformance)).map(JSONValue.string)))])
        }
        router.get("/collections") { request, _ -> Response in
            let base = self.base(request)
            return Reply.json([
                ("links", .array([Self.link("\(base)/collections", "self", "application/json")])),
                ("collections", .array(self.district.layers.map { self.collection($0, base: base) })),
            ])
        }
        router.get("/collections/:collection") { request, context -> Response in
            Reply.json(self.collection(try self.layer(context), base: self.base(request)))
        }
        router.get("/collections/:collection/queryables") { request, context -> Response in
            let layer = try self.layer(context)
            let id = "\(self.base(request))/collections/\(layer.id)/queryables"
            return Reply.json(layer.queryables(id: id), type: "application/schema+json")
        }
        router.get("/collections/:collection/items") { request, context -> Response in
            let layer = try self.layer(context)
            let query = try ItemsQuery(request.uri.queryParameters, options: self.options)
            let base = self.base(request)
            return try await offThePool { try self.items(layer, query, base: base) }
        }
        router.get("/collections/:collection/items/:feature") { request, context -> Response in
            let layer = try self.layer(context)
            let id = context.parameters.get("feature") ?? ""
            guard let feature = try self.district.feature(layer, id: id) else {
                throw WorkbenchError.notFound("collection \(layer.id) has no feature \(id)")
            }
            // The feature's links go inside it: the bytes end with its closing brace.
            let base = self.base(request)
            let links: JSONValue = .array([
                Self.link("\(base)/collections/\(layer.id)/items/\(id)", "self", "application/geo+json"),
                Self.link("\(base)/collections/\(layer.id)", "collection", "application/json"),
            ])
            let body = Array(feature.dropLast()) + Array(",\"links\":\(links.serialized)}".utf8)
            var response = Reply.bytes(body, type: "application/geo+json")
            if let editing = self.editing, let version = try await editing.version(layer.id, id: id) {
                response.headers[.eTag] = FeatureEditing.etag(version)
            }
            return response
        }
        if let editing {
            router.on("/collections/:collection/items", method: .options) { request, context in try await editing.options(request, context) }
            router.on("/collections/:collection/items/:feature", method: .options) { request, context in try await editing.options(request, context) }
            router.post("/collections/:collection/items") { request, context in try await editing.change(request, context) }
            for method in [HTTPRequest.Method.put, .patch, .delete] {
                router.on("/collections/:collection/items/:feature", method: method) { request, context in try await editing.change(request, context) }
            }
        }
        return router
    }

    func layer(_ context: WorkbenchContext) throws -> IndexedLayer {
        let id = context.parameters.get("collection") ?? ""
        guard let layer = district[id] else {
            throw WorkbenchError.notFound("no collection \(id); collections are \(district.layers.map(\.id).joined(separator: ", "))")
        }
        return layer
    }

    func landingPage(_ base: String) -> Response {
        let data = workspace.data
        return Reply.json([
            ("title", .string("spaceplan workbench: \(data.manifest.name)")),
            (
                "description",
                .string(
                    "The industrial-space map (产业空间地图) of \(data.manifest.name)\(data.manifest.synthetic ? " (synthetic data)" : "") as OGC API – Features collections, with a JSON API for renewal, supply and allocation."
                )
            ),
            (
                "links",
                .array([
                    Self.link("\(base)/", "self", "application/json", "this document"),
                    Self.link("\(base)/api/openapi.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"),
                    Self.link("\(base)/", "service-doc", "text/html", "the workbench page"),
                    Self.link("\(base)/conformance", "conformance", "application/json", "conformance classes"),
                    Self.link("\(base)/collections", "data", "application/json", "the collections"),
                ])
            ),
        ])
    }

    func collection(_ layer: IndexedLayer, base: String) -> JSONValue {
        var o = JSONObject([
            ("id", .string(layer.id)), ("title", .string(layer.title)), ("description", .string(layer.description)),
            ("itemType", .string("feature")), ("crs", .array([.string(Self.crs84)])),
        ])
        if let e = layer.extent {
            o["extent"] = .object(
                JSONObject([
                    (
                        "spatial",
                        .object(
                            JSONObject([
                                ("bbox", .array([.array([e.minX, e.minY, e.maxX, e.maxY].map { .number($0, decimals: 7) })])),
                                ("crs", .string(Self.crs84)),
                            ]))
                    )
                ]))
        }
        o["links"] = .array([
            Self.link("\(base)/collections/\(layer.id)", "self", "application/json"),
            Self.link(
                "\(base)/collections/\(layer.id)/items", "items", "application/geo+json", "\(layer.title): \(Wording.grouped(Double(layer.count))) features"),
            Self.link(
                "\(base)/collections/\(layer.id)/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json",
                "the attributes of \(layer.id), with their types, units and meanings"),
        ])
        return .object(o)
    }

    /// One page of features, with numberMatched, numberReturned and the next page's link.
    func items(_ layer: IndexedLayer, _ query: ItemsQuery, base: String) throws -> Response {
        let page = try district.page(layer, boxes: query.bbox, offset: query.offset, limit: query.limit)
        let href = "\(base)/collections/\(layer.id)/items"
        var links = [
            Self.link(href + query.string(offset: query.offset), "self", "application/geo+json"),
            Self.link("\(base)/collections/\(layer.id)", "collection", "application/json"),
        ]
        if query.offset + page.returned < page.matched {
            links.append(Self.link(href + query.string(offset: query.offset + page.returned), "next", "application/geo+json", "next page"))
        }
        if query.offset > 0 {
            links.append(Self.link(href + query.string(offset: max(0, query.offset - query.limit)), "prev", "application/geo+json", "previous page"))
        }
        let head =
            "{\"type\":\"FeatureCollection\",\"numberMatched\":\(page.matched),\"numberReturned\":\(page.returned),\"links\":\(JSONValue.array(links).serialized),\"features\":[\n"
        return Reply.bytes(Array(head.utf8) + page.features + Array("\n]}\n".utf8), type: "application/geo+json")
    }
}

/// The query of an items request, checked: an unknown parameter or a bad value is a 400 that says which.
struct ItemsQuery {
    static let known: Set<String> = ["bbox", "bbox-crs", "limit", "offset", "f"]
    var bbox: [Envelope]?
    var bboxText: String?
    var limit: Int
    var offset = 0

    init(_ parameters: FlatDictionary<Substring, Substring>, options: WorkbenchOptions) throws {
        if parameters.get("datetime") != nil {
            throw WorkbenchError.badRequest(
                "datetime is not supported: the collections describe the district as the data stand, with no time of their own, so no feature could be filtered by it"
            )
        }
        for (key, _) in parameters where !Self.known.contains(String(key)) {
            throw WorkbenchError.badRequest("unknown query parameter '\(key)'; items take \(Self.known.sorted().joined(separator: ", "))")
        }
        if let f = parameters.get("f"), !["json", "geojson"].contains(f) {
            throw WorkbenchError.badRequest("f=\(f): items are served as GeoJSON only (f=json)")
        }
        if let crs = parameters.get("bbox-crs"), !["http://www.opengis.net/def/crs/OGC/1.3/CRS84", "CRS84"].contains(crs) {
            throw WorkbenchError.badRequest("bbox-crs \(crs) is not supported: give the bbox in CRS84 (lon/lat, WGS84)")
        }
        limit = options.defaultLimit
        if let text = parameters.get("limit") {
            guard let n = Int(text), n >= 1 else { throw WorkbenchError.badRequest("limit must be a whole number of at least 1, found '\(text)'") }
            limit = min(n, options.maxLimit)  // OGC API: a larger limit is not an error, it is the maximum
        }
        if let text = parameters.get("offset") {
            guard let n = Int(text), n >= 0 else { throw WorkbenchError.badRequest("offset must be a whole number of at least 0, found '\(text)'") }
            offset = n
        }
        if let text = parameters.get("bbox") {
            bboxText = text
            bbox = try Self.parseBBox(text)
        }
    }

    /// "minLon,minLat,maxLon,maxLat" (or with heights, 6 numbers), in CRS84.
    static func parseBBox(_ text: String) throws -> [Envelope] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4 || parts.count == 6, parts.allSatisfy({ $0?.isFinite == true }) else {
            throw WorkbenchError.badRequest("bbox must be four numbers minLon,minLat,maxLon,maxLat (CRS84), found '\(text)'")
        }
        let v = parts.map { $0! }
        let (x0, y0, x1, y1) = v.count == 4 ? (v[0], v[1], v[2], v[3]) : (v[0], v[1], v[3], v[4])
        guard (-180...180).contains(x0), (-180...180).contains(x1), (-90...90).contains(y0), (-90...90).contains(y1) else {
            throw WorkbenchError.badRequest(
                "bbox '\(text)' is outside lon −180…180, lat −90…90: is it in CRS84 (lon, lat), not projected metres or lat/lon?")
        }
        guard y0 <= y1 else { throw WorkbenchError.badRequest("bbox '\(text)': the lower latitude (\(y0)) is above the upper (\(y1))") }
        if x0 > x1 {  // across the antimeridian
            return [Envelope(minX: x0, minY: y0, maxX: 180, maxY: y1), Envelope(minX: -180, minY: y0, maxX: x1, maxY: y1)]
        }
        return [Envelope(minX: x0, minY: y0, maxX: x1, maxY: y1)]
    }

    /// The query string of a page at `offset`.
    func string(offset: Int) -> String {
        var parts = ["limit=\(limit)", "offset=\(offset)"]
        if let bboxText { parts.insert("bbox=\(bboxText.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? bboxText)", at: 0) }
        return "?" + parts.joined(separator: "&")
    }
}
