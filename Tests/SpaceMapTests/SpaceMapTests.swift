import SpaceCore
import Foundation
import Testing
import TestSupport
import Reports
import SpaceData
import SpaceGeometry
@testable import SpaceMap

@Suite("The industrial-space map on a district checkable by hand")
struct SpaceMapTests {
    static func build(_ district: TinyDistrict = TinyDistrict()) throws -> SpaceMap {
        let folder = try district.write()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try SpaceMap.build(try DistrictData.load(directory: folder, policy: try TinyDistrict.policy))
    }

    func parcel(_ map: SpaceMap, of building: String) -> (id: String?, overlap: Double) {
        let b = map.data.buildings.firstIndex { $0.id == building }!
        let match = map.buildingParcel[b]
        return (match.parcel.map { map.data.parcels[$0].id }, match.overlapM2)
    }

    @Test("a building across two parcels goes to the larger overlap and is reported")
    func buildingAcrossParcels() throws {
        let map = try Self.build()
        #expect(parcel(map, of: "B1").id == "P1")
        #expect(abs(parcel(map, of: "B1").overlap - 2_500) < 1e-6)
        #expect(parcel(map, of: "B2").id == "P2")
        #expect(abs(parcel(map, of: "B2").overlap - 1_200) < 1e-6)
        #expect(map.report.entries.contains { $0.recordID == "B2" && $0.problem.contains("spans 2 parcels") })
    }

    @Test("a tie goes to the first parcel and is reported as a tie")
    func tie() throws {
        let map = try Self.build()
        #expect(parcel(map, of: "B3").id == "P1")
        #expect(abs(parcel(map, of: "B3").overlap - 200) < 1e-6)
        #expect(map.report.entries.contains { $0.recordID == "B3" && $0.problem.contains("P1 and P2 equally") })
    }

    @Test("a bow-tie footprint is repaired into two triangles, reported, and its GFA derived from them")
    func bowTie() throws {
        let map = try Self.build()
        let b4 = map.data.buildings.first { $0.id == "B4" }!
        #expect(abs(b4.footprintM2 - 1_250) < 1e-6)
        #expect(b4.gfaDerived && abs(b4.gfaM2 - 2_500) < 1e-6)
        #expect(map.report.entries.contains { $0.kind == .repaired && $0.recordID == "B4" && $0.problem.contains("Self-intersection") })
        #expect(parcel(map, of: "B4").id == "P3")
    }

    @Test("firms: inside, nearest within 30 m at its distance, by building id, and unmatched with a reason")
    func enterprises() throws {
        let map = try Self.build()
        let result = Dictionary(
            uniqueKeysWithValues: map.enterpriseBuilding.enumerated().map { e, m in
                (map.data.enterprises[e].id, (m.building.map { map.data.buildings[$0].id }, m.method, m.distanceM))
            })
        #expect(result["E1"]!.0 == "B1" && result["E1"]!.1 == .inside)
        #expect(result["E2"]!.0 == "B1" && result["E2"]!.1 == .nearest && abs(result["E2"]!.2 - 10) < 1e-6)
        #expect(result["E3"]!.0 == nil && result["E3"]!.1 == .unmatched)
        #expect(result["E4"]!.0 == "B5" && result["E4"]!.1 == .buildingID)
        #expect(result["E5"]!.0 == nil && result["E5"]!.1 == .unmatched)
        #expect(result["E6"]!.0 == "B3" && result["E6"]!.1 == .inside)
        #expect(map.report.entries.contains { $0.recordID == "E5" && $0.problem.contains("B77 is not in the buildings layer") })
        #expect(map.report.entries.contains { $0.recordID == "E3" && $0.problem.contains("within 30 m") })
    }

