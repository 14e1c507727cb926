import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// The space map's layers as they are published, each defined once: space-map.geojson (the
/// buildings), space-map.gpkg and the Shapefile export (every layer in the working CRS), the
/// workbench's OGC API collections and its inspector all write these models.
public struct SpaceMapLayers: Sendable {
    public let map: SpaceMap
    /// Per building: the carriers in it, and its firms and their employees.
    public let carriersIn: [[Int]]
    public let firms: [(count: Int, employees: Int)]
    /// Each building's sub-district and cluster ids. Few distinct zone combinations exist among
    /// the buildings: their ids are joined once, and firms in a building share its strings.
    private let buildingZoneIDs: [(subdistrict: String, cluster: String)]

    public init(_ map: SpaceMap) {
        let data = map.data
        var carriersIn = [[Int]](repeating: [], count: data.buildings.count)
        for (c, buildings) in map.carrierBuildings.enumerated() { for b in buildings { carriersIn[b].append(c) } }
        var firms = [(count: Int, employees: Int)](repeating: (0, 0), count: data.buildings.count)
        for (e, match) in map.enterpriseBuilding.enumerated() {
            if let b = match.building { firms[b].count += 1; firms[b].employees += data.enterprises[e].employees }
        }
        var joined: [[Int]: (String, String)] = [:]
        buildingZoneIDs = map.buildingZones.map { zones in
            if let known = joined[zones] { return known }
            let ids = (map.zoneIDs(zones, .subdistrict), map.zoneIDs(zones, .cluster))
            joined[zones] = ids
            return ids
        }
        self.map = map
        self.carriersIn = carriersIn
        self.firms = firms
    }

    /// Every layer, in the order the OGC API lists them (roads only when the data have them).
    public func all() throws -> [PublishedLayer] {
        [zones, parcels, buildings, try carriers(), try enterprises()] + (roads.map { [$0] } ?? [])
    }

    /// The layers of space-map.gpkg and the Shapefile export, in their table order.
    public func fileLayers() throws -> [PublishedLayer] {
        [buildings, parcels, zones, try carriers(), try enterprises()]
    }

    static let subdistrictMeaning = "the sub-district (街道) it lies in, by id"
    static let clusterMeaning = "the innovation clusters it lies in, by id, ';'-separated"

    // MARK: Buildings

    public var buildings: PublishedLayer {
        let map = map, data = map.data, carriersIn = carriersIn, firms = firms, zoneIDs = buildingZoneIDs
        return PublishedLayer(
            id: "buildings", title: "Buildings 建筑 (space map 产业空间地图)",
            description:
                "Every building with everything the space map joins to it: parcel, zones, carriers, firms (the features of space-map.geojson).",
            geometry: .multiPolygon, geometryNote: "the building's footprint as recorded, repaired where invalid",
            fields: [
                LayerField("id", .text, "the building's id in the buildings layer"),
                LayerField("use", .text, "the building's use as recorded (industrial, office, warehouse, residential…)"),
                LayerField("floors", .integer, "storeys above ground"),
                LayerField("gfa_m2", .real, unit: "m²", "gross floor area (建筑面积)"),
                LayerField("gfa_source", .text, "recorded, or derived as footprint × floors when the record had none"),
                LayerField("footprint_m2", .real, unit: "m²", "footprint area, measured in the working CRS"),
                LayerField("vacant_m2", .real, unit: "m²", "vacant floor area as recorded"),
                LayerField("condition", .text, "the building's condition as recorded"),
                LayerField("year_built", .integer, "year of completion"),
                LayerField("parcel_id", .text, "the parcel it stands on (the one it overlaps most)"),
                LayerField("parcel_land_use", .text, "that parcel's land-use code"),
                LayerField("subdistrict", .text, Self.subdistrictMeaning),
                LayerField("cluster", .text, Self.clusterMeaning),
                LayerField("carrier_ids", .text, "the carriers (科技培育载体) in the building, ';'-separated"),
                LayerField("carrier_types", .text, "their types, in the same order"),
                LayerField("enterprises", .integer, "firms matched to the building"),
                LayerField("employees", .integer, "their employees"),
            ],
            crs: data.policy.workingCRS, count: data.buildings.count, featureID: { data.buildings[$0].id },
            shape: { data.buildings[$0].geometry.shape }
        ) { b, values in
            let building = data.buildings[b]
            let parcel = map.buildingParcel[b].parcel.map { data.parcels[$0] }
            let zones = zoneIDs[b]
            values.append(.text(building.id))
            values.append(.text(building.use))
            values.append(.integer(building.floors))
            values.append(.real(building.gfaM2))
            values.append(.text(building.gfaDerived ? "derived" : "recorded"))
            values.append(.real(building.footprintM2))
            values.append(.real(building.vacantM2))
            values.append(.text(building.condition))
            values.append(.integer(building.yearBuilt))
            values.append(.text(parcel?.id))
            values.append(.text(parcel?.landUse))
            values.append(.text(zones.subdistrict))
            values.append(.text(zones.cluster))
            values.append(.text(carriersIn[b].map { data.carriers[$0].id }.joined(separator: ";")))
            values.append(.text(carriersIn[b].map { data.carriers[$0].type.rawValue }.joined(separator: ";")))
            values.append(.integer(firms[b].count))
            values.append(.integer(firms[b].employees))
        }
    }

