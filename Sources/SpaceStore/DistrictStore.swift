import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// The district's system of record: its layers, documents and every change. Two backends with
/// one behaviour: a GeoPackage file (embedded) and PostGIS (shared).
public protocol DistrictStore: Sendable {
    /// What messages call it: the file, or the database and schema.
    var name: String { get }
    /// Where its documents are read, as if they were files under it: the store file's path, or
    /// /postgis/DATABASE/SCHEMA.
    var documentRoot: String { get }
    /// What the store says about itself, without the reading report (a snapshot has that).
    func meta() throws -> StoreMeta
    /// Every row of every layer and document, as current, or as it stood before `cutoff` (an
    /// ISO 8601 UTC time) when given.
    func snapshot(before cutoff: String?) throws -> StoreSnapshot
    /// The current state for a workspace to open: `snapshot(before: nil)`, or the same state
    /// with its largest layers read straight into records (`StoreSnapshot.records`).
    func openingSnapshot() throws -> StoreSnapshot
    /// Every row of every layer as they stood after change `seq` (a snapshot that holds
    /// records, read whole again for what needs every row: an export).
    func wholeSnapshot(atChange seq: Int) throws -> StoreSnapshot
    /// Runs `plan` inside one transaction to get the changes (it may read current rows), makes
    /// them, checking each record's version, then hands the store as it is now (inside the
    /// transaction) to `validate`; the changes are kept only if all of it succeeds. Returns the
    /// edit set's number.
    func apply(session: EditSession, plan: (StoreReader) throws -> [RowOperation], validate: (StoreReader) throws -> Void) throws -> Int
    /// The changes, oldest first, from `since` (ISO 8601 UTC) on, of one record id when given.
    func changes(since: String?, record: String?) throws -> [StoreChange]
    /// Many versions at once, read on one connection (a log's before and after images).
    func images(_ wanted: [StoreImageKey]) throws -> [StoreImageKey: StoreRow]
    /// The changes after the one numbered `seq`, oldest first.
    func changes(afterSeq seq: Int) throws -> [StoreChange]
    /// The changes one edit set made.
    func changes(editSet: Int) throws -> [StoreChange]
    /// The edit files these edit sets were made from, whole, by edit set number.
    func editSetTexts(_ ids: [Int]) throws -> [Int: String]
    /// The current rows of these records (those still there).
    func rows(_ layer: StoreLayer, ids: [String]) throws -> [StoreRow]
    /// Something derived from the records and kept to save work (the joins, the plausibility
    /// findings), if it is still true of the state after change `lastChange`: made then, or
    /// before with nothing it depends on changed since (`keptThrough`).
    func cached(_ key: String, validAt lastChange: Int, keptThrough: KeptThrough) throws -> [UInt8]?
    /// Keeps something derived from the state after change `lastChange`.
    func cache(_ key: String, _ body: [UInt8], lastChange: Int) throws
    /// Dates the import back to `at` (ISO 8601 UTC), for a synthetic history written after it
    /// (`spaceplan generate-history`); refused once the store has any change.
    func backdateImport(to at: String) throws
}

extension DistrictStore {
    /// A store that reads no layer straight into records opens on its whole snapshot.
    public func openingSnapshot() throws -> StoreSnapshot { try snapshot(before: nil) }
}

/// Which changes a kept result survives.
public enum KeptThrough: Sendable {
    /// The joins: a carrier's figures change no geometry.
    case carrierChanges
    /// The plausibility findings: any change can change them.
    case noChange

    /// The SQL that finds a change, after the result was kept and up to the state asked for,
    /// that the result depends on.
    var invalidatingChange: String {
        switch self {
        case .carrierChanges: return "layer <> 'carriers'"
        case .noChange: return "1 = 1"
        }
    }
}

extension DistrictStore {
    /// Kept joins: still true after changes to carriers only.
    public func cached(_ key: String, validAt lastChange: Int) throws -> [UInt8]? {
        try cached(key, validAt: lastChange, keptThrough: .carrierChanges)
    }
}