    @Test("firms geocoded in GCJ-02 land in their building; read as WGS84 they would miss it by ~550 m")
    func gcjFirms() throws {
        var district = TinyDistrict()
        district.enterpriseCRS = .gcj02
        let map = try Self.build(district)
        let e1 = map.data.enterprises.firstIndex { $0.id == "E1" }!
        #expect(map.enterpriseBuilding[e1].method == .inside)
        district.statedEnterpriseCRS = "WGS84"
        let wrong = try Self.build(district)
        #expect(wrong.enterpriseBuilding[e1].method == .unmatched)
        #expect(!map.report.entries.contains { $0.problem.contains("crs in layers.json") })
    }

    @Test("a GCJ-02 firm list declared as WGS84 is named in a warning")
    func firmsInTheWrongCRS() throws {
        var district = TinyDistrict()
        // Twenty firms inside B5, geocoded in GCJ-02 but declared WGS84.
        district.enterprises = (0..<20).map { k in ("F\(k)", "ai", 5, 50, (625 + Double(k) * 2.5, 350), nil) }
        district.enterpriseCRS = .gcj02
        district.statedEnterpriseCRS = "WGS84"
        let map = try Self.build(district)
        let warning = map.report.entries.first { $0.layer == "enterprises" && $0.kind == .warning }
        #expect(
            warning?.problem.contains("only 0 % of the located firms fall inside a building as EPSG:4326; read as GCJ-02, 100 % of a sample would")
                == true,
            "\(warning?.problem ?? "no warning")")
    }

    @Test("land by use keeps M0 (new-type industrial) apart from M1; both are industrial land")
    func newTypeIndustrial() throws {
        var district = TinyDistrict()
        district.parcels[0].use = "M0"
        district.parcels.append(("P5", "M1", (0, 300, 200, 500)))
        let total = try TinyDistrict.spaceMap(district).total
        #expect(total.landAreaByUse["M0"] == 40_000 && total.landAreaByUse["M"] == 40_000)
        #expect(total.industrialLandM2 == 120_000)  // M0 + M1 + the W1 warehouse parcel P3
    }

    @Test("figures per zone and for the district, worked out by hand")
    func tallies() throws {
        let map = try Self.build()
        let zone = { (id: String) in map.zoneTallies[map.data.zones.firstIndex { $0.id == id }!] }
        let a = zone("A"), b = zone("B"), c = zone("C"), total = map.total
        #expect(a.parcels == 2 && abs(a.landAreaM2 - 80_000) < 1e-6)
        #expect(abs(a.gfaM2 - 38_000) < 1e-6)  // 10 000 + 10 × 2 000 + 8 000
        #expect(abs(a.industrialGFAM2 - 30_000) < 1e-6)  // B1 industrial + B2 R&D
        #expect(abs(a.oldIndustrialGFAM2 - 10_000) < 1e-6)
        #expect(abs(a.techSpaceM2 - 7_000) < 1e-6 && abs(a.techOccupiedM2 - 6_000) < 1e-6)
        #expect(a.enterprises == 4 && a.employees == 43)  // E1, E2, E6 in buildings; E3 by its point
        #expect(abs(b.gfaM2 - 32_500) < 1e-6 && abs(b.industrialGFAM2 - 2_500) < 1e-6)
        #expect(b.enterprises == 1 && b.employees == 100)
        #expect(c.parcels == 1 && c.buildings == 3 && abs(c.gfaM2 - 38_000) < 1e-6)
        #expect(abs(total.landAreaM2 - 160_000) < 1e-6 && abs(total.gfaM2 - 70_500) < 1e-6)
        #expect(abs(total.techSpaceM2 - 17_000) < 1e-6 && abs(total.techVacantM2 - 6_000) < 1e-6)
        #expect(total.enterprises == 6 && total.employees == 150)
        #expect(abs(total.floorAreaPerEmployeeM2! - 2_280.0 / 150) < 1e-9)
        #expect(total.enterprisesByFlag["national_high_tech"] == 6 && total.enterprisesBySector["ai"] == 3)
        #expect(abs(map.progress[0].share - 0.017) < 1e-12 && map.progress[0].year == 2023)
        #expect(map.report.entries.contains { $0.recordID == "K3" && $0.kind == .unmatched })
    }

    @Test("the files are written, and the joins CSV says what the map says")
    func outputs() throws {
        let map = try Self.build()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let files = try OutputFolder(out, inputs: []).commit(SpaceMapFiles.artifacts(map))
        #expect(files.count == 9 && files.contains("space-map.gpkg"))
        let joins = try String(contentsOf: out.appendingPathComponent("joins/building_parcel.csv"), encoding: .utf8)
        #expect(joins.contains("B2,P2,1200\n") && joins.contains("B3,P1,200\n"))
        let firms = try String(contentsOf: out.appendingPathComponent("joins/enterprise_building.csv"), encoding: .utf8)
        #expect(firms.contains("E2,B1,nearest,10\n") && firms.contains("E5,,unmatched,0\n"))
        let summary = try CSV.read(Data(contentsOf: out.appendingPathComponent("summary.csv")))
        let gfa = summary.column("gfa_m2")!, id = summary.column("zone_id")!
        #expect(summary.rows.first { $0[id] == "total" }?[gfa] == "70500")
        let json = try parseJSON(Data(contentsOf: out.appendingPathComponent("summary.json")))
        #expect(json["total"]?["tech_space_m2"] == .number(17_000))
        let geo = try GeoJSON.read(Data(contentsOf: out.appendingPathComponent("space-map.geojson")))
        #expect(geo.features.count == 5)
        #expect(geo.features[0].properties["carrier_ids"] == .string("K1"))
        #expect(geo.features[0].properties["enterprises"] == .number(2))
        let validation = try parseJSON(Data(contentsOf: out.appendingPathComponent("validation.json")))
        #expect(validation["counts"]?["repaired"] == .number(1))
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("| 2023 | 1,000,000 | 17,000 | 1.7 % | 983,000 |"))
    }
}

