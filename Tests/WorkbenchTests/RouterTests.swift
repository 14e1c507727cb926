import Foundation
import Hummingbird
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

@Suite("OGC API – Features: what QGIS and GDAL read")
struct OGCAPITests {
    @Test("the landing page links the API definition, conformance and collections; a browser gets the page")
    func landingPage() async throws {
        let json = try await get("/")
        #expect(json.status == .ok)
        let rels = Set(json.json["links"]!.array.map { $0["rel"]!.string })
        #expect(rels.isSuperset(of: ["self", "service-desc", "conformance", "data"]))
        let page = try await get("/", headers: [.accept: "text/html,application/xhtml+xml"])
        #expect(page.text.contains("<title>spaceplan workbench"))
        #expect(try await get("/?f=json", headers: [.accept: "text/html"]).json["links"] != nil)
    }

    @Test("conformance declares core and GeoJSON")
    func conformance() async throws {
        let classes = try await get("/conformance").json["conformsTo"]!.array.map(\.string)
        #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"))
        #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"))
    }

    @Test("the collections are the district's layers, each with its extent in CRS84")
    func collections() async throws {
        let list = try await get("/collections").json["collections"]!.array
        #expect(list.map { $0["id"]!.string } == ["zones", "parcels", "buildings", "carriers", "enterprises", "renewal-units"])
        let buildings = try await get("/collections/buildings").json
        let box = buildings["extent"]!["spatial"]!["bbox"]!.array[0].array.map(\.double)
        #expect(box[0] > 113.9 && box[2] < 114.1 && box[1] > 22.4 && box[3] < 22.6)
        #expect(buildings["links"]!.array.contains { $0["rel"]?.stringValue == "items" })
        let unknown = try await get("/collections/factories")
        #expect(unknown.status == .notFound)
        #expect(unknown.error.contains("no collection factories; collections are zones, parcels, buildings"))
    }

    @Test("items come in pages with numberMatched, numberReturned and a next link until the last")
    func paging() async throws {
        let first = try await get("/collections/buildings/items?limit=1000").json
        #expect(first["numberMatched"]?.double == 3_000)
        #expect(first["numberReturned"]?.double == 1_000)
        #expect(first["features"]!.array.count == 1_000)
        let next = try #require(first["links"]!.array.first { $0["rel"]?.stringValue == "next" }?["href"]?.string)
        #expect(next.hasSuffix("/collections/buildings/items?limit=1000&offset=1000"))
        let last = try await get("/collections/buildings/items?limit=1000&offset=2000").json
        #expect(last["numberReturned"]?.double == 1_000)
        #expect(!last["links"]!.array.contains { $0["rel"]?.stringValue == "next" })
        #expect(last["features"]!.array.last!["id"]!.string == Sample.workspace.data.buildings.last!.id)
        let defaulted = try await get("/collections/zones/items").json
        #expect(defaulted["numberReturned"]?.double == 10)
        // A limit above the maximum is the maximum, not an error.
        #expect(try await get("/collections/enterprises/items?limit=99999").json["numberReturned"]?.double == 9_000)
    }

    @Test("a bbox returns exactly the buildings whose extent meets it")
    func bbox() async throws {
        let box = (113.99, 22.51, 114.0, 22.515)
        let answer = try await get("/collections/buildings/items?limit=10000&bbox=\(box.0),\(box.1),\(box.2),\(box.3)").json
        let found = Set(answer["features"]!.array.map { $0["id"]!.string })
        let all = try await get("/collections/buildings/items?limit=10000").json["features"]!.array
        let expected = Set(
            all.filter { feature in
                var xs: [Double] = [], ys: [Double] = []
                for ring in feature["geometry"]!["coordinates"]!.array {
                    for p in ring.array { xs.append(p.array[0].double); ys.append(p.array[1].double) }
                }
                return xs.min()! <= box.2 && xs.max()! >= box.0 && ys.min()! <= box.3 && ys.max()! >= box.1
            }.map { $0["id"]!.string })
        #expect(!found.isEmpty && found.count < 3_000)
        #expect(found == expected)
        #expect(answer["numberMatched"]?.double == Double(expected.count))
        let outside = try await get("/collections/buildings/items?bbox=0,0,1,1").json
        #expect(outside["numberMatched"]?.double == 0)
    }

