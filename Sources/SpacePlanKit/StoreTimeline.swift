import Foundation
import SpaceCore
import SpaceData
import SpaceStore
import StockHistory

/// Every version of the carriers and the firms' tenancies, each with the change that made it
/// and the one that ended it, read from a store's log and history up to one snapshot.
struct StoreTimeline {
    let carriers: [Dated<Carrier>]
    let tenancies: [Dated<Tenancy>]
    /// Every logged change of carriers and firms, oldest first.
    let changes: [LoggedChange]

    static func read(_ source: StoreSource) throws -> StoreTimeline {
        // The snapshot's own rows: when it holds records, its firms' rows are the tenants'. A firm
        // no change touched and in no carrier has no tenancy to date, so it would add nothing.
        let store = source.store, snapshot = source.snapshot
        let zone = snapshot.meta.timeZone
        let layers = [StoreLayer.carriers.name, StoreLayer.enterprises.name]
        // A snapshot of a past day holds the changes before that day ended.
        let cutoff = try source.asOfDate.map { try StoreClock.endOfDay($0, timeZone: zone) }
        let raw = try store.changes(since: nil, record: nil).filter { c in
            c.seq <= snapshot.lastChange && layers.contains(c.layer) && cutoff.map { c.at < $0 } ?? true
        }
        // The supply mode each carrier edit names (docs/store.md), read from its edit file.
        let texts = try store.editSetTexts(Array(Set(raw.compactMap { $0.layer == StoreLayer.carriers.name ? $0.editSet : nil })))
        var modes: [Int: [String: String]] = [:]
        for (set, text) in texts { modes[set] = Self.modes(in: text) }
        let logged = raw.map { c in
            LoggedChange(
                seq: c.seq, at: c.at, day: String(StoreClock.local(c.at, timeZone: zone).prefix(10)), author: c.author, reason: c.reason,
                editSet: c.editSet, layer: c.layer, recordID: c.recordID, change: c.change,
                mode: c.layer == StoreLayer.carriers.name ? c.editSet.flatMap { modes[$0]?[c.recordID] } : nil)
        }
        // (layer, id, version) → the change that made it and the one that ended it.
        struct Span { var made: LoggedChange?; var ended: LoggedChange? }
        var spans: [StoreImageKey: Span] = [:]
        for (c, r) in zip(logged, raw) {
            if c.change == "delete" {
                spans[StoreImageKey(layer: c.layer, id: c.recordID, version: r.version), default: Span()].ended = c
            } else {
                let v = r.version
                spans[StoreImageKey(layer: c.layer, id: c.recordID, version: v), default: Span()].made = c
                if v > 1 { spans[StoreImageKey(layer: c.layer, id: c.recordID, version: v - 1), default: Span()].ended = c }
            }
        }
        // Records no change touched are current and have been since the import.
        var unchanged: [String: [StoreRow]] = [:]
        let touched = Set(spans.keys.map { "\($0.layer)|\($0.id)" })
        for layer in layers {
            unchanged[layer] = (snapshot.rows[layer] ?? []).filter { !touched.contains("\(layer)|\($0.id)") }
        }
        let images = try store.images(Array(spans.keys))
        var carriers: [Dated<Carrier>] = [], tenancies: [Dated<Tenancy>] = []
        func add(_ row: StoreRow, layer: String, made: LoggedChange?, ended: LoggedChange?) throws {
            let fid = row["fid"].int ?? 0
            if layer == StoreLayer.carriers.name {
                carriers.append(Dated(record: try StoreRecords.carrier(row), fid: fid, madeBy: made, endedBy: ended))
            } else {
                tenancies.append(Dated(record: Self.tenancy(row), fid: fid, madeBy: made, endedBy: ended))
            }
        }
        for layer in layers { for row in unchanged[layer] ?? [] { try add(row, layer: layer, made: nil, ended: nil) } }
        for (key, span) in spans.sorted(by: { ($0.key.layer, $0.key.id, $0.key.version) < ($1.key.layer, $1.key.id, $1.key.version) }) {
            guard let row = images[key] else {
                throw DataError(file: store.name, recordID: key.id, problem: "the history has no version \(key.version) of \(key.layer) \(key.id)")
            }
            try add(row, layer: key.layer, made: span.made, ended: span.ended)
        }
        return StoreTimeline(carriers: carriers, tenancies: tenancies, changes: logged)
    }

    static func tenancy(_ row: StoreRow) -> Tenancy {
        Tenancy(
            firmID: row.id, carrierID: row["carrier_id"].string.flatMap { $0.isEmpty ? nil : $0 }, sector: row["sector"].string ?? "",
            flags: StoreRecords.list(row["flags"]), floorAreaM2: row["floor_area_m2"].double ?? 0)
    }

    /// Carrier id → the `mode` its edit in this edit file names (add_carrier and carrier edits).
    static func modes(in text: String) -> [String: String] {
        guard let edits = (try? parseJSON(Data(text.utf8)))?["edits"]?.arrayValue else { return [:] }
        var out: [String: String] = [:]
        for e in edits {
            guard let mode = e["mode"]?.stringValue, !mode.isEmpty else { continue }
            switch e["edit"]?.stringValue {
            case "add_carrier": if let id = e["record"]?["id"]?.stringValue { out[id] = mode }
            case "carrier": if let id = e["id"]?.stringValue { out[id] = mode }
            default: break
            }
        }
        return out
    }
}
