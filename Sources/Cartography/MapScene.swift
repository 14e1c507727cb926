import SpaceData
import SpaceGeometry
import SpaceMap

/// What a map of the district can show, as plain shapes in projected metres: built once from
/// a space map, then drawn by any theme.
public struct MapScene: Sendable {
    public struct ZoneFeature: Sendable {
        public let id, name: String
        public let kind: ZoneKind
        public let shape: Shape
        public let labelAt: Coordinate
        public let bounds: Envelope
    }
    public struct ParcelFeature: Sendable {
        public let id, useClass: String
        public let shape: Shape
        public let areaM2: Double
        public let centre: Coordinate
    }
    public struct BuildingFeature: Sendable {
        public let id: String
        public let shape: Shape
        public let carrierType: String?
        public let oldIndustrial: Bool
        public let gfaM2: Double
        public let centre: Coordinate
        public let bounds: Envelope
    }
    public struct FirmFeature: Sendable {
        public let id, sector: String
        public let employees: Int
        public let at: Coordinate
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
    /// Per zone id: the figures the choropleths show.
    public let zoneTallies: [String: SpaceTally]
    public let total: SpaceTally
    public let policy: Policy
    public let asOfYear: Int

    /// The data's name, marked synthetic when it is (unless the name says so already).
    public var subtitle: String {
        synthetic && !title.lowercased().contains("synthetic") ? "\(title) · synthetic data" : title
    }

    public init(_ map: SpaceMap) throws {
        let data = map.data
        title = data.manifest.name
        synthetic = data.manifest.synthetic
        crsLabel = "\(data.policy.workingCRS) \((try? CRSInfo.lookup(data.policy.workingCRS).name) ?? "")"
        zones = try data.zones.map { z in
            ZoneFeature(id: z.id, name: z.name, kind: z.kind, shape: z.geometry.shape,
                        labelAt: try z.geometry.pointOnSurface().pointCoordinate ?? Coordinate(0, 0), bounds: z.geometry.bounds!)
        }
        district = zones.first { $0.kind == .district }!
        parcels = try ParallelMap.map(data.parcels.indices, chunk: 4096) { p in
            let parcel = data.parcels[p]
            let e = parcel.geometry.bounds!
            return ParcelFeature(id: parcel.id, useClass: Vocabulary.landUseClass(parcel.landUse) ?? parcel.landUse, shape: parcel.geometry.shape,
                                 areaM2: parcel.landAreaM2, centre: Coordinate((e.minX + e.maxX) / 2, (e.minY + e.maxY) / 2))
        }
        var carrierOf = [String?](repeating: nil, count: data.buildings.count)
        for (c, buildings) in map.carrierBuildings.enumerated() { for b in buildings where carrierOf[b] == nil { carrierOf[b] = data.carriers[c].type.rawValue } }
        let policy = data.policy
        buildings = try ParallelMap.map(data.buildings.indices, chunk: 4096) { b in
            let building = data.buildings[b]
            let old = policy.industrialBuildingUses.contains(building.use) && policy.oldIndustrialConditions.contains(building.condition ?? "")
            let e = building.geometry.bounds!
            return BuildingFeature(id: building.id, shape: building.geometry.shape, carrierType: carrierOf[b], oldIndustrial: old,
                                   gfaM2: building.gfaM2, centre: Coordinate((e.minX + e.maxX) / 2, (e.minY + e.maxY) / 2), bounds: e)
        }
        // A firm is drawn where it was matched (its building's centre if placed by id), else where geocoded.
        firms = data.enterprises.enumerated().compactMap { e, firm in
            let at = firm.location ?? map.enterpriseBuilding[e].building.map { b -> Coordinate in
                let box = data.buildings[b].geometry.bounds!
                return Coordinate((box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2)
            }
            return at.map { FirmFeature(id: firm.id, sector: firm.sector, employees: firm.employees, at: $0) }
        }
        roads = data.roads
        zoneTallies = Dictionary(uniqueKeysWithValues: data.zones.enumerated().map { ($1.id, map.zoneTallies[$0]) })
        total = map.total
        self.policy = policy
        asOfYear = data.manifest.asOfYear ?? policy.milestones.last!.year
    }
}
