import SpaceCore
import Foundation
import SpaceGeometry
import Testing
import TestSupport
@testable import SpaceData

/// The plausibility rules run on records alone, with no file: as the store will run them on an
/// edit set. Thresholds come from the shipped policy.json.
@Suite("Plausibility rules over records")
struct PlausibilityTests {
    let settings: PlausibilitySettings

    init() throws { settings = try TinyDistrict.policy.plausibility }

    func square(_ x0: Double, _ y0: Double, _ size: Double) throws -> Geometry {
        let (x, y) = (TinyDistrict.x0 + x0, TinyDistrict.y0 + y0)
        return try Geometry(
            .polygon([[Coordinate(x, y), Coordinate(x + size, y), Coordinate(x + size, y + size), Coordinate(x, y + size), Coordinate(x, y)]]),
            crs: .cgcs2000GK114)
    }

    func building(_ id: String, floors: Int, gfa: Double, footprint: Double = 100, height: Double? = nil) throws -> Building {
        Building(
            index: 0, id: id, floors: floors, heightM: height, gfaM2: gfa, gfaDerived: false, use: "office", yearBuilt: nil,
            condition: nil, vacantM2: 0, geometry: try square(0, 0, 10), footprintM2: footprint)
    }

    func carrier(_ id: String, _ area: Double, in buildings: [String], unit: Double? = nil) -> Carrier {
        Carrier(
            index: 0, id: id, name: id, type: .incubator, level: "none", operatorName: "", floorAreaM2: area, occupiedM2: 0,
            buildingIDs: buildings, unitM2: unit, rentYuanPerM2Month: nil)
    }

    @Test("the settings are policy.json's: Ping An Finance Centre's 115 floors and 599.1 m")
    func shippedSettings() {
        #expect(settings.maxFloors == 115 && settings.maxHeightM == 599.1 && settings.tallestBuilding == "Ping An Finance Centre")
    }

    @Test("a building of 116 floors is an error; 115 is not")
    func floors() throws {
        #expect(Plausibility.building(try building("B", floors: 115, gfa: 11_500), settings).isEmpty)
        let found = Plausibility.building(try building("B", floors: 116, gfa: 11_600), settings)
        #expect(found.map(\.rule) == ["building.floors_beyond_tallest"] && found[0].severity == .error)
    }

    @Test("floor area above 3× footprint × floors is a warning, at 3× it is not")
    func floorArea() throws {
        #expect(Plausibility.building(try building("B", floors: 10, gfa: 3_000), settings).isEmpty)
        let found = Plausibility.building(try building("B", floors: 10, gfa: 3_001), settings)
        #expect(found.map(\.rule) == ["building.floor_area_beyond_footprint"] && found[0].severity == .warning)
        #expect(found[0].summary == "floor area above 3× footprint × floors")
    }

    @Test("carriers: a building named twice, more than the building, a unit larger than the carrier, two sharing a building")
    func carriers() throws {
        let buildings = [try building("B1", floors: 10, gfa: 1_000), try building("B2", floors: 10, gfa: 1_000)]
        let byID = IDIndex(["B1", "B2"])
        func rules(_ carriers: [Carrier]) -> [String] {
            Plausibility.carriers(carriers, buildings: buildings, buildingByID: byID, settings).map(\.rule)
        }
        #expect(rules([carrier("K", 1_000, in: ["B1"])]).isEmpty)
        #expect(rules([carrier("K", 1_000, in: ["B1", "B1"])]) == ["carrier.building_listed_twice"])
        #expect(rules([carrier("K", 1_500, in: ["B1"])]) == ["carrier.area_beyond_buildings"])
        #expect(rules([carrier("K", 1_500, in: ["B1", "B2"])]).isEmpty)
        #expect(rules([carrier("K", 500, in: ["B1"], unit: 600)]) == ["carrier.unit_beyond_carrier"])
        #expect(rules([carrier("K", 600, in: ["B1"]), carrier("L", 600, in: ["B1"])]) == ["carriers.beyond_building"])
        // Within the 1 % tolerance of policy.json.
        #expect(rules([carrier("K", 1_009, in: ["B1"])]).isEmpty)
    }

    @Test("two parcels on one footprint are an error; neighbours are not")
    func parcels() throws {
        func parcel(_ id: String, _ index: Int, _ g: Geometry) -> Parcel {
            Parcel(
                index: index, id: id, landUse: "M1", recordedLandAreaM2: nil, farCap: nil, heightCapM: nil, tenureStart: nil, tenureEnd: nil,
                supplyMode: nil, geometry: g, landAreaM2: g.planarArea)
        }
        let found = try Plausibility.parcels(
            [
                parcel("P1", 0, try square(0, 0, 100)), parcel("P2", 1, try square(100, 0, 100)),
                parcel("P3", 2, try square(0, 0, 100)),
            ], settings)
        #expect(found.map(\.rule) == ["parcel.duplicate_footprint"] && found[0].recordID == "P3")
    }
}
