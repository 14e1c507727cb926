import SpaceCore
import Testing

@testable import SampleDistrict

@Suite("The generator plans carriers on the floor area the loaders will find")
struct CarrierCapacityTests {
    static func building(_ ring: [Coordinate], recorded: Bool) -> SyntheticDistrict.PlannedBuilding {
        .init(id: "B1", ring: ring, use: "office", floors: 10, gfa: 4_000, recordGFA: recorded, year: 2000, condition: "good", vacant: 0, parcel: 0)
    }

    @Test("a recorded GFA as it is; without one, a bow-tie keeps half (make-valid's two triangles), a rectangle all of it")
    func visibleFloorArea() {
        let rectangle = [Coordinate(0, 0), Coordinate(20, 0), Coordinate(20, 20), Coordinate(0, 20), Coordinate(0, 0)]
        let bowTie = [rectangle[0], rectangle[1], rectangle[3], rectangle[2], rectangle[0]]
        let repeated = [rectangle[0], rectangle[1], rectangle[1], rectangle[2], rectangle[3], rectangle[0]]
        #expect(SyntheticDistrict.visibleFloorArea(Self.building(bowTie, recorded: true)) == 4_000)
        #expect(SyntheticDistrict.visibleFloorArea(Self.building(bowTie, recorded: false)) == 2_000)
        #expect(SyntheticDistrict.visibleFloorArea(Self.building(rectangle, recorded: false)) == 4_000)
        #expect(SyntheticDistrict.visibleFloorArea(Self.building(repeated, recorded: false)) == 4_000)
    }
}