    // MARK: Parcels

    public var parcels: PublishedLayer {
        let map = map, data = map.data
        var onParcel = [(count: Int, gfaM2: Double)](repeating: (0, 0), count: data.parcels.count)
        for (b, match) in map.buildingParcel.enumerated() {
            if let p = match.parcel { onParcel[p].count += 1; onParcel[p].gfaM2 += data.buildings[b].gfaM2 }
        }
        let built = onParcel
        return PublishedLayer(
            id: "parcels", title: "Parcels 地块", description: "Land parcels with their use, caps and tenure, and the buildings' floor area on them.",
            geometry: .multiPolygon, geometryNote: "the parcel as recorded, repaired where invalid",
            fields: [
                LayerField("id", .text, "the parcel's id in the parcels layer"),
                LayerField("land_use", .text, "land-use code as recorded (M0, M1, W1, C1, R2, GIC…)"),
                LayerField("land_use_class", .text, "its class (M, W, C, R, GIC, U, S, G, E), which the maps colour by"),
                LayerField("land_area_m2", .real, unit: "m²", "land area, measured in the working CRS"),
                LayerField("recorded_land_area_m2", .real, unit: "m²", "land area as recorded"),
                LayerField("far_cap", .real, "the parcel's floor-area-ratio cap (容积率上限)"),
                LayerField("height_cap_m", .real, unit: "m", "the parcel's height cap"),
                LayerField("tenure_start", .integer, "year the land-use right began"),
                LayerField("tenure_end", .integer, "year it ends"),
                LayerField("supply_mode", .text, "how the land was supplied (transfer, long_term_lease…)"),
                LayerField("subdistrict", .text, Self.subdistrictMeaning),
                LayerField("cluster", .text, Self.clusterMeaning),
                LayerField("buildings", .integer, "buildings the space map placed on it"),
                LayerField("gfa_m2", .real, unit: "m²", "their gross floor area"),
                LayerField("far", .real, decimals: 3, "their floor area over the land area"),
            ],
            crs: data.policy.workingCRS, count: data.parcels.count, featureID: { data.parcels[$0].id },
            shape: { data.parcels[$0].geometry.shape }
        ) { p, values in
            let parcel = data.parcels[p]
            values.append(.text(parcel.id))
            values.append(.text(parcel.landUse))
            values.append(.text(parcel.landUseClass))
            values.append(.real(parcel.landAreaM2))
            values.append(.real(parcel.recordedLandAreaM2))
            values.append(.real(parcel.farCap))
            values.append(.real(parcel.heightCapM))
            values.append(.integer(parcel.tenureStart))
            values.append(.integer(parcel.tenureEnd))
            values.append(.text(parcel.supplyMode))
            values.append(.text(map.zoneIDs(map.parcelZones[p], .subdistrict)))
            values.append(.text(map.zoneIDs(map.parcelZones[p], .cluster)))
            values.append(.integer(built[p].count))
            values.append(.real(built[p].gfaM2))
            values.append(.real(parcel.landAreaM2 > 0 ? built[p].gfaM2 / parcel.landAreaM2 : 0))
        }
    }

    // MARK: Zones

