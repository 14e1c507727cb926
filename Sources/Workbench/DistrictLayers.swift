import Foundation
import SpacePlanKit

/// The district's layers as the OGC API publishes them: everything the space map joins, in the
/// planner's field names (GIS/README.md), one collection per layer.
struct DistrictLayers: Sendable {
    let all: [FeatureLayer]
    /// Per parcel: the buildings the space map placed on it.
    let parcelBuildings: [[Int]]

    subscript(id: String) -> FeatureLayer? { all.first { $0.id == id } }

    init(_ map: SpaceMap, buildings: BuildingFeatures, renewal: Workspace.RenewalRun?, progress: (String) -> Void) throws {
        let data = map.data, crs = data.policy.workingCRS
        var onParcel = [[Int]](repeating: [], count: data.parcels.count)
        for (b, match) in map.buildingParcel.enumerated() { if let p = match.parcel { onParcel[p].append(b) } }
        let parcelBuildings = onParcel
        self.parcelBuildings = parcelBuildings
        let zoneIDs = { @Sendable (zones: [Int], kind: ZoneKind) -> Property in
            .string(zones.filter { data.zones[$0].kind == kind }.map { data.zones[$0].id }.joined(separator: ";"))
        }
        let centre = { @Sendable (b: Int) -> Coordinate? in
            data.buildings[b].geometry.bounds.map { Coordinate(($0.minX + $0.maxX) / 2, ($0.minY + $0.maxY) / 2) }
        }
        var layers: [FeatureLayer] = []

        progress("publishing zones")
        layers.append(try FeatureLayer(
            id: "zones", title: "Zones 分区", description: "The district, its sub-districts (街道) and innovation clusters, with the space map's figures for each.",
            crs: crs, count: data.zones.count, featureID: { data.zones[$0].id }, shape: { data.zones[$0].geometry.shape }) { z in
                let zone = data.zones[z], t = map.zoneTallies[z]
                return [
                    ("id", .string(zone.id)), ("name", .string(zone.name)), ("kind", .string(zone.kind.rawValue)), ("code", .optional(zone.code)),
                    ("land_area_m2", .number(t.landAreaM2, decimals: 2)), ("industrial_land_m2", .number(t.industrialLandM2, decimals: 2)),
                    ("buildings", .integer(t.buildings)), ("gfa_m2", .number(t.gfaM2, decimals: 2)),
                    ("vacant_building_m2", .number(t.vacantBuildingM2, decimals: 2)),
                    ("vacancy_rate", .optional(t.gfaM2 > 0 ? t.vacantBuildingM2 / t.gfaM2 : nil, decimals: 4)),
                    ("old_industrial_gfa_m2", .number(t.oldIndustrialGFAM2, decimals: 2)), ("carriers", .integer(t.carriers)),
                    ("tech_space_m2", .number(t.techSpaceM2, decimals: 2)), ("tech_occupied_m2", .number(t.techOccupiedM2, decimals: 2)),
                    ("tech_vacant_m2", .number(t.techVacantM2, decimals: 2)), ("tech_occupancy", .optional(t.techOccupancy, decimals: 4)),
                    ("enterprises", .integer(t.enterprises)), ("employees", .integer(t.employees)),
                ]
            })

        progress("publishing parcels")
        layers.append(try FeatureLayer(
            id: "parcels", title: "Parcels 地块", description: "Land parcels with their use, caps and tenure, and the buildings' floor area on them.",
            crs: crs, count: data.parcels.count, featureID: { data.parcels[$0].id }, shape: { data.parcels[$0].geometry.shape }) { p in
                let parcel = data.parcels[p]
                let gfa = parcelBuildings[p].reduce(0) { $0 + data.buildings[$1].gfaM2 }
                return [
                    ("id", .string(parcel.id)), ("land_use", .string(parcel.landUse)),
                    ("land_use_class", .string(Vocabulary.landUseCategory(parcel.landUse) ?? parcel.landUse)),
                    ("land_area_m2", .number(parcel.landAreaM2, decimals: 2)), ("recorded_land_area_m2", .optional(parcel.recordedLandAreaM2)),
                    ("far_cap", .optional(parcel.farCap)), ("height_cap_m", .optional(parcel.heightCapM)),
                    ("tenure_start", .optional(parcel.tenureStart)), ("tenure_end", .optional(parcel.tenureEnd)),
                    ("supply_mode", .optional(parcel.supplyMode)), ("subdistrict", zoneIDs(map.parcelZones[p], .subdistrict)),
                    ("cluster", zoneIDs(map.parcelZones[p], .cluster)), ("buildings", .integer(parcelBuildings[p].count)),
                    ("gfa_m2", .number(gfa, decimals: 2)), ("far", .number(parcel.landAreaM2 > 0 ? gfa / parcel.landAreaM2 : 0, decimals: 3)),
                ]
            })

        progress("publishing buildings")
        layers.append(try FeatureLayer(
            id: "buildings", title: "Buildings 建筑 (space map 产业空间地图)",
            description: "Every building with everything the space map joins to it: parcel, zones, carriers, firms (the features of space-map.geojson).",
            crs: crs, count: data.buildings.count, featureID: { data.buildings[$0].id }, shape: { data.buildings[$0].geometry.shape },
            writer: { b, target, text in try buildings.append(b, to: &text, withID: true, crs: target, typedReals: true) }))

        progress("publishing carriers")
        let carrierShape = { @Sendable (c: Int) -> Shape? in
            let polygons = map.carrierBuildings[c].flatMap { data.buildings[$0].geometry.shape.polygons }
            return polygons.isEmpty ? nil : .multiPolygon(polygons)
        }
        let firmsOfCarrier = { @Sendable (c: Int) -> (Int, Int) in
            map.carrierBuildings[c].reduce((0, 0)) { ($0.0 + buildings.firms[$1].count, $0.1 + buildings.firms[$1].employees) }
        }
        layers.append(try FeatureLayer(
            id: "carriers", title: "Carriers 科技培育载体",
            description: "Maker spaces, incubators, accelerators, parks and silicon buildings: their floor area, occupancy and vacancy, drawn as their buildings.",
            crs: crs, count: data.carriers.count, featureID: { data.carriers[$0].id }, shape: carrierShape) { c in
                let carrier = data.carriers[c]
                let (firms, employees) = firmsOfCarrier(c)
                return [
                    ("id", .string(carrier.id)), ("name", .string(carrier.name)), ("type", .string(carrier.type.rawValue)),
                    ("type_label", .string(carrier.type.label)), ("level", .string(carrier.level)), ("operator", .string(carrier.operatorName)),
                    ("counts_as_tech_space", .bool(data.policy.techCarrierTypes.contains(carrier.type.rawValue))),
                    ("floor_area_m2", .number(carrier.floorAreaM2, decimals: 2)), ("occupied_m2", .number(carrier.occupiedM2, decimals: 2)),
                    ("vacant_m2", .number(carrier.vacantM2, decimals: 2)), ("unit_m2", .optional(carrier.unitM2)),
                    ("rent_yuan_per_m2_month", .optional(carrier.rentYuanPerM2Month)), ("building_ids", .string(carrier.buildingIDs.joined(separator: ";"))),
                    ("subdistrict", zoneIDs(map.carrierZones[c], .subdistrict)), ("cluster", zoneIDs(map.carrierZones[c], .cluster)),
                    ("enterprises", .integer(firms)), ("employees", .integer(employees)),
                ]
            })

        progress("publishing enterprises")
        // A firm is drawn where it was matched (its building's centre if placed by id), else where geocoded.
        let firmAt = { @Sendable (e: Int) -> Shape? in
            (data.enterprises[e].location ?? map.enterpriseBuilding[e].building.flatMap(centre)).map { .point($0) }
        }
        layers.append(try FeatureLayer(
            id: "enterprises", title: "Enterprises 企业",
            description: "Firms with their sector, flags, employees and floor area, and the building the space map matched them to (and how).",
            crs: crs, count: data.enterprises.count, featureID: { data.enterprises[$0].id }, shape: firmAt) { e in
                let firm = data.enterprises[e], match = map.enterpriseBuilding[e]
                return [
                    ("id", .string(firm.id)), ("name", .string(firm.name)), ("sector", .string(firm.sector)),
                    ("flags", .string(firm.flags.joined(separator: ";"))), ("employees", .integer(firm.employees)),
                    ("floor_area_m2", .number(firm.floorAreaM2, decimals: 2)),
                    ("building_id", .optional(match.building.map { data.buildings[$0].id })), ("match_method", .string(match.method.rawValue)),
                    ("match_distance_m", .number(match.distanceM, decimals: 3)),
                    ("subdistrict", zoneIDs(map.enterpriseZones[e], .subdistrict)), ("cluster", zoneIDs(map.enterpriseZones[e], .cluster)),
                ]
            })

        if !data.roads.isEmpty {
            layers.append(try FeatureLayer(
                id: "roads", title: "Roads 道路", description: "Road centre lines (drawn for orientation; no basemap is needed).",
                crs: crs, count: data.roads.count, featureID: { "road-\($0 + 1)" }, shape: { data.roads[$0] }) { r in
                    [("id", .string("road-\(r + 1)"))]
                })
        }

        if let renewal {
            progress("publishing renewal units")
            let e = renewal.evaluation
            let units = e.proposals.flatMap { p in p.units.map { (p, $0) } }
            layers.append(try FeatureLayer(
                id: "renewal-units", title: "Renewal units 城市更新单元",
                description: "The units of the renewal proposals shipped beside the data (proposals.geojson), evaluated against the space map: rank, checks, net tech-cultivation space, firms displaced.",
                crs: crs, count: units.count, featureID: { units[$0].1.unit.id }, shape: { units[$0].1.unit.geometry.shape }) { k in
                    let (p, u) = units[k]
                    return [
                        ("id", .string(u.unit.id)), ("name", .string(u.unit.name)), ("proposal_id", .string(p.proposal.id)),
                        ("proposal_name", .string(p.proposal.name)), ("rank", .integer(p.rank)), ("mode", .string(u.unit.mode.rawValue)),
                        ("land_use", .string(u.unit.landUse)), ("land_area_m2", .number(u.unit.landAreaM2, decimals: 2)),
                        ("passes_all_checks", .bool(p.passes)),
                        ("failed_checks", .string(u.checks.filter { $0.outcome == .fail }.map(\.rule).joined(separator: ";"))),
                        ("net_tech_m2", .number(u.netTechM2, decimals: 2)), ("government_housing_m2", .number(u.governmentHousingM2, decimals: 2)),
                        ("far_after", .number(u.farAfter, decimals: 3)), ("displaced_firms", .integer(u.displacedFirms.count)),
                    ]
                })
        }
        all = layers
    }
}
