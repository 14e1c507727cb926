import Ladder
import SpaceCore
import SpaceData

/// simulation.json: the incubation ladder over many runs, each figure as its P10, P50 and P90.
/// The command line writes it; the server answers with it.
public struct SimulationDocument: Codable, Equatable, Sendable {
    public var runs: Int
    public var seed: UInt64
    public var startYear: Int
    public var graduatesHoused: Spread
    public var graduatesLost: Spread
    public var firmTarget: FirmTargetFigures?
    public var years: [Year]
    public var jams: [Jam]

    enum CodingKeys: String, CodingKey {
        case runs, seed, startYear = "start_year", graduatesHoused = "graduates_housed", graduatesLost = "graduates_lost"
        case firmTarget = "firm_target", years, jams
    }

    /// A figure's spread over the runs.
    public typealias Spread = SimulationSummary.Spread

    public struct FirmTargetFigures: Codable, Equatable, Sendable {
        public var baselineYear: Int
        public var baseline: Int
        public var year: Int
        public var count: Int
        enum CodingKeys: String, CodingKey { case baselineYear = "baseline_year", baseline, year, count }
    }

    public struct Year: Codable, Equatable, Sendable {
        public var year: Int
        public var addedM2: Double
        /// By rung (`FirmStage`), in the ladder's order.
        public var occupancyByStage: OrderedMembers<Spread>
        public var firmsByStage: OrderedMembers<Spread>
        public var queueByStage: OrderedMembers<Spread>
        public var firms: Spread
        public var queue: Spread
        public var unmetM2ByStage: OrderedMembers<Spread>
        public var graduatesHoused: Spread
        public var graduatesLost: Spread
        public var highTechFirms: Spread
        enum CodingKeys: String, CodingKey {
            case year, addedM2 = "added_m2", occupancyByStage = "occupancy_by_stage", firmsByStage = "firms_by_stage"
            case queueByStage = "queue_by_stage", firms, queue, unmetM2ByStage = "unmet_m2_by_stage", graduatesHoused = "graduates_housed"
            case graduatesLost = "graduates_lost", highTechFirms = "high_tech_firms"
        }
    }

    /// A rung full while firms of its stage go without space.
    public struct Jam: Codable, Equatable, Sendable {
        public var year: Int
        public var stage: String
        public var carrierTypes: [String]
        public var occupancy: Double
        public var unmetM2: Double
        public var graduatesLost: Double
        public var fullCarriers: [String]
        enum CodingKeys: String, CodingKey {
            case year, stage, carrierTypes = "carrier_types", occupancy, unmetM2 = "unmet_m2", graduatesLost = "graduates_lost"
            case fullCarriers = "full_carriers"
        }
    }
}

extension SimulationDocument {
    public init(_ s: SimulationSummary, runs: [[LadderYear]], start: LadderStart, target: FirmTarget?, seed: UInt64) {
        let (housed, lost) = SimulationFiles.totals(runs)
        func byStage(_ d: [FirmStage: SimulationSummary.Spread]) -> OrderedMembers<Spread> {
            OrderedMembers(SimulationFiles.stages.compactMap { st in d[st].map { .init(st.rawValue, $0) } })
        }
        self.runs = s.runs
        self.seed = seed
        startYear = start.year
        graduatesHoused = housed
        graduatesLost = lost
        firmTarget = target.map { FirmTargetFigures(baselineYear: $0.baselineYear, baseline: $0.baselineCount, year: $0.targetYear, count: $0.targetCount) }
        years = s.years.map { y in
            Year(
                year: y.year, addedM2: y.addedM2.rounded(), occupancyByStage: byStage(y.occupancyByStage), firmsByStage: byStage(y.firmsByStage),
                queueByStage: byStage(y.queueByStage), firms: y.firms, queue: y.queue, unmetM2ByStage: byStage(y.unmetM2ByStage),
                graduatesHoused: y.graduatesHoused, graduatesLost: y.graduatesLost, highTechFirms: y.highTechFirms)
        }
        jams = s.jams.map { j in
            Jam(
                year: j.year, stage: j.stage.rawValue, carrierTypes: j.carrierTypes.map(\.rawValue), occupancy: j.occupancy,
                unmetM2: j.unmetM2.rounded(), graduatesLost: j.graduatesLost, fullCarriers: j.fullCarriers)
        }
    }
}