    /// The district, its sub-districts and clusters with the scalar figures of summary.json.
    public var zones: PublishedLayer {
        let map = map, data = map.data
        let m2 = { (name: String, meaning: String) in LayerField(name, .real, unit: "m²", meaning) }
        return PublishedLayer(
            id: "zones", title: "Zones 分区",
            description:
                "The district, its sub-districts (街道) and innovation clusters, with the space map's figures for each (those of summary.json).",
            geometry: .multiPolygon, geometryNote: "the zone's boundary as recorded",
            fields: [
                LayerField("id", .text, "the zone's id"), LayerField("name", .text, "its name"),
                LayerField("kind", .text, "district, subdistrict or cluster"), LayerField("code", .text, "its administrative code, if any"),
                LayerField("parcels", .integer, "parcels in the zone"), m2("land_area_m2", "their land area"),
                m2("industrial_land_m2", "land of industrial and warehouse use (M, W)"),
                LayerField("buildings", .integer, "buildings in the zone"), m2("gfa_m2", "their gross floor area"),
                m2("industrial_gfa_m2", "floor area of industrial and warehouse buildings"),
                m2("vacant_building_m2", "vacant floor area of buildings"),
                LayerField("vacancy_rate", .real, unit: "share", decimals: 4, "vacant over gross floor area (0–1)"),
                LayerField("old_industrial_buildings", .integer, "old factories and warehouses (旧工业建筑)"),
                m2("old_industrial_gfa_m2", "their floor area"),
                LayerField("carriers", .integer, "carriers in the zone"),
                m2("tech_space_m2", "tech-cultivation space (科技培育空间): floor area of the carrier types that count"),
                m2("tech_occupied_m2", "its occupied floor area"), m2("tech_vacant_m2", "its vacant floor area"),
                LayerField("tech_occupancy", .real, unit: "share", decimals: 4, "occupied over tech-cultivation space (0–1)"),
                LayerField("enterprises", .integer, "firms matched in the zone"), LayerField("employees", .integer, "their employees"),
                m2("enterprise_floor_area_m2", "the floor area the firms occupy"),
                m2("floor_area_per_employee_m2", "that floor area per employee"),
            ],
            crs: data.policy.workingCRS, count: data.zones.count, featureID: { data.zones[$0].id },
            shape: { data.zones[$0].geometry.shape }
        ) { z, values in
            let zone = data.zones[z], t = map.zoneTallies[z]
            values += [
                .text(zone.id), .text(zone.name), .text(zone.kind.rawValue), .text(zone.code),
                .integer(t.parcels), .real(t.landAreaM2), .real(t.industrialLandM2),
                .integer(t.buildings), .real(t.gfaM2), .real(t.industrialGFAM2), .real(t.vacantBuildingM2),
                .real(t.gfaM2 > 0 ? t.vacantBuildingM2 / t.gfaM2 : nil),
                .integer(t.oldIndustrialBuildings), .real(t.oldIndustrialGFAM2), .integer(t.carriers),
                .real(t.techSpaceM2), .real(t.techOccupiedM2), .real(t.techVacantM2), .real(t.techOccupancy),
                .integer(t.enterprises), .integer(t.employees), .real(t.enterpriseFloorAreaM2), .real(t.floorAreaPerEmployeeM2),
            ]
        }
    }

    // MARK: Carriers

