import SpaceCore
import Foundation
import SpaceData
import SpaceGeometry
import SpaceMap

/// A district small enough to check by hand, in EPSG:4547 metres relative to (500 000, 2 490 000):
///
///     district 0–1000 × 0–1000; sub-district A = x 0–500, B = x 500–1000; cluster C = 0–250 × 0–250
///     parcels  P1 0–200 × 0–200 (M1)   P2 200–400 × 0–200 (C1)   P3 600–800 × 0–200 (W1)   P4 600–800 × 300–500 (R2)
///     B1  10–60 × 10–60 in P1, 4 floors, GFA 10 000, old factory, 1 000 vacant
///     B2 180–230 × 10–50 across P1 (800 m²) and P2 (1 200 m²), 10 floors, no GFA → 10 × 2 000
///     B3 190–210 × 100–120, 200 m² on each of P1 and P2 (a tie), office, GFA 8 000
///     B4 650–700 × 50–100 drawn as a bow-tie in P3: two triangles of 625 m², warehouse, 2 floors, no GFA
///     B5 620–680 × 320–380 in P4, residential, GFA 30 000
public struct TinyDistrict {
    public init() {}

    public static let x0 = 500_000.0, y0 = 2_490_000.0

    public var zones: [(id: String, kind: String, rect: (Double, Double, Double, Double))] = [
        ("D", "district", (0, 0, 1000, 1000)), ("A", "subdistrict", (0, 0, 500, 1000)),
        ("B", "subdistrict", (500, 0, 1000, 1000)), ("C", "cluster", (0, 0, 250, 250)),
    ]
    public var parcels: [(id: String, use: String, rect: (Double, Double, Double, Double))] = [
        ("P1", "M1", (0, 0, 200, 200)), ("P2", "C1", (200, 0, 400, 200)),
        ("P3", "W1", (600, 0, 800, 200)), ("P4", "R2", (600, 300, 800, 500)),
    ]
    public var buildings: [[String: Any]] = [
        [
            "id": "B1", "ring": rect(10, 10, 60, 60), "floors": 4, "gfa_m2": 10_000, "use": "industrial", "condition": "old_factory",
            "vacant_m2": 1_000,
        ],
        ["id": "B2", "ring": rect(180, 10, 230, 50), "floors": 10, "use": "rnd"],
        ["id": "B3", "ring": rect(190, 100, 210, 120), "floors": 20, "gfa_m2": 8_000, "use": "office"],
        ["id": "B4", "ring": [(650.0, 50.0), (700.0, 50.0), (650.0, 100.0), (700.0, 100.0), (650.0, 50.0)], "floors": 2, "use": "warehouse"],
        ["id": "B5", "ring": rect(620, 320, 680, 380), "floors": 10, "gfa_m2": 30_000, "use": "residential"],
    ]
    /// Further properties of parcels by id (far_cap, height_cap_m…).
    public var parcelProperties: [String: [String: Any]] = [:]
    public var carriersCSV = """
        id,name,type,level,operator,floor_area_m2,occupied_m2,building_ids
        K1,Hetao incubator,incubator,national,op,5000,4000,B1
        K2,Maker space,maker_space,city,op,2000,2000,B3
        K3,Lost park,park,district,op,10000,5000,B99

        """
    /// Firms in metres relative to the origin (converted to `enterpriseCRS` when written).
    public var enterprises: [(id: String, sector: String, employees: Int, area: Double, at: (Double, Double)?, building: String?)] = [
        ("E1", "ai", 10, 200, (30, 30), nil),  // inside B1
        ("E2", "fintech", 20, 300, (70, 30), nil),  // 10 m east of B1
        ("E3", "ai", 5, 50, (30, 400), nil),  // far from any building, in A
        ("E4", "biomedicine", 100, 1500, nil, "B5"),  // by building id
        ("E5", "other", 7, 70, nil, "B77"),  // unknown building id
        ("E6", "ai", 8, 160, (195, 110), nil),  // inside B3
    ]
    public var enterpriseCRS = CRSCode.cgcs2000GK114
    /// The CRS the manifest states for the firms (normally the one they are written in).
    public var statedEnterpriseCRS: String?
    public var enterpriseFlags = "national_high_tech"

