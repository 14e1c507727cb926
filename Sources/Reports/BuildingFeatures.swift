import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// Buildings as GeoJSON features in WGS84 with everything the space map joins to them: parcel,
/// zones, carriers, firms. One writer for space-map.geojson and for the workbench's buildings
/// collection, so a planner sees the same attributes in the file and on the live map.
public struct BuildingFeatures: Sendable {
    public let map: SpaceMap
    /// Per building: the carriers in it, and its firms and their employees.
    public let carriersIn: [[Int]]
    public let firms: [(count: Int, employees: Int)]
    /// Few distinct zone combinations exist: each is written once, as escaped JSON.
    private let zoneMembers: [[Int]: TextBuffer]

    public init(_ map: SpaceMap) {
        let data = map.data
        var carriersIn = [[Int]](repeating: [], count: data.buildings.count)
        for (c, buildings) in map.carrierBuildings.enumerated() { for b in buildings { carriersIn[b].append(c) } }
        var firms = [(count: Int, employees: Int)](repeating: (0, 0), count: data.buildings.count)
        for (e, match) in map.enterpriseBuilding.enumerated() {
            if let b = match.building { firms[b].count += 1; firms[b].employees += data.enterprises[e].employees }
        }
        var zoneMembers: [[Int]: TextBuffer] = [:]
        for zones in map.buildingZones where zoneMembers[zones] == nil {
            var text = TextBuffer()
            text.append(",\"subdistrict\":")
            text.appendJSONString(map.zoneIDs(zones, .subdistrict))
            text.append(",\"cluster\":")
            text.appendJSONString(map.zoneIDs(zones, .cluster))
            zoneMembers[zones] = text
        }
        self.map = map
        self.carriersIn = carriersIn
        self.firms = firms
        self.zoneMembers = zoneMembers
    }

    /// Appends building `b` as one Feature; `withID` adds the feature-level "id" (OGC API items);
    /// `crs` is WGS84 but for a page drawn over GCJ-02 tiles. `typedReals` writes 1576 m² as
    /// 1576.0, for clients that type a field from the first few features (GDAL's OAPIF reads 10).
    public func append(_ b: Int, to text: inout TextBuffer, withID: Bool = false, crs: CRSCode = .wgs84, typedReals: Bool = false) throws {
        let data = map.data
        let building = data.buildings[b]
        let match = map.buildingParcel[b]
        // Properties written straight into the bytes: a JSON object per building would cost more than the geometry.
        func key(_ name: StaticString) {
            text.append(",\"")
            text.append(name)
            text.append("\":")
        }
        func string(_ name: StaticString, _ value: String?) {
            key(name)
            if let value { text.appendJSONString(value) } else { text.append("null") }
        }
        func number(_ name: StaticString, _ value: Double, _ decimals: Int) {
            key(name)
            if typedReals { text.appendReal(value, decimals) } else { text.appendFixed(value, decimals) }
        }
        func integer(_ name: StaticString, _ value: Int?) {
            key(name)
            if let value { text.appendInteger(value) } else { text.append("null") }
        }
        text.append("{\"type\":\"Feature\",")
        if withID {
            text.append("\"id\":")
            text.appendJSONString(building.id)
            text.append(",")
        }
        text.append("\"properties\":{\"id\":")
        text.appendJSONString(building.id)
        string("use", building.use)
        integer("floors", building.floors)
        number("gfa_m2", building.gfaM2, 2)
        string("gfa_source", building.gfaDerived ? "derived" : "recorded")
        number("footprint_m2", building.footprintM2, 2)
        number("vacant_m2", building.vacantM2, 2)
        string("condition", building.condition)
        integer("year_built", building.yearBuilt)
        string("parcel_id", match.parcel.map { data.parcels[$0].id })
        string("parcel_land_use", match.parcel.map { data.parcels[$0].landUse })
        text.append(zoneMembers[map.buildingZones[b]]!)
        string("carrier_ids", carriersIn[b].map { data.carriers[$0].id }.joined(separator: ";"))
        string("carrier_types", carriersIn[b].map { data.carriers[$0].type.rawValue }.joined(separator: ";"))
        integer("enterprises", firms[b].count)
        integer("employees", firms[b].employees)
        text.append("},\"geometry\":")
        let transformer = try CoordinateTransformer.forThisThread(from: data.policy.workingCRS, to: crs)
        GeoJSONWriter(decimals: 7).appendGeometry(try transformer.transform(building.geometry.shape), to: &text)
        text.append("}")
    }
}

extension SpaceMap {
    /// The ids of the zones of one kind among `zones`, ';'-separated, as every file lists them.
    func zoneIDs(_ zones: [Int], _ kind: ZoneKind) -> String {
        zones.filter { data.zones[$0].kind == kind }.map { data.zones[$0].id }.joined(separator: ";")
    }
}
