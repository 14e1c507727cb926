import Foundation
import Testing
import TestSupport
import SpaceData
@testable import LandSupply

extension Scenario {
    /// A scenario file read as the workspace reads it: the data layer reads, LandSupply decodes.
    static func read(_ url: URL, settings: SupplySettings, asOfYear: Int) throws -> Scenario {
        try Scenario.decode(try readConfigJSON(url, what: Scenario.what), file: url.path, settings: settings, asOfYear: asOfYear)
    }
}

@Suite("Land supply: land_supply.json and scenario files decoded and checked")
struct SupplyConfigTests {
    static let settingsFile = "GIS/config/land_supply.json"
    static let scenarioFile = "GIS/sample/scenarios/flexible-land.json"
    static var settings: SupplySettings {
        get throws { try readConfig(SupplySettings.self, from: TestPaths.repositoryRoot.appendingPathComponent(settingsFile)) }
    }

    @Test("the shipped land_supply.json decodes to its horizon, prices and five modes")
    func shippedSettings() throws {
        let s = try Self.settings
        #expect(s.years == 2020...2030 && s.constructionYears == 3 && s.discountRate == 0.04)
        #expect(s.landPricePerM2 == 2_500 && s.fullTermYears == 30 && s.annualRentPerM2 == 110)
        #expect(
            s.modes.count == 5
                && s.modes["lease_then_transfer"]
                    == SupplyModeTerms(label: "先租后让 lease then transfer", termYears: 20, leaseYears: 5, transferShare: 1)
        )
        #expect(s.modes["mixed_lease_transfer"]?.transferShare == 0.5 && s.modes["transfer"]?.termYears == 30)
    }

    static let badSettings: [ConfigEdit] = [
        .set("horizon.value.first_year", "2020.5", "horizon.value.first_year must be a whole year, found 2020.5"),
        .set("horizon.value.first_year", "1e300", "horizon.value.first_year must be a year from 1900 to 2200, found 1e+300"),
        .set("horizon.value.last_year", "2019", "horizon.value: first_year 2020 is after last_year 2019"),
        .remove("horizon.value.last_year", "missing entry \"horizon.value.last_year\""),
        .set("construction_years.value", "-3", "construction_years.value must be a number of years from 0 to 100, found -3"),
        .set("discount_rate.value", "1.5", "discount_rate.value must be a non-negative number up to 1, found 1.5"),
        .set("full_term_years.value", "0", "full_term_years.value must be a number of years from 1 to 100, found 0"),
        .set("land_price_yuan_per_m2.value", "\"2500\"", "land_price_yuan_per_m2.value must be a non-negative number, found \"2500\""),
        .remove("annual_rent_yuan_per_m2", "missing entry \"annual_rent_yuan_per_m2\""),
        .set(
            "supply_modes.value.long_term_lease.lease_years", "25", "supply_modes.value.long_term_lease: lease_years 25 must not exceed term_years 20"
        ),
        .set("supply_modes.value.transfer.term_years", "30.5", "supply_modes.value.transfer.term_years must be a whole number of years, found 30.5"),
        .set(
            "supply_modes.value.transfer.transfer_share", "1e400",
            "supply_modes.value.transfer.transfer_share must be a non-negative number up to 1, found infinity"),
        .set("supply_modes.value", "[]", "supply_modes.value must be an object, found an empty list"),
    ]

    @Test("land_supply.json with one bad edit: the error names the file, the key path and the value found", arguments: badSettings)
    func badSettingsFile(_ edit: ConfigEdit) throws {
        try edit.check(editing: Self.settingsFile) { try readConfig(SupplySettings.self, from: $0) }
    }

    @Test("the shipped flexible-land scenario decodes to its twelve events")
    func shippedScenario() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent(Self.scenarioFile)
        let s = try Scenario.read(url, settings: try Self.settings, asOfYear: 2021)
        #expect(s.name == "C. Flexible land at scale 弹性供地" && s.description.hasPrefix("Invented scenario"))
        #expect(
            s.proposals.map { configPath($0, namedIn: url).path }
                == TestPaths.repositoryRoot.appendingPathComponent("GIS/sample/proposals.geojson").standardizedFileURL.path)
        #expect(s.includedProposals == ["HT-01", "CGM-02", "BGL-03", "ML-05"])
        #expect(s.events.count == 12 && s.events.map(\.index) == Array(0..<12) && s.events[0].id == "rent-2022" && s.events[0].year == 2022)
        guard case let .lease(area, term, renewed) = s.events[0].kind else { Issue.record("rent-2022 is not a lease"); return }
        #expect(area == 60_000 && term == 5 && renewed)
        guard case let .conversion(floor, ids) = s.events[5].kind, case let .landSupply(land) = s.events[8].kind else {
            Issue.record("kinds"); return
        }
        #expect(floor == nil && ids == ["B0000582", "B0002964", "B0001151", "B0001371"])
        #expect(land.mode == "lease_then_transfer" && land.techSpaceM2 == 40_000 * 4.5 * 0.7 && land.completionYear == 2024 && land.termYears == nil)
        #expect(s.events[7].note == "leading firms' idle property converted (floor area as agreed)")
        let none = try Scenario.read(
            TestPaths.repositoryRoot.appendingPathComponent("GIS/sample/scenarios/renewal-only.json"), settings: try Self.settings, asOfYear: 2021)
        #expect(none.events.isEmpty && none.includedProposals?.count == 4)
    }

    static let badScenarios: [ConfigEdit] = [
        .set("events[0].year", "2023.5", "record 0 (id rent-2022): year must be a whole year, found 2023.5 (at events[0].year)"),
        .set("events[2].year", "1e400", "record 2 (id buy-2022): year must be a whole year, found infinity (at events[2].year)"),
        .set("events[2].year", "-2022", "record 2 (id buy-2022): year must be a year from 1900 to 2200, found -2022"),
        .set("events[1].year", "2031", "record 1 (id rent-2023): year 2031 is beyond the horizon (2030) (at events[1].year)"),
        .set("events[1].year", "2020", "record 1 (id rent-2023): year 2020 is in the past: the data describe 2021 (at events[1].year)"),
        .remove("events[4].year", "record 4 (id buy-2024): needs year (at events[4].year)"),
        .set("events", "{\"id\": \"x\"}", "events must be a list, found an object {\"id\":\"x\"}"),
        .set("events[6]", "7", "record 6: events[6] must be an object, found 7"),
        .set(
            "events[3].floor_area_m2", "\"120000\"",
            "record 3 (id buy-2023): floor_area_m2 must be a positive number, found \"120000\" (at events[3].floor_area_m2)"),
        .set(
            "events[8].tech_share", "1.5",
            "record 8 (id land-2021-ltt): tech_share must be a non-negative number up to 1, found 1.5 (at events[8].tech_share)"),
        .set("events[0].term_years", "5.5", "record 0 (id rent-2022): term_years must be a whole number of years, found 5.5"),
        .set("events[0].term_years", "1e300", "record 0 (id rent-2022): term_years must be a number of years from 1 to 100, found 1e+300"),
        .set("events[0].renewed", "\"yes\"", "record 0 (id rent-2022): renewed must be true or false, found \"yes\" (at events[0].renewed)"),
        .set("events[5].building_ids", "\"B0000582\"", "record 5 (id convert-2022): building_ids must be a list, found \"B0000582\""),
        .set("events[7].note", "{\"text\": \"x\"}", "record 7 (id convert-2024): note must be a string, found an object {\"text\":\"x\"}"),
        .set(
            "events[9].mode", "\"gift\"", "record 9 (id land-2021-ltl): mode \"gift\" is not a supply mode (flexible_term_transfer",
            "(at events[9].mode)"),
        .set("events[10].completion_year", "2021", "record 10 (id land-2022-flex): completion_year 2021 is before the land is supplied (2022)"),
        .set(
            "events[11].kind", "\"gift\"",
            "record 11 (id land-2022-mixed): kind must be purchase, lease, conversion or land_supply (got gift) (at events[11].kind)"),
        .set("events[1].id", "\"rent-2022\"", "record 1 (id rent-2022): duplicate id \"rent-2022\" (at events[1].id)"),
        .set("renewal.include", "\"HT-01\"", "renewal.include must be a list, found \"HT-01\""),
        .remove("renewal.proposals", "missing entry \"renewal.proposals\""),
        .set("name", "\"\"", "name must not be empty, found \"\""),
    ]

    @Test("a scenario with one bad edit: the error names the file, the event, the key path and the value found", arguments: badScenarios)
    func badScenario(_ edit: ConfigEdit) throws {
        let settings = try Self.settings
        try edit.check(editing: Self.scenarioFile) { try Scenario.read($0, settings: settings, asOfYear: 2021) }
    }

    @Test("every problem of every event is reported at once")
    func allProblemsAtOnce() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
        {"name": "bad", "events": [
          {"id": "a", "kind": "lease", "year": 2019.5, "floor_area_m2": -1},
          {"id": "b", "kind": "purchase", "year": 2022, "floor_area_m2": 100},
          {"id": "c", "kind": "land_supply", "year": 2023, "mode": "gift", "far": 1e400}
        ]}
        """.write(to: url, atomically: true, encoding: .utf8)
        #expect { try Scenario.read(url, settings: try Self.settings, asOfYear: 2021) } throws: { error in
            let texts = (error as? DataErrors)?.errors.map(\.problem) ?? []
            return texts == [
                "year must be a whole year, found 2019.5 (at events[0].year)",
                "floor_area_m2 must be a positive number, found -1 (at events[0].floor_area_m2)",
                "needs term_years (at events[0].term_years)",
                "mode \"gift\" is not a supply mode (flexible_term_transfer, lease_then_transfer, long_term_lease, mixed_lease_transfer, transfer) (at events[2].mode)",
                "needs land_area_m2 (at events[2].land_area_m2)",
                "far must be a positive number, found infinity (at events[2].far)",
            ]
        }
    }
}
