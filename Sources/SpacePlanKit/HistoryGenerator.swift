import Foundation
import Ladder
import LandSupply
import SpaceCore
import SpaceData
import SpaceStore

/// What `generate-history` wrote.
public struct GeneratedHistory: Sendable, Equatable {
    public var editSets = 0
    public var changes = 0
    public var arrivals = 0
    public var graduations = 0
    public var closures = 0
    public var departures = 0
    public var vacancyReports = 0
    public var deliveries = 0
    public var retirements = 0
}

/// A plausible synthetic history, month by month, written as edit sets dated in the past:
/// firms arrive in carriers of their stage's rung, graduate to the next rung, close or leave
/// (at the rates of simulation.json), operators report their occupancy every few months, and
/// the projects of a supply scenario are delivered as new carriers (and leases that end
/// retired). The store's import is dated back to the first day, so the store holds the
/// history as if it had been kept from then. For tests, benchmarks and the README's sample.
struct HistoryGenerator {
    struct Carrier {
        let id: String
        let type: CarrierType
        let floorAreaM2: Double
        var occupiedM2: Double
        var version: Int
        let operatorName: String
        let event: String?
        var retired = false
        var vacantM2: Double { floorAreaM2 - occupiedM2 }
    }

    struct Firm {
        let id: String
        var version: Int
        var carrier: String
        var stage: FirmStage
        let sector: String
        let areaM2: Double
        var monthsAtStage = 0
        var monthsInIncubation = 0
    }

    let store: any DistrictStore
    let workspace: Workspace
    let settings: SimulationSettings
    let fromYear: Int
    let toYear: Int
    let changes: [SupplyChange]
    let zone: String
    var rng: SeededRandom
    var carriers: [String: Carrier] = [:]
    var carrierOrder: [String] = []
    var firms: [String: Firm] = [:]
    var serial = 0
    var summary = GeneratedHistory()
    /// Floor area still free in each building no carrier uses (where new space is delivered).
    var freeBuildings: [(id: String, gfaM2: Double)]
    let sectors: [(String, Double)]
    let progress: (String) -> Void

    static let author = "generate-history (synthetic)"

    init(store: any DistrictStore, workspace: Workspace, settings: SimulationSettings, fromYear: Int, toYear: Int, seed: UInt64, changes: [SupplyChange], progress: @escaping (String) -> Void) throws {
        self.store = store; self.workspace = workspace; self.settings = settings; self.fromYear = fromYear; self.toYear = toYear
        self.changes = changes; self.progress = progress
        rng = SeededRandom(seed: seed)
        guard let source = workspace.source as? StoreSource else { throw DataError(file: store.name, problem: "is not a store") }
        zone = source.snapshot.meta.timeZone
        for row in source.snapshot.rows[StoreLayer.carriers.name] ?? [] {
            let c = try StoreRecords.carrier(row)
            carriers[c.id] = Carrier(
                id: c.id, type: c.type, floorAreaM2: c.floorAreaM2, occupiedM2: c.occupiedM2, version: row.version, operatorName: c.operatorName, event: nil)
            carrierOrder.append(c.id)
        }
        let used = Set(workspace.data.carriers.flatMap(\.buildingIDs))
        let uses = workspace.data.policy.industrialBuildingUses.union(["office"])
        freeBuildings = workspace.data.buildings.filter { !used.contains($0.id) && uses.contains($0.use) }.map { ($0.id, $0.gfaM2) }
        var counts: [String: Double] = [:]
        for e in workspace.data.enterprises where e.sector != "other" { counts[e.sector, default: 0] += 1 }
        sectors = counts.keys.sorted().map { ($0, counts[$0]!) }
    }

    /// A yearly probability as a monthly one with the same chance over twelve months.
    static func monthly(_ p: Double) -> Double { p >= 1 ? 1 : 1 - pow(1 - p, 1.0 / 12) }

    func rung(_ carrier: Carrier) -> FirmStage? { settings.stageOfCarrierType[carrier.type] }

