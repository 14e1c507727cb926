import SpaceData

/// A carrier as the simulation lets it: its capacity and the floor area taken by occupants the
/// simulation does not follow (firms the data do not name as its tenants).
public struct LadderCarrier: Sendable {
    public let id: String
    public let type: CarrierType
    public let zoneIDs: [String]
    public let floorAreaM2: Double
    public let otherOccupiedM2: Double
    public let unitM2: Double?
    public let rentYuanPerM2Month: Double?
    public let sectorShares: [String: Double]

    public init(
        id: String, type: CarrierType, zoneIDs: [String], floorAreaM2: Double, otherOccupiedM2: Double, unitM2: Double? = nil,
        rentYuanPerM2Month: Double? = nil, sectorShares: [String: Double] = [:]
    ) {
        self.id = id; self.type = type; self.zoneIDs = zoneIDs; self.floorAreaM2 = floorAreaM2; self.otherOccupiedM2 = otherOccupiedM2
        self.unitM2 = unitM2; self.rentYuanPerM2Month = rentYuanPerM2Month; self.sectorShares = sectorShares
    }
}

/// A firm on the ladder: its stage, floor area, carrier, and the clocks the rules read.
public struct LadderFirm: Sendable {
    public let id: String
    public let sector: String
    public var stage: FirmStage
    public var areaM2: Double
    /// Index into the run's carriers.
    public var carrier: Int
    public var yearsAtStage: Int
    /// Months spent at incubation stages (maker spaces and incubators), for their time limit.
    public var monthsInIncubation: Int
    public var highTech: Bool
    /// Months since the firm was founded when it entered the ladder (nil: not known, a firm of
    /// the data).
    public var monthsSinceFoundingAtEntry: Int?

    public init(
        id: String, sector: String, stage: FirmStage, areaM2: Double, carrier: Int, yearsAtStage: Int = 0, monthsInIncubation: Int = 0, highTech: Bool = false,
        monthsSinceFoundingAtEntry: Int? = nil
    ) {
        self.id = id; self.sector = sector; self.stage = stage; self.areaM2 = areaM2; self.carrier = carrier
        self.yearsAtStage = yearsAtStage; self.monthsInIncubation = monthsInIncubation; self.highTech = highTech
        self.monthsSinceFoundingAtEntry = monthsSinceFoundingAtEntry
    }
}

/// New tech-cultivation floor area a supply scenario or target programme delivers.
public struct Delivery: Sendable, Equatable {
    public let year: Int
    public let floorAreaM2: Double
    public let zoneIDs: [String]
    /// The event or project that delivers it.
    public let label: String

    public init(year: Int, floorAreaM2: Double, zoneIDs: [String], label: String) {
        self.year = year; self.floorAreaM2 = floorAreaM2; self.zoneIDs = zoneIDs; self.label = label
    }
}

/// Where every run starts: the district's carriers and their tenants in the data's year.
public struct LadderStart: Sendable {
    public let year: Int
    public let carriers: [LadderCarrier]
    public let firms: [LadderFirm]
    /// Sectors of arriving firms, with their weights (the tenants' sectors).
    public let arrivalSectors: [(String, Double)]
    /// National high-tech enterprises in the district outside the ladder (they count toward
    /// the plan's firm target but do not move).
    public let highTechElsewhere: Int

    public init(year: Int, carriers: [LadderCarrier], firms: [LadderFirm], arrivalSectors: [(String, Double)], highTechElsewhere: Int) {
        self.year = year; self.carriers = carriers; self.firms = firms; self.arrivalSectors = arrivalSectors; self.highTechElsewhere = highTechElsewhere
    }
}

/// One simulated year of one run.
public struct LadderYear: Sendable, Equatable {
    public let year: Int
    public var capacityByType: [CarrierType: Double] = [:]
    public var occupiedByType: [CarrierType: Double] = [:]
    /// Each carrier's occupied share at the year's end (where a rung is full).
    public var occupancyByCarrier: [String: Double] = [:]
    public var typeOfCarrier: [String: CarrierType] = [:]
    public var capacityByZone: [String: Double] = [:]
    public var occupiedByZone: [String: Double] = [:]
    /// Firms renting on the ladder at the year's end, by stage.
    public var firmsByStage: [FirmStage: Int] = [:]
    /// Firms waiting for space at the year's end, and the floor area asked for but not given in the year, by stage.
    public var queueByStage: [FirmStage: Int] = [:]
    public var unmetM2ByStage: [FirmStage: Double] = [:]
    /// Graduates placed at their new stage, and graduates who left after waiting, by the stage they graduated to.
    public var graduatesHousedByStage: [FirmStage: Int] = [:]
    public var graduatesLostByStage: [FirmStage: Int] = [:]
    public var arrivals = 0
    public var arrivalsPlaced = 0
    public var arrivalsLost = 0
    public var failed = 0
    public var left = 0
    /// Firms that grew where they are; growth that found no room is in `unmetM2ByStage`.
    public var grewInPlace = 0
    public var highTechFirms = 0
    /// Carriers below the density floor of firms per 1,000 m².
    public var belowDensityFloor: [String] = []
    public var addedM2 = 0.0
    /// CPU seconds spent placing firms (the allocation's instance and its heuristic solver).
    public var allocationSeconds = 0.0

    public init(year: Int) { self.year = year }

    public var graduatesHoused: Int { graduatesHousedByStage.values.reduce(0, +) }
    public var graduatesLost: Int { graduatesLostByStage.values.reduce(0, +) }

    public static func == (a: LadderYear, b: LadderYear) -> Bool {
        // Timing is not part of the outcome.
        var x = a, y = b
        x.allocationSeconds = 0; y.allocationSeconds = 0
        return x.capacityByType == y.capacityByType && x.occupiedByType == y.occupiedByType && x.capacityByZone == y.capacityByZone
            && x.occupiedByZone == y.occupiedByZone && x.occupancyByCarrier == y.occupancyByCarrier && x.firmsByStage == y.firmsByStage && x.queueByStage == y.queueByStage
            && x.unmetM2ByStage == y.unmetM2ByStage && x.graduatesHousedByStage == y.graduatesHousedByStage
            && x.graduatesLostByStage == y.graduatesLostByStage && x.arrivals == y.arrivals && x.arrivalsPlaced == y.arrivalsPlaced
            && x.arrivalsLost == y.arrivalsLost && x.failed == y.failed && x.left == y.left && x.grewInPlace == y.grewInPlace
            && x.highTechFirms == y.highTechFirms && x.belowDensityFloor == y.belowDensityFloor && x.addedM2 == y.addedM2 && x.year == y.year
    }
}
