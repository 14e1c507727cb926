import Allocation
import Foundation
import SpaceCore
import SpaceData

/// Firms moving up the incubation ladder year by year (docs/time.md). Each year: the
/// supply delivers new space; each firm fails, leaves, graduates (forced at the incubation
/// time limit) or stays, and a firm that stays may grow and may become a national high-tech
/// enterprise; new firms arrive; every firm that needs space (arrivals, graduates, growers
/// without room where they are, and the queue) is placed by the allocation's rules and its
/// heuristic solver into vacant space; the unplaced wait, and leave after `queue_max_years`.
/// New firms arrive through the year, so a placed arrival has half a year's chance to close
/// or leave before the year ends (the backcast test found the year-end occupancy too high
/// without it).
public struct LadderSimulation: Sendable {
    public let start: LadderStart
    public let settings: SimulationSettings
    public let rules: AllocationRules
    public let positiveLists: PositiveLists
    public let deliveries: [Delivery]
    public let toYear: Int
    /// The zone new space is placed in when a delivery names none (the district).
    public let districtZoneID: String?

    public init(
        start: LadderStart, settings: SimulationSettings, rules: AllocationRules, positiveLists: PositiveLists, deliveries: [Delivery],
        toYear: Int, districtZoneID: String?
    ) {
        self.start = start; self.settings = settings; self.rules = rules; self.positiveLists = positiveLists
        self.deliveries = deliveries; self.toYear = toYear; self.districtZoneID = districtZoneID
    }

    /// Run `run` of a simulation seeded `seed`: its own generator, so runs give the same
    /// figures on one core or many, in any order.
    public static func generator(seed: UInt64, run: Int) -> SeededRandom {
        var mix = SeededRandom(seed: seed ^ (UInt64(run) &* 0xD1B5_4A32_D192_ED03))
        return SeededRandom(seed: mix.next())
    }

    /// Why a firm asks for space this year.
    enum Need: Sendable { case arrival, graduate, grow, waiting }

    struct Seeker {
        var firm: LadderFirm
        var need: Need
        /// The kind it first asked as (a graduate stays one while it waits).
        var asked: Need
        var waitedYears: Int
        /// Where a grower is now and the floor area it holds there (it keeps that space unless placed elsewhere).
        var from: Int?
        var heldM2 = 0.0
    }

