import Foundation
import SpacePlanKit
import SpaceCore
import SpaceData
import SpaceGeometry
import Testing
import TestSupport

@Suite("spaceplan capacity and spaceplan target")
struct BuildOutCommandTests {
    static func config(_ name: String) -> String { TestPaths.config(name).path }

    @Test("capacity on the tiny district: every file, the parcels' headroom in the CSV, the GeoJSON in WGS84")
    func capacity() throws {
        let out = TestPaths.temporaryFolder("capacity")
        defer { try? FileManager.default.removeItem(at: out) }
        let data = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: data) }
        let r = try SpacePlanCLI.run([
            "capacity", "--data", data.path, "--out", out.path, "--config", Self.config("policy.json"),
            "--rules", Self.config("renewal.json"), "--positive-lists", Self.config("positive_lists.json"), "--buildout",
            Self.config("buildout.json"),
        ])
        #expect(r.status == 0, "\(r.error)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                == [".spaceplan-output", "capacity-zones.csv", "capacity.csv", "capacity.geojson", "capacity.gpkg", "capacity.md", "headroom.svg"])
        let csv = try CSV.read(Data(contentsOf: out.appendingPathComponent("capacity.csv")))
        #expect(csv.count == 4 && csv.header.contains("headroom_m2") && csv.header.contains("tech_demolition_rebuild_m2"))
        let geo = try GeoJSON.read(Data(contentsOf: out.appendingPathComponent("capacity.geojson")))
        #expect(geo.features.count == 4)
        if case let .polygon(rings)? = geo.features[0].shape { #expect(abs(rings[0][0].x - 114) < 0.1 && abs(rings[0][0].y - 22.5) < 0.1) }
        // The GeoPackage holds the same parcels and headroom, in the working CRS (metres).
        let layer = try VectorDataset(path: out.appendingPathComponent("capacity.gpkg").path).layer(named: "capacity")
        #expect(layer.featureCount == 4 && layer.spatialReference?.epsgCode == 4547)
        let headroom = layer.fields.firstIndex { $0.name == "headroom_m2" }!
        var fromGPKG: [Double] = []
        try layer.forEachFeature { if case let .real(x) = $0.values[headroom] { fromGPKG.append(x) } }
        #expect(fromGPKG == geo.features.map { $0.properties["headroom_m2"]!.numberValue! })
        #expect(r.output.contains("Build-out headroom"))
    }

    @Test("target with no budget: a clear account of the shortfall and what binds, no crash; a negative budget is refused")
    func targetWithoutBudget() throws {
        let out = TestPaths.temporaryFolder("target")
        defer { try? FileManager.default.removeItem(at: out) }
        let folder = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The tiny data describe 2021, so both targets (2023, 2025) lie ahead.
        try replaceInFile(folder, "layers.json", #"{"name": "tiny","#, #"{"name": "tiny", "as_of_year": 2021,"#)
        let base = [
            "target", "--data", folder.path, "--out", out.path, "--config", Self.config("policy.json"),
            "--rules", Self.config("renewal.json"), "--positive-lists", Self.config("positive_lists.json"), "--buildout",
            Self.config("buildout.json"),
        ]
        let r = try SpacePlanCLI.run(base + ["--budget", "0"])
        #expect(r.status == 0, "\(r.error) \(r.output)")
        #expect(r.output.contains("Cannot reach every target") && r.output.contains("binding: 2023: short by"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("target-scenario.json").path))
        let bad = try SpacePlanCLI.run(base + ["--budget=-5"])
        #expect(bad.status != 0 && bad.error.contains("--budget must be a non-negative number"))
    }
}