@Suite("Firm tallies")
struct FirmTallyTests {
    @Test("counting by vocabulary position gives the same figures as adding firm by firm")
    func sameFigures() throws {
        let folder = TestPaths.repositoryRoot.appendingPathComponent("GIS/sample")
        let map = try SpaceMap.build(try DistrictData.load(directory: folder, policy: try TinyDistrict.policy))
        let n = map.data.zones.count
        let fast = try SpaceTally.tallyFirms(map.data.enterprises, zones: map.enterpriseZones, zoneCount: n)
        let plain = try SpaceTally.tally(map.data.enterprises, zones: map.enterpriseZones, zoneCount: n) { $0.add($1) }
        for (a, b) in zip(fast.zones + [fast.total], plain.zones + [plain.total]) {
            #expect(a.enterprises == b.enterprises && a.employees == b.employees && a.enterpriseFloorAreaM2 == b.enterpriseFloorAreaM2)
            #expect(a.enterprisesBySector == b.enterprisesBySector && a.employeesBySector == b.employeesBySector)
            #expect(a.enterprisesByFlag == b.enterprisesByFlag)
        }
        #expect(fast.total.enterprises == 9_000 && fast.total.enterprisesByFlag["national_high_tech"]! > 1_000)

        // A flag listed twice counts twice in both ways.
        var firms = map.data.enterprises
        let f = firms[0]
        firms[0] = Enterprise(
            index: f.index, id: f.id, name: f.name, sector: f.sector, flags: ["leading", "high_growth", "leading"], employees: f.employees,
            floorAreaM2: f.floorAreaM2, location: f.location, buildingID: f.buildingID)
        let twice = try SpaceTally.tallyFirms(firms, zones: map.enterpriseZones, zoneCount: n)
        let plainTwice = try SpaceTally.tally(firms, zones: map.enterpriseZones, zoneCount: n) { $0.add($1) }
        #expect(twice.total.enterprisesByFlag == plainTwice.total.enterprisesByFlag)
        #expect(twice.total.enterprisesByFlag["leading", default: 0] == fast.total.enterprisesByFlag["leading", default: 0] + 2 - (f.flags.contains("leading") ? 1 : 0))
    }
}
