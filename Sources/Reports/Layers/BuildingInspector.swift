import SpaceCore
import SpaceData
import SpaceMap
import Cartography

/// What a planner sees on clicking a building: its attributes, its parcel (with the floor area
/// on it by use), its carriers, its largest firms and its firms by sector, and its vacancy —
/// every record with the attributes of its published layer.
public struct BuildingInspector: Sendable {
    let buildings, parcels, carriers, enterprises: PublishedLayer
    let layers: SpaceMapLayers
    let scene: MapScene
    let byID: IDIndex
    /// Per building: its firms; per parcel: its buildings.
    let firmsIn: [[Int32]]
    let parcelBuildings: [[Int32]]
    /// The inspector lists this many firms of a building (the largest first); the count is of all.
    public static let firmsListed = 100

    public init(_ layers: SpaceMapLayers, published: [PublishedLayer], scene: MapScene) {
        let map = layers.map, data = map.data
        func layer(_ id: String) -> PublishedLayer { published.first { $0.id == id }! }
        buildings = layer("buildings"); parcels = layer("parcels"); carriers = layer("carriers"); enterprises = layer("enterprises")
        self.layers = layers
        self.scene = scene
        byID = IDIndex(data.buildings.map(\.id))
        var firmsIn = [[Int32]](repeating: [], count: data.buildings.count)
        for (e, match) in map.enterpriseBuilding.enumerated() { if let b = match.building { firmsIn[b].append(Int32(e)) } }
        var onParcel = [[Int32]](repeating: [], count: data.parcels.count)
        for (b, match) in map.buildingParcel.enumerated() { if let p = match.parcel { onParcel[p].append(Int32(b)) } }
        self.firmsIn = firmsIn
        parcelBuildings = onParcel
    }

    /// The inspector's answer for a building, or nil when there is no building of that id.
    public func building(_ id: String) -> JSONValue? {
        guard let b = byID[id] else { return nil }
        let map = layers.map, data = map.data
        let building = data.buildings[b]
        var o = JSONObject([("building", .object(buildings.properties(of: b))), ("old_industrial", .bool(scene.buildings[b].oldIndustrial))])
        o["vacancy"] = .object(
            JSONObject([
                ("vacant_m2", .number(rounded(building.vacantM2, decimals: 2))), ("gfa_m2", .number(rounded(building.gfaM2, decimals: 2))),
                ("share", building.gfaM2 > 0 ? .number(rounded(building.vacantM2 / building.gfaM2, decimals: 4)) : .null),
            ]))
        if let p = map.buildingParcel[b].parcel {
            var byUse: [String: Double] = [:]
            for other in parcelBuildings[p] { byUse[data.buildings[Int(other)].use, default: 0] += data.buildings[Int(other)].gfaM2 }
            var parcel = parcels.properties(of: p)
            parcel["gfa_by_use_m2"] = .object(JSONObject(byUse.keys.sorted().map { ($0, .number(rounded(byUse[$0]!, decimals: 2))) }))
            parcel["overlap_m2"] = .number(rounded(map.buildingParcel[b].overlapM2, decimals: 2))
            o["parcel"] = .object(parcel)
        } else {
            o["parcel"] = .null
        }
        o["carriers"] = .array(layers.carriersIn[b].map { .object(carriers.properties(of: $0)) })
        let firms = firmsIn[b].map(Int.init).sorted { data.enterprises[$0].floorAreaM2 > data.enterprises[$1].floorAreaM2 }
        var bySector: [String: (firms: Int, m2: Double)] = [:]
        for e in firms {
            bySector[data.enterprises[e].sector, default: (0, 0)].firms += 1;
            bySector[data.enterprises[e].sector, default: (0, 0)].m2 += data.enterprises[e].floorAreaM2
        }
        o["enterprises_total"] = .number(Double(firms.count))
        o["enterprises"] = .array(firms.prefix(Self.firmsListed).map { .object(enterprises.properties(of: $0)) })
        o["by_sector"] = .array(
            bySector.keys.sorted().map { s in
                .object(
                    JSONObject([
                        ("sector", .string(s)), ("firms", .number(Double(bySector[s]!.firms))),
                        ("floor_area_m2", .number(rounded(bySector[s]!.m2, decimals: 2))),
                    ]))
            })
        return .object(o)
    }

    /// The buildings as the page draws them: only what its themes colour by; a click asks the inspector for the rest.
    public func drawingLayer() -> PublishedLayer {
        let data = layers.map.data, scene = scene, firms = layers.firms
        return PublishedLayer(
            id: "buildings", title: buildings.title, description: "The buildings with what the page's themes colour them by.",
            geometry: .multiPolygon, geometryNote: buildings.geometryNote,
            fields: [
                LayerField("id", .text, "the building's id"), LayerField("use", .text, "its use as recorded"),
                LayerField("carrier_type", .text, "the type of the carrier the maps colour it by, if any"),
                LayerField("old_industrial", .boolean, "an old factory or warehouse (旧工业建筑), as the renewal map marks it"),
                LayerField("gfa_m2", .real, unit: "m²", decimals: 1, "gross floor area"),
                LayerField("vacant_m2", .real, unit: "m²", decimals: 1, "vacant floor area"),
                LayerField("enterprises", .integer, "firms matched to it"),
            ],
            crs: buildings.crs, count: buildings.count, featureID: buildings.featureID, shape: buildings.shape
        ) { b, values in
            let building = data.buildings[b], feature = scene.buildings[b]
            values += [
                .text(building.id), .text(building.use), .text(feature.carrierType), .boolean(feature.oldIndustrial),
                .real(building.gfaM2), .real(building.vacantM2), .integer(firms[b].count),
            ]
        }
    }
}