    /// Carriers drawn as the union of their matched buildings' footprints (computed here, on all cores).
    public func carriers() throws -> PublishedLayer {
        let map = map, data = map.data, firms = firms
        let footprints = try ParallelMap.map(0..<data.carriers.count, chunk: 16) { c -> Shape? in
            let buildings = map.carrierBuildings[c]
            return buildings.isEmpty ? nil : try Geometry.union(of: buildings.map { data.buildings[$0].geometry }).shape
        }
        let techTypes = Set(data.policy.techCarrierTypes)
        return PublishedLayer(
            id: "carriers", title: "Carriers 科技培育载体",
            description:
                "Maker spaces, incubators, accelerators, parks and silicon buildings: their floor area, occupancy and vacancy, drawn as their buildings.",
            geometry: .multiPolygon, geometryNote: "the union of the footprints of the buildings it was matched to; none when it matched no building",
            fields: [
                LayerField("id", .text, "the carrier's id in the carriers layer"), LayerField("name", .text, "its name"),
                LayerField("type", .text, "maker_space, incubator, accelerator, park or silicon_building"),
                LayerField("type_label", .text, "the type in Chinese and English"), LayerField("level", .text, "its accreditation level"),
                LayerField("operator", .text, "who runs it"),
                LayerField("counts_as_tech_space", .boolean, "whether its type counts as tech-cultivation space (policy.json)"),
                LayerField("floor_area_m2", .real, unit: "m²", "its floor area"), LayerField("occupied_m2", .real, unit: "m²", "the floor area let"),
                LayerField("vacant_m2", .real, unit: "m²", "floor area minus floor area let"),
                LayerField("unit_m2", .real, unit: "m²", "the size of a unit it lets, if recorded"),
                LayerField("rent_yuan_per_m2_month", .real, unit: "yuan/m²/month", "its rent, if recorded"),
                LayerField("building_ids", .text, "the buildings it names, ';'-separated"),
                LayerField("matched_buildings", .integer, "how many of them are in the buildings layer"),
                LayerField("subdistrict", .text, Self.subdistrictMeaning), LayerField("cluster", .text, Self.clusterMeaning),
                LayerField("enterprises", .integer, "firms matched to its buildings"), LayerField("employees", .integer, "their employees"),
            ],
            crs: data.policy.workingCRS, count: data.carriers.count, featureID: { data.carriers[$0].id },
            shape: { footprints[$0] }
        ) { c, values in
            let carrier = data.carriers[c]
            let buildings = map.carrierBuildings[c]
            values += [
                .text(carrier.id), .text(carrier.name), .text(carrier.type.rawValue), .text(carrier.type.label),
                .text(carrier.level), .text(carrier.operatorName), .boolean(techTypes.contains(carrier.type.rawValue)),
                .real(carrier.floorAreaM2), .real(carrier.occupiedM2), .real(carrier.vacantM2), .real(carrier.unitM2),
                .real(carrier.rentYuanPerM2Month), .text(carrier.buildingIDs.joined(separator: ";")), .integer(buildings.count),
                .text(map.zoneIDs(map.carrierZones[c], .subdistrict)), .text(map.zoneIDs(map.carrierZones[c], .cluster)),
                .integer(buildings.reduce(0) { $0 + firms[$1].count }), .integer(buildings.reduce(0) { $0 + firms[$1].employees }),
            ]
        }
    }

    // MARK: Enterprises

    /// Firms at their own point, or at their building's centroid when placed by building id.
    public func enterprises() throws -> PublishedLayer {
        let map = map, data = map.data, zoneIDs = buildingZoneIDs
        var needed = [Bool](repeating: false, count: data.buildings.count)
        for (e, match) in map.enterpriseBuilding.enumerated() where data.enterprises[e].location == nil {
            if let b = match.building { needed[b] = true }
        }
        let wanted = needed
        let centroids = try ParallelMap.map(0..<data.buildings.count, chunk: 1_024) { b -> Shape? in
            wanted[b] ? try data.buildings[b].geometry.centroid().shape : nil
        }
        return PublishedLayer(
            id: "enterprises", title: "Enterprises 企业",
            description: "Firms with their sector, flags, employees and floor area, and the building the space map matched them to (and how).",
            geometry: .point, geometryNote: "the firm's own location; its building's centroid when it was placed by building id alone",
            fields: [
                LayerField("id", .text, "the firm's id in the enterprises layer"), LayerField("name", .text, "its name"),
                LayerField("sector", .text, "its sector (the positive lists' vocabulary)"),
                LayerField("flags", .text, "national high-tech, specialised SME… ';'-separated"),
                LayerField("employees", .integer, "its employees"), LayerField("floor_area_m2", .real, unit: "m²", "the floor area it occupies"),
                LayerField("building_id", .text, "the building the space map matched it to"),
                LayerField("match_method", .text, "how: building_id, inside, nearest or unmatched"),
                LayerField("match_distance_m", .real, unit: "m", decimals: 3, "distance to that building (0 inside it or by id)"),
                LayerField("subdistrict", .text, Self.subdistrictMeaning), LayerField("cluster", .text, Self.clusterMeaning),
            ],
            crs: data.policy.workingCRS, count: data.enterprises.count, featureID: { data.enterprises[$0].id },
            shape: { e in data.enterprises[e].location.map(Shape.point) ?? map.enterpriseBuilding[e].building.flatMap { centroids[$0] } }
        ) { e, values in
            let firm = data.enterprises[e], match = map.enterpriseBuilding[e]
            // A firm in a building is in its zones: their ids are the building's, joined once.
            let zones =
                match.building.flatMap { b in map.enterpriseZones[e] == map.buildingZones[b] ? zoneIDs[b] : nil }
                ?? (map.zoneIDs(map.enterpriseZones[e], .subdistrict), map.zoneIDs(map.enterpriseZones[e], .cluster))
            // One value at a time: an array literal per firm was an allocation per row.
            values.append(.text(firm.id)); values.append(.text(firm.name)); values.append(.text(firm.sector))
            values.append(.text(firm.flags.joined(separator: ";")))
            values.append(.integer(firm.employees)); values.append(.real(firm.floorAreaM2))
            values.append(.text(match.building.map { data.buildings[$0].id })); values.append(.text(match.method.rawValue))
            values.append(.real(match.distanceM)); values.append(.text(zones.0)); values.append(.text(zones.1))
        }
    }

