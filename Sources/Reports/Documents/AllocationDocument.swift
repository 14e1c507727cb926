import Allocation
import SpaceCore
import SpaceMap

/// allocation.json: what the allocation placed, what it left, and how sure the solver is.
/// The command line writes it; the server answers with it.
public struct AllocationDocument: Codable, Equatable, Sendable {
    public var demandFile: String
    public var solver: String
    public var provenOptimal: Bool
    public var objective: Double
    public var objectiveUnit: String
    public var bound: Double
    public var gap: Double
    public var boundNote: String
    public var seconds: Double
    public var objectiveFormula: String
    public var firms: Int
    public var placed: Int
    /// Firms not placed, by reason (`UnplacedReason` raw values).
    public var unplaced: OrderedMembers<Int>
    public var demandMinM2: Double
    public var demandPreferredM2: Double
    public var vacantBeforeM2: Double
    public var allocatedM2: Double
    public var placedInPreferredZone: Int
    public var techSpaceM2: Double
    public var occupiedBeforeM2: Double
    public var occupiedAfterM2: Double
    public var targets: [Target]
    public var byMoveInYear: [MoveInYear]
    public var rules: String
    public var warnings: [String]

    public struct Target: Codable, Equatable, Sendable {
        public var year: Int
        public var targetM2: Double
        public var occupiedAfterShareOfTarget: Double
        enum CodingKeys: String, CodingKey { case year, targetM2 = "target_m2", occupiedAfterShareOfTarget = "occupied_after_share_of_target" }
    }

    public struct MoveInYear: Codable, Equatable, Sendable {
        public var year: Int
        public var firms: Int
        public var allocatedM2: Double
        public var occupiedM2: Double
        enum CodingKeys: String, CodingKey { case year, firms, allocatedM2 = "allocated_m2", occupiedM2 = "occupied_m2" }
    }

    enum CodingKeys: String, CodingKey {
        case demandFile = "demand_file", solver, provenOptimal = "proven_optimal", objective, objectiveUnit = "objective_unit", bound, gap
        case boundNote = "bound_note", seconds, objectiveFormula = "objective_formula", firms, placed, unplaced
        case demandMinM2 = "demand_min_m2", demandPreferredM2 = "demand_preferred_m2", vacantBeforeM2 = "vacant_before_m2"
        case allocatedM2 = "allocated_m2", placedInPreferredZone = "placed_in_preferred_zone", techSpaceM2 = "tech_space_m2"
        case occupiedBeforeM2 = "occupied_before_m2", occupiedAfterM2 = "occupied_after_m2", targets, byMoveInYear = "by_move_in_year"
        case rules, warnings
    }
}

extension AllocationDocument {
    init(_ report: AllocationReport) {
        let outcome = report.outcome, result = outcome.result, instance = result.instance, s = result.solution
        demandFile = outcome.demandFile
        solver = s.solver
        provenOptimal = s.provenOptimal
        objective = m2(s.objective)
        objectiveUnit = "priority-weighted m²"
        bound = m2(s.bound)
        gap = rounded(s.gap, decimals: 6)
        boundNote = s.boundNote
        seconds = rounded(s.seconds, decimals: 3)
        objectiveFormula = AllocationReport.objectiveFormula(instance.rules)
        firms = instance.firms.count
        placed = result.assignments.count
        unplaced = OrderedMembers(result.unplacedCounts.map { .init($0.reason.rawValue, $0.firms) })
        demandMinM2 = m2(instance.firms.reduce(0) { $0 + $1.minM2 })
        demandPreferredM2 = m2(instance.firms.reduce(0) { $0 + $1.preferredM2 })
        vacantBeforeM2 = m2(result.vacantBeforeM2)
        allocatedM2 = m2(result.allocatedM2)
        placedInPreferredZone = result.assignments.filter(\.inPreferredZone).count
        techSpaceM2 = m2(outcome.map.total.techSpaceM2)
        occupiedBeforeM2 = m2(outcome.occupiedBeforeM2)
        occupiedAfterM2 = m2(outcome.occupiedAfterM2)
        let after = outcome.occupiedAfterM2
        targets = outcome.map.progress.map {
            Target(year: $0.year, targetM2: m2($0.targetM2), occupiedAfterShareOfTarget: rounded(after / $0.targetM2, decimals: 4))
        }
        byMoveInYear = outcome.byMoveInYear.map { MoveInYear(year: $0.year, firms: $0.firms, allocatedM2: m2($0.areaM2), occupiedM2: m2($0.occupiedM2)) }
        rules = instance.rules.source
        warnings = outcome.warnings
    }
}
