import Foundation
import SpaceCore
import SpaceData

/// A stage's yearly rates: the exclusive chances to graduate, fail or leave, and for a firm that
/// stays, to grow in place and to become a national high-tech enterprise.
public struct StageRates: Sendable, Equatable {
    public var graduate: Double
    public var fail: Double
    public var leave: Double
    public var grow: Double
    public var highTech: Double

    public init(graduate: Double, fail: Double, leave: Double, grow: Double, highTech: Double) {
        self.graduate = graduate; self.fail = fail; self.leave = leave; self.grow = grow; self.highTech = highTech
    }
}

/// `GIS/config/simulation.json`: the ladder, its rates and rules, the pipeline of new firms
/// (docs/time.md). Every number there has its source or is marked an assumption.
public struct SimulationSettings: ConfigDocument {
    /// The ladder's stages, lowest first (FirmStage's order).
    public static let ladder = FirmStage.allCases

    public var stageOfCarrierType: [CarrierType: FirmStage]
    public var rates: [FirmStage: StageRates]
    public var sectorFactors: [String: (graduate: Double, fail: Double)]
    public var graduationByYearsInResidence: [Double]
    public var maxMonthsInIncubation: Int
    public var maxMonthsBySector: [String: Int]
    public var incubationStages: Set<FirmStage>
    public var entryMaxMonthsSinceFounding: Int
    public var densityFloorFirmsPer1000M2: Double
    public var densityCarrierTypes: Set<CarrierType>
    public var graduateAreaFactor: Double
    public var growAreaFactor: Double
    public var arrivalsPerYear: [FirmStage: Double]
    public var arrivalAreaM2: [FirmStage: ClosedRange<Double>]
    public var queueMaxYears: Int
    public var newSpaceTypeShares: [(CarrierType, Double)]
    public var jamOccupancy: Double
    public var vacancyReportMonths: Int
    public var vacancyDriftShare: Double
    public var deliveryMonth: Int
    public let source: String

    public static var what: String { "simulation settings" }

