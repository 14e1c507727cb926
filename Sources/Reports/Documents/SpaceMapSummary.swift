import SpaceCore
import SpaceData
import SpaceMap

/// summary.json: the space map's figures for the district and for each zone, and where the stock
/// stands against the plan's targets. The command line writes it; the server answers with it and
/// with each zone's part.
public struct SpaceMapSummary: Codable, Equatable, Sendable {
    public var name: String
    public var synthetic: Bool
    public var workingCRS: String
    public var targets: Targets
    public var total: Figures
    public var zones: [Zone]

    enum CodingKeys: String, CodingKey { case name, synthetic, workingCRS = "working_crs", targets, total, zones }

    public struct Targets: Codable, Equatable, Sendable {
        public var source: String
        public var baseline: PlanPoint
        public var alternativeBaselines: [PlanPoint]
        public var progress: [Progress]
        enum CodingKeys: String, CodingKey { case source, baseline, alternativeBaselines = "alternative_baselines", progress }
    }

    /// A year's floor area on the plan's path, as the policy gives it.
    public typealias PlanPoint = Policy.Milestone

    /// The stock against one milestone.
    public struct Progress: Codable, Equatable, Sendable {
        public var year: Int
        public var targetM2: Double
        public var stockM2: Double
        public var share: Double
        public var gapM2: Double
        enum CodingKeys: String, CodingKey { case year, targetM2 = "target_m2", stockM2 = "stock_m2", share, gapM2 = "gap_m2" }
    }

    /// A zone: its name and kind, then its figures.
    public struct Zone: Codable, Equatable, Sendable {
        public var id: String
        public var name: String
        public var kind: String
        public var code: String?
        public var figures: Figures
        enum CodingKeys: String, CodingKey { case id, name, kind, code }

        public init(id: String, name: String, kind: String, code: String?, figures: Figures) {
            self.id = id; self.name = name; self.kind = kind; self.code = code; self.figures = figures
        }
        // The figures sit beside the zone's own fields, as one object.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind)
            try c.encodeIfPresent(code, forKey: .code)
            try figures.encode(to: encoder)
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            name = try c.decode(String.self, forKey: .name)
            kind = try c.decode(String.self, forKey: .kind)
            code = try c.decodeIfPresent(String.self, forKey: .code)
            figures = try Figures(from: decoder)
        }
    }

    /// The space map's figures for an area (a zone or the district).
    public struct Figures: Codable, Equatable, Sendable {
        public var parcels: Int
        public var landAreaM2: Double
        public var landAreaByUseM2: OrderedMembers<Double>
        public var industrialLandM2: Double
        public var buildings: Int
        public var gfaM2: Double
        public var gfaByUseM2: OrderedMembers<Double>
        public var industrialGFAM2: Double
        public var vacantBuildingM2: Double
        public var oldIndustrialBuildings: Int
        public var oldIndustrialGFAM2: Double
        public var carriers: Int
        public var carriersByType: OrderedMembers<Int>
        public var techSpaceM2: Double
        public var techSpaceByTypeM2: OrderedMembers<Double>
        public var techOccupiedM2: Double
        public var techVacantM2: Double
        public var techOccupancy: Double?
        public var enterprises: Int
        public var employees: Int
        public var enterpriseFloorAreaM2: Double
        public var floorAreaPerEmployeeM2: Double?
        public var enterprisesBySector: OrderedMembers<Int>
        public var employeesBySector: OrderedMembers<Int>
        public var enterprisesByFlag: OrderedMembers<Int>
        enum CodingKeys: String, CodingKey {
            case parcels, landAreaM2 = "land_area_m2", landAreaByUseM2 = "land_area_by_use_m2", industrialLandM2 = "industrial_land_m2"
            case buildings, gfaM2 = "gfa_m2", gfaByUseM2 = "gfa_by_use_m2", industrialGFAM2 = "industrial_gfa_m2"
            case vacantBuildingM2 = "vacant_building_m2", oldIndustrialBuildings = "old_industrial_buildings"
            case oldIndustrialGFAM2 = "old_industrial_gfa_m2", carriers, carriersByType = "carriers_by_type", techSpaceM2 = "tech_space_m2"
            case techSpaceByTypeM2 = "tech_space_by_type_m2", techOccupiedM2 = "tech_occupied_m2", techVacantM2 = "tech_vacant_m2"
            case techOccupancy = "tech_occupancy", enterprises, employees, enterpriseFloorAreaM2 = "enterprise_floor_area_m2"
            case floorAreaPerEmployeeM2 = "floor_area_per_employee_m2", enterprisesBySector = "enterprises_by_sector"
            case employeesBySector = "employees_by_sector", enterprisesByFlag = "enterprises_by_flag"
        }
    }

    public func zone(_ id: String) -> Zone? { zones.first { $0.id == id } }
}

extension SpaceMapSummary {
    public init(_ map: SpaceMap) {
        name = map.data.manifest.name
        synthetic = map.data.manifest.synthetic
        workingCRS = map.data.policy.workingCRS.description
        targets = Targets(map)
        total = Figures(map.total)
        zones = map.data.zones.enumerated().map { z, zone in
            Zone(id: zone.id, name: zone.name, kind: zone.kind.rawValue, code: zone.code, figures: Figures(map.zoneTallies[z]))
        }
    }
}

extension SpaceMapSummary.Targets {
    /// The plan's baselines and milestones, and the stock against each milestone.
    public init(_ map: SpaceMap) {
        let policy = map.data.policy
        self.init(
            source: policy.source, baseline: policy.baseline, alternativeBaselines: policy.alternativeBaselines,
            progress: map.progress.map {
                .init(year: $0.year, targetM2: $0.targetM2, stockM2: m2($0.stockM2), share: rounded($0.share, decimals: 4), gapM2: m2($0.gapM2))
            })
    }
}

extension SpaceMapSummary.Figures {
    init(_ t: SpaceTally) {
        func areas(_ d: [String: Double]) -> OrderedMembers<Double> { OrderedMembers(sorted: d.mapValues(m2)) }
        self.init(
            parcels: t.parcels, landAreaM2: m2(t.landAreaM2), landAreaByUseM2: areas(t.landAreaByUse), industrialLandM2: m2(t.industrialLandM2),
            buildings: t.buildings, gfaM2: m2(t.gfaM2), gfaByUseM2: areas(t.gfaByUse), industrialGFAM2: m2(t.industrialGFAM2),
            vacantBuildingM2: m2(t.vacantBuildingM2), oldIndustrialBuildings: t.oldIndustrialBuildings, oldIndustrialGFAM2: m2(t.oldIndustrialGFAM2),
            carriers: t.carriers, carriersByType: OrderedMembers(sorted: t.carriersByType), techSpaceM2: m2(t.techSpaceM2),
            techSpaceByTypeM2: areas(t.techSpaceByType), techOccupiedM2: m2(t.techOccupiedM2), techVacantM2: m2(t.techVacantM2),
            techOccupancy: t.techOccupancy.map { rounded($0, decimals: 4) }, enterprises: t.enterprises, employees: t.employees,
            enterpriseFloorAreaM2: m2(t.enterpriseFloorAreaM2), floorAreaPerEmployeeM2: t.floorAreaPerEmployeeM2.map(m2),
            enterprisesBySector: OrderedMembers(sorted: t.enterprisesBySector), employeesBySector: OrderedMembers(sorted: t.employeesBySector),
            enterprisesByFlag: OrderedMembers(sorted: t.enterprisesByFlag))
    }
}
