import SpaceData
import SpaceMap

/// An allocation as the district sees it: the solver's result with the space it fills per zone
/// and the occupied tech-cultivation space before and after, by the year firms move in.
public struct AllocationOutcome: Sendable {
    public let result: AllocationResult
    public let map: SpaceMap
    public let demandFile: String
    /// Doubts about the inputs that do not stop the run (a positive list for a zone the data lack).
    public let warnings: [String]

    public init(_ result: AllocationResult, map: SpaceMap, demandFile: String, warnings: [String] = []) {
        self.result = result; self.map = map; self.demandFile = demandFile; self.warnings = warnings
    }

    var instance: AllocationInstance { result.instance }

    /// Allocated space and firms placed per zone, in the zones layer's order.
    public struct ZoneUse: Sendable {
        public let zone: Zone
        public let vacantBeforeM2, allocatedM2: Double
        public let firms: Int
    }

    public var zoneUse: [ZoneUse] {
        map.data.zones.compactMap { zone in
            let uses = result.carrierUse.filter { instance.carriers[$0.carrier].zoneIDs.contains(zone.id) }
            guard !uses.isEmpty else { return nil }
            return ZoneUse(
                zone: zone, vacantBeforeM2: uses.reduce(0) { $0 + $1.vacantBeforeM2 },
                allocatedM2: uses.reduce(0) { $0 + $1.allocatedM2 }, firms: uses.reduce(0) { $0 + $1.firms })
        }
    }

    /// Occupied tech-cultivation space before and after the allocation.
    public var occupiedBeforeM2: Double { map.total.techOccupiedM2 }
    public var occupiedAfterM2: Double { map.total.techOccupiedM2 + result.allocatedM2 }

    /// Space let by the year firms move in, and the occupied tech space it brings by then.
    public var byMoveInYear: [(year: Int, firms: Int, areaM2: Double, occupiedM2: Double)] {
        var byYear: [Int: (Int, Double)] = [:]
        for a in result.assignments {
            let y = instance.firms[a.firm].moveInYear
            byYear[y, default: (0, 0)].0 += 1
            byYear[y, default: (0, 0)].1 += a.areaM2
        }
        var occupied = occupiedBeforeM2
        return byYear.keys.sorted().map { y in
            occupied += byYear[y]!.1
            return (y, byYear[y]!.0, byYear[y]!.1, occupied)
        }
    }
}
