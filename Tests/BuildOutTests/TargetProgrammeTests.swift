import Foundation
import Testing
import TestSupport
@testable import BuildOut
import Renewal
import SpaceData
import SpaceMap

/// The path to the target, on cases small enough to solve by hand.
@Suite("Build-out capacity and the target programme")
struct TargetProgrammeTests {
    static let shipped = try! readConfig(BuildOutRules.self, from: TestPaths.config("buildout.json"))
    /// The shipped density zones and FAR caps (in renewal.json).
    static var controls: DevelopmentControls {
        get throws { try DevelopmentControls.read(TestPaths.config("renewal.json"), alongside: RenewalRules.self).controls }
    }

    /// The shipped rules with a budget, no cluster minimum and no displacement weight, for hand cases.
    static func rules(budget: Double = 1e12, cap: Double = 1e12, exactMax: Int = 20_000) -> BuildOutRules {
        let r = shipped
        return BuildOutRules(
            floorHeightM: r.floorHeightM, siteCoverage: r.siteCoverage, modes: r.modes, budgetDefaultYuan: budget, budgetByYear: [:],
            displacementCapM2: cap, displacementWeightYuanPerM2: 0, discountRate: 0, clusterMinimumShare: [:],
            timeLimitS: 30, variantTimeLimitS: 30, gapTolerance: 0, exactMaxCandidates: exactMax, marginalStepM2: 100, costChange: 0.2,
            budgetChange: -0.2, constructionDelayYears: 1, source: "test")
    }

    static func candidate(_ id: String, tech: Double, years: Int, cost: Double, buildings: [Int] = [], displaced: Double = 0) -> Candidate {
        Candidate(
            id: id, mode: "test", parcel: nil, buildings: buildings, techM2: tech, constructionYears: years, oneOffCostYuan: cost,
            annualCostYuan: 0, displacedM2: displaced, displacedFirms: 0, clusters: [], sectors: [], earliestStart: nil, fromFile: false)
    }

    static func problem(_ candidates: [Candidate], targets: [(Int, Double)], opening: Double = 0, rules: BuildOutRules = rules()) -> TargetProblem {
        TargetProblem(
            candidates: candidates, targets: targets.map { .init(year: $0.0, floorAreaM2: $0.1) }, openingStockM2: opening, asOfYear: 2021,
            rules: rules)
    }

    @Test("a parcel of 10,000 m² at FAR cap 4.0 holding 12,000 m² has 28,000 m² of headroom")
    func headroom() throws {
        var district = TinyDistrict()
        district.parcels[0].rect = (0, 0, 100, 100)
        district.parcelProperties["P1"] = ["far_cap": 4.0]
        district.buildings[0]["gfa_m2"] = 12_000
        let map = try TinyDistrict.spaceMap(district)
        let capacity = CapacityAnalysis.of(map, rules: Self.shipped, controls: try Self.controls)
        let p1 = try #require(capacity.parcels.first { map.data.parcels[$0.parcel].id == "P1" })
        #expect(p1.farCap == 4.0 && p1.farCapFromParcel)
        #expect(abs(p1.allowedM2 - 40_000) < 1e-6 && abs(p1.existingM2 - 12_000) < 1e-6 && abs(p1.headroomM2 - 28_000) < 1e-6)
        // B1 is an old factory, but the incubator K1 is in it already: no mode converts it again.
        #expect(p1.techByMode["function_change"] == nil)
        // Rebuilt at its cap, 30 % of 40,000 m² is tech space, less the incubator K1's 5,000 m² it demolishes.
        #expect(abs((p1.techByMode["demolition_rebuild"] ?? 0) - (0.3 * 40_000 - 5_000)) < 1e-6)
    }

    @Test("a height cap limits the floor area: 24 m at 4.5 m a storey is 5 storeys over 45 % of the land")
    func heightCap() throws {
        var district = TinyDistrict()
        district.parcelProperties["P1"] = ["far_cap": 4.0, "height_cap_m": 24]
        let map = try TinyDistrict.spaceMap(district)
        let capacity = CapacityAnalysis.of(map, rules: Self.shipped, controls: try Self.controls)
        let p1 = try #require(capacity.parcels.first { map.data.parcels[$0.parcel].id == "P1" })
        #expect(abs(p1.allowedM2 - 5 * 0.45 * 40_000) < 1e-6)
    }

    @Test("of two projects only the dearer can be ready by 2023: it is chosen")
    func readyInTime() throws {
        let cheap = Self.candidate("cheap-slow", tech: 1_000, years: 4, cost: 100)
        let dear = Self.candidate("dear-fast", tech: 1_000, years: 1, cost: 900)
        let p = try TargetProgramme.solve(Self.problem([cheap, dear], targets: [(2023, 1_000)]))
        #expect(p.chosen.map(\.candidate.id) == ["dear-fast"])
        #expect(p.chosen[0].startYear <= 2022 && p.chosen[0].completionYear <= 2023)
        #expect(p.reachesEveryTarget && abs(p.discountedCostYuan - 900) < 1e-6 && p.provenOptimal)
    }

