import SpaceCore
import Foundation
import PropertyBased
import Testing
import TestSupport
import SpaceData
import SpaceGeometry
import SpaceMap
@testable import LandSupply

@Suite("Land supply scenarios and land cost")
struct SupplyTests {
    /// Round numbers to check by hand: 2,500 yuan/m² for 30 years, rent 110 yuan/m² a year, 4 %.
    static let settings = SupplySettings(
        firstYear: 2020, lastYear: 2030, constructionYears: 3, discountRate: 0.04, landPricePerM2: 2_500, fullTermYears: 30,
        annualRentPerM2: 110,
        modes: [
            "transfer": SupplyModeTerms(label: "transfer", termYears: 30, leaseYears: 0, transferShare: 1),
            "long_term_lease": SupplyModeTerms(label: "lease", termYears: 20, leaseYears: 20, transferShare: 0),
            "lease_then_transfer": SupplyModeTerms(label: "lease then transfer", termYears: 20, leaseYears: 5, transferShare: 1),
            "mixed_lease_transfer": SupplyModeTerms(label: "mixed", termYears: 20, leaseYears: 0, transferShare: 0.5),
            "flexible_term_transfer": SupplyModeTerms(label: "flexible", termYears: 20, leaseYears: 0, transferShare: 1),
        ],
        source: "test")

    static func cost(_ mode: String) -> LandCost {
        LandCost.of(mode: mode, terms: settings.modes[mode]!, floorAreaM2: 10_000, settings: settings)
    }

    @Test("land cost of 10,000 m² under each mode, worked by hand")
    func landCost() {
        let transfer = Self.cost("transfer")
        #expect(transfer.upfrontYuan == 25_000_000 && transfer.totalYuan == 25_000_000 && transfer.presentValueYuan == 25_000_000)
        let flexible = Self.cost("flexible_term_transfer")  // 20 of 30 years: two thirds of the premium
        #expect(abs(flexible.totalYuan - 25_000_000 * 20 / 30) < 1e-6 && flexible.upfrontYuan == flexible.totalYuan)
        let lease = Self.cost("long_term_lease")  // 1.1 million a year for 20 years
        #expect(lease.upfrontYuan == 1_100_000 && abs(lease.totalYuan - 22_000_000) < 1e-6)
        let annuity = (0..<20).reduce(0.0) { $0 + 1_100_000 / pow(1.04, Double($1)) }
        #expect(abs(lease.presentValueYuan - annuity) < 1e-3)
        let leaseThenTransfer = Self.cost("lease_then_transfer")  // 5 years' rent, then 15 of 30 years' premium in year 6
        #expect(abs(leaseThenTransfer.totalYuan - (5 * 1_100_000 + 12_500_000)) < 1e-6)
        #expect(leaseThenTransfer.payments[5] == 12_500_000 && leaseThenTransfer.payments[6] == 0)
        let mixed = Self.cost("mixed_lease_transfer")  // half transferred for 20 years, half leased
        #expect(abs(mixed.upfrontYuan - (12_500_000 * 20 / 30 + 550_000)) < 1e-6)
        #expect(abs(mixed.totalYuan - (12_500_000 * 20 / 30 + 20 * 550_000)) < 1e-6)
        #expect(abs(mixed.perM2PerYear - mixed.totalYuan / 10_000 / 20) < 1e-9)
    }

