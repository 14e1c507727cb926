import SpaceCore
import Foundation
import Testing
import TestSupport
import SpaceData
import SpaceGeometry
@testable import SpaceMap

/// GIS/futian-real as a bare clone has it: the shipped layers, and nothing beside the repository,
/// so its optional sub-district file (kept in ../shared, no licence stated) is absent.
@Suite("GIS/futian-real: the shipped layers alone, and its optional sub-district file")
struct FutianShippedTests {
    static let shipped = TestPaths.repositoryRoot.appendingPathComponent("GIS/futian-real")
    static let shippedFiles = [
        "futian_boundary_cnmaps_wgs84.geojson", "futian_west_street_blocks_from_osm_wgs84.geojson",
        "futian_osm_roads_edges.geojson", "futian_bus_stops_pygeo_wgs84.geojson",
    ]
    static let subdistrictEntry = "../../../shared/data/futian/streets/futian_streets_10_wgs84.geojson"

    /// Runs `body` on a copy of the folder at TMP/bare-UUID/repo/GIS/futian-real (removed afterwards):
    /// the manifest's "../../../shared/…" then points into TMP/bare-UUID/shared, which does not
    /// exist, as beside a bare clone.
    static func withBareCopy<T>(_ body: (URL) throws -> T) throws -> T {
        try withTemporaryFolder("bare") { root in
            let folder = root.appendingPathComponent("repo/GIS/futian-real")
            try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: shipped, to: folder)
            return try body(folder)
        }
    }

    /// Loads a bare copy after `edit` has changed it, returning the error text (nil if it loads).
    static func errorText(_ edit: (URL) throws -> Void) throws -> String? {
        try withBareCopy { folder in
            try edit(folder)
            do {
                _ = try DistrictData.load(directory: folder, policy: try TinyDistrict.policy)
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    @Test("the shipped files alone: the district's 79.80 km², 611 blocks and every road")
    func shippedAlone() throws {
        try Self.withBareCopy { folder in try Self.shippedAlone(folder) }
    }

    static func shippedAlone(_ folder: URL) throws {
        let data = try DistrictData.load(directory: folder, policy: try TinyDistrict.policy)
        #expect(data.zones.count == 1 && data.district.code == "440304")
        // GeoPandas gives 79,796,792.3 m² in EPSG:4547 (SpaceGeometryTests' futian_reference.json).
        let area = data.district.geometry.planarArea
        #expect(abs(area - 79_796_792) <= 1, "district area \(area) m²")
        #expect(data.parcels.count == 611)
        let roads = try GeoJSON.read(Data(contentsOf: folder.appendingPathComponent("futian_osm_roads_edges.geojson")))
        #expect(roads.features.count == 4_009 && data.roads.count == roads.features.count)
        // The blocks' own area_m2 agrees with ours: the shipped copy is the file the producer measured.
        let map = try SpaceMap.build(data)
        let recorded = data.parcels.reduce(0) { $0 + ($1.recordedLandAreaM2 ?? 0) }
        #expect(abs(map.total.landAreaM2 - recorded) / recorded < 0.005, "\(map.total.landAreaM2) vs \(recorded)")
    }

    @Test("without ../shared the optional sub-districts are skipped, with one warning naming the file")
    func absentOptionalSkipped() throws {
        let data = try Self.withBareCopy { try DistrictData.load(directory: $0, policy: try TinyDistrict.policy) }
        #expect(data.manifest.skipped.map(\.name) == ["zones"])
        #expect(data.zones.allSatisfy { $0.kind == .district })
        #expect(data.report.entries.count == 1)
        let entry = try #require(data.report.entries.first)
        #expect(entry.kind == .warning && entry.layer == "zones" && entry.record == nil)
        #expect(entry.file.hasSuffix("/" + Self.subdistrictEntry), "\(entry.file)")
        #expect(entry.problem.contains("optional file absent") && entry.problem.contains("skipped"), "\(entry.problem)")
    }

    @Test("spaceplan spacemap runs on the shipped folder alone and reports the skipped file")
    func spacemapCommand() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("futian-bare-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Self.withBareCopy { try SpacePlanCLI.run(["spacemap", "--data", $0.path, "--out", out.path]) }
        #expect(r.status == 0, "\(r.error)")
        #expect(r.output.contains("0 repaired, 0 dropped, 0 unmatched, 1 warning, 0 derived"), "\(r.output)")
        let validation = try String(contentsOf: out.appendingPathComponent("validation.txt"), encoding: .utf8)
        #expect(validation.contains("[warning] ") && validation.contains("futian_streets_10_wgs84.geojson: optional file absent"), "\(validation)")
        let summary = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.contains("\n440304,福田区,district,611,"), "\(summary.prefix(400))")
    }

    @Test("an optional file that is there but broken or empty is an error, not skipped")
    func brokenOptionalFails() throws {
        for (bytes, problem) in [("{\"type\": \"FeatureCollection\", \"features\": [", ""), ("", "the file is empty")] {
            let text = try Self.errorText { folder in
                try Data(bytes.utf8).write(to: folder.appendingPathComponent("streets.geojson"))
                try replaceInFile(folder, "layers.json", Self.subdistrictEntry, "streets.geojson")
            }
            #expect(text?.contains("streets.geojson: \(problem)") == true, "\(text ?? "no error")")
        }
    }

    @Test("a missing required file is still an error, as is a required layer with only absent optional files, or a bad flag")
    func requiredStaysRequired() throws {
        let required = try Self.errorText { try replaceInFile($0, "layers.json", "\"optional\": true", "\"optional\": false") }
        #expect(required?.contains("futian_streets_10_wgs84.geojson: file not found") == true, "\(required ?? "no error")")
        let onlyOptional = try Self.errorText {
            try replaceInFile(
                $0, "layers.json", "\"parcels\": {\"file\": \"futian_west_street_blocks_from_osm_wgs84.geojson\",",
                "\"parcels\": {\"file\": \"none.geojson\", \"optional\": true,")
        }
        #expect(
            onlyOptional?.contains("the parcels layer is required, and its only files are optional and absent") == true,
            "\(onlyOptional ?? "no error")")
        let badFlag = try Self.errorText { try replaceInFile($0, "layers.json", "\"optional\": true", "\"optional\": \"yes\"") }
        #expect(badFlag?.contains("layer \"zones\": \"optional\" must be true or false") == true, "\(badFlag ?? "no error")")
    }

    @Test("the shipped files are those PROVENANCE.md lists by sha256, small, and copies of ../shared where it is present")
    func provenance() throws {
        let provenance = try String(contentsOf: Self.shipped.appendingPathComponent("PROVENANCE.md"), encoding: .utf8)
        var total = 0
        for name in Self.shippedFiles {
            let url = Self.shipped.appendingPathComponent(name)
            let data = try Data(contentsOf: url)
            total += data.count
            let digest = try Self.sha256(url)
            #expect(provenance.contains("\(digest)  \(name)") && provenance.contains("- sha256: `\(digest)`"), "\(name): \(digest)")
            #expect(data.count < 1_600_000, "\(name): \(data.count) bytes")
        }
        #expect(total < 3_000_000, "\(total) bytes")
        // Byte for byte the files of ../shared, when it is there to compare with.
        let shared = TestPaths.futianData
        for (name, folder) in zip(Self.shippedFiles, ["derived", "derived", "transbigdata", "derived"]) {
            let source = shared.appendingPathComponent("\(folder)/\(name)")
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            #expect(
                try Data(contentsOf: source) == Data(contentsOf: Self.shipped.appendingPathComponent(name)), "\(name) differs from \(source.path)")
        }
    }

    static func sha256(_ url: URL) throws -> String {
        String(try runTool("/usr/bin/sha256sum", [url.path]).output.prefix(64))
    }
}
