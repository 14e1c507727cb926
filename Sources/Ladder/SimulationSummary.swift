import SpaceData

/// The runs of a simulation summed up year by year: each figure's P10, P50 and P90 across runs,
/// and the jams: a rung whose carriers are full (P50 occupancy at or above `jam.occupancy`, or
/// no carriers at all) while firms of its stage go without space (P50 unmet floor area above 0).
public struct SimulationSummary: Sendable {
    public struct Spread: Sendable, Equatable, Codable {
        public let p10: Double
        public let p50: Double
        public let p90: Double
        public init(p10: Double, p50: Double, p90: Double) { self.p10 = p10; self.p50 = p50; self.p90 = p90 }

        /// The spread of values across runs.
        public init(_ values: [Double]) {
            let s = values.sorted()
            self.init(p10: percentile(s, 0.1), p50: percentile(s, 0.5), p90: percentile(s, 0.9))
        }
    }

    public struct Jam: Sendable, Equatable {
        public let year: Int
        public let stage: FirmStage
        public let carrierTypes: [CarrierType]
        public let occupancy: Double
        public let unmetM2: Double
        public let graduatesLost: Double
        /// The rung's carriers at or above the jam occupancy (P50), fullest first.
        public let fullCarriers: [String]
    }

    public struct Year: Sendable {
        public let year: Int
        public let occupancyByType: [CarrierType: Spread]
        /// Each rung's occupancy: the occupied floor area of its carrier types over their capacity.
        public let occupancyByStage: [FirmStage: Spread]
        public let occupancyByZone: [String: Spread]
        public let occupancyByCarrier: [String: Spread]
        public let firmsByStage: [FirmStage: Spread]
        /// Firms on the ladder and firms waiting, all stages (each run's total, then its spread).
        public let firms: Spread
        public let queue: Spread
        public let queueByStage: [FirmStage: Spread]
        public let unmetM2ByStage: [FirmStage: Spread]
        public let graduatesHoused: Spread
        public let graduatesLost: Spread
        public let graduatesLostByStage: [FirmStage: Spread]
        public let arrivals: Spread
        public let arrivalsPlaced: Spread
        public let highTechFirms: Spread
        public let belowDensityFloor: Spread
        public let addedM2: Double
    }

    public let runs: Int
    public let years: [Year]
    public let jams: [Jam]
    /// CPU seconds placing firms took (the allocation), over all runs and years.
    public let allocationSeconds: Double

    static func spread(_ values: [Double]) -> Spread { Spread(values) }

    public init(runs: [[LadderYear]], settings: SimulationSettings) {
        self.runs = runs.count
        var years: [Year] = []
        var jams: [Jam] = []
        let count = runs.map(\.count).min() ?? 0
        for k in 0..<count {
            let all = runs.map { $0[k] }
            func keyed<K: Hashable>(_ get: (LadderYear) -> [K: Double]) -> [K: Spread] {
                let keys = Set(all.flatMap { get($0).keys })
                return Dictionary(uniqueKeysWithValues: keys.map { key in (key, Self.spread(all.map { get($0)[key] ?? 0 })) })
            }
            func share(_ occupied: [String: Double], _ capacity: [String: Double]) -> [String: Double] {
                capacity.compactMapValues { $0 > 0 ? $0 : nil }.reduce(into: [:]) { $0[$1.key] = (occupied[$1.key] ?? 0) / $1.value }
            }
            let byType = keyed { y in
                Dictionary(uniqueKeysWithValues: y.capacityByType.compactMap { t, cap in cap > 0 ? (t, (y.occupiedByType[t] ?? 0) / cap) : nil })
            }
            var byStage: [FirmStage: Spread] = [:]
            for stage in SimulationSettings.ladder {
                let types = settings.stageOfCarrierType.filter { $0.value == stage }.map(\.key)
                guard all.contains(where: { y in types.contains { (y.capacityByType[$0] ?? 0) > 0 } }) else { continue }
                byStage[stage] = Self.spread(
                    all.map { y in
                        let cap = types.reduce(0.0) { $0 + (y.capacityByType[$1] ?? 0) }
                        return cap > 0 ? types.reduce(0.0) { $0 + (y.occupiedByType[$1] ?? 0) } / cap : 0
                    })
            }
            let year = Year(
                year: all[0].year, occupancyByType: byType, occupancyByStage: byStage, occupancyByZone: keyed { share($0.occupiedByZone, $0.capacityByZone) },
                occupancyByCarrier: keyed { $0.occupancyByCarrier },
                firmsByStage: keyed { $0.firmsByStage.mapValues(Double.init) },
                firms: Self.spread(all.map { Double($0.firmsByStage.values.reduce(0, +)) }), queue: Self.spread(all.map { Double($0.queueByStage.values.reduce(0, +)) }),
                queueByStage: keyed { $0.queueByStage.mapValues(Double.init) },
                unmetM2ByStage: keyed { $0.unmetM2ByStage }, graduatesHoused: Self.spread(all.map { Double($0.graduatesHoused) }),
                graduatesLost: Self.spread(all.map { Double($0.graduatesLost) }),
                graduatesLostByStage: keyed { $0.graduatesLostByStage.mapValues(Double.init) },
                arrivals: Self.spread(all.map { Double($0.arrivals) }), arrivalsPlaced: Self.spread(all.map { Double($0.arrivalsPlaced) }),
                highTechFirms: Self.spread(all.map { Double($0.highTechFirms) }),
                belowDensityFloor: Self.spread(all.map { Double($0.belowDensityFloor.count) }), addedM2: all[0].addedM2)
            years.append(year)
            for stage in SimulationSettings.ladder {
                let types = settings.stageOfCarrierType.filter { $0.value == stage }.map(\.key).sorted { $0.rawValue < $1.rawValue }
                // A rung with no carriers at all is as full as it gets.
                let occupancy = byStage[stage]?.p50 ?? 1
                let unmet = year.unmetM2ByStage[stage]?.p50 ?? 0
                guard occupancy >= settings.jamOccupancy, unmet > 0 else { continue }
                let typeOf = Set(types)
                let full = year.occupancyByCarrier.filter { id, s in
                    s.p50 >= settings.jamOccupancy && all[0].typeOfCarrier[id].map(typeOf.contains) == true
                }
                jams.append(
                    Jam(
                        year: year.year, stage: stage, carrierTypes: types, occupancy: occupancy, unmetM2: unmet,
                        graduatesLost: year.graduatesLostByStage[stage]?.p50 ?? 0,
                        fullCarriers: full.sorted { ($1.value.p50, $0.key) < ($0.value.p50, $1.key) }.map(\.key)))
            }
        }
        self.years = years
        self.jams = jams
        allocationSeconds = runs.reduce(0) { $0 + $1.reduce(0) { $0 + $1.allocationSeconds } }
    }
}

/// The value at share `p` of sorted values, interpolated linearly between ranks (numpy's default).
public func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let position = p * Double(sorted.count - 1)
    let low = Int(position.rounded(.down)), high = min(sorted.count - 1, low + 1)
    return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
}