    public static func decode(_ json: JSONValue, source: String) throws -> SimulationSettings {
        let f = try decodeConfig(SimulationFile.self, from: json, file: source)
        var rates: [FirmStage: StageRates] = [:]
        for (stage, r) in f.yearlyRates.value.byKey {
            rates[stage] = StageRates(graduate: r.graduate.value, fail: r.fail.value, leave: r.leave.value, grow: r.grow.value, highTech: r.highTech.value)
        }
        var problems: [String] = []
        for stage in ladder {
            guard let r = rates[stage] else { continue }
            if r.graduate + r.fail + r.leave > 1 {
                problems.append("yearly_rates.\(stage.rawValue): graduate + fail + leave is \(formatJSONNumber(r.graduate + r.fail + r.leave)), above 1")
            }
        }
        if let top = ladder.last, let r = rates[top], r.graduate > 0 {
            problems.append("yearly_rates.\(top.rawValue).graduate must be 0: it is the top of the ladder")
        }
        var areas: [FirmStage: ClosedRange<Double>] = [:]
        for (stage, pair) in f.pipeline.value.areaM2.byKey {
            guard pair.count == 2, pair[0].value <= pair[1].value, pair[0].value > 0 else {
                problems.append("pipeline.area_m2.\(stage.rawValue) must be [smallest, largest], both above 0"); continue
            }
            areas[stage] = pair[0].value...pair[1].value
        }
        let shares = f.newSpaceTypeShares.value.byKey.map { ($0.key, $0.value.value) }.sorted { $0.0.rawValue < $1.0.rawValue }
        let total = shares.reduce(0) { $0 + $1.1 }
        if abs(total - 1) > 1e-9 { problems.append("new_space_type_shares sum to \(formatJSONNumber(total)), not 1") }
        if f.history.value.deliveryMonth.value < 1 || f.history.value.deliveryMonth.value > 12 { problems.append("history.delivery_month must be 1 to 12") }
        if ![1, 2, 3, 4, 6, 12].contains(f.history.value.vacancyReportMonths.value) {
            problems.append("history.vacancy_report_months must divide the year: 1, 2, 3, 4, 6 or 12")
        }
        if f.graduationByYears.value.isEmpty { problems.append("graduation_by_years_in_residence must not be empty") }
        if !problems.isEmpty { throw DataErrors(errors: problems.map { DataError(file: source, problem: $0) }) }
        let incubation = f.maxMonths.value
        return SimulationSettings(
            stageOfCarrierType: f.stageOfCarrierType.value.byKey.mapValues(\.value), rates: rates,
            sectorFactors: f.sectorFactors.value.elements.mapValues { ($0.graduate.value, $0.fail.value) },
            graduationByYearsInResidence: f.graduationByYears.value.map(\.value),
            maxMonthsInIncubation: incubation.defaultMonths.value, maxMonthsBySector: incubation.sectors.mapValues(\.value),
            incubationStages: Set(incubation.stages.map(\.value)), entryMaxMonthsSinceFounding: f.entryMaxMonths.value.value,
            densityFloorFirmsPer1000M2: f.density.value.firms.value, densityCarrierTypes: Set(f.density.value.carrierTypes.map(\.value)),
            graduateAreaFactor: f.areaFactors.value.graduate.value, growAreaFactor: f.areaFactors.value.grow.value,
            arrivalsPerYear: f.pipeline.value.arrivalsPerYear.byKey.mapValues(\.value), arrivalAreaM2: areas,
            queueMaxYears: f.queueMaxYears.value.value, newSpaceTypeShares: shares, jamOccupancy: f.jam.value.occupancy.value,
            vacancyReportMonths: f.history.value.vacancyReportMonths.value, vacancyDriftShare: f.history.value.vacancyDriftShare.value,
            deliveryMonth: f.history.value.deliveryMonth.value, source: source)
    }

    public func rates(of stage: FirmStage, sector: String) -> StageRates {
        var r = rates[stage] ?? StageRates(graduate: 0, fail: 0, leave: 0, grow: 0, highTech: 0)
        if let f = sectorFactors[sector] {
            r.graduate *= f.graduate
            r.fail *= f.fail
        }
        return r
    }

    /// The months a firm of `sector` may stay at an incubation stage (nil: no limit at `stage`).
    public func incubationLimitMonths(_ stage: FirmStage, sector: String) -> Int? {
        incubationStages.contains(stage) ? maxMonthsBySector[sector] ?? maxMonthsInIncubation : nil
    }

    public func graduationFactor(yearsInResidence years: Int) -> Double {
        graduationByYearsInResidence[min(max(0, years), graduationByYearsInResidence.count - 1)]
    }

    /// The stage after `stage` on the ladder (nil at the top).
    public static func next(_ stage: FirmStage) -> FirmStage? {
        let all = FirmStage.allCases
        guard let i = all.firstIndex(of: stage), i + 1 < all.count else { return nil }
        return all[i + 1]
    }
}

