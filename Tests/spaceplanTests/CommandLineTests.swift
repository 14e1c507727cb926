import Foundation
import Testing
import TestSupport

/// The `spaceplan` binary as a user runs it (SwiftPM builds it next to the test bundle).
@Suite("The command line")
struct CommandLineTests {
    static var binary: URL { SpacePlanCLI.binary }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) { try SpacePlanCLI.run(arguments) }

    @Test("crs transform prints X Y; GCJ-02 to WGS84 moves a Futian point by the known offset")
    func transform() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the spaceplan binary first")
        let r = try Self.run(["crs", "transform", "--from", "WGS84", "--to", "EPSG:4547", "114", "22.5"])
        #expect(r.status == 0)
        let v = r.output.split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        #expect(abs(v[0] - 500_000) < 0.001)
        let g = try Self.run(["crs", "transform", "--from", "GCJ-02", "--to", "WGS84", "114.0579", "22.5431"])
        #expect(g.output == "114.052792334 22.545826497\n")
        let bad = try Self.run(["crs", "transform", "--from", "EPSG:99999", "--to", "WGS84", "1", "2"])
        #expect(bad.status != 0 && bad.error.contains("unknown CRS 'EPSG:99999'"))
    }

    @Test("bad data: a non-zero exit, a message naming file and record, and no output written")
    func badDataWritesNothing() throws {
        let folder = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("parcels.geojson")
        try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"id\":\"P2\"", with: "\"id\":\"P1\"")
            .write(to: url, atomically: true, encoding: .utf8)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Self.run(["spacemap", "--data", folder.path, "--out", out.path])
        #expect(r.status != 0)
        #expect(r.error.contains("parcels.geojson, record 1 (id P1): duplicate id"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let v = try Self.run(["validate", "--data", folder.path])
        #expect(v.status != 0 && v.error.contains("duplicate id"))
    }

    @Test("spacemap on good data writes every file and no temporary file is left")
    func goodData() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let data = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: data) }
        let r = try Self.run([
            "spacemap", "--data", data.path, "--out", out.path,
            "--config", TestPaths.repositoryRoot.appendingPathComponent("GIS/config/policy.json").path,
        ])
        #expect(r.status == 0, "\(r.error)")
        #expect(r.output.contains("17,000 m² tech-cultivation space"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(
            files == [
                ".spaceplan-output", "joins", "maps", "report.md", "space-map.geojson", "space-map.gpkg", "summary.csv", "summary.json",
                "validation.json", "validation.txt",
            ])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("maps").path).sorted()
                == ["floor-area-by-zone.svg", "space.svg", "trajectory.svg"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("joins").path).sorted()
                == ["building_parcel.csv", "enterprise_building.csv"])
    }
}
