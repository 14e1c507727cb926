import SpaceData
import SpaceMap

/// The tech-cultivation stock at the end of each reporting period, read from the store's
/// history, and every change of it traced to the edit that made it.
public struct StockProgress: Sendable {
    /// One zone's stock at a period's end.
    public struct ZoneStock: Sendable {
        public let zoneID: String
        public let techSpaceM2: Double
        public let occupiedM2: Double
    }

    public struct PeriodEnd: Sendable {
        public let period: Period
        public let techSpaceM2: Double
        public let techSpaceByType: [String: Double]
        public let occupiedM2: Double
        public var vacantM2: Double { techSpaceM2 - occupiedM2 }
        public var occupancy: Double? { techSpaceM2 > 0 ? occupiedM2 / techSpaceM2 : nil }
        public let carriers: Int
        public let zones: [ZoneStock]
        /// Firms renting in tech-cultivation carriers, by the stage of their carrier's rung.
        public let tenantsByStage: [String: Int]
        /// The plan's path on the period's last day (nil outside it).
        public let planM2: Double?
        /// Space added in the period by supply mode (the mode its edit named; `not_stated`, or
        /// `capacity_change` for a carrier made larger, when it named none), and space lost
        /// (retired or shrunk), m².
        public let addedByMode: [String: Double]
        public let lostM2: Double
        /// Firms moving into a carrier, and out of one (leaving, or moving to another carrier:
        /// such a move counts once each way).
        public let firmsMovedIn: Int
        public let firmsMovedOut: Int
    }

    /// A change of the tech-cultivation stock (a carrier added, retired, or its capacity or
    /// type changed), with its edit.
    public struct Movement: Sendable {
        public let period: String
        public let change: LoggedChange
        public let carrierID: String
        public let carrierType: String
        /// `added`, `retired` or `capacity`.
        public let kind: String
        public let mode: String
        public let deltaM2: Double
    }

    public let openingM2: Double
    public let periods: [PeriodEnd]
    public let movements: [Movement]
    public let zones: [Zone]

    /// What the stock is summed with: the policy, the carriers' zones (as the space map places
    /// them), and which stage each carrier type houses.
    public struct Context {
        public let policy: Policy
        public let zones: [Zone]
        public let tally: ([Carrier]) throws -> (zones: [SpaceTally], total: SpaceTally)
        public let stageOfCarrierType: [String: String]

        public init(
            policy: Policy, zones: [Zone], tally: @escaping ([Carrier]) throws -> (zones: [SpaceTally], total: SpaceTally),
            stageOfCarrierType: [String: String]
        ) {
            self.policy = policy; self.zones = zones; self.tally = tally; self.stageOfCarrierType = stageOfCarrierType
        }
    }

    /// `starts[k]` and `cutoffs[k]` are the first instants (UTC) of period k and of the day after it.
    public static func compute(
        periods: [Period], starts: [String], cutoffs: [String], carriers: [Dated<Carrier>], tenancies: [Dated<Tenancy>], context: Context
    ) throws -> StockProgress {
        let tech = Set(context.policy.techCarrierTypes)
        func techM2(_ c: Carrier?) -> Double { c.map { tech.contains($0.type.rawValue) ? $0.floorAreaM2 : 0 } ?? 0 }
        let path = PlanPath(context.policy)

        // Each carrier change with the versions before and after it.
        var before: [Int: Carrier] = [:], after: [Int: Carrier] = [:], changeOf: [Int: LoggedChange] = [:]
        for v in carriers {
            if let c = v.madeBy { after[c.seq] = v.record; changeOf[c.seq] = c }
            if let c = v.endedBy { before[c.seq] = v.record; changeOf[c.seq] = c }
        }
        func periodIndex(_ at: String) -> Int? { starts.indices.first { at >= starts[$0] && at < cutoffs[$0] } }
        var movements: [Movement] = []
        for seq in changeOf.keys.sorted() {
            let change = changeOf[seq]!
            guard let k = periodIndex(change.at) else { continue }
            let old = before[seq], new = after[seq]
            let delta = techM2(new) - techM2(old)
            guard delta != 0 else { continue }
            let kind = old == nil ? "added" : new == nil ? "retired" : "capacity"
            let mode = kind == "retired" ? "retired" : change.mode ?? (kind == "added" ? "not_stated" : "capacity_change")
            movements.append(
                Movement(
                    period: periods[k].label, change: change, carrierID: (new ?? old)!.id, carrierType: (new ?? old)!.type.rawValue, kind: kind,
                    mode: mode, deltaM2: delta))
        }

        // Firms moving in (a version that puts a firm in a carrier it was not in) and out.
        var tenancyAfter: [String: Tenancy] = [:]
        for v in tenancies { if let c = v.madeBy { tenancyAfter["\(c.seq)|\(v.record.firmID)"] = v.record } }
        var movedIn = [Int](repeating: 0, count: periods.count), movedOut = movedIn
        var tenancyBefore: [String: Tenancy] = [:]
        for v in tenancies { if let c = v.endedBy { tenancyBefore["\(c.seq)|\(v.record.firmID)"] = v.record } }
        for v in tenancies {
            if let c = v.madeBy, let k = periodIndex(c.at), let carrier = v.record.carrierID,
                tenancyBefore["\(c.seq)|\(v.record.firmID)"]?.carrierID != carrier
            {
                movedIn[k] += 1
            }
            // Out of a carrier: gone, out of every carrier, or into another one.
            if let c = v.endedBy, let k = periodIndex(c.at), let carrier = v.record.carrierID,
                tenancyAfter["\(c.seq)|\(v.record.firmID)"]?.carrierID != carrier
            {
                movedOut[k] += 1
            }
        }

        func stock(before cutoff: String) -> [Carrier] {
            carriers.filter { $0.current(before: cutoff) }.sorted { $0.fid < $1.fid }.map(\.record)
        }
        let opening = stock(before: starts.first ?? "").reduce(0.0) { $0 + techM2($1) }
        var ends: [PeriodEnd] = []
        for (k, period) in periods.enumerated() {
            let standing = stock(before: cutoffs[k])
            let (zoneTallies, total) = try context.tally(standing)
            let typeOf = Dictionary(standing.map { ($0.id, $0.type.rawValue) }, uniquingKeysWith: { a, _ in a })
            var byStage: [String: Int] = [:]
            for v in tenancies where v.current(before: cutoffs[k]) {
                guard let carrier = v.record.carrierID, let type = typeOf[carrier], tech.contains(type) else { continue }
                byStage[context.stageOfCarrierType[type] ?? type, default: 0] += 1
            }
            var added: [String: Double] = [:], lost = 0.0
            for m in movements where m.period == period.label {
                if m.deltaM2 > 0 { added[m.mode, default: 0] += m.deltaM2 } else { lost -= m.deltaM2 }
            }
            ends.append(
                PeriodEnd(
                    period: period, techSpaceM2: total.techSpaceM2, techSpaceByType: total.techSpaceByType, occupiedM2: total.techOccupiedM2,
                    carriers: standing.filter { tech.contains($0.type.rawValue) }.count,
                    zones: zip(context.zones, zoneTallies).map { ZoneStock(zoneID: $0.id, techSpaceM2: $1.techSpaceM2, occupiedM2: $1.techOccupiedM2) },
                    tenantsByStage: byStage, planM2: path.floorAreaM2(on: period.lastDay), addedByMode: added, lostM2: lost,
                    firmsMovedIn: movedIn[k], firmsMovedOut: movedOut[k]))
        }
        return StockProgress(openingM2: opening, periods: ends, movements: movements, zones: context.zones)
    }
}