    @Test("the trajectory: a lease leaves after its term, new land arrives after construction, gaps to the targets")
    func trajectory() throws {
        let map = try TinyDistrict.spaceMap()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
        {"name": "S", "events": [
          {"id": "L", "kind": "lease", "year": 2022, "floor_area_m2": 1000, "term_years": 3},
          {"id": "P", "kind": "purchase", "year": 2023, "floor_area_m2": 500},
          {"id": "N", "kind": "land_supply", "year": 2022, "mode": "flexible_term_transfer", "land_area_m2": 10000, "far": 4, "tech_share": 0.5},
          {"id": "C", "kind": "conversion", "year": 2024, "building_ids": ["B4"]}
        ]}
        """.write(to: url, atomically: true, encoding: .utf8)
        let scenario = try Scenario.read(url, settings: Self.settings, asOfYear: 2021)
        let result = try ScenarioResult.evaluate(scenario, map: map, settings: Self.settings, asOfYear: 2021, renewal: nil)
        let stock = Dictionary(uniqueKeysWithValues: result.years.map { ($0.year, $0.stockM2) })
        let opening = map.total.techSpaceM2  // 17,000 m² in the tiny district's carriers
        #expect(opening == 17_000)
        #expect(stock[2020]! == nil)
        #expect(stock[2021]! == opening && stock[2022]! == opening + 1_000 && stock[2023]! == opening + 1_500)
        #expect(stock[2024]! == opening + 1_500 + 2_500)  // B4's 2,500 m² converted
        #expect(stock[2025]! == opening + 500 + 2_500 + 20_000)  // the lease ends (2022 + 3) as the new land (2022 + 3) opens
        #expect(result.years.first { $0.year == 2025 }!.lost == [.lease: 1_000])
        let m2025 = result.milestones.first { $0.year == 2025 }!
        #expect(m2025.targetM2 == 1_500_000 && m2025.gapM2 == 1_500_000 - (opening + 23_000) && !m2025.reached)
        #expect(result.landCosts.map(\.event) == ["N"] && result.landCosts[0].cost.floorAreaM2 == 40_000)
    }

    @Test("a conversion naming buildings and a floor area adds the floor area once (as target-scenario.json writes its projects)")
    func conversionOfPart() throws {
        let map = try TinyDistrict.spaceMap()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
        {"name": "S", "events": [{"id": "C", "kind": "conversion", "year": 2024, "building_ids": ["B4"], "floor_area_m2": 800}]}
        """.write(to: url, atomically: true, encoding: .utf8)
        let scenario = try Scenario.read(url, settings: Self.settings, asOfYear: 2021)
        let result = try ScenarioResult.evaluate(scenario, map: map, settings: Self.settings, asOfYear: 2021, renewal: nil)
        #expect(result.years.first { $0.year == 2024 }!.added == [.conversion: 800])
        // B4 is still checked: converted twice in one scenario, it is refused.
        try """
        {"name": "S", "events": [{"id": "C", "kind": "conversion", "year": 2024, "building_ids": ["B4"], "floor_area_m2": 800},
          {"id": "D", "kind": "conversion", "year": 2025, "building_ids": ["B4"]}]}
        """.write(to: url, atomically: true, encoding: .utf8)
        let twice = try Scenario.read(url, settings: Self.settings, asOfYear: 2021)
        #expect(throws: (any Error).self) { try ScenarioResult.evaluate(twice, map: map, settings: Self.settings, asOfYear: 2021, renewal: nil) }
    }

    @Test("stock in year t+1 = stock in t + additions − losses, for random scenarios")
    func stockRecursion() async throws {
        let map = try TinyDistrict.spaceMap()
        let modes = Self.settings.modes.keys.sorted()
        let event = zip(Gen.int(in: 0...3), Gen.int(in: 2021...2030), Gen.int(in: 1...200_000), Gen.int(in: 1...8), Gen.bool)
        await propertyCheck(count: 200, input: event.array(of: 0...25)) { raw in
            let events: [SupplyEvent] = raw.enumerated().map { i, e in
                let (kind, year, area, term, flag) = e
                let k: SupplyEvent.Kind
                switch kind {
                case 0: k = .purchase(floorAreaM2: Double(area))
                case 1: k = .lease(floorAreaM2: Double(area), termYears: term, renewed: flag)
                case 2: k = .conversion(floorAreaM2: Double(area), buildingIDs: [])
                default:
                    k = .landSupply(
                        LandSupplyEvent(
                            mode: modes[term % modes.count], landAreaM2: Double(area), far: Double(term) / 2,
                            techShare: flag ? 1 : 0.5, completionYear: year + term % 4, termYears: nil))
                }
                return SupplyEvent(index: i, id: "e\(i)", year: year, kind: k, note: nil)
            }
            let changes = try! Trajectory.changes(of: events, scenarioFile: "random", map: map, settings: Self.settings)
            let years = Trajectory.years(openingStockM2: 1_000, asOfYear: 2021, years: Self.settings.years, changes: changes)
            for (a, b) in zip(years, years.dropFirst()) where a.stockM2 != nil {
                #expect(abs(b.stockM2! - (a.stockM2! + b.addedM2 - b.lostM2)) < 1e-6)
            }
            #expect(years.allSatisfy { $0.addedM2 >= 0 && $0.lostM2 >= 0 })
            let inHorizon = changes.filter { Self.settings.years.contains($0.year) }
            #expect(abs(years.last!.stockM2! - (1_000 + inHorizon.reduce(0) { $0 + $1.addedM2 - $1.lostM2 })) < 1e-6)
        }
    }

