import Foundation
import Ladder
import Reports
import SpaceCore
import SpaceData
import SpaceStore
import StockHistory

extension Workspace {
    public struct ProgressRun: Sendable {
        public let progress: StockProgress
        public let artifacts: [Artifact]
    }

    /// The stock at the end of each period from `from` to `to` (YYYY-MM-DD, the district's
    /// days; by default from the import to today), read from the store's history.
    public func stockProgress(from: String? = nil, to: String? = nil, every: ReportingPeriod = .quarter) throws -> ProgressRun {
        guard let source = source as? StoreSource else {
            throw ArgumentError(argument: .store, problem: "progress reads a store's history: give a store, not a data folder")
        }
        guard source.asOfDate == nil else {
            throw ArgumentError(argument: .asOfDate, problem: "progress reads the whole history: give --from and --to instead")
        }
        let meta = source.snapshot.meta, zone = meta.timeZone
        let imported = String(StoreClock.local(meta.importedAt, timeZone: zone).prefix(10))
        let today = String(StoreClock.local(StoreClock.now, timeZone: zone).prefix(10))
        // A period still running has no stock at its end yet: the last period ends by today.
        let first = from ?? imported, last = min(to ?? today, today)
        func day(_ text: String, _ argument: WorkspaceArgument) throws -> String {
            do { return try StoreClock.startOfDay(text, timeZone: zone) } catch let error as DataError {
                throw ArgumentError(argument: argument, problem: "\(text) \(error.problem)")
            }
        }
        let start = try day(first, .fromDate)
        _ = try day(last, .toDate)
        guard start >= (try StoreClock.startOfDay(imported, timeZone: zone)) else {
            throw ArgumentError(argument: .fromDate, problem: "\(first) is before the store's import on \(imported): it holds no history before it")
        }
        guard first <= last else { throw ArgumentError(argument: .toDate, problem: "\(last) is before the from date \(first)") }
        let periods = Period.ending(from: first, to: last, every: every)
        guard !periods.isEmpty else {
            throw ArgumentError(argument: .toDate, problem: "no \(every.rawValue) ends between \(first) and \(last): give a later --to")
        }
        let starts = try periods.map { try StoreClock.startOfDay($0.firstDay, timeZone: zone) }
        let cutoffs = try periods.map { try StoreClock.endOfDay($0.lastDay, timeZone: zone) }
        let timeline = try StoreTimeline.read(source)
        let index = spaceMap.buildingIndex
        let map = spaceMap
        var stages: [String: String] = [:]
        if let file = try? self.file(.simulation) {
            for (type, stage) in try readConfig(SimulationSettings.self, from: file).stageOfCarrierType { stages[type.rawValue] = stage.rawValue }
        }
        let progress = try StockProgress.compute(
            periods: periods, starts: starts, cutoffs: cutoffs, carriers: timeline.carriers, tenancies: timeline.tenancies,
            context: .init(policy: data.policy, zones: data.zones, tally: { try map.carrierTallies($0, buildingIndex: index) }, stageOfCarrierType: stages))
        let artifacts = ProgressFiles.artifacts(progress, district: districtLabel, store: source.store.name, timeZone: zone)
        return ProgressRun(progress: progress, artifacts: artifacts)
    }

    /// The district's name as reports title it, marked when synthetic.
    var districtLabel: String {
        let m = data.manifest
        return m.name + (m.synthetic && !m.name.contains("synthetic") ? " (synthetic)" : "")
    }
}
