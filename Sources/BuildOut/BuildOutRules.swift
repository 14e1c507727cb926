import Foundation
import SpaceCore
import SpaceData

/// What a supply mode applies to: a building (works on it), a parcel (demolition and rebuild
/// up to its allowed floor area) or a building's vacant floors (bought or leased as they are).
public enum SupplyScope: String, Sendable, Decodable {
    case building, parcel
    case vacantFloors = "vacant_floors"
}

/// One way of adding tech-cultivation space, with its yield, time and public cost.
public struct BuildOutMode: Sendable {
    public let id: String
    public let label: String
    public let scope: SupplyScope
    /// Buildings it applies to (scope building and vacant_floors); empty means any.
    public let buildingUses: Set<String>
    public let conditions: Set<String>
    /// Share of the floor area (for a rebuild: of the new floor area) that becomes tech space.
    public let techYield: Double
    public let constructionYears: Int
    public let oneOffCostPerM2: Double
    public let annualCostPerM2: Double

    func admits(_ building: Building) -> Bool {
        (buildingUses.isEmpty || buildingUses.contains(building.use))
            && (conditions.isEmpty || conditions.contains(building.condition ?? ""))
    }
}

/// GIS/config/buildout.json: the build-out assumptions and the programme's constraints.
public struct BuildOutRules: ConfigDocument {
    public let floorHeightM: Double
    public let siteCoverage: Double
    /// In the file's order (the order capacity columns and candidates are listed in).
    public let modes: [BuildOutMode]
    public let budgetDefaultYuan: Double
    public let budgetByYear: [Int: Double]
    public let displacementCapM2: Double
    public let displacementWeightYuanPerM2: Double
    public let discountRate: Double
    /// Cluster zone id → minimum share of the space the programme adds by the last target year.
    public let clusterMinimumShare: [String: Double]
    public let timeLimitS: Double
    /// The time limit of each re-solve for the marginal step and the sensitivity table.
    public let variantTimeLimitS: Double
    /// CBC stops once within this share of its bound.
    public let gapTolerance: Double
    /// Above this many candidates the greedy programme replaces CBC.
    public let exactMaxCandidates: Int
    public let marginalStepM2: Double
    public let costChange: Double
    public let budgetChange: Double
    public let constructionDelayYears: Int
    public let source: String

    public func mode(_ id: String) -> BuildOutMode? { modes.first { $0.id == id } }

    /// The same rules with one budget for every year (`--budget`).
    public func withBudget(_ yuanPerYear: Double) -> BuildOutRules {
        BuildOutRules(
            floorHeightM: floorHeightM, siteCoverage: siteCoverage, modes: modes, budgetDefaultYuan: yuanPerYear, budgetByYear: [:],
            displacementCapM2: displacementCapM2, displacementWeightYuanPerM2: displacementWeightYuanPerM2, discountRate: discountRate,
            clusterMinimumShare: clusterMinimumShare, timeLimitS: timeLimitS, variantTimeLimitS: variantTimeLimitS,
            gapTolerance: gapTolerance, exactMaxCandidates: exactMaxCandidates, marginalStepM2: marginalStepM2, costChange: costChange,
            budgetChange: budgetChange, constructionDelayYears: constructionDelayYears, source: source)
    }
    public func budget(_ year: Int) -> Double { budgetByYear[year] ?? budgetDefaultYuan }

    public static var what: String { "build-out rules" }

    public static func decode(_ json: JSONValue, source: String) throws -> BuildOutRules {
        let file = try decodeConfig(BuildOutFile.self, from: json, file: source)
        let p = file.programme.value
        return BuildOutRules(
            floorHeightM: file.floorHeight.value.value, siteCoverage: file.siteCoverage.value.value,
            modes: file.modes.value.pairs.map { id, m in
                BuildOutMode(
                    id: id, label: m.label, scope: m.scope, buildingUses: Set(m.buildingUses ?? []), conditions: Set(m.conditions ?? []),
                    techYield: m.techYield.value, constructionYears: m.constructionYears.value,
                    oneOffCostPerM2: m.oneOffCost.value, annualCostPerM2: m.annualCost?.value ?? 0)
            },
            budgetDefaultYuan: p.budget.defaultYuan.value,
            budgetByYear: Dictionary(uniqueKeysWithValues: (p.budget.byYear?.yearPairs ?? []).map { ($0.key, $0.value.value) }),
            displacementCapM2: p.displacementCap.value, displacementWeightYuanPerM2: p.displacementWeight.value,
            discountRate: p.discountRate.value, clusterMinimumShare: (p.clusterMinimumShare ?? [:]).mapValues(\.value),
            timeLimitS: p.timeLimit.value, variantTimeLimitS: p.variantTimeLimit.value, gapTolerance: p.gapTolerance.value,
            exactMaxCandidates: p.exactMax.value, marginalStepM2: p.marginalStep.value,
            costChange: p.sensitivity.costChange.value, budgetChange: p.sensitivity.budgetChange,
            constructionDelayYears: p.sensitivity.delay.value, source: source)
    }
}

/// buildout.json as written: each entry `{"value": …, "source": …}`, checked as it decodes.
private struct BuildOutFile: Decodable {
    let floorHeight: ConfigEntry<Config.Positive>
    let siteCoverage: ConfigEntry<Config.Share>
    let modes: ConfigEntry<Ordered<ModeEntry>>
    let programme: ConfigEntry<Programme>

