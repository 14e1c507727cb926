import Cartography
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

extension MapScene {
    /// The scene of a space map: every layer as plain shapes, every zone's figures.
    public init(_ map: SpaceMap) throws {
        let data = map.data
        let zones = try data.zones.map { z in
            ZoneFeature(
                id: z.id, name: z.name, kind: MapScene.ZoneKind(z.kind), shape: z.geometry.shape,
                labelAt: try z.geometry.pointOnSurface().pointCoordinate ?? Coordinate(0, 0), bounds: z.geometry.bounds!)
        }
        let parcels = try ParallelMap.map(data.parcels.indices, chunk: 4096) { p in
            let parcel = data.parcels[p]
            let e = parcel.geometry.bounds!
            return ParcelFeature(
                id: parcel.id, useClass: parcel.landUseClass, shape: parcel.geometry.shape,
                areaM2: parcel.landAreaM2, centre: Coordinate((e.minX + e.maxX) / 2, (e.minY + e.maxY) / 2))
        }
        var carrierOf = [String?](repeating: nil, count: data.buildings.count)
        for (c, buildings) in map.carrierBuildings.enumerated() {
            for b in buildings where carrierOf[b] == nil { carrierOf[b] = data.carriers[c].type.rawValue }
        }
        let policy = data.policy
        let buildings = try ParallelMap.map(data.buildings.indices, chunk: 4096) { b in
            let building = data.buildings[b]
            let old = policy.industrialBuildingUses.contains(building.use) && policy.oldIndustrialConditions.contains(building.condition ?? "")
            let e = building.geometry.bounds!
            return BuildingFeature(
                id: building.id, shape: building.geometry.shape, carrierType: carrierOf[b], oldIndustrial: old,
                gfaM2: building.gfaM2, centre: Coordinate((e.minX + e.maxX) / 2, (e.minY + e.maxY) / 2), bounds: e)
        }
        // A firm is drawn where it was matched (its building's centre if placed by id), else where geocoded.
        let firms = try ParallelMap.map(data.enterprises.indices, chunk: 16_384) { e -> FirmFeature? in
            let firm = data.enterprises[e]
            let at =
                firm.location
                ?? map.enterpriseBuilding[e].building.map { b -> Coordinate in
                    let box = data.buildings[b].geometry.bounds!
                    return Coordinate((box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2)
                }
            return at.map { FirmFeature(id: firm.id, sector: firm.sector, employees: firm.employees, at: $0) }
        }.compactMap { $0 }
        guard let district = zones.first(where: { $0.kind == .district }) else {
            throw DataError(file: data.manifest.path(of: "zones"), problem: "no zone of kind district: maps are framed on the district boundary")
        }
        self.init(
            title: data.manifest.name, synthetic: data.manifest.synthetic, crsLabel: workingCRSLabel(policy.workingCRS),
            district: district, zones: zones, parcels: parcels, buildings: buildings, firms: firms, roads: data.roads,
            zoneFigures: Dictionary(uniqueKeysWithValues: data.zones.enumerated().map { ($1.id, ZoneFigures(map.zoneTallies[$0])) }),
            total: ZoneFigures(map.total), targets: TargetPath(policy), asOfYear: data.manifest.asOfYear ?? policy.milestones.last!.year,
            sectors: Vocabulary.sectors, carrierTypes: CarrierType.allCases.map { Category(code: $0.rawValue, label: $0.label) })
    }
}

extension MapScene.ZoneKind {
    init(_ kind: SpaceData.ZoneKind) {
        switch kind {
        case .district: self = .district
        case .subdistrict: self = .subdistrict
        case .cluster: self = .cluster
        }
    }
}

extension MapScene.ZoneFigures {
    init(_ t: SpaceTally) {
        self.init(techSpaceM2: t.techSpaceM2, gfaM2: t.gfaM2, vacantBuildingM2: t.vacantBuildingM2, techSpaceByType: t.techSpaceByType)
    }
}

extension MapScene.TargetPath {
    init(_ policy: Policy) {
        let point = { (m: Policy.Milestone) in Point(year: m.year, floorAreaM2: m.floorAreaM2) }
        self.init(
            baseline: point(policy.baseline), milestones: policy.milestones.map(point),
            alternativeBaselines: policy.alternativeBaselines.map(point), source: policy.source)
    }
}

/// "EPSG:4547 CGCS2000 / 3-degree Gauss-Kruger CM 114E", for a map's CRS line.
func workingCRSLabel(_ crs: CRSCode) -> String {
    "\(crs) \((try? CRSInfo.lookup(crs).name) ?? "")"
}
