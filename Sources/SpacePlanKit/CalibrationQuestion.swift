import Foundation
import Ladder
import Reports
import SpaceCore
import SpaceData
import SpaceStore
import StockHistory

extension Workspace {
    public struct CalibrationRun: Sendable {
        public let calibration: Calibration
        public let spells: [Spell]
        public let artifacts: [Artifact]
        public let headline: String
    }

    /// The simulation's yearly rates estimated from the store's recorded stays: each firm's
    /// time at a rung from its move-in until it graduates (moves into a carrier of a higher
    /// rung), closes or leaves (a move-out whose edit says `"outcome": "closed"` or `"left"`),
    /// or until the last recorded change (still there). Written as simulation.json. A store
    /// opened as of a day is calibrated on the history up to that day.
    public func calibrate() throws -> CalibrationRun {
        guard let source = source as? StoreSource else {
            throw ArgumentError(argument: .store, problem: "calibration reads a store's history: give --store")
        }
        let settingsFile = try file(.simulation)
        let settings = try readConfig(SimulationSettings.self, from: settingsFile)
        let timeline = try StoreTimeline.read(source)
        guard let last = timeline.changes.last else {
            throw DataError(file: source.store.name, problem: "has no recorded move-ins or move-outs to estimate rates from")
        }
        let start = source.snapshot.meta.importedAt
        let observed = Self.years(from: start, to: last.at)
        var carrierType: [String: CarrierType] = [:]
        for v in timeline.carriers { carrierType[v.record.id] = v.record.type }
        // Outcomes named by the move-out edits.
        let sets = Set(timeline.changes.filter { $0.layer == StoreLayer.enterprises.name && $0.change == "delete" }.compactMap(\.editSet))
        var outcome: [String: String] = [:]
        for (_, text) in try source.store.editSetTexts(Array(sets)) {
            for e in (try? parseJSON(Data(text.utf8)))?["edits"]?.arrayValue ?? [] where e["edit"]?.stringValue == "move_out" {
                if let firm = e["firm"]?.stringValue, let o = e["outcome"]?.stringValue { outcome[firm] = o }
            }
        }
        func stage(_ carrier: String?) -> FirmStage? { carrier.flatMap { carrierType[$0] }.flatMap { settings.stageOfCarrierType[$0] } }
        // Each firm's versions in order; a stay runs from entering a rung until the firm's rung changes or it goes.
        var byFirm: [String: [Dated<Tenancy>]] = [:]
        for v in timeline.tenancies { byFirm[v.record.firmID, default: []].append(v) }
        var spells: [Spell] = []
        var arrivals: [FirmStage: Int] = [:]
        for (firm, versions) in byFirm {
            let ordered = versions.sorted { ($0.madeBy?.seq ?? 0) < ($1.madeBy?.seq ?? 0) }
            var current: (stage: FirmStage, since: String, sector: String)?
            for (k, v) in ordered.enumerated() {
                let here = stage(v.record.carrierID)
                if let c = current, here != c.stage, let at = v.madeBy?.at {
                    let up = here.map { SimulationSettings.ladder.firstIndex(of: $0)! > SimulationSettings.ladder.firstIndex(of: c.stage)! } ?? false
                    spells.append(Spell(stage: c.stage, sector: c.sector, years: Self.years(from: c.since, to: at), end: up ? .graduated : .censored))
                    current = nil
                }
                if current == nil, let here, let at = v.madeBy?.at {
                    current = (here, at, v.record.sector)
                    if k == 0, v.madeBy?.change == "insert" { arrivals[here, default: 0] += 1 }
                }
                if k == ordered.count - 1, let c = current {
                    if let ended = v.endedBy {
                        let end: Spell.End = ended.change == "delete" ? (outcome[firm] == "closed" ? .closed : .left) : .censored
                        spells.append(Spell(stage: c.stage, sector: c.sector, years: Self.years(from: c.since, to: ended.at), end: end))
                    } else {
                        spells.append(Spell(stage: c.stage, sector: c.sector, years: Self.years(from: c.since, to: last.at), end: .censored))
                    }
                }
            }
        }
        spells.sort { ($0.stage.rawValue, $0.years, $0.end.rawValue) < ($1.stage.rawValue, $1.years, $1.end.rawValue) }
        let calibration = Calibration(spells: spells, arrivals: arrivals, observedYears: observed, settings: settings)
        let document = try Self.calibrated(try readConfigJSON(settingsFile, what: "simulation settings"), calibration, store: source.store.name)
        // The document must read back as settings: the same rules as any simulation.json.
        _ = try SimulationSettings.decode(document, source: "calibrated simulation.json")
        let events = spells.filter { $0.end != .censored }.count
        return CalibrationRun(
            calibration: calibration, spells: spells,
            artifacts: CalibrationReport.artifacts(calibration, settings: settings, document: document, store: source.store.name),
            headline: "estimated from \(spells.count) stays (\(events) ended) over \(formatFixed(observed, 1)) years of \(source.store.name)")
    }

    static func years(from a: String, to b: String) -> Double {
        guard let x = StoreClock.date(a), let y = StoreClock.date(b) else { return 0 }
        return max(0, y.timeIntervalSince(x)) / (365.2425 * 86_400)
    }

    /// simulation.json with the estimated rates and arrivals in place, each entry's source saying so.
    static func calibrated(_ json: JSONValue, _ c: Calibration, store: String) throws -> JSONValue {
        guard var file = json.objectValue, var rates = file["yearly_rates"]?.objectValue, var values = rates["value"]?.objectValue,
            var pipeline = file["pipeline"]?.objectValue, var pipelineValue = pipeline["value"]?.objectValue,
            var arrivals = pipelineValue["arrivals_per_year"]?.objectValue
        else { throw DataError(file: "simulation.json", problem: "has no yearly_rates.value or pipeline.value.arrivals_per_year to calibrate") }
        func rounded(_ x: Double) -> JSONValue { .number((x * 10_000).rounded() / 10_000) }
        for stage in SimulationSettings.ladder {
            guard var entry = values[stage.rawValue]?.objectValue else { continue }
            if let g = c.graduate[stage] { entry["graduate"] = rounded(g.rate) }
            if let f = c.fail[stage] { entry["fail"] = rounded(f.rate) }
            if let l = c.leave[stage] { entry["leave"] = rounded(l.rate) }
            values[stage.rawValue] = .object(entry)
            if let a = c.arrivals[stage] { arrivals[stage.rawValue] = .number((a.rate * 100).rounded() / 100) }
        }
        rates["value"] = .object(values)
        rates["source"] = .string(
            "Calibrated by `spaceplan simulate --calibrate` from the recorded stays in \(store) (\(formatFixed(c.observedYears, 1)) years): graduate, fail and leave estimated (calibration.md gives each estimate's events, firm-years and standard error); grow and high_tech kept as configured (the history records neither).")
        file["yearly_rates"] = .object(rates)
        pipelineValue["arrivals_per_year"] = .object(arrivals)
        pipeline["value"] = .object(pipelineValue)
        pipeline["source"] = .string(
            "Calibrated by `spaceplan simulate --calibrate` from \(store): arrivals per year are the new firms that moved in, by their rung, over the years recorded; the floor areas are kept as configured.")
        file["pipeline"] = .object(pipeline)
        return .object(file)
    }
}