    /// A local time of a day as the store writes times (UTC).
    func stamp(_ year: Int, _ month: Int, _ day: Int, hour: Int) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour)) else {
            throw DataError(file: store.name, problem: "no such day \(year)-\(month)-\(day)")
        }
        return StoreClock.stamp(date)
    }

    mutating func run() throws -> GeneratedHistory {
        for year in fromYear...toYear {
            progress("writing \(year)")
            for month in 1...12 {
                if month == settings.deliveryMonth { try deliver(year, month) }
                try tenantMoves(year, month)
                if month % settings.vacancyReportMonths == 0 { try vacancyReports(year, month) }
            }
        }
        return summary
    }

    /// Applies one edit set, dated, and keeps the versions it made.
    mutating func apply(_ edits: [JSONValue], reason: String, at: String) throws {
        guard !edits.isEmpty else { return }
        let text = serializedJSON(.object(JSONObject([("edits", .array(edits))])))
        let set = try EditSet.parse(Data(text.utf8), file: "generate-history")
        let applied = try DistrictStores.apply(store: store, set: set, author: Self.author, reason: reason, recordedAt: at)
        for c in applied.changes {
            if c.layer == StoreLayer.carriers.name { carriers[c.recordID]?.version = c.version }
            if c.layer == StoreLayer.enterprises.name { firms[c.recordID]?.version = c.version }
        }
        summary.editSets += 1
        summary.changes += applied.changes.count
    }

    func edit(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }

    /// An open carrier of `stage`'s rung with room for `area`, picked at random.
    mutating func carrier(for stage: FirmStage, area: Double) -> String? {
        let fits = carrierOrder.filter { id in
            guard let c = carriers[id], !c.retired else { return false }
            return rung(c) == stage && c.vacantM2 >= area
        }
        return fits.isEmpty ? nil : fits[rng.integer(0...(fits.count - 1))]
    }

    mutating func tenantMoves(_ year: Int, _ month: Int) throws {
        var edits: [JSONValue] = []
        for id in firms.keys.sorted() {
            guard var f = firms[id] else { continue }
            let r = settings.rates(of: f.stage, sector: f.sector)
            let pf = Self.monthly(r.fail), pl = Self.monthly(r.leave)
            let pg = Self.monthly(r.graduate * settings.graduationFactor(yearsInResidence: f.monthsAtStage / 12))
            let limit = settings.incubationLimitMonths(f.stage, sector: f.sector)
            let atLimit = limit.map { f.monthsInIncubation + 1 > $0 } ?? false
            let u = rng.uniform(0, 1)
            if u < pf + pl {
                edits.append(moveOut(f, outcome: u < pf ? "closed" : "left"))
                if u < pf { summary.closures += 1 } else { summary.departures += 1 }
                continue
            }
            if u < pf + pl + pg || atLimit, let next = SimulationSettings.next(f.stage), let target = carrier(for: next, area: f.areaM2) {
                edits.append(edit([("edit", .string("move_in")), ("firm", .string(f.id)), ("version", .number(Double(f.version))), ("carrier", .string(target))]))
                carriers[f.carrier]?.occupiedM2 -= f.areaM2
                carriers[target]?.occupiedM2 += f.areaM2
                f.carrier = target
                f.stage = next
                f.monthsAtStage = 0
                if limit != nil { f.monthsInIncubation += 1 }
                firms[id] = f
                summary.graduations += 1
                continue
            }
            if atLimit {
                edits.append(moveOut(f, outcome: "left"))
                summary.departures += 1
                continue
            }
            f.monthsAtStage += 1
            if limit != nil { f.monthsInIncubation += 1 }
            firms[id] = f
        }
        for stage in SimulationSettings.ladder {
            let mean = (settings.arrivalsPerYear[stage] ?? 0) / 12
            let count = Int(mean.rounded(.down)) + (rng.chance(mean - mean.rounded(.down)) ? 1 : 0)
            guard let range = settings.arrivalAreaM2[stage] else { continue }
            for _ in 0..<count {
                let area = (range.lowerBound == range.upperBound ? range.lowerBound : rng.uniform(range.lowerBound, range.upperBound)).rounded()
                guard let target = carrier(for: stage, area: area), !sectors.isEmpty else { continue }
                serial += 1
                let id = String(format: "G%04d%02d-%05d", year, month, serial)
                let sector = rng.pick(sectors)
                edits.append(
                    edit([
                        ("edit", .string("move_in")), ("carrier", .string(target)),
                        (
                            "record",
                            .object(
                                JSONObject([
                                    ("id", .string(id)), ("name", .string("生成企业 \(serial) (synthetic)")), ("sector", .string(sector)), ("flags", .string("")),
                                    ("employees", .number(max(1, (area / 15).rounded()))), ("floor_area_m2", .number(area)),
                                ]))
                        ),
                    ]))
                carriers[target]?.occupiedM2 += area
                firms[id] = Firm(id: id, version: 1, carrier: target, stage: stage, sector: sector, areaM2: area)
                summary.arrivals += 1
            }
        }
        try apply(edits, reason: String(format: "tenant moves %04d-%02d", year, month), at: try stamp(year, month, 15, hour: 10))
    }

    mutating func moveOut(_ f: Firm, outcome: String) -> JSONValue {
        carriers[f.carrier]?.occupiedM2 -= f.areaM2
        firms[f.id] = nil
        return edit([("edit", .string("move_out")), ("firm", .string(f.id)), ("version", .number(Double(f.version))), ("outcome", .string(outcome))])
    }

    /// Each operator reports its carriers' occupancy: the space its recorded tenants take and
    /// a drift in the rest.
    mutating func vacancyReports(_ year: Int, _ month: Int) throws {
        var byOperator: [String: [String]] = [:]
        for id in carrierOrder where carriers[id]?.retired == false { byOperator[carriers[id]!.operatorName, default: []].append(id) }
        let lastDay = Calendar(identifier: .gregorian).range(of: .day, in: .month, for: DateComponents(calendar: Calendar(identifier: .gregorian), year: year, month: month).date!)!.count
        for name in byOperator.keys.sorted() {
            var edits: [JSONValue] = []
            for id in byOperator[name]! {
                guard let c = carriers[id] else { continue }
                let tenants = firms.values.filter { $0.carrier == id }.reduce(0) { $0 + $1.areaM2 }
                let drift = (rng.uniform(-1, 1) + rng.uniform(-1, 1) + rng.uniform(-1, 1)) * settings.vacancyDriftShare * c.floorAreaM2
                let occupied = min(c.floorAreaM2, max(tenants, c.occupiedM2 + drift)).rounded(.down)
                guard occupied != c.occupiedM2, occupied >= tenants else { continue }
                edits.append(edit([("edit", .string("carrier")), ("id", .string(id)), ("version", .number(Double(c.version))), ("set", .object(JSONObject([("occupied_m2", .number(occupied))])))]))
                carriers[id]?.occupiedM2 = occupied
            }
            guard !edits.isEmpty else { continue }
            try apply(edits, reason: "occupancy report of \(name), \(year)-\(String(format: "%02d", month))", at: try stamp(year, month, lastDay, hour: 17))
            summary.vacancyReports += 1
        }
    }

    /// The scenario's events of this year: new carriers in buildings no carrier uses, and the
    /// carriers of a lease that ends retired (their tenants move out first).
    mutating func deliver(_ year: Int, _ month: Int) throws {
        var edits: [JSONValue] = []
        for change in changes where change.year == year {
            if change.lostM2 > 0 {
                for id in carrierOrder where carriers[id]?.event == change.event && carriers[id]?.retired == false {
                    for f in firms.values.filter({ $0.carrier == id }).sorted(by: { $0.id < $1.id }) {
                        edits.append(moveOut(f, outcome: "left"))
                        summary.departures += 1
                    }
                    edits.append(edit([("edit", .string("retire_carrier")), ("id", .string(id)), ("version", .number(Double(carriers[id]!.version)))]))
                    carriers[id]?.retired = true
                    summary.retirements += 1
                }
            }
            guard change.addedM2 > 0 else { continue }
            // Buildings enough for the space, largest first; a carrier takes at most what they hold.
            var hosts: [String] = [], room = 0.0
            while room < change.addedM2, !freeBuildings.isEmpty {
                let k = freeBuildings.indices.max { freeBuildings[$0].gfaM2 < freeBuildings[$1].gfaM2 }!
                hosts.append(freeBuildings[k].id)
                room += freeBuildings[k].gfaM2
                freeBuildings.remove(at: k)
            }
            let area = min(change.addedM2, room).rounded(.down)
            guard area > 0 else { continue }
            let type = rng.pick(settings.newSpaceTypeShares)
            // An event may deliver in several years (a phased renewal): one carrier per delivery.
            var id = "N-\(change.event)-\(year)", k = 1
            while carriers[id] != nil { k += 1; id = "N-\(change.event)-\(year)-\(k)" }
            edits.append(
                edit([
                    ("edit", .string("add_carrier")), ("mode", .string(change.source.rawValue)),
                    (
                        "record",
                        .object(
                            JSONObject([
                                ("id", .string(id)), ("name", .string("\(change.event) (synthetic)")), ("type", .string(type.rawValue)),
                                ("building_ids", .array(hosts.map(JSONValue.string))), ("floor_area_m2", .number(area)), ("occupied_m2", .number(0)),
                                ("level", .string("district")), ("operator", .string("district programme (synthetic)")),
                            ]))
                    ),
                ]))
            carriers[id] = Carrier(id: id, type: type, floorAreaM2: area, occupiedM2: 0, version: 1, operatorName: "district programme (synthetic)", event: change.event)
            carrierOrder.append(id)
            summary.deliveries += 1
        }
        try apply(edits, reason: "supply programme \(year)", at: try stamp(year, month, 1, hour: 9))
    }
}

