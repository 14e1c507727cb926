import SpaceCore

/// What a map of the district can show, as plain shapes in projected metres and plain figures:
/// built once (by the reporting layer, from a space map), then drawn by any theme.
public struct MapScene: Sendable {
    public enum ZoneKind: String, Sendable { case district, subdistrict, cluster }

    public struct ZoneFeature: Sendable {
        public let id, name: String
        public let kind: ZoneKind
        public let shape: Shape
        public let labelAt: Coordinate
        public let bounds: Envelope
        public init(id: String, name: String, kind: ZoneKind, shape: Shape, labelAt: Coordinate, bounds: Envelope) {
            self.id = id; self.name = name; self.kind = kind; self.shape = shape; self.labelAt = labelAt; self.bounds = bounds
        }
    }
    public struct ParcelFeature: Sendable {
        public let id, useClass: String
        public let shape: Shape
        public let areaM2: Double
        public let centre: Coordinate
        public init(id: String, useClass: String, shape: Shape, areaM2: Double, centre: Coordinate) {
            self.id = id; self.useClass = useClass; self.shape = shape; self.areaM2 = areaM2; self.centre = centre
        }
    }
    public struct BuildingFeature: Sendable {
        public let id: String
        public let shape: Shape
        public let carrierType: String?
        public let oldIndustrial: Bool
        public let gfaM2: Double
        public let centre: Coordinate
        public let bounds: Envelope
        public init(id: String, shape: Shape, carrierType: String?, oldIndustrial: Bool, gfaM2: Double, centre: Coordinate, bounds: Envelope) {
            self.id = id; self.shape = shape; self.carrierType = carrierType; self.oldIndustrial = oldIndustrial
            self.gfaM2 = gfaM2; self.centre = centre; self.bounds = bounds
        }
    }
    public struct FirmFeature: Sendable {
        public let id, sector: String
        public let employees: Int
        public let at: Coordinate
        public init(id: String, sector: String, employees: Int, at: Coordinate) {
            self.id = id; self.sector = sector; self.employees = employees; self.at = at
        }
    }
    /// The figures the choropleths and charts show for a zone (or the district).
    public struct ZoneFigures: Sendable {
        public let techSpaceM2, gfaM2, vacantBuildingM2: Double
        /// Carrier type code → tech-cultivation floor area.
        public let techSpaceByType: [String: Double]
        public init(techSpaceM2: Double, gfaM2: Double, vacantBuildingM2: Double, techSpaceByType: [String: Double]) {
            self.techSpaceM2 = techSpaceM2; self.gfaM2 = gfaM2; self.vacantBuildingM2 = vacantBuildingM2; self.techSpaceByType = techSpaceByType
        }
    }
    /// The plan's path of tech-cultivation space: baseline, milestones, and the file they come from.
    public struct TargetPath: Sendable {
        public struct Point: Sendable {
            public let year: Int
            public let floorAreaM2: Double
            public init(year: Int, floorAreaM2: Double) { self.year = year; self.floorAreaM2 = floorAreaM2 }
        }
        public let baseline: Point
        public let milestones: [Point]
        public let alternativeBaselines: [Point]
        public let source: String
        public init(baseline: Point, milestones: [Point], alternativeBaselines: [Point], source: String) {
            self.baseline = baseline; self.milestones = milestones; self.alternativeBaselines = alternativeBaselines; self.source = source
        }
    }
    /// A category a legend lists: its code and its label.
    public struct Category: Sendable {
        public let code, label: String
        public init(code: String, label: String) { self.code = code; self.label = label }
    }

    public let title: String
    public let synthetic: Bool
    public let crsLabel: String
    public let district: ZoneFeature
    public let zones: [ZoneFeature]
    public let parcels: [ParcelFeature]
    public let buildings: [BuildingFeature]
    public let firms: [FirmFeature]
    public let roads: [Shape]
    /// Per zone id, and for the whole district.
    public let zoneFigures: [String: ZoneFigures]
    public let total: ZoneFigures
    public let targets: TargetPath
    public let asOfYear: Int
    /// The sector vocabulary in legend order, and the carrier types.
    public let sectors: [String]
    public let carrierTypes: [Category]

    public init(
        title: String, synthetic: Bool, crsLabel: String, district: ZoneFeature, zones: [ZoneFeature], parcels: [ParcelFeature],
        buildings: [BuildingFeature], firms: [FirmFeature], roads: [Shape], zoneFigures: [String: ZoneFigures], total: ZoneFigures,
        targets: TargetPath, asOfYear: Int, sectors: [String], carrierTypes: [Category]
    ) {
        self.title = title; self.synthetic = synthetic; self.crsLabel = crsLabel; self.district = district; self.zones = zones
        self.parcels = parcels; self.buildings = buildings; self.firms = firms; self.roads = roads; self.zoneFigures = zoneFigures
        self.total = total; self.targets = targets; self.asOfYear = asOfYear; self.sectors = sectors; self.carrierTypes = carrierTypes
    }

    /// The data's name, marked synthetic when it is (unless the name says so already).
    public var subtitle: String {
        synthetic && !title.lowercased().contains("synthetic") ? "\(title) · synthetic data" : title
    }
}
