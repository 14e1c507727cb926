import LandSupply
import SpaceCore
import SpaceData
import SpaceMap

/// supply.json: the supply scenarios side by side, year by year, and what each mode of land
/// supply costs. The command line writes it; the server answers with it.
public struct SupplyDocument: Codable, Equatable, Sendable {
    public var data: String
    public var synthetic: Bool
    public var asOfYear: Int
    public var openingStockM2: Double
    public var settings: String
    public var modeComparison: ModeComparison
    public var scenarios: [Scenario]
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case data, synthetic, asOfYear = "as_of_year", openingStockM2 = "opening_stock_m2", settings, modeComparison = "mode_comparison"
        case scenarios, warnings
    }

    public struct ModeComparison: Codable, Equatable, Sendable {
        public var floorAreaM2: Double
        public var modes: [Cost]
        enum CodingKeys: String, CodingKey { case floorAreaM2 = "floor_area_m2", modes }
    }

    /// What a floor area costs under one mode; `event` names the scenario event it prices, if any.
    public struct Cost: Codable, Equatable, Sendable {
        public var mode: String
        public var floorAreaM2: Double
        public var termYears: Int
        public var upfrontYuan: Double
        public var totalYuan: Double
        public var presentValueYuan: Double
        public var yuanPerM2PerYear: Double
        public var event: String?
        enum CodingKeys: String, CodingKey {
            case mode, floorAreaM2 = "floor_area_m2", termYears = "term_years", upfrontYuan = "upfront_yuan", totalYuan = "total_yuan"
            case presentValueYuan = "present_value_yuan", yuanPerM2PerYear = "yuan_per_m2_per_year", event
        }

        // The mode comparison has no event: the key is left out, not null.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(mode, forKey: .mode)
            try c.encode(floorAreaM2, forKey: .floorAreaM2)
            try c.encode(termYears, forKey: .termYears)
            try c.encode(upfrontYuan, forKey: .upfrontYuan)
            try c.encode(totalYuan, forKey: .totalYuan)
            try c.encode(presentValueYuan, forKey: .presentValueYuan)
            try c.encode(yuanPerM2PerYear, forKey: .yuanPerM2PerYear)
            if let event { try c.encode(event, forKey: .event) }
        }
    }

    public struct Scenario: Codable, Equatable, Sendable {
        public var name: String
        public var description: String
        public var file: String
        public var years: [Year]
        public var milestones: [Milestone]
        public var changes: [Change]
        public var landCosts: [Cost]
        enum CodingKeys: String, CodingKey { case name, description, file, years, milestones, changes, landCosts = "land_costs" }
    }

    public struct Year: Codable, Equatable, Sendable {
        public var year: Int
        /// Null before the opening year.
        public var stockM2: Double?
        /// By supply source, in `SupplySource` order.
        public var addedM2: OrderedMembers<Double>
        public var lostM2: OrderedMembers<Double>
        enum CodingKeys: String, CodingKey { case year, stockM2 = "stock_m2", addedM2 = "added_m2", lostM2 = "lost_m2" }
    }

    public struct Milestone: Codable, Equatable, Sendable {
        public var year: Int
        public var targetM2: Double
        public var stockM2: Double?
        public var gapM2: Double?
        public var reached: Bool
        enum CodingKeys: String, CodingKey { case year, targetM2 = "target_m2", stockM2 = "stock_m2", gapM2 = "gap_m2", reached }
    }

    public struct Change: Codable, Equatable, Sendable {
        public var year: Int
        public var source: String
        public var event: String
        public var addedM2: Double
        public var lostM2: Double
        enum CodingKeys: String, CodingKey { case year, source, event, addedM2 = "added_m2", lostM2 = "lost_m2" }
    }
}

extension SupplyDocument {
    public init(
        _ results: [ScenarioResult], map: SpaceMap, settings: SupplySettings, asOfYear: Int, referenceM2: Double, warnings: [String]
    ) {
        func bySource(_ d: [SupplySource: Double]) -> OrderedMembers<Double> {
            OrderedMembers(SupplySource.allCases.compactMap { s in d[s].map { .init(s.rawValue, m2($0)) } })
        }
        data = map.data.manifest.name
        synthetic = map.data.manifest.synthetic
        self.asOfYear = asOfYear
        openingStockM2 = m2(map.total.techSpaceM2)
        self.settings = settings.source
        modeComparison = ModeComparison(
            floorAreaM2: m2(referenceM2), modes: SupplyReport.modeComparison(settings, floorAreaM2: referenceM2).map { Cost($0, event: nil) })
        scenarios = results.map { r in
            Scenario(
                name: r.scenario.name, description: r.scenario.description, file: r.scenario.file,
                years: r.years.map { Year(year: $0.year, stockM2: $0.stockM2.map(m2), addedM2: bySource($0.added), lostM2: bySource($0.lost)) },
                milestones: r.milestones.map {
                    Milestone(
                        year: $0.year, targetM2: m2($0.targetM2), stockM2: $0.stockM2.map(m2), gapM2: $0.gapM2.map { m2(max(0, $0)) }, reached: $0.reached)
                },
                changes: r.changes.map { Change(year: $0.year, source: $0.source.rawValue, event: $0.event, addedM2: m2($0.addedM2), lostM2: m2($0.lostM2)) },
                landCosts: r.landCosts.map { Cost($0.cost, event: $0.event) })
        }
        self.warnings = warnings
    }
}

extension SupplyDocument.Cost {
    init(_ c: LandCost, event: String?) {
        self.init(
            mode: c.mode, floorAreaM2: m2(c.floorAreaM2), termYears: c.termYears, upfrontYuan: m2(c.upfrontYuan), totalYuan: m2(c.totalYuan),
            presentValueYuan: m2(c.presentValueYuan), yuanPerM2PerYear: m2(c.perM2PerYear), event: event)
    }
}
