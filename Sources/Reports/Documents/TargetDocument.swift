import BuildOut
import SpaceCore
import SpaceData
import SpaceMap

/// target.json: the cheapest programme of projects that reaches the district's targets, with the
/// constraints that bind and what changes if they move. The command line writes it; the server
/// answers with it.
public struct TargetDocument: Codable, Equatable, Sendable {
    public var data: String
    public var synthetic: Bool
    public var rules: String
    public var asOfYear: Int
    public var openingStockM2: Double
    public var candidates: Int
    public var solver: String
    public var provenOptimal: Bool
    /// Null when no bound is known (the targets are not reached).
    public var gap: Double?
    public var seconds: Double
    public var reachesEveryTarget: Bool
    public var milestones: [Milestone]
    public var discountedCostYuan: Double
    public var displacedM2: Double
    public var stockByYear: [Stock]
    public var costByYear: [Cost]
    public var clusterShares: [ClusterShare]
    public var binding: [String]
    public var marginal: Variant
    public var sensitivity: [Variant]
    public var projects: [Project]

    enum CodingKeys: String, CodingKey {
        case data, synthetic, rules, asOfYear = "as_of_year", openingStockM2 = "opening_stock_m2", candidates, solver
        case provenOptimal = "proven_optimal", gap, seconds, reachesEveryTarget = "reaches_every_target", milestones
        case discountedCostYuan = "discounted_cost_yuan", displacedM2 = "displaced_m2", stockByYear = "stock_by_year"
        case costByYear = "cost_by_year", clusterShares = "cluster_shares", binding, marginal, sensitivity, projects
    }

    public struct Milestone: Codable, Equatable, Sendable {
        public var year: Int
        public var targetM2: Double
        public var stockM2: Double
        public var shortfallM2: Double
        public var reached: Bool
        enum CodingKeys: String, CodingKey { case year, targetM2 = "target_m2", stockM2 = "stock_m2", shortfallM2 = "shortfall_m2", reached }
    }

    public struct Stock: Codable, Equatable, Sendable {
        public var year: Int
        public var stockM2: Double
        enum CodingKeys: String, CodingKey { case year, stockM2 = "stock_m2" }
    }

    public struct Cost: Codable, Equatable, Sendable {
        public var year: Int
        public var costYuan: Double
        public var budgetYuan: Double
        enum CodingKeys: String, CodingKey { case year, costYuan = "cost_yuan", budgetYuan = "budget_yuan" }
    }

    public struct ClusterShare: Codable, Equatable, Sendable {
        public var cluster: String
        public var share: Double
        public var minimum: Double
    }

    /// The programme re-solved with one assumption changed.
    public struct Variant: Codable, Equatable, Sendable {
        public var label: String
        public var discountedCostYuan: Double
        public var displacedM2: Double
        public var projects: Int
        /// Shortfall by milestone year.
        public var shortfallM2: OrderedMembers<Double>
        enum CodingKeys: String, CodingKey {
            case label, discountedCostYuan = "discounted_cost_yuan", displacedM2 = "displaced_m2", projects, shortfallM2 = "shortfall_m2"
        }
    }

    public struct Project: Codable, Equatable, Sendable {
        public var id: String
        public var mode: String
        public var techM2: Double
        public var startYear: Int
        public var completionYear: Int
        public var discountedCostYuan: Double
        public var displacedM2: Double
        public var clusters: [String]
        public var buildingIDs: [String]
        enum CodingKeys: String, CodingKey {
            case id, mode, techM2 = "tech_m2", startYear = "start_year", completionYear = "completion_year"
            case discountedCostYuan = "discounted_cost_yuan", displacedM2 = "displaced_m2", clusters, buildingIDs = "building_ids"
        }
    }
}

extension TargetDocument {
    public init(_ a: TargetAnalysis, map: SpaceMap) {
        let p = a.programme
        func variant(_ v: TargetAnalysis.Variant) -> Variant {
            Variant(
                label: v.label, discountedCostYuan: m2(v.discountedCostYuan), displacedM2: m2(v.displacedM2), projects: v.chosen,
                shortfallM2: OrderedMembers(v.shortfallsM2.map { .init("\($0.year)", m2($0.m2)) }))
        }
        data = map.data.manifest.name
        synthetic = map.data.manifest.synthetic
        rules = p.problem.rules.source
        asOfYear = p.problem.asOfYear
        openingStockM2 = m2(p.problem.openingStockM2)
        candidates = p.problem.candidates.count
        solver = p.solver
        provenOptimal = p.provenOptimal
        gap = p.gap.isNaN ? nil : p.gap
        seconds = rounded(p.seconds, decimals: 3)
        reachesEveryTarget = p.reachesEveryTarget
        milestones = p.milestones.map {
            Milestone(year: $0.year, targetM2: m2($0.targetM2), stockM2: m2($0.stockM2), shortfallM2: m2($0.shortfallM2), reached: $0.reached)
        }
        discountedCostYuan = m2(p.discountedCostYuan)
        displacedM2 = m2(p.displacedM2)
        stockByYear = p.stockByYear.map { Stock(year: $0.year, stockM2: m2($0.stockM2)) }
        costByYear = p.costByYear.map { Cost(year: $0.year, costYuan: m2($0.costYuan), budgetYuan: m2($0.budgetYuan)) }
        clusterShares = p.clusterShares.map { ClusterShare(cluster: $0.cluster, share: $0.share, minimum: $0.minimum) }
        binding = a.binding
        marginal = variant(a.marginal)
        sensitivity = a.sensitivity.map(variant)
        projects = p.chosen.map { c in
            Project(
                id: c.candidate.id, mode: c.candidate.mode, techM2: m2(c.candidate.techM2), startYear: c.startYear, completionYear: c.completionYear,
                discountedCostYuan: m2(c.discountedCostYuan), displacedM2: m2(c.candidate.displacedM2), clusters: c.candidate.clusters,
                buildingIDs: c.candidate.buildings.map { map.data.buildings[$0].id })
        }
    }
}
