import Foundation
import SampleDistrict
import SpaceCore
import SpaceData
import Testing
import TestSupport

@Suite("The synthetic district generator")
struct SyntheticDistrictTests {
    static func generate(_ seed: UInt64, buildings: Int) throws -> [String: Data] {
        let files = try SyntheticDistrict.generate(.init(seed: seed, buildings: buildings))
        #expect(
            files.map(\.path) == [
                "layers.json", "zones.geojson", "parcels.geojson", "buildings.geojson", "carriers.csv", "enterprises.csv", "README.md",
            ])
        return Dictionary(uniqueKeysWithValues: try files.map { ($0.path, Data(try $0.bytes())) })
    }

    /// Rows of a CSV file, header excluded.
    static func records(_ csv: Data) throws -> [[String: String]] {
        let table = try CSV.read(csv)
        return table.rows.map { row in Dictionary(uniqueKeysWithValues: zip(table.header, row)) }
    }

    @Test("the generator is deterministic: same seed, same bytes; another seed, other data")
    func generatorDeterminism() throws {
        let a = try Self.generate(11, buildings: 300), b = try Self.generate(11, buildings: 300), c = try Self.generate(12, buildings: 300)
        #expect(a == b)
        #expect(a["buildings.geojson"] != c["buildings.geojson"])
        #expect(a["enterprises.csv"] != c["enterprises.csv"])
        let buildings = try GeoJSON.read(a["buildings.geojson"]!)
        #expect(buildings.features.count == 300)
    }

    @Test("asked for 500 buildings it draws 500, three firms each, and carriers of at least 400,000 m² per 3,000 buildings")
    func requestedCounts() throws {
        let files = try Self.generate(7, buildings: 500)
        #expect(try GeoJSON.read(files["buildings.geojson"]!).features.count == 500)
        // firmsPerBuilding defaults to 3: 500 × 3 firms.
        #expect(try Self.records(files["enterprises.csv"]!).count == 1_500)
        // carrierAreaPerBuildingM2 defaults to 400,000 / 3,000: carriers are added until 500 × that is reached.
        let carriers = try Self.records(files["carriers.csv"]!)
        let area = carriers.reduce(0.0) { $0 + Double($1["floor_area_m2"]!)! }
        #expect(area >= 500 * 400_000.0 / 3_000.0, "\(area) m² in \(carriers.count) carriers")
        #expect(carriers.allSatisfy { Double($0["floor_area_m2"]!)! >= 500 })
    }

    @Test("the shipped sample is what `spaceplan generate --seed 2021 --buildings 3000` gives, as its README says")
    func shippedSample() throws {
        let files = try Self.generate(2021, buildings: 3_000)
        for (path, bytes) in files {
            let shipped = try Data(contentsOf: TestPaths.sample.appendingPathComponent(path))
            #expect(bytes == shipped, "GIS/sample/\(path) is not what the generator gives")
        }
        // The README's counts: 2117 parcels, 3000 buildings, 27 carriers, 9000 enterprises.
        #expect(try GeoJSON.read(files["parcels.geojson"]!).features.count == 2_117)
        #expect(try Self.records(files["carriers.csv"]!).count == 27)
        #expect(try Self.records(files["enterprises.csv"]!).count == 9_000)
    }
}

@Suite("Synthetic incoming firms")
struct SyntheticDemandTests {
    static func options(seed: UInt64, firms: Int = 200, total: Double? = nil) -> SyntheticDemand.Options {
        .init(seed: seed, firms: firms, zoneIDs: ["futian-street", "cluster-hetao-futian-bonded"], asOfYear: 2021, totalMinimumM2: total)
    }

    @Test("the same seed gives the same demand file; another seed another")
    func deterministic() {
        let a = SyntheticDemand.csv(SyntheticDemand.firms(Self.options(seed: 1)))
        #expect(a == SyntheticDemand.csv(SyntheticDemand.firms(Self.options(seed: 1))))
        #expect(a != SyntheticDemand.csv(SyntheticDemand.firms(Self.options(seed: 2))))
    }

    @Test("asked for 200 firms whose minimums add up to 60,000 m², it gives that, each moving in 1–4 years after 2021")
    func requestedDemand() {
        let firms = SyntheticDemand.firms(Self.options(seed: 3, total: 60_000))
        #expect(firms.count == 200)
        #expect(Set(firms.map(\.id)).count == 200)
        // Each minimum is rounded to the m²: the sum is off by at most half a m² per firm.
        #expect(abs(firms.reduce(0) { $0 + $1.minM2 } - 60_000) <= 100)
        #expect(firms.allSatisfy { (2022...2025).contains($0.moveInYear) })
        #expect(firms.allSatisfy { $0.preferredM2 >= $0.minM2 })
        #expect(firms.allSatisfy { $0.preferredZoneIDs.allSatisfy(["futian-street", "cluster-hetao-futian-bonded"].contains) })
    }
}