/// A snapshot's rows, by layer, in the order the records were first written.
public struct StoreSnapshot: Sendable {
    /// Every row of every layer; or, when `records` holds the largest layers, the rows of the
    /// others and, of the firms, only the tenants' (those with a `carrier_id`).
    public var rows: [String: [StoreRow]]
    public let meta: StoreMeta
    /// The number of the last change the snapshot holds (0: none since the import).
    public var lastChange: Int
    /// Parcels, buildings and firms read straight into records (a workspace's opening).
    public var records: StoreLayerRecords?

    public init(rows: [String: [StoreRow]], meta: StoreMeta, lastChange: Int, records: StoreLayerRecords? = nil) {
        self.rows = rows
        self.meta = meta
        self.lastChange = lastChange
        self.records = records
    }

    /// The documents by path (`config/policy.json`).
    public var documents: [String: Data] {
        var out: [String: Data] = [:]
        for row in rows[StoreLayer.documents.name] ?? [] { out[row.id] = Data(row["body"].bytes ?? []) }
        return out
    }
}

/// Reads current rows inside an edit's transaction.
public protocol StoreReader {
    func row(_ layer: StoreLayer, id: String) throws -> StoreRow?
    /// Every row of a layer, in the order written.
    func rows(_ layer: StoreLayer) throws -> [StoreRow]
    /// The rows of these records (those there).
    func rows(_ layer: StoreLayer, ids: [String]) throws -> [StoreRow]
    /// The ids of the rows whose `column` holds `value` (a carrier's tenants).
    func ids(_ layer: StoreLayer, where column: String, is value: String) throws -> [String]
    /// Everything, as a snapshot.
    func snapshot() throws -> StoreSnapshot
}

/// Who makes an edit set and why; `source` is the edit file; `edits` its text, kept whole.
public struct EditSession: Sendable {
    public let author: String
    public let reason: String
    public let source: String
    public let edits: String
    /// The database role the edit is written as (an operator's, on PostGIS): the database's
    /// row-level security then checks it again. Nil: the store's own role.
    public let databaseRole: String?
    /// When the edit set is recorded as made (ISO 8601 UTC) instead of now: only a synthetic
    /// history (`spaceplan generate-history`) sets it, never a person's edit.
    public let recordedAt: String?

    public init(author: String, reason: String, source: String, edits: String, databaseRole: String? = nil, recordedAt: String? = nil) {
        self.author = author; self.reason = reason; self.source = source; self.edits = edits; self.databaseRole = databaseRole
        self.recordedAt = recordedAt
    }
}

/// A record's version: which image of it to read.
public struct StoreImageKey: Hashable, Sendable {
    public let layer: String
    public let id: String
    public let version: Int
    public init(layer: String, id: String, version: Int) { self.layer = layer; self.id = id; self.version = version }
}

/// One change to one row, checked against the version the editor saw.
public enum RowOperation: Sendable {
    /// Sets some columns (and the shape, when `geometry` is given); `expected` is the version seen.
    case update(layer: StoreLayer, id: String, expected: Int?, set: [String: SQLiteValue], geometry: [UInt8]?? = nil)
    case insert(layer: StoreLayer, row: StoreRow)
    case delete(layer: StoreLayer, id: String, expected: Int?)

    public var layer: StoreLayer {
        switch self {
        case let .update(layer, _, _, _, _), let .insert(layer, _), let .delete(layer, _, _): return layer
        }
    }
}

/// A change as `store_changes` keeps it.
public struct StoreChange: Sendable, Equatable {
    public let seq: Int
    public let layer: String
    public let recordID: String
    public let version: Int
    /// insert, update or delete.
    public let change: String
    /// ISO 8601, UTC.
    public let at: String
    public let author: String
    public let reason: String?
    public let editSet: Int?
}

/// Edits refused because the records changed since the editor read them: each with its current
/// version and values, so the editor can redo the edit on what is there now.
public struct StoreConflict: Error, CustomStringConvertible, Sendable {
    public struct Stale: Sendable {
        public let layer: String
        public let id: String
        public let given: Int
        public let current: StoreRow?
    }
    public let stale: [Stale]
    public let store: String