    enum CodingKeys: String, CodingKey {
        case floorHeight = "floor_height_m"
        case siteCoverage = "site_coverage"
        case modes, programme
    }

    struct ModeEntry: Decodable {
        let label: String
        let scope: SupplyScope
        let buildingUses: [String]?
        let conditions: [String]?
        let techYield: Config.Share
        let constructionYears: Config.YearSpan
        let oneOffCost: Config.NonNegative
        let annualCost: Config.NonNegative?

        enum CodingKeys: String, CodingKey {
            case label, scope, conditions
            case buildingUses = "building_uses"
            case techYield = "tech_yield"
            case constructionYears = "construction_years"
            case oneOffCost = "public_cost_yuan_per_m2"
            case annualCost = "annual_cost_yuan_per_m2"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            label = try c.decode(String.self, forKey: .label)
            scope = try c.decode(SupplyScope.self, forKey: .scope)
            buildingUses = try c.decodeIfPresent([String].self, forKey: .buildingUses)
            conditions = try c.decodeIfPresent([String].self, forKey: .conditions)
            techYield = try c.decode(Config.Share.self, forKey: .techYield)
            constructionYears = try c.decode(Config.YearSpan.self, forKey: .constructionYears)
            oneOffCost = try c.decode(Config.NonNegative.self, forKey: .oneOffCost)
            annualCost = try c.decodeIfPresent(Config.NonNegative.self, forKey: .annualCost)
            for use in buildingUses ?? [] where !Vocabulary.buildingUses.contains(use) {
                throw ConfigRule.problem(
                    "building use \"\(use)\" is not one of \(Vocabulary.buildingUses.sorted().joined(separator: ", "))", at: "building_uses")
            }
            for condition in conditions ?? [] where !Vocabulary.conditions.contains(condition) {
                throw ConfigRule.problem(
                    "condition \"\(condition)\" is not one of \(Vocabulary.conditions.sorted().joined(separator: ", "))", at: "conditions")
            }
        }
    }

    struct Programme: Decodable {
        let budget: Budget
        let displacementCap: Config.NonNegative
        let displacementWeight: Config.NonNegative
        let discountRate: Config.Share
        let clusterMinimumShare: [String: Config.Share]?
        let timeLimit: Config.Positive
        let variantTimeLimit: Config.Positive
        let gapTolerance: Config.Share
        let exactMax: Config.Count
        let marginalStep: Config.Positive
        let sensitivity: Sensitivity

        enum CodingKeys: String, CodingKey {
            case budget = "budget_yuan_per_year"
            case displacementCap = "displacement_cap_m2"
            case displacementWeight = "displacement_weight_yuan_per_m2"
            case discountRate = "discount_rate"
            case clusterMinimumShare = "cluster_minimum_share"
            case timeLimit = "time_limit_s"
            case variantTimeLimit = "variant_time_limit_s"
            case gapTolerance = "gap_tolerance"
            case exactMax = "exact_max_candidates"
            case marginalStep = "marginal_step_m2"
            case sensitivity
        }
    }

    struct Budget: Decodable {
        let defaultYuan: Config.NonNegative
        let byYear: Ordered<Config.NonNegative>?
        enum CodingKeys: String, CodingKey {
            case defaultYuan = "default"
            case byYear = "by_year"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            defaultYuan = try c.decode(Config.NonNegative.self, forKey: .defaultYuan)
            byYear = try c.decodeIfPresent(Ordered<Config.NonNegative>.self, forKey: .byYear)
            for (key, _) in byYear?.pairs ?? [] where Int(key).map({ !ConfigBounds.years.contains($0) }) ?? true {
                throw ConfigRule.problem(
                    "by_year key \"\(key)\" must be a year from \(ConfigBounds.years.lowerBound) to \(ConfigBounds.years.upperBound)", at: "by_year")
            }
        }
    }

    struct Sensitivity: Decodable {
        let costChange: Config.Share
        /// A change of the budget, −1…1 (−0.2: a fifth less).
        let budgetChange: Double
        let delay: Config.YearSpan
        enum CodingKeys: String, CodingKey {
            case costChange = "cost_change"
            case budgetChange = "budget_change"
            case delay = "construction_delay_years"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            costChange = try c.decode(Config.Share.self, forKey: .costChange)
            budgetChange = try c.decode(Double.self, forKey: .budgetChange)
            delay = try c.decode(Config.YearSpan.self, forKey: .delay)
            guard budgetChange.isFinite, (-1...1).contains(budgetChange) else {
                throw ConfigRule.problem("budget_change must be a number from -1 to 1, found \(budgetChange)", at: "budget_change")
            }
        }
    }
}

/// A JSON object decoded with its keys in the file's order (modes are listed as written).
struct Ordered<Value: Decodable>: Decodable {
    let pairs: [(key: String, value: Value)]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        pairs = try c.allKeys.map { ($0.stringValue, try c.decode(Value.self, forKey: $0)) }
    }
}

extension Ordered {
    /// Year keys ("2024") as whole years.
    var yearPairs: [(key: Int, value: Value)] { pairs.compactMap { p in Int(p.key).map { ($0, p.value) } } }
}
