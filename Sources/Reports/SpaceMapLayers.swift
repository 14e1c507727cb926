import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// The space map as GIS layers in the working CRS, for space-map.gpkg (and a Shapefile
/// export): buildings with what the joins found (the attributes of space-map.geojson), parcels,
/// zones with their summaries, carriers (their buildings' footprint) and firms (points).
public enum SpaceMapLayers {
    public static func tables(_ map: SpaceMap) throws -> [VectorTable] {
        [buildings(map), parcels(map), try zones(map), try carriers(map), try enterprises(map)]
    }

    /// The GeoPackage artifact: one file, every layer with its SRS and a spatial index.
    public static func geoPackage(_ map: SpaceMap, path: String = "space-map.gpkg") -> Artifact {
        Artifact(path, file: { url in try GeoPackageWriter.write(try tables(map), to: url.path, lastChange: inputsChanged(map.data)) })
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
        for table in try tables(map) {
            let names = dbfNames(table.fields.map(\.name))
            for (field, short) in zip(table.fields, names) { listing += CSV.line([table.name, field.name, short]) }
            renamed.append(VectorTable(name: table.name, crs: table.crs, geometryType: table.geometryType,
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

    private static func text(_ s: String?) -> VectorValue { s.map { .text(Array($0.utf8)) } ?? .null }
    private static func integer(_ n: Int?) -> VectorValue { n.map { .integer(Int64($0)) } ?? .null }
    private static func real(_ x: Double?) -> VectorValue { x.map { .real($0) } ?? .null }

    static func buildings(_ map: SpaceMap) -> VectorTable {
        let data = map.data
        let features = BuildingFeatures(map)
        let fields: [VectorField] = [
            .init(name: "id", kind: .text), .init(name: "use", kind: .text), .init(name: "floors", kind: .integer),
            .init(name: "gfa_m2", kind: .real), .init(name: "gfa_source", kind: .text), .init(name: "footprint_m2", kind: .real),
            .init(name: "vacant_m2", kind: .real), .init(name: "condition", kind: .text), .init(name: "year_built", kind: .integer),
            .init(name: "parcel_id", kind: .text), .init(name: "parcel_land_use", kind: .text),
            .init(name: "subdistrict", kind: .text), .init(name: "cluster", kind: .text),
            .init(name: "carrier_ids", kind: .text), .init(name: "carrier_types", kind: .text),
            .init(name: "enterprises", kind: .integer), .init(name: "employees", kind: .integer),
        ]
        return VectorTable(name: "buildings", crs: data.policy.workingCRS, geometryType: .multiPolygon, fields: fields,
                           count: data.buildings.count) { b in
            let building = data.buildings[b]
            let parcel = map.buildingParcel[b].parcel.map { data.parcels[$0] }
            let carriers = features.carriersIn[b].map { data.carriers[$0] }
            let values: [VectorValue] = [
                text(building.id), text(building.use), integer(building.floors),
                .real(round2(building.gfaM2)), text(building.gfaDerived ? "derived" : "recorded"), .real(round2(building.footprintM2)),
                .real(round2(building.vacantM2)), text(building.condition), integer(building.yearBuilt),
                text(parcel?.id), text(parcel?.landUse),
                text(map.zoneIDs(map.buildingZones[b], .subdistrict)), text(map.zoneIDs(map.buildingZones[b], .cluster)),
                text(carriers.map(\.id).joined(separator: ";")), text(carriers.map(\.type.rawValue).joined(separator: ";")),
                integer(features.firms[b].count), integer(features.firms[b].employees),
            ]
            return (values, building.geometry.shape)
        }
    }

    static func parcels(_ map: SpaceMap) -> VectorTable {
        let data = map.data
        let fields: [VectorField] = [
            .init(name: "id", kind: .text), .init(name: "land_use", kind: .text), .init(name: "land_area_m2", kind: .real),
            .init(name: "recorded_land_area_m2", kind: .real), .init(name: "far_cap", kind: .real), .init(name: "height_cap_m", kind: .real),
            .init(name: "tenure_start", kind: .integer), .init(name: "tenure_end", kind: .integer), .init(name: "supply_mode", kind: .text),
            .init(name: "subdistrict", kind: .text),
        ]
        return VectorTable(name: "parcels", crs: data.policy.workingCRS, geometryType: .multiPolygon, fields: fields,
                           count: data.parcels.count) { p in
            let parcel = data.parcels[p]
            return ([text(parcel.id), text(parcel.landUse), .real(round2(parcel.landAreaM2)), real(parcel.recordedLandAreaM2),
                     real(parcel.farCap), real(parcel.heightCapM), integer(parcel.tenureStart), integer(parcel.tenureEnd),
                     text(parcel.supplyMode), text(map.zoneIDs(map.parcelZones[p], .subdistrict))], parcel.geometry.shape)
        }
    }

    /// Zones with the scalar figures of summary.json (its breakdowns stay in summary.csv).
    static func zones(_ map: SpaceMap) throws -> VectorTable {
        let data = map.data
        let summaries = map.zoneTallies.map { SummaryFormats.object($0, policy: data.policy) }
        let figures = summaries.first?.members.filter { $0.1.numberValue != nil || $0.1.isNull }.map(\.0) ?? []
        // Counts are whole numbers in every zone; the other figures are areas and shares.
        let whole = Set(figures.filter { key in summaries.allSatisfy { $0[key]?.numberValue.map { $0 == $0.rounded() } ?? true } && !key.hasSuffix("_m2") })
        let fields: [VectorField] = [.init(name: "id", kind: .text), .init(name: "name", kind: .text),
                                     .init(name: "kind", kind: .text), .init(name: "code", kind: .text)]
            + figures.map { VectorField(name: $0, kind: whole.contains($0) ? .integer : .real) }
        return VectorTable(name: "zones", crs: data.policy.workingCRS, geometryType: .multiPolygon, fields: fields,
                           count: data.zones.count) { z in
            let zone = data.zones[z]
            let values = [text(zone.id), text(zone.name), text(zone.kind.rawValue), text(zone.code)]
                + figures.map { key in
                    let value = summaries[z][key]?.numberValue
                    return whole.contains(key) ? integer(value.map { Int($0) }) : real(value)
                }
            return (values, zone.geometry.shape)
        }
    }

    static func carriers(_ map: SpaceMap) throws -> VectorTable {
        let data = map.data
        let footprints = try map.carrierBuildings.map { buildings in
            buildings.isEmpty ? nil : try Geometry.union(of: buildings.map { data.buildings[$0].geometry }).shape
        }
        let fields: [VectorField] = [
            .init(name: "id", kind: .text), .init(name: "name", kind: .text), .init(name: "type", kind: .text),
            .init(name: "level", kind: .text), .init(name: "operator", kind: .text), .init(name: "floor_area_m2", kind: .real),
            .init(name: "occupied_m2", kind: .real), .init(name: "building_ids", kind: .text), .init(name: "matched_buildings", kind: .integer),
        ]
        return VectorTable(name: "carriers", crs: data.policy.workingCRS, geometryType: .multiPolygon, fields: fields,
                           count: data.carriers.count) { c in
            let carrier = data.carriers[c]
            return ([text(carrier.id), text(carrier.name), text(carrier.type.rawValue), text(carrier.level), text(carrier.operatorName),
                     .real(carrier.floorAreaM2), .real(carrier.occupiedM2), text(carrier.buildingIDs.joined(separator: ";")),
                     integer(map.carrierBuildings[c].count)], footprints[c])
        }
    }

    /// Firms at their own point, or at their building's centroid when placed by building id.
    static func enterprises(_ map: SpaceMap) throws -> VectorTable {
        let data = map.data
        let fields: [VectorField] = [
            .init(name: "id", kind: .text), .init(name: "name", kind: .text), .init(name: "sector", kind: .text),
            .init(name: "flags", kind: .text), .init(name: "employees", kind: .integer), .init(name: "floor_area_m2", kind: .real),
            .init(name: "building_id", kind: .text), .init(name: "match", kind: .text), .init(name: "distance_m", kind: .real),
        ]
        return VectorTable(name: "enterprises", crs: data.policy.workingCRS, geometryType: .point, fields: fields,
                           count: data.enterprises.count) { e in
            let firm = data.enterprises[e]
            let match = map.enterpriseBuilding[e]
            var point = firm.location.map(Shape.point)
            if point == nil, let b = match.building { point = try data.buildings[b].geometry.centroid().shape }
            return ([text(firm.id), text(firm.name), text(firm.sector), text(firm.flags.joined(separator: ";")),
                     integer(firm.employees), .real(firm.floorAreaM2), text(match.building.map { data.buildings[$0].id }),
                     text(match.method.rawValue), .real((match.distanceM * 1000).rounded() / 1000)], point)
        }
    }
}