    @Test("a target the candidates cannot reach reports the exact shortfall and that capacity binds")
    func shortfall() throws {
        let a = Self.candidate("a", tech: 250, years: 0, cost: 10), b = Self.candidate("b", tech: 350, years: 1, cost: 10)
        let analysis = try TargetAnalysis.run(Self.problem([a, b], targets: [(2023, 1_000), (2025, 1_500)], opening: 100))
        let m = analysis.programme.milestones
        #expect(abs(m[0].shortfallM2 - 300) < 1e-6 && abs(m[1].shortfallM2 - 800) < 1e-6)
        #expect(analysis.programme.chosen.count == 2)
        #expect(analysis.binding.contains { $0.hasPrefix("2023: short by 300 m²") && $0.contains("capacity and time to build") })
    }

    @Test("a budget that binds shows as binding: with 150 yuan a year only one of two 100-yuan projects starts each year")
    func bindingBudget() throws {
        let a = Self.candidate("a", tech: 500, years: 1, cost: 100), b = Self.candidate("b", tech: 500, years: 1, cost: 100)
        let analysis = try TargetAnalysis.run(Self.problem([a, b], targets: [(2023, 1_000)], rules: Self.rules(budget: 150)))
        // Both must start in 2022 to be in use by 2023; 200 yuan that year is over the budget, so one is left out.
        let p = analysis.programme
        #expect(p.chosen.count == 1 && p.chosen[0].startYear == 2022)
        #expect(p.costByYear.allSatisfy { $0.costYuan <= 150 + 1e-6 })
        #expect(abs(p.milestones[0].shortfallM2 - 500) < 1e-6)
        #expect(analysis.binding.contains { $0.contains("the budget (without it the shortfall falls to 0 m²)") })
    }

    @Test("a displacement cap keeps out the project that would displace too much")
    func displacementCap() throws {
        let displacing = Self.candidate("displacing", tech: 1_000, years: 0, cost: 10, displaced: 5_000)
        let gentle = Self.candidate("gentle", tech: 1_000, years: 0, cost: 50)
        let p = try TargetProgramme.solve(Self.problem([displacing, gentle], targets: [(2023, 1_000)], rules: Self.rules(cap: 1_000)))
        #expect(p.chosen.map(\.candidate.id) == ["gentle"] && p.displacedM2 == 0)
    }

    @Test("above the candidate limit the greedy programme takes the cheapest per m² first and states its gap to the fractional bound")
    func greedy() throws {
        let a = Self.candidate("a", tech: 600, years: 0, cost: 600), b = Self.candidate("b", tech: 600, years: 0, cost: 1_200)
        let c = Self.candidate("c", tech: 500, years: 0, cost: 1_500)
        let p = try TargetProgramme.solve(Self.problem([c, b, a], targets: [(2023, 1_000)], rules: Self.rules(exactMax: 2)))
        #expect(p.chosen.map(\.candidate.id).sorted() == ["a", "b"] && p.reachesEveryTarget)
        #expect(abs(p.discountedCostYuan - 1_800) < 1e-9)
        // Bound: 600 m² at 1 yuan/m² and 400 m² at 2 yuan/m² = 1,400 yuan.
        #expect(abs(p.gap - (1_800.0 - 1_400) / 1_800) < 1e-12 && p.solver.hasPrefix("greedy"))
    }

    @Test("among programmes equally short in total, the cheapest wins, however the shortfall splits across years")
    func cheapestAmongEquallyShort() throws {
        // X: 500 m² at once for 100 yuan; Y: 1,000 m² in three years for 50 yuan; they share a building.
        let x = Self.candidate("X", tech: 500, years: 0, cost: 100, buildings: [1]),
            y = Self.candidate("Y", tech: 1_000, years: 3, cost: 50, buildings: [1])
        let p = try TargetProgramme.solve(Self.problem([x, y], targets: [(2023, 1_000), (2025, 2_000)]))
        // Either leaves 2,000 m² short in all (X: 500 + 1,500; Y: 1,000 + 1,000): Y costs less.
        #expect(p.chosen.map(\.candidate.id) == ["Y"] && abs(p.discountedCostYuan - 50) < 1e-9)
        #expect(abs(p.milestones.reduce(0) { $0 + $1.shortfallM2 } - 2_000) < 1e-9)
    }

    @Test("two projects on one building: only one is chosen")
    func oneProjectPerBuilding() throws {
        let a = Self.candidate("convert", tech: 600, years: 0, cost: 10, buildings: [7])
        let b = Self.candidate("rebuild", tech: 900, years: 0, cost: 10, buildings: [7, 8])
        let p = try TargetProgramme.solve(Self.problem([a, b], targets: [(2023, 1_500)]))
        #expect(p.chosen.count == 1 && p.chosen[0].candidate.id == "rebuild")
        #expect(abs(p.milestones[0].shortfallM2 - 600) < 1e-6)
    }
}
