import SpaceData

/// The plan's path to its targets: a straight line from the baseline to each milestone, reached
/// at the end of its year (as the trajectory chart draws it). Nil before the baseline and after
/// the last milestone: the plan says nothing there.
public struct PlanPath: Sendable {
    let points: [(position: Double, floorAreaM2: Double)]

    public init(_ policy: Policy) {
        points = ([policy.baseline] + policy.milestones).map { (Double($0.year + 1), $0.floorAreaM2) }
    }

    public func floorAreaM2(on day: String) -> Double? {
        guard let t = Period.yearPosition(day), let first = points.first, t >= first.position else { return nil }
        for (a, b) in zip(points, points.dropFirst()) where t <= b.position {
            return a.floorAreaM2 + (b.floorAreaM2 - a.floorAreaM2) * (t - a.position) / (b.position - a.position)
        }
        return t == first.position ? first.floorAreaM2 : nil
    }
}
