import SpaceCore
import Foundation
import Testing
import TestSupport
import SpaceGeometry
@testable import SpaceData

@Suite("The fast path for firm rows")
struct FirmFastPathTests {
    @Test("gives exactly the records of the general path on the sample's 9,000 firms")
    func sameRecords() throws {
        let folder = TestPaths.repositoryRoot.appendingPathComponent("GIS/sample")
        let policy = try TinyDistrict.policy
        let layer = try Manifest.load(directory: folder).layers["enterprises"]![0]
        var general = layer
        general.defaults = JSONObject([("name", .string(""))])  // any default sends every row down the general path
        #expect(FirmRowFastPath(columns: ["id": 0, "sector": 1, "employees": 2, "floor_area_m2": 3], layer: general) == nil)
        let fast = try LayerLoaders.enterprises(layer, policy: policy).0
        let slow = try LayerLoaders.enterprises(general, policy: policy).0
        #expect(fast.count == 9_000 && slow.count == 9_000)
        for (a, b) in zip(fast, slow) {
            #expect(a.id == b.id && a.name == b.name && a.sector == b.sector && a.flags == b.flags)
            #expect(a.employees == b.employees && a.floorAreaM2 == b.floorAreaM2 && a.buildingID == b.buildingID)
            #expect(a.location == b.location)
        }
        #expect(fast.filter { $0.buildingID != nil }.count > 100 && fast.filter { !$0.flags.isEmpty }.count > 1_000)
    }

    @Test("unusual rows take the general path and keep its wording")
    func unusualRows() throws {
        for text in ["1,5", "nan", "inf", "0x10", " 5", ""] {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { FirmRowFastPath.number($0) }
            #expect(parsed == nil, "\(text)")
        }
        #expect(Array("-12.5e1".utf8).withUnsafeBufferPointer { FirmRowFastPath.number($0) } == -125)
    }
}
