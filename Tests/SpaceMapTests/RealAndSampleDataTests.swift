import SpaceCore
import Foundation
import Testing
import TestSupport
import Reports
import SpaceData
import SpaceGeometry
@testable import SpaceMap

@Suite("Real Futian layers and the shipped sample")
struct RealAndSampleDataTests {
    /// The sub-districts GIS/futian-real reads when present: they state no licence, so they are
    /// not shipped (FutianShippedTests covers the folder without them).
    static let subdistricts = TestPaths.repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/data/futian/streets/futian_streets_10_wgs84.geojson")

    @Test(
        "the real district, sub-districts and OSM blocks run through the space map",
        .enabled(
            if: FileManager.default.fileExists(atPath: subdistricts.path),
            "needs \(subdistricts.path), absent (no licence stated: it is not in the repository)"))
    func realFutian() throws {
        let folder = TestPaths.repositoryRoot.appendingPathComponent("GIS/futian-real")
        let data = try DistrictData.load(directory: folder, policy: try TinyDistrict.policy)
        // The optional sub-district file is there, so nothing is skipped.
        #expect(data.manifest.skipped.isEmpty)
        // One plausibility warning, explained in GIS/README.md: 梅林 (440304007) of the sub-district
        // file strays 2.3 % outside the district outline of another source.
        let warnings = data.report.entries.filter { $0.kind == .warning }
        #expect(warnings.map(\.rule) == ["zone.outside_district"] && warnings.first?.recordID == "440304007", "\(warnings.map(\.line))")
        #expect(data.zones.count == 11)
        #expect(data.zones.filter { $0.kind == .subdistrict }.count == 10)
        // The file's 福田保税区 code stands for 福保街道.
        #expect(data.zones.contains { $0.code == "440304010" && $0.name == "福田保税区" })
        #expect(data.parcels.count == 611)
        let map = try SpaceMap.build(data)
        // The blocks' own area_m2 (computed by their producer) agrees with ours in EPSG:4547.
        let recorded = data.parcels.reduce(0) { $0 + ($1.recordedLandAreaM2 ?? 0) }
        #expect(abs(map.total.landAreaM2 - recorded) / recorded < 0.005, "\(map.total.landAreaM2) vs \(recorded)")
        // Sub-districts tile the district: each block is in exactly one, bar a few on the edge.
        let inSubdistricts = map.parcelZones.filter { zones in zones.filter { data.zones[$0].kind == .subdistrict }.count == 1 }.count
        #expect(inSubdistricts >= 600)
        let subdistrictLand = data.zones.indices.filter { data.zones[$0].kind == .subdistrict }.reduce(0) { $0 + map.zoneTallies[$1].landAreaM2 }
        #expect(subdistrictLand <= map.total.landAreaM2 + 1e-6 && subdistrictLand > 0.97 * map.total.landAreaM2)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("futian-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try OutputFolder(out, inputs: []).commit(SpaceMapFiles.artifacts(map)).contains("summary.csv"))
    }

    @Test("the shipped sample says it is synthetic and maps to the tech space its carriers list")
    func sample() throws {
        let folder = TestPaths.repositoryRoot.appendingPathComponent("GIS/sample")
        let data = try DistrictData.load(directory: folder, policy: try TinyDistrict.policy)
        #expect(data.manifest.synthetic)
        #expect(data.buildings.count == 3_000 && data.enterprises.count == 9_000)
        let map = try SpaceMap.build(data)
        // Independent sum straight from carriers.csv.
        let table = try CSV.read(Data(contentsOf: folder.appendingPathComponent("carriers.csv")))
        let area = table.column("floor_area_m2")!
        let listed = table.rows.reduce(0.0) { $0 + Double($1[area])! }
        #expect(abs(map.total.techSpaceM2 - listed) < 1e-6)
        #expect(listed > 350_000 && listed < 450_000)  // a realistic baseline, near the plan's 400,000 m²
        // The sub-districts tile the sample district: their floor areas add up to the total.
        let subdistrictGFA = data.zones.indices.filter { data.zones[$0].kind == .subdistrict }.reduce(0) { $0 + map.zoneTallies[$1].gfaM2 }
        #expect(abs(subdistrictGFA - map.total.gfaM2) / map.total.gfaM2 < 1e-9)
        #expect(map.report.count(.repaired) > 0 && map.report.count(.unmatched) > 0)
        // space-map.geojson gives each footprint back in WGS84: as read, for valid input.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sample-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try OutputFolder(out, inputs: []).commit(SpaceMapFiles.artifacts(map))
        let written = try GeoJSON.read(Data(contentsOf: out.appendingPathComponent("space-map.geojson")))
        let input = try GeoJSON.read(Data(contentsOf: folder.appendingPathComponent("buildings.geojson")))
        #expect(written.features.count == input.features.count)
        #expect(written.features[0].shape == input.features[0].shape)
    }

    @Test("footprints given in EPSG:4547 come back in WGS84 in space-map.geojson")
    func spaceMapInWGS84() throws {
        let folder = try TinyDistrict().write()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try DistrictData.load(directory: folder, policy: try TinyDistrict.policy)
        let map = try SpaceMap.build(data)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-wgs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try OutputFolder(out, inputs: []).commit(SpaceMapFiles.artifacts(map))
        let written = try GeoJSON.read(Data(contentsOf: out.appendingPathComponent("space-map.geojson")))
        let back = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114)
        guard case let .polygon(rings)? = written.features[0].shape else { Issue.record("not a polygon"); return }
        // B1's first corner is (500 010, 2 490 010) in EPSG:4547; 7 decimals of a degree ≈ 1 cm.
        let corner = try back.transform(rings[0][0])
        #expect(abs(corner.x - 500_010) < 0.02 && abs(corner.y - 2_490_010) < 0.02)
    }
    // The generator itself (same seed, same bytes): Tests/SampleDistrictTests.
}