private struct SimulationFile: Decodable {
    struct Rates: Decodable {
        let graduate: Config.Share
        let fail: Config.Share
        let leave: Config.Share
        let grow: Config.Share
        let highTech: Config.Share
        enum CodingKeys: String, CodingKey {
            case graduate, fail, leave, grow
            case highTech = "high_tech"
        }
    }
    struct Factors: Decodable {
        let graduate: Config.NonNegative
        let fail: Config.NonNegative
    }
    struct Incubation: Decodable {
        let defaultMonths: Config.Count
        let sectors: [String: Config.Count]
        let stages: [Config.Known<FirmStage>]
        enum CodingKeys: String, CodingKey {
            case defaultMonths = "default"
            case sectors, stages
        }
    }
    struct Density: Decodable {
        let firms: Config.NonNegative
        let carrierTypes: [Config.Known<CarrierType>]
        enum CodingKeys: String, CodingKey {
            case firms
            case carrierTypes = "carrier_types"
        }
    }
    struct AreaFactors: Decodable {
        let graduate: Config.Positive
        let grow: Config.Positive
    }
    struct Pipeline: Decodable {
        let arrivalsPerYear: Config.EveryKey<FirmStage, Config.NonNegative>
        let areaM2: Config.EveryKey<FirmStage, [Config.Positive]>
        enum CodingKeys: String, CodingKey {
            case arrivalsPerYear = "arrivals_per_year"
            case areaM2 = "area_m2"
        }
    }
    struct Jam: Decodable { let occupancy: Config.Share }
    struct History: Decodable {
        let vacancyReportMonths: Config.Count
        let vacancyDriftShare: Config.Share
        let deliveryMonth: Config.Count
        enum CodingKeys: String, CodingKey {
            case vacancyReportMonths = "vacancy_report_months"
            case vacancyDriftShare = "vacancy_drift_share"
            case deliveryMonth = "delivery_month"
        }
    }

    let stageOfCarrierType: ConfigEntry<Config.EveryKey<CarrierType, Config.Known<FirmStage>>>
    let yearlyRates: ConfigEntry<Config.EveryKey<FirmStage, Rates>>
    let sectorFactors: ConfigEntry<ConfigRecordMap<Factors>>
    let graduationByYears: ConfigEntry<[Config.NonNegative]>
    let maxMonths: ConfigEntry<Incubation>
    let entryMaxMonths: ConfigEntry<Config.Count>
    let density: ConfigEntry<Density>
    let areaFactors: ConfigEntry<AreaFactors>
    let pipeline: ConfigEntry<Pipeline>
    let queueMaxYears: ConfigEntry<Config.Count>
    let newSpaceTypeShares: ConfigEntry<Config.KnownKeys<CarrierType, Config.Share>>
    let jam: ConfigEntry<Jam>
    let history: ConfigEntry<History>

    enum CodingKeys: String, CodingKey {
        case stageOfCarrierType = "stage_of_carrier_type"
        case yearlyRates = "yearly_rates"
        case sectorFactors = "sector_factors"
        case graduationByYears = "graduation_by_years_in_residence"
        case maxMonths = "max_months_in_incubation"
        case entryMaxMonths = "entry_max_months_since_founding"
        case density = "density_floor_firms_per_1000_m2"
        case areaFactors = "area_factors"
        case pipeline
        case queueMaxYears = "queue_max_years"
        case newSpaceTypeShares = "new_space_type_shares"
        case jam, history
    }
}

/// The plan's firm targets (policy.json `firm_targets`): national high-tech enterprises.
public struct FirmTarget: Sendable, Equatable {
    public let baselineYear: Int
    public let baselineCount: Int
    public let targetYear: Int
    public let targetCount: Int

    /// Reads `firm_targets.value.national_high_tech` from the policy document; nil when absent.
    public static func nationalHighTech(policy json: JSONValue, source: String) throws -> FirmTarget? {
        guard let entry = json["firm_targets"]?["value"]?["national_high_tech"] else { return nil }
        func count(_ path: String, _ v: JSONValue?) throws -> Int {
            guard let n = v?.numberValue, n >= 0, n == n.rounded(), n < 1e9 else {
                throw DataError(file: source, problem: "firm_targets.value.national_high_tech.\(path) must be a whole number, 0 or more")
            }
            return Int(n)
        }
        let t = FirmTarget(
            baselineYear: try count("baseline.year", entry["baseline"]?["year"]), baselineCount: try count("baseline.count", entry["baseline"]?["count"]),
            targetYear: try count("target.year", entry["target"]?["year"]), targetCount: try count("target.count", entry["target"]?["count"]))
        guard t.targetYear > t.baselineYear else {
            throw DataError(file: source, problem: "firm_targets.value.national_high_tech: the target year is not after the baseline year")
        }
        return t
    }
}
