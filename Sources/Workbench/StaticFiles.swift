import Foundation
import Hummingbird
import SpacePlanKit

/// The page's own files (Resources/web, copied with the module) and Leaflet from Debian's
/// libjs-leaflet, served by name from a fixed list: no request names a path on disk.
struct StaticFiles: Sendable {
    /// Where Debian's libjs-leaflet installs Leaflet (no CDN, no copy in the repository).
    static let leafletFolder = URL(fileURLWithPath: "/usr/share/javascript/leaflet")
    static let leafletFiles = [
        "leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
        "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png",
    ]
    /// The page's ES modules (main.js the entry), in no particular order.
    static let pageModules = [
        "main.js", "state.js", "api.js", "dom.js", "tabs.js", "themes.js", "legend.js", "map.js", "inspector.js",
        "trajectory.js", "renewal.js", "supply.js", "allocation.js", "target.js", "simulation.js",
        "platform.js", "mycarriers.js", "applications.js", "matching.js",
    ]
    static let pageFiles = ["index.html", "style.css", "openapi.json"] + pageModules

    let folder: URL?

    init() { folder = Bundle.module.url(forResource: "web", withExtension: nil) }

    static func type(_ name: String) -> String {
        switch (name as NSString).pathExtension {
        case "html": return "text/html; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "json": return "application/json"
        case "png": return "image/png"
        default: return "application/octet-stream"
        }
    }

    func page(_ name: String) throws -> Response {
        guard Self.pageFiles.contains(name), let folder,
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
        else {
            throw WorkbenchError.notFound("no page file \(name)")
        }
        return Reply.bytes(Array(data), type: Self.type(name))
    }

    var hasLeaflet: Bool { FileManager.default.fileExists(atPath: Self.leafletFolder.appendingPathComponent("leaflet.js").path) }

    func leaflet(_ name: String) throws -> Response {
        guard Self.leafletFiles.contains(name) else { throw WorkbenchError.notFound("no Leaflet file \(name)") }
        guard let data = FileManager.default.contents(atPath: Self.leafletFolder.appendingPathComponent(name).path) else {
            throw WorkbenchError.notFound("Leaflet is not installed: \(Self.leafletFolder.path)/\(name) is missing (apt-get install libjs-leaflet)")
        }
        return Reply.bytes(Array(data), type: Self.type(name))
    }
}

/// The page's own files and Debian's Leaflet, mounted at the root.
struct PageController: Sendable {
    let web: StaticFiles

    var endpoints: RouteCollection<WorkbenchContext> {
        let router = RouteCollection(context: WorkbenchContext.self)
        for name in StaticFiles.pageFiles where name != "openapi.json" {
            router.get(RouterPath(name)) { _, _ in try web.page(name) }
        }
        router.get("/api/openapi.json") { _, _ in try web.page("openapi.json") }
        router.get("/leaflet/:file") { _, context in try web.leaflet(context.parameters.get("file") ?? "") }
        router.get("/leaflet/images/:file") { _, context in try web.leaflet("images/" + (context.parameters.get("file") ?? "")) }
        return router
    }
}