    @Test("bad scenarios: past years, unknown modes, shares over 100 %, space counted twice")
    func badScenarios() throws {
        let map = try TinyDistrict.spaceMap()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
        {"name": "bad", "events": [
          {"id": "old", "kind": "purchase", "year": 2019, "floor_area_m2": 100},
          {"id": "mode", "kind": "land_supply", "year": 2023, "mode": "gift", "land_area_m2": 100, "far": 2},
          {"id": "share", "kind": "land_supply", "year": 2023, "mode": "long_term_lease", "land_area_m2": 100, "far": 2, "tech_share": 1.5},
          {"id": "neg", "kind": "lease", "year": 2023, "floor_area_m2": -5, "term_years": 2},
          {"id": "what", "kind": "donation", "year": 2023}
        ]}
        """.write(to: url, atomically: true, encoding: .utf8)
        let message: String
        do { _ = try Scenario.read(url, settings: Self.settings, asOfYear: 2021); message = "" } catch { message = "\(error)" }
        #expect(message.contains("record 0 (id old): year 2019 is in the past: the data describe 2021"))
        #expect(message.contains("record 1 (id mode): mode \"gift\" is not a supply mode"))
        #expect(message.contains("record 2 (id share): tech_share must be a non-negative number up to 1"))
        #expect(message.contains("record 3 (id neg): floor_area_m2 must be a positive number"))
        #expect(message.contains("record 4 (id what): kind must be purchase, lease, conversion or land_supply (got donation)"))

        // Converting B1, which holds incubator K1, would count its space twice.
        let twice = [SupplyEvent(index: 0, id: "c", year: 2022, kind: .conversion(floorAreaM2: nil, buildingIDs: ["B1", "B404"]), note: nil)]
        #expect { try Trajectory.changes(of: twice, scenarioFile: "s.json", map: map, settings: Self.settings) } throws: { error in
            let text = "\(error)"
            return text.contains("(id c): building B1 already holds carrier K1")
                && text.contains("(id c): building B404 is not in the buildings layer")
        }
    }

    @Test("supply on the sample: three scenarios side by side, and only the flexible-land one reaches 2025")
    func sampleCommand() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("supply-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let scenarios = ["renewal-only", "rent-buy-convert-build", "flexible-land"].flatMap { ["--scenario", "GIS/sample/scenarios/\($0).json"] }
        let r = try SpacePlanCLI.run(["supply", "--data", "GIS/sample", "--out", out.path] + scenarios)
        #expect(r.status == 0, "\(r.error)")
        let json = try parseJSON(try Data(contentsOf: out.appendingPathComponent("supply.json")))
        let reached = (json["scenarios"]?.arrayValue ?? []).map { s in
            s["milestones"]?.arrayValue?.first { $0["year"]?.numberValue == 2025 }?["reached"]?.boolValue
        }
        #expect(reached == [false, false, true])
        let csv = try String(contentsOf: out.appendingPathComponent("supply.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 12 && csv[2].hasPrefix("2021,406551,406551,406551"))
        let svg = try String(contentsOf: out.appendingPathComponent("supply.svg"), encoding: .utf8)
        #expect(svg.components(separatedBy: "class=\"scenario\"").count == 4)
    }
}