    // MARK: Roads

    public var roads: PublishedLayer? {
        let data = map.data
        guard !data.roads.isEmpty else { return nil }
        return PublishedLayer(
            id: "roads", title: "Roads 道路", description: "Road centre lines (drawn for orientation; no basemap is needed).",
            geometry: .lineString, geometryNote: "the centre line as recorded",
            fields: [LayerField("id", .text, "road-N, by position in the roads layer")],
            crs: data.policy.workingCRS, count: data.roads.count, featureID: { "road-\($0 + 1)" }, shape: { data.roads[$0] }
        ) { r, values in
            values.append(.text("road-\(r + 1)"))
        }
    }
}

// MARK: - The files

extension SpaceMapLayers {
    /// The GeoPackage artifact: one file, every layer with its SRS and a spatial index.
    public static func geoPackage(_ map: SpaceMap, path: String = "space-map.gpkg") -> Artifact {
        Artifact(
            path,
            file: { url in
                let tables = try SpaceMapLayers(map).fileLayers().map { $0.vectorTable() }
                try GeoPackageWriter.write(tables, to: url.path, lastChange: inputsChanged(map.data))
            })
    }

    /// When the district's files last changed (the newest of the manifest and its layers).
    public static func inputsChanged(_ data: DistrictData) -> Date {
        let files = [data.manifest.file] + data.manifest.layers.values.flatMap { $0.map(\.file.path) }
        return files.compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date }.max()
            ?? Date(timeIntervalSince1970: 0)
    }

    /// Shapefiles in a folder, text in `encoding` with a .cpg saying so. DBF names hold 10
    /// bytes: long names are cut, made unique with a number, and field-names.csv says which is which.
    public static func shapefiles(_ map: SpaceMap, encoding: String, folder: String = "shapefile") throws -> [Artifact] {
        var renamed: [VectorTable] = []
        var listing = CSV.line(["layer", "field", "shapefile_field"])
        for table in try SpaceMapLayers(map).fileLayers().map({ $0.vectorTable() }) {
            let names = dbfNames(table.fields.map(\.name))
            for (field, short) in zip(table.fields, names) { listing += CSV.line([table.name, field.name, short]) }
            renamed.append(
                VectorTable(
                    name: table.name, crs: table.crs, geometryType: table.geometryType,
                    fields: zip(table.fields, names).map { VectorField(name: $1, kind: $0.kind) },
                    count: table.count, row: table.row))
        }
        let files = try VectorFileWriter.shapefiles(renamed, encoding: encoding)
        return files.map { file in
            let bytes = file.bytes
            return Artifact("\(folder)/\(file.name)", stream: { try $0.write(TextBuffer(bytes: bytes)) })
        } + [Artifact("\(folder)/field-names.csv", text: listing)]
    }

    /// Names of at most 10 bytes, unique: "industrial_land_m2" → "industrial", its neighbour "industri_2".
    static func dbfNames(_ names: [String]) -> [String] {
        var used = Set<String>()
        return names.map { name in
            var short = String(decoding: Array(name.utf8.prefix(10)), as: UTF8.self)
            var n = 2
            while used.contains(short.lowercased()) {
                let suffix = "_\(n)"
                short = String(decoding: Array(name.utf8.prefix(10 - suffix.utf8.count)), as: UTF8.self) + suffix
                n += 1
            }
            used.insert(short.lowercased())
            return short
        }
    }
}

extension SpaceMap {
    /// The ids of the zones of one kind among `zones`, ';'-separated, as every file lists them.
    func zoneIDs(_ zones: [Int], _ kind: ZoneKind) -> String {
        zones.filter { data.zones[$0].kind == kind }.map { data.zones[$0].id }.joined(separator: ";")
    }
}