    public var description: String {
        let lines = stale.map { s -> String in
            guard let row = s.current else {
                return "  - \(s.layer) \(s.id): the edit names version \(s.given), but the record is no longer in the store"
            }
            return "  - \(s.layer) \(s.id): the edit names version \(s.given), but the record is at version \(row.version) now; current values: "
                + StoreConflict.describe(row)
        }
        return "\(store): nothing was written: \(stale.count) edit\(stale.count == 1 ? " names a version that is" : "s name versions that are") no longer current:\n"
            + lines.joined(separator: "\n")
    }

    /// "floor_area_m2 3434, occupied_m2 3199, …" (the shape left out).
    static func describe(_ row: StoreRow) -> String {
        row.values.keys.sorted().filter { !["fid", "source_index", "version", "body"].contains($0) }.map { key in
            let value: String
            switch row[key] {
            case .null: value = "null"
            case let .integer(n): value = String(n)
            case let .real(x): value = formatJSONNumber(x)
            case let .text(s): value = "\"\(s)\""
            case let .blob(b): value = "<\(b.count) bytes>"
            }
            return "\(key) \(value)"
        }.joined(separator: ", ")
    }
}

// MARK: - Opening a store by name

/// A store named on the command line: a `.gpkg` path (embedded) or a `postgresql://` URL (shared).
public enum StoreName {
    public static func open(_ name: String, readReplica: String? = nil) throws -> any DistrictStore {
        if isShared(name) {
            return try PostGISStore(url: name, readReplica: readReplica)
        }
        if let readReplica { throw DataError(file: readReplica, problem: "a read replica serves a PostGIS store, not \(name)") }
        return try GeoPackageStore(path: try gpkgPath(name))
    }

    public static func isShared(_ name: String) -> Bool { name.hasPrefix("postgresql://") || name.hasPrefix("postgres://") }

    public static func gpkgPath(_ name: String) throws -> String {
        guard name.lowercased().hasSuffix(".gpkg") else {
            throw DataError(file: name, problem: "a store is a .gpkg file (embedded) or a postgresql:// URL (shared)")
        }
        return name
    }
}

// MARK: - Times

/// The UTC instants the store compares, from the district's calendar days.
public enum StoreClock {
    /// The first instant after the day `date` (YYYY-MM-DD) in `timeZone`, as the store writes times.
    public static func endOfDay(_ date: String, timeZone: String) throws -> String {
        try startOfDay(date, timeZone: timeZone, plusDays: 1)
    }

    public static func startOfDay(_ date: String, timeZone: String, plusDays: Int = 0) throws -> String {
        let parts = date.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2], date.count == 10,
            var calendar = Optional(Calendar(identifier: .gregorian)), let zone = TimeZone(identifier: timeZone)
        else { throw DataError(file: date, problem: "is not a date: write it YYYY-MM-DD, e.g. 2026-03-31") }
        calendar.timeZone = zone
        guard let day = calendar.date(from: DateComponents(year: y, month: m, day: d)),
            calendar.component(.month, from: day) == m, calendar.component(.day, from: day) == d,
            let next = calendar.date(byAdding: .day, value: plusDays, to: day)
        else { throw DataError(file: date, problem: "is not a day of the calendar") }
        return stamp(next)
    }

    public static func stamp(_ date: Date) -> String {
        // The store's own format (SQLite strftime('%Y-%m-%dT%H:%M:%fZ')): milliseconds, Z.
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return f.string(from: date)
    }

    public static var now: String { stamp(Date()) }

    /// A stored time as a date (nil if it is not one).
    public static func date(_ stamp: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return f.date(from: stamp)
    }

    /// A stored time in the district's zone, for people: "2026-12-06 21:05:03 +08:00".
    public static func local(_ stamp: String, timeZone: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        guard let date = f.date(from: stamp) else { return stamp }
        f.timeZone = TimeZone(identifier: timeZone)
        f.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        return f.string(from: date)
    }
}