    public static func rect(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> [(Double, Double)] {
        [(a, b), (c, b), (c, d), (a, d), (a, b)]
    }

    public static func ring(_ points: [(Double, Double)]) -> String {
        "[[" + points.map { "[\(formatFixed($0.0 + x0, 3)),\(formatFixed($0.1 + y0, 3))]" }.joined(separator: ",") + "]]"
    }

    public func polygonFeature(_ properties: [String: Any], _ points: [(Double, Double)]) -> String {
        let props = properties.keys.sorted().map { key -> String in
            let value = properties[key]!
            if let s = value as? String { return "\"\(key)\":\"\(s)\"" }
            return "\"\(key)\":\(value)"
        }.joined(separator: ",")
        return "{\"type\":\"Feature\",\"properties\":{\(props)},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\(TinyDistrict.ring(points))}}"
    }

    public func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }

    /// Writes the data folder and returns it: the caller removes it (`defer`).
    public func write() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func save(_ name: String, _ text: String) throws {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try save(
            "zones.geojson",
            collection(
                zones.map { z in
                    polygonFeature(["id": z.id, "name": "Zone \(z.id)", "kind": z.kind], TinyDistrict.rect(z.rect.0, z.rect.1, z.rect.2, z.rect.3))
                }))
        try save(
            "parcels.geojson",
            collection(
                parcels.map { p in
                    polygonFeature(
                        ["id": p.id, "land_use": p.use].merging(parcelProperties[p.id] ?? [:]) { a, _ in a },
                        TinyDistrict.rect(p.rect.0, p.rect.1, p.rect.2, p.rect.3))
                }))
        try save(
            "buildings.geojson",
            collection(
                buildings.map { b in
                    var properties = b
                    let ring = properties.removeValue(forKey: "ring") as! [(Double, Double)]
                    return polygonFeature(properties, ring)
                }))
        try save("carriers.csv", carriersCSV)
        let transformer = try CoordinateTransformer(from: .cgcs2000GK114, to: enterpriseCRS)
        var csv = "id,name,sector,flags,employees,floor_area_m2,lon,lat,building_id\n"
        for e in enterprises {
            var lon = "", lat = ""
            if let at = e.at {
                let c = try transformer.transform(Coordinate(at.0 + TinyDistrict.x0, at.1 + TinyDistrict.y0))
                lon = formatFixed(c.x, 9); lat = formatFixed(c.y, 9)
            }
            csv += "\(e.id),Firm \(e.id),\(e.sector),\(enterpriseFlags),\(e.employees),\(formatFixed(e.area, 0)),\(lon),\(lat),\(e.building ?? "")\n"
        }
        try save("enterprises.csv", csv)
        try save(
            "layers.json",
            """
            {"name": "tiny", "layers": {
              "zones": {"file": "zones.geojson", "crs": "EPSG:4547"},
              "parcels": {"file": "parcels.geojson", "crs": "EPSG:4547"},
              "buildings": {"file": "buildings.geojson", "crs": "EPSG:4547"},
              "carriers": {"file": "carriers.csv"},
              "enterprises": {"file": "enterprises.csv", "crs": "\(statedEnterpriseCRS ?? enterpriseCRS.description)"}
            }}
            """)
        return folder
    }

    public static var policy: Policy {
        get throws { try Policy.load(TestPaths.config("policy.json")) }
    }
}

extension TinyDistrict {
    /// The tiny district's space map, with the shipped policy (its files removed once read).
    public static func spaceMap(_ district: TinyDistrict = TinyDistrict()) throws -> SpaceMap {
        let folder = try district.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try SpaceMap.build(try DistrictData.load(directory: folder, policy: try TinyDistrict.policy))
    }
}
