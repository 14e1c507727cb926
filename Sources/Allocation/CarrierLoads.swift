/// The firms in each carrier during the heuristic search. Each firm takes its base area; the
/// space left is given as extra area to the firms whose extra m² is worth most (the best use of
/// leftover space for a fixed set of firms), in whole units where the carrier lets units.
struct CarrierLoads {
    let problem: AllocationProblem
    /// Per carrier: the options placed there, ordered by extra worth per m² (then option index).
    private(set) var members: [[Int]]
    private(set) var baseUsed: [Double]
    /// Per carrier: the worth of its extras as they stand.
    private(set) var extrasValue: [Double]
    /// Per firm: the option it is placed through, or -1.
    private(set) var placedOption: [Int]
    private(set) var baseValueSum = 0.0

    static let tolerance = 1e-6

    init(_ problem: AllocationProblem) {
        self.problem = problem
        members = Array(repeating: [], count: problem.carrierCount)
        baseUsed = Array(repeating: 0, count: problem.carrierCount)
        extrasValue = Array(repeating: 0, count: problem.carrierCount)
        placedOption = Array(repeating: -1, count: problem.firmCount)
    }

    var objective: Double { baseValueSum + extrasValue.reduce(0, +) }

    func residual(_ carrier: Int) -> Double { problem.capacityM2[carrier] - baseUsed[carrier] }

    /// Whether option `a` gets leftover space before option `b`.
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        let va = problem.options[a].extraValuePerM2, vb = problem.options[b].extraValuePerM2
        return va != vb ? va > vb : a < b
    }

    /// The worth of the extras of carrier `c`'s firms, with `adding` placed and `removing` gone
    /// (-1 for none), when `space` m² are left after the base areas.
    func extrasWorth(_ c: Int, adding: Int = -1, removing: Int = -1, space: Double) -> Double {
        let unit = problem.unitM2[c]
        var left = space
        var worth = 0.0
        func take(_ o: Int) {
            let option = problem.options[o]
            var extra = min(option.extraMaxM2, left)
            if let unit { extra = min(option.extraMaxM2, (left / unit + Self.tolerance).rounded(.down) * unit) }
            if extra > 0 {
                left -= extra
                worth += extra * option.extraValuePerM2
            }
        }
        var added = adding < 0
        for m in members[c] {
            if left <= Self.tolerance { return worth }
            if !added, precedes(adding, m) { take(adding); added = true }
            if m != removing { take(m) }
        }
        if !added, left > Self.tolerance { take(adding) }
        return worth
    }

    /// Change in the objective if option `o` (of an unplaced firm) were added; nil if its base does not fit.
    func gainOfAdding(_ o: Int) -> Double? {
        let option = problem.options[o], c = option.carrier
        let space = residual(c) - option.baseM2
        guard space >= -Self.tolerance else { return nil }
        return option.baseValue + extrasWorth(c, adding: o, space: max(0, space)) - extrasValue[c]
    }

    /// Change in the objective if placed option `o` were taken out.
    func gainOfRemoving(_ o: Int) -> Double {
        let option = problem.options[o], c = option.carrier
        return -option.baseValue + extrasWorth(c, removing: o, space: residual(c) + option.baseM2) - extrasValue[c]
    }

    /// Change if placed option `out` gave way to option `o` of an unplaced firm in the same carrier; nil if it does not fit.
    func gainOfReplacing(_ out: Int, with o: Int) -> Double? {
        let option = problem.options[o], leaving = problem.options[out], c = option.carrier
        let space = residual(c) + leaving.baseM2 - option.baseM2
        guard space >= -Self.tolerance else { return nil }
        return option.baseValue - leaving.baseValue + extrasWorth(c, adding: o, removing: out, space: max(0, space)) - extrasValue[c]
    }

    mutating func add(_ o: Int) {
        let option = problem.options[o], c = option.carrier
        precondition(placedOption[option.firm] < 0, "firm placed twice")
        let at = members[c].firstIndex { precedes(o, $0) } ?? members[c].count
        members[c].insert(o, at: at)
        baseUsed[c] += option.baseM2
        baseValueSum += option.baseValue
        placedOption[option.firm] = o
        extrasValue[c] = extrasWorth(c, space: max(0, residual(c)))
    }

    mutating func remove(_ o: Int) {
        let option = problem.options[o], c = option.carrier
        members[c].removeAll { $0 == o }
        baseUsed[c] -= option.baseM2
        baseValueSum -= option.baseValue
        placedOption[option.firm] = -1
        extrasValue[c] = extrasWorth(c, space: max(0, residual(c)))
    }

    /// The placements, with each carrier's leftover space given out as in `extrasWorth`.
    func placements() -> [Placement?] {
        var result = [Placement?](repeating: nil, count: problem.firmCount)
        for c in 0..<problem.carrierCount {
            let unit = problem.unitM2[c]
            var left = max(0, residual(c))
            for o in members[c] {
                let option = problem.options[o]
                var extra = min(option.extraMaxM2, left)
                if let unit { extra = min(option.extraMaxM2, (left / unit + Self.tolerance).rounded(.down) * unit) }
                extra = max(0, extra)
                left -= extra
                result[option.firm] = Placement(option: o, extraM2: extra)
            }
        }
        return result
    }
}