    public func run(seed: UInt64, run: Int) throws -> [LadderYear] {
        var rng = Self.generator(seed: seed, run: run)
        var carriers = start.carriers
        var occupied = carriers.map(\.otherOccupiedM2)
        var firms = start.firms
        for f in firms { occupied[f.carrier] += f.areaM2 }
        var queue: [Seeker] = []
        var years: [LadderYear] = []
        let solver = HeuristicSolver(rules)
        var serial = 0

        guard start.year < toYear else { return [] }
        for year in (start.year + 1)...toYear {
            var record = LadderYear(year: year)
            // 1. New space: each project becomes one carrier, of a type drawn with the settings' shares.
            for d in deliveries where d.year == year && d.floorAreaM2 > 0 {
                let type = rng.pick(settings.newSpaceTypeShares.filter { $0.1 > 0 })
                carriers.append(
                    LadderCarrier(
                        id: "new-\(year)-\(d.label)", type: type, zoneIDs: d.zoneIDs.isEmpty ? districtZoneID.map { [$0] } ?? [] : d.zoneIDs,
                        floorAreaM2: d.floorAreaM2, otherOccupiedM2: 0))
                occupied.append(0)
                record.addedM2 += d.floorAreaM2
            }
            // 2. Each firm's year.
            var seekers = queue.map { s -> Seeker in
                var s = s
                s.need = .waiting
                return s
            }
            var staying: [LadderFirm] = []
            for var f in firms {
                let r = settings.rates(of: f.stage, sector: f.sector)
                let graduate = r.graduate * settings.graduationFactor(yearsInResidence: f.yearsAtStage)
                let limit = settings.incubationLimitMonths(f.stage, sector: f.sector)
                let atLimit = limit.map { f.monthsInIncubation + 12 > $0 } ?? false
                let u = rng.uniform(0, 1)
                if u < r.fail {
                    record.failed += 1
                    occupied[f.carrier] -= f.areaM2
                    continue
                }
                if u < r.fail + r.leave {
                    record.left += 1
                    occupied[f.carrier] -= f.areaM2
                    continue
                }
                if u < r.fail + r.leave + graduate || atLimit {
                    occupied[f.carrier] -= f.areaM2
                    guard let next = SimulationSettings.next(f.stage) else {
                        record.left += 1
                        continue
                    }
                    if limit != nil { f.monthsInIncubation += 12 }
                    f.stage = next
                    f.yearsAtStage = 0
                    f.areaM2 *= settings.graduateAreaFactor
                    seekers.append(Seeker(firm: f, need: .graduate, asked: .graduate, waitedYears: 0, from: nil))
                    continue
                }
                f.yearsAtStage += 1
                if limit != nil { f.monthsInIncubation += 12 }
                if !f.highTech && rng.chance(r.highTech) { f.highTech = true }
                if rng.chance(r.grow) {
                    let extra = f.areaM2 * (settings.growAreaFactor - 1)
                    if carriers[f.carrier].floorAreaM2 - occupied[f.carrier] >= extra {
                        occupied[f.carrier] += extra
                        f.areaM2 += extra
                        record.grewInPlace += 1
                    } else {
                        var grown = f
                        grown.areaM2 *= settings.growAreaFactor
                        seekers.append(Seeker(firm: grown, need: .grow, asked: .grow, waitedYears: 0, from: f.carrier, heldM2: f.areaM2))
                        continue
                    }
                }
                staying.append(f)
            }
            // 3. Arrivals: the whole part of each stage's mean, and one more with the chance of its fraction.
            for stage in SimulationSettings.ladder {
                let mean = settings.arrivalsPerYear[stage] ?? 0
                let count = Int(mean.rounded(.down)) + (rng.chance(mean - mean.rounded(.down)) ? 1 : 0)
                guard let range = settings.arrivalAreaM2[stage] else { continue }
                for _ in 0..<count {
                    serial += 1
                    let sector = start.arrivalSectors.isEmpty ? "other" : rng.pick(start.arrivalSectors)
                    let area = range.lowerBound == range.upperBound ? range.lowerBound : rng.uniform(range.lowerBound, range.upperBound).rounded()
                    // A firm enters incubation within entry_max_months of its founding; moving
                    // up from a maker space to an incubator continues the same incubation.
                    let founded = settings.incubationStages.contains(stage) ? rng.integer(0...settings.entryMaxMonthsSinceFounding) : nil
                    let firm = LadderFirm(id: "A\(year)-\(serial)", sector: sector, stage: stage, areaM2: area, carrier: -1, monthsSinceFoundingAtEntry: founded)
                    seekers.append(Seeker(firm: firm, need: .arrival, asked: .arrival, waitedYears: 0, from: nil))
                    record.arrivals += 1
                }
            }
            // 4. Placing every firm that needs space.
            let started = Self.threadCPUSeconds()
            let supply = carriers.enumerated().map { c, carrier in
                CarrierSupply(
                    id: carrier.id, type: carrier.type, zoneIDs: carrier.zoneIDs, floorAreaM2: carrier.floorAreaM2, occupiedM2: occupied[c],
                    unitM2: carrier.unitM2, rentYuanPerM2Month: carrier.rentYuanPerM2Month, sectorShares: carrier.sectorShares)
            }
            let demand = seekers.enumerated().map { k, s in
                FirmDemand(
                    index: k, id: s.firm.id, sector: s.firm.sector, stage: s.firm.stage, flags: s.firm.highTech ? ["national_high_tech"] : [],
                    minM2: s.firm.areaM2, preferredM2: s.firm.areaM2, moveInYear: year)
            }
            var placedIn = [Int?](repeating: nil, count: seekers.count)
            var placedArea = [Double](repeating: 0, count: seekers.count)
            if !demand.isEmpty {
                let instance = AllocationInstance(firms: demand, carriers: supply, rules: rules, positiveLists: positiveLists)
                let result = AllocationResult(instance, try solver.solve(instance.problem))
                for a in result.assignments {
                    placedIn[a.firm] = a.carrier
                    placedArea[a.firm] = a.areaM2
                }
            }
            record.allocationSeconds = Self.threadCPUSeconds() - started
            queue = []
            for (k, var s) in seekers.enumerated() {
                if let c = placedIn[k] {
                    if let from = s.from { occupied[from] -= s.heldM2 }
                    s.firm.carrier = c
                    s.firm.areaM2 = placedArea[k]
                    occupied[c] += placedArea[k]
                    staying.append(s.firm)
                    switch s.asked {
                    case .graduate: record.graduatesHousedByStage[s.firm.stage, default: 0] += 1
                    case .arrival:
                        record.arrivalsPlaced += 1
                        // New firms arrive through the year (at mid-year on average): half a year's
                        // chance to close or leave before the year ends.
                        let r = settings.rates(of: s.firm.stage, sector: s.firm.sector)
                        let exit = min(1, r.fail + r.leave), half = 1 - (1 - exit).squareRoot()
                        let u = rng.uniform(0, 1)
                        if exit > 0, u < half {
                            if u < half * r.fail / exit { record.failed += 1 } else { record.left += 1 }
                            staying.removeLast()
                            occupied[c] -= placedArea[k]
                        }
                    case .grow, .waiting: break
                    }
                    continue
                }
                record.unmetM2ByStage[s.firm.stage, default: 0] += s.firm.areaM2
                if let from = s.from {
                    // A grower with no room elsewhere stays where it is, at its old size.
                    var f = s.firm
                    f.areaM2 = s.heldM2
                    f.carrier = from
                    staying.append(f)
                    continue
                }
                s.waitedYears += s.need == .waiting ? 1 : 0
                if s.waitedYears >= settings.queueMaxYears {
                    switch s.asked {
                    case .graduate: record.graduatesLostByStage[s.firm.stage, default: 0] += 1
                    case .arrival: record.arrivalsLost += 1
                    case .grow, .waiting: break
                    }
                    continue
                }
                queue.append(s)
            }
            firms = staying.sorted { $0.id < $1.id }
            // 5. The year's figures.
            for (c, carrier) in carriers.enumerated() {
                record.capacityByType[carrier.type, default: 0] += carrier.floorAreaM2
                record.occupiedByType[carrier.type, default: 0] += occupied[c]
                if carrier.floorAreaM2 > 0 { record.occupancyByCarrier[carrier.id] = occupied[c] / carrier.floorAreaM2 }
                record.typeOfCarrier[carrier.id] = carrier.type
                for z in carrier.zoneIDs {
                    record.capacityByZone[z, default: 0] += carrier.floorAreaM2
                    record.occupiedByZone[z, default: 0] += occupied[c]
                }
            }
            var tenants = [Int](repeating: 0, count: carriers.count)
            for f in firms {
                record.firmsByStage[f.stage, default: 0] += 1
                tenants[f.carrier] += 1
                if f.highTech { record.highTechFirms += 1 }
            }
            record.highTechFirms += start.highTechElsewhere
            for s in queue { record.queueByStage[s.firm.stage, default: 0] += 1 }
            for (c, carrier) in carriers.enumerated() where settings.densityCarrierTypes.contains(carrier.type) && carrier.floorAreaM2 > 0 {
                if Double(tenants[c]) < settings.densityFloorFirmsPer1000M2 * carrier.floorAreaM2 / 1000 { record.belowDensityFloor.append(carrier.id) }
            }
            years.append(record)
        }
        return years
    }

    /// The CPU time this thread has used: runs share the cores, so wall-clock time would count
    /// the time a run waits for one.
    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