    @Test("a feature by id has the space map's joined attributes; an unknown id is 404")
    func feature() async throws {
        let b = try await get("/collections/buildings/items/B0000005")
        #expect(b.status == .ok)
        #expect(b.headers[.contentType] == "application/geo+json")
        #expect(b.json["id"]?.string == "B0000005")
        #expect(b.json["properties"]?["parcel_id"]?.string == "P0001989")
        #expect(b.json["properties"]?["subdistrict"]?.string == "440304002")
        let zone = try await get("/collections/zones/items/440304010").json
        #expect(zone["properties"]?["kind"]?.string == "subdistrict")
        let map = Sample.workspace.spaceMap
        let tally = map.zoneTallies[try #require(map.data.zones.firstIndex { $0.id == "440304010" })]
        #expect(abs((zone["properties"]?["tech_space_m2"]?.double ?? .nan) - tally.techSpaceM2) < 0.01)
        let missing = try await get("/collections/buildings/items/B9999999")
        #expect(missing.status == .notFound)
        #expect(missing.error == "collection buildings has no feature B9999999")
    }

    @Test(
        "bad queries are 400 with a body that says what is wrong",
        arguments: [
            ("bbox=1,2,3", "bbox must be four numbers"), ("bbox=a,b,c,d", "bbox must be four numbers"),
            ("bbox=114,22,115,95", "outside lon −180…180, lat −90…90"), ("bbox=114,23,115,22", "the lower latitude (23.0) is above the upper (22.0)"),
            ("bbox=500000,2500000,510000,2510000", "is it in CRS84"), ("limit=0", "limit must be a whole number of at least 1"),
            ("limit=ten", "limit must be a whole number"), ("offset=-1", "offset must be a whole number of at least 0"),
            ("colour=red", "unknown query parameter 'colour'"), ("bbox-crs=EPSG:4547&bbox=1,1,2,2", "bbox-crs EPSG:4547 is not supported"),
            ("f=html", "items are served as GeoJSON only"),
        ])
    func badQueries(query: String, words: String) async throws {
        let answer = try await get("/collections/buildings/items?\(query)")
        #expect(answer.status == .badRequest)
        #expect(answer.error.contains(words), "\(answer.error)")
    }

    @Test("an unknown route is a JSON 404")
    func unknownRoute() async throws {
        let answer = try await get("/no/such/thing")
        #expect(answer.status == .notFound)
        #expect(answer.error == "no such resource: /no/such/thing")
    }
}

@Suite("One workspace, many planners")
struct ConcurrencyTests {
    /// Its own workbench: other suites upload to the shared one at the same time.
    static let workbench: Workbench = Sample.removedAtExit(try! Workbench(workspace: Sample.workspace))


    @Test("requests at once (a page of buildings, an evaluation, an inspector) each get the answer they get alone")
    func concurrentRequests() async throws {
        let proposals = try sampleFile("proposals.geojson")
        let workbench = Self.workbench
        let alone = try await ask(
            workbench, [("/collections/buildings/items?limit=500", .get, nil, [:]), ("/api/buildings/B0000005", .get, nil, [:])])
        let app = Application(router: workbench.router())
        let answers = try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for k in 0..<6 {
                    group.addTask {
                        switch k % 3 {
                        case 0:
                            return (
                                k, try await client.execute(uri: "/collections/buildings/items?limit=500", method: .get) { String(buffer: $0.body) }
                            )
                        case 1: return (k, try await client.execute(uri: "/api/buildings/B0000005", method: .get) { String(buffer: $0.body) })
                        default:
                            return (
                                k,
                                try await client.execute(uri: "/api/renewal", method: .post, body: ByteBuffer(bytes: proposals)) {
                                    try parseJSON(String(buffer: $0.body))["result"]!["renewal"]!["ranking"].map(serializedJSON) ?? ""
                                }
                            )
                        }
                    }
                }
                var all: [Int: String] = [:]
                for try await (k, text) in group { all[k] = text }
                return all
            }
        }
        for k in 0..<6 {
            switch k % 3 {
            case 0: #expect(answers[k] == alone[0].text)
            case 1: #expect(answers[k] == alone[1].text)
            default: #expect(answers[k] == #"["BGL-03","CGM-02","ML-05","HT-01","HQB-04"]"#)
            }
        }
        #expect(uploadsAreEmpty(workbench))
    }
}
