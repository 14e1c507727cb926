import Foundation
import HummingbirdTesting
import SpacePlanKit
import SpaceCore
import SpaceData
import Cartography
import Reports
import BuildOut
import TestSupport
import Testing
@testable import Workbench

@Suite("The JSON API: the space map")
struct SpaceMapAPITests {
    @Test("summary, headlines and the trajectory against the 2023 and 2025 targets")
    func summaries() async throws {
        let summary = try await get("/api/summary").json
        #expect(abs(summary["total"]!["tech_space_m2"]!.double - 406_551) < 1)
        let headlines = try await get("/api/headlines").json["lines"]!.array.map(\.string)
        #expect(headlines == Headlines.spaceMap(Sample.workspace.spaceMap))
        let trajectory = try await get("/api/trajectory").json
        #expect(trajectory["milestones"]!.array.map { $0["year"]!.double } == [2023, 2025])
        #expect(trajectory["milestones"]!.array[0]["gap_m2"]!.double == 593_449)
        #expect(trajectory["baseline"]!["floor_area_m2"]!.double == 400_000)
    }

    @Test("the inspector: a building's parcel, carriers, firms and vacancy; a zone's figures")
    func inspector() async throws {
        let building = try await get("/api/buildings/B0000005").json
        #expect(building["parcel"]!["id"]!.string == "P0001989")
        #expect(building["parcel"]!["gfa_by_use_m2"]!["warehouse"]!.double == 5_036)
        #expect(building["vacancy"]!["vacant_m2"]!.double == 669)
        #expect(building["enterprises_total"]!.double == 1)
        #expect(building["old_industrial"]!.bool)
        let carrierBuilding = Sample.workspace.data.carriers[0].buildingIDs[0]
        let withCarrier = try await get("/api/buildings/\(carrierBuilding)").json
        #expect(withCarrier["carriers"]!.array.first?["id"]?.string == Sample.workspace.data.carriers[0].id)
        let zone = try await get("/api/zones/440304010").json
        #expect(zone["kind"]!.string == "subdistrict")
        // The sub-district's tech space as the space map tallies it, not just some number.
        let map = Sample.workspace.spaceMap
        let tally = map.zoneTallies[try #require(map.data.zones.firstIndex { $0.id == "440304010" })]
        #expect(abs(zone["tech_space_m2"]!.double - tally.techSpaceM2) < 0.01)
        #expect(try await get("/api/buildings/nope").status == .notFound)
        let unknownZone = try await get("/api/zones/nope")
        #expect(unknownZone.status == .notFound)
        #expect(unknownZone.error.hasPrefix("no zone nope; zones are "))
    }

    @Test("a choropleth theme is classed as the SVG map classes it")
    func themes() async throws {
        let vacancy = try await get("/api/themes/vacancy?classification=quantiles&classes=4").json
        #expect(vacancy["legend"]!.array.count == 4)
        #expect(vacancy["zones"]!.objectValue!.count == Sample.workspace.data.zones.filter { $0.kind == .subdistrict }.count)
        var options = MapOptions()
        options.theme = .vacancy; options.classification = .quantiles; options.classes = 4
        let svg = try DistrictMap.render(MapScene(Sample.workspace.spaceMap), options)
        for (id, zone) in vacancy["zones"]!.objectValue!.members {
            #expect(svg.contains("fill=\"\(zone["colour"]!.string)\" data-id=\"\(id)\""), "\(id)")
        }
        #expect(try await get("/api/themes/carriers").json["legend"]!.array.count == 6)
        #expect(try await get("/api/themes/vacancy?classification=natural").status == .badRequest)
        #expect(try await get("/api/themes/vacancy?classes=12").error == "classes must be between 2 and 9, found '12'")
        #expect(try await get("/api/themes/heat").status == .notFound)
    }

    @Test("every map and chart the command line draws, and every space-map file, by URL")
    func mapsAndFiles() async throws {
        for theme in MapTheme.allCases {
            let map = try await get("/api/maps/\(theme.rawValue).svg")
            #expect(map.status == .ok, "\(theme)")
            #expect(map.headers[.contentType] == "image/svg+xml", "\(theme)")
            #expect(map.text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "), "\(theme)")
        }
        #expect(try await get("/api/maps/trajectory.svg").text.contains("Tech-cultivation space"))
        #expect(try await get("/api/maps/floor-area-by-zone.svg").status == .ok)
        let zoomed = try await get("/api/maps/carriers.svg?zone=nowhere")
        #expect(zoomed.status == .badRequest)
        #expect(zoomed.error.hasPrefix("no zone 'nowhere'; zones are"))
        let files = try await get("/api/files").json["files"]!.objectValue!.keys
        #expect(Set(files) == Set(try Sample.workspace.spaceMapArtifacts(maps: false).map(\.path)))
        let csv = try await get("/api/files/summary.csv?download=1")
        #expect(csv.headers[.contentDisposition] == "attachment; filename=\"summary.csv\"")
        #expect(try await get("/api/files/report.md").text.hasPrefix("#"))
        let geojson = try await get("/api/files/space-map.geojson")
        #expect(geojson.text == (try Sample.workspace.spaceMapArtifacts(maps: false).first { $0.path == "space-map.geojson" }!.text()))
        // The GeoPackage downloads whole, as the binary file it is.
        let gpkg = try await get("/api/files/space-map.gpkg?download=1")
        #expect(gpkg.status == .ok && gpkg.text.hasPrefix("SQLite format 3"))
        #expect(gpkg.headers[.contentType] == "application/geopackage+sqlite3")
        #expect(gpkg.headers[.contentDisposition] == "attachment; filename=\"space-map.gpkg\"")
        #expect(try await get("/api/files/../layers.json").status == .notFound)
        #expect(try await get("/api/maps/space.png").status == .notFound)
    }

    @Test("the page's view: every building in view, or the density grid of the SVG maps when too many")
    func view() async throws {
        let whole = try await get("/api/layers/buildings?bbox=113.9,22.4,114.1,22.6&mpp=5").json
        #expect(whole["features"]!.array.count == 3_000)
        #expect(whole["generalised"]!.isNull)
        let first = whole["features"]!.array[0]
        #expect(first["properties"]!["old_industrial"]?.boolValue != nil)
        let grid = try await get("/api/layers/buildings?bbox=113.9,22.4,114.1,22.6&mpp=5", on: Sample.tight).json
        #expect(grid["generalised"]!["kind"]!.string == "density")
        #expect(grid["numberMatched"]!.double == 3_000)
        #expect(grid["features"]!.array.allSatisfy { $0["properties"]!["colour"]?.stringValue != nil })
        let firms = try await get("/api/layers/enterprises?mpp=5", on: Sample.tight).json
        #expect(firms["generalised"]!["label"]!.string.hasPrefix("employees"))
        // For a page on GCJ-02 tiles the data move (≈ 500 m in Futian), not the tiles.
        let shifted = try await get("/api/layers/buildings?bbox=113.9,22.4,114.1,22.6&crs=GCJ-02").json
        let a = first["geometry"]!["coordinates"]!.array[0].array[0].array.map(\.double)
        let b = shifted["features"]!.array.first { $0["id"] == first["id"] }!["geometry"]!["coordinates"]!.array[0].array[0].array.map(\.double)
        let metres = hypot((b[0] - a[0]) * 111_320 * cos(a[1] * .pi / 180), (b[1] - a[1]) * 110_574)
        #expect(metres > 300 && metres < 800, "\(metres) m")
        #expect(try await get("/api/layers/buildings?crs=BD-09").status == .badRequest)
        #expect(try await get("/api/layers/buildings?mpp=-1").status == .badRequest)
        #expect(try await get("/api/layers/streets").status == .notFound)
    }

    @Test("the page, its OpenAPI document and Leaflet from the Debian package, by fixed names only")
    func staticFiles() async throws {
        for module in [
            "main.js", "api.js", "map.js", "legend.js", "themes.js", "inspector.js", "trajectory.js", "renewal.js", "supply.js",
            "allocation.js", "target.js", "platform.js", "mycarriers.js", "applications.js", "matching.js",
        ] {
            #expect(try await get("/\(module)").headers[.contentType] == "text/javascript; charset=utf-8", "\(module)")
        }
        #expect(try await get("/index.html").text.contains("<script type=\"module\" src=\"/main.js\"></script>"))
        #expect(try await get("/app.js").status == .notFound)
        #expect(try await get("/style.css").status == .ok)
        let openapi = try await get("/api/openapi.json").json
        #expect(openapi["openapi"]!.string.hasPrefix("3.0"))
        for path in [
            "/collections/{collectionId}/items", "/api/style", "/api/renewal", "/api/supply", "/api/allocation", "/api/target", "/api/runs/{id}",
            "/api/layers/{layer}",
        ] {
            #expect(openapi["paths"]![path] != nil, "\(path)")
        }
        let leaflet = try await get("/leaflet/leaflet.js")
        if Sample.workbench.web.hasLeaflet {
            #expect(leaflet.status == .ok)
        } else {
            #expect(leaflet.error.contains("apt-get install libjs-leaflet"))
        }
        #expect(try await get("/leaflet/..%2F..%2F..%2Fetc%2Fpasswd").status == .notFound)
        #expect(try await get("/leaflet/leaflet.esm.js").status == .notFound)
    }
}

/// The page's modules: every one a module imports is served (a module left out of the list the
/// server serves breaks the whole page, which loads them all through main.js).
@Suite("The page's modules")
struct PageModuleTests {
    @Test("every module the page imports, from index.html's main.js down, is served as JavaScript")
    func everyImportServed() async throws {
        let web = TestPaths.repositoryRoot.appendingPathComponent("Sources/Workbench/Resources/web")
        var wanted = ["main.js"], seen = Set<String>()
        while let name = wanted.popLast() {
            guard seen.insert(name).inserted else { continue }
            let text = try String(contentsOf: web.appendingPathComponent(name), encoding: .utf8)
            let imports = text.matches(of: #/from '\./([a-z]+\.js)'/#).map { String($0.output.1) }
            wanted += imports
        }
        #expect(seen.contains("simulation.js") && seen.count >= 19, "\(seen.sorted())")
        for name in seen.sorted() {
            let answer = try await get("/\(name)")
            #expect(answer.status == .ok && answer.headers[.contentType]?.hasPrefix("text/javascript") == true, "/\(name): \(answer.status)")
        }
    }
}
