/// The allocation as the solvers see it: firms, carriers' capacities and every admissible
/// (firm, carrier) pair with its areas and worth. A firm placed through option `o` takes
/// `baseM2` (its minimum, in whole units where the carrier lets units) plus an extra of 0 to
/// `extraMaxM2` (in whole units there too, never past its preferred area); the placement is
/// worth `baseValue + extraValuePerM2 × extra`. Each firm takes at most one option and no
/// carrier is filled past its capacity.
public struct AllocationProblem: Sendable {
    public struct Option: Sendable {
        public let firm: Int
        public let carrier: Int
        public let baseM2: Double
        public let extraMaxM2: Double
        public let baseValue: Double
        public let extraValuePerM2: Double

        public init(firm: Int, carrier: Int, baseM2: Double, extraMaxM2: Double, baseValue: Double, extraValuePerM2: Double) {
            self.firm = firm; self.carrier = carrier; self.baseM2 = baseM2; self.extraMaxM2 = extraMaxM2
            self.baseValue = baseValue; self.extraValuePerM2 = extraValuePerM2
        }
    }

    public let firmCount: Int
    public let capacityM2: [Double]
    /// Per carrier: the unit it lets space in, or nil when let by the m².
    public let unitM2: [Double?]
    /// Every option, firm by firm: firm f's options are `options[optionsOfFirm[f]]`.
    public let options: [Option]
    public let optionsOfFirm: [Range<Int>]

    /// `options` are taken in the order given, which must be firm by firm (ascending firm).
    public init(firmCount: Int, capacityM2: [Double], unitM2: [Double?], options: [Option]) {
        precondition(zip(options, options.dropFirst()).allSatisfy { $0.firm <= $1.firm }, "options must be grouped by firm")
        self.firmCount = firmCount
        self.capacityM2 = capacityM2
        self.unitM2 = unitM2
        self.options = options
        var ranges = [Range<Int>](repeating: 0..<0, count: firmCount)
        var start = 0
        while start < options.count {
            let firm = options[start].firm
            var end = start
            while end < options.count, options[end].firm == firm { end += 1 }
            ranges[firm] = start..<end
            start = end
        }
        optionsOfFirm = ranges
    }

    public var carrierCount: Int { capacityM2.count }

    /// The worth of a set of placements (the objective both solvers maximise).
    public func objective(_ placements: [Placement?]) -> Double {
        placements.reduce(0) { sum, p in
            guard let p else { return sum }
            let o = options[p.option]
            return sum + o.baseValue + o.extraValuePerM2 * p.extraM2
        }
    }
}

/// Where a firm goes: one option of the problem and the area above its base.
public struct Placement: Sendable, Equatable {
    public let option: Int
    public let extraM2: Double
    public init(option: Int, extraM2: Double) { self.option = option; self.extraM2 = extraM2 }
}

/// What a solver found.
public struct AllocationSolution: Sendable {
    /// Per firm of the problem: its placement, or nil.
    public let placements: [Placement?]
    public let objective: Double
    /// An upper bound on the best possible objective (the LP bound for the heuristic, CBC's
    /// best bound for the exact solver), and the relative gap to it.
    public let bound: Double
    public var gap: Double { bound > 0 ? max(0, bound - objective) / bound : 0 }
    public let provenOptimal: Bool
    public let solver: String
    /// How the bound was obtained, for the report.
    public let boundNote: String
    public let seconds: Double
}

/// One interface, two solvers: CBC's exact MIP and the fast heuristic.
public protocol AllocationSolver: Sendable {
    var name: String { get }
    func solve(_ problem: AllocationProblem) throws -> AllocationSolution
}
