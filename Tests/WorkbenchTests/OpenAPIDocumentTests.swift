import SpaceCore
import Foundation
import Hummingbird
import HummingbirdTesting
import SpacePlanKit
import Testing
@testable import Workbench

/// The document against the server route by route: every GET and HEAD it documents, with the
/// sample's values for its path parameters, answers as documented (`ask` checks each answer).
@Suite("openapi.json and the server agree")
struct OpenAPIDocumentTests {
    /// A value of the sample for each path parameter the document names.
    static let sampleValues = [
        "collectionId": "buildings", "featureId": "B0000005", "id": "renewal-shipped", "theme": "vacancy",
        "layer": "zones", "file": "vacancy.svg",
    ]

    static func uri(_ template: String) -> String {
        var uri = template
        if template.hasPrefix("/api/zones/") { uri = "/api/zones/440304010" }
        if template.hasPrefix("/api/buildings/") { uri = "/api/buildings/B0000005" }
        if template.hasPrefix("/leaflet/images/") {
            uri = "/leaflet/images/layers.png"
        } else if template.hasPrefix("/leaflet/") {
            uri = "/leaflet/leaflet.js"
        }
        if template == "/api/files/{path}" { uri = "/api/files/joins%2Fbuilding_parcel.csv" }
        if template == "/api/runs/{id}/files/{path}" { uri = "/api/runs/renewal-shipped/files/maps%2FHQB-04-after.svg" }
        for (name, value) in sampleValues { uri = uri.replacingOccurrences(of: "{\(name)}", with: value) }
        return uri
    }

    @Test("every documented GET and HEAD answers 200 as documented, a / in a file path sent as %2F too")
    func everyOperation() async throws {
        let paths = OpenAPIValidator.shipped.document["paths"]!.objectValue!
        // The shipped renewal run must exist before its files are asked for.
        _ = try await get("/api/renewal")
        var requests: [(String, HTTPRequest.Method, [UInt8]?, HTTPFields)] = []
        for (template, item) in paths.members {
            for method in ["get", "head"] where item[method] != nil {
                requests.append((Self.uri(template), method == "get" ? .get : .head, nil, [:]))
            }
        }
        #expect(requests.count > 80)
        let answers = try await ask(Sample.workbench, requests)
        for (request, answer) in zip(requests, answers) {
            let leafletMissing = request.0.hasPrefix("/leaflet/") && !StaticFiles().hasLeaflet
            #expect(answer.status == .ok || leafletMissing, "\(request.1) \(request.0): \(answer.status) \(answer.error)")
        }
    }

    @Test(
        "a parameter the document says may not be empty is refused empty, with a 400 it documents",
        arguments: [
            "/api/maps/space.svg?zone=", "/api/layers/zones?crs=", "/collections/zones/items?f=", "/collections/zones/items?bbox-crs=",
            "/api/themes/vacancy?classes=", "/api/maps/space.svg?classification=", "/collections/zones/items?limit=", "/api/layers/zones?mpp=",
            "/api/maps/trajectory.svg?zone=", "/?f=", "/?f=xml",
        ])
    func emptyParameters(uri: String) async throws {
        let answer = try await get(uri)
        #expect(answer.status == .badRequest, "\(uri): \(answer.status)")
    }

    @Test("the landing page is JSON, or with f=html the page")
    func landingFormats() async throws {
        #expect(try await get("/?f=html").text.contains("<title>spaceplan workbench"))
        #expect(try await get("/?f=json").json["links"] != nil)
    }

    @Test("an empty demand name is a 400, before any job starts")
    func emptyDemand() async throws {
        let answer = try await post("/api/allocation?demand=", [], type: "text/csv")
        #expect(answer.status == .badRequest && answer.error.contains("no shipped demand file"))
    }
}