extension DistrictStores {
    /// Writes a synthetic history from January of `fromYear` to December of `toYear` on a store
    /// just imported (its import is dated back to the first day). `scenario` (a supply
    /// scenario, by path or `store:` document) says which projects are delivered when.
    public static func generateHistory(
        store name: String, fromYear: Int, toYear: Int, seed: UInt64, scenario: URL?, progress: @escaping (String) -> Void = { _ in }
    ) throws -> GeneratedHistory {
        guard fromYear <= toYear else { throw ArgumentError(argument: .toYear, problem: "\(toYear) is before the from year \(fromYear)") }
        _ = try ArgumentError.checking(.fromYear) { try NumberRule.year.check(option: $0, fromYear) }
        _ = try ArgumentError.checking(.toYear) { try NumberRule.year.check(option: $0, toYear) }
        let store = try StoreName.open(name)
        let meta = try store.meta()
        let start = try StoreClock.startOfDay(String(format: "%04d-01-01", fromYear), timeZone: meta.timeZone)
        guard try store.changes(afterSeq: 0).isEmpty else {
            throw DataError(file: store.name, problem: "has changes since its import: a synthetic history is written only on a store just imported")
        }
        let source = try StoreSource(store)
        let workspace = try Workspace(source: source, configuration: configuration(of: source), progress: progress)
        let settings = try readConfig(SimulationSettings.self, from: try workspace.file(.simulation))
        var changes: [SupplyChange] = []
        if let scenario {
            let run = try workspace.runSupply(scenarios: [try workspace.resolve(scenario)], asOfYear: fromYear - 1, referenceFloorAreaM2: 1)
            changes = run.results.first?.changes.filter { (fromYear...toYear).contains($0.year) } ?? []
        }
        // Everything is read and checked: now the import moves back to the first day.
        try store.backdateImport(to: start)
        var generator = try HistoryGenerator(
            store: store, workspace: workspace, settings: settings, fromYear: fromYear, toYear: toYear, seed: seed, changes: changes, progress: progress)
        return try generator.run()
    }
}
