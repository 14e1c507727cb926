import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// The embedded store: one GeoPackage file. Its layers are ordinary feature tables (attribute
/// tables for carriers and documents), so QGIS opens the current state as it is; versions and
/// history are kept by triggers in the file (StoreTriggers). Writes are SQLite transactions with
/// a rollback journal: a writer killed half-way leaves the file as it was.
public final class GeoPackageStore: DistrictStore {
    public let path: String
    public var name: String { path }
    public var documentRoot: String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// Opens an existing store; a missing file or one spaceplan did not write is an error naming it.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(file: path, problem: "no such store: make one with `spaceplan store import --data DIR --store \(path)`")
        }
        self.path = path
        _ = try meta()
    }

    /// A connection; reads too open the file for writing when they may, because only a writable
    /// connection can roll back the journal a writer killed during its commit left behind.
    func connect(_ mode: SQLiteConnection.Mode = .readOnly, busyTimeoutMilliseconds: Int32 = 30_000) throws -> SQLiteConnection {
        let writable = mode == .readOnly && FileManager.default.isWritableFile(atPath: path) ? .readWrite : mode
        do {
            return try SQLiteConnection(path, mode: writable, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch let error as SQLiteError { throw DataError(file: path, problem: error.message) }
    }

    public func meta() throws -> StoreMeta {
        let db = try connect()
        return try meta(db)
    }

    func meta(_ db: SQLiteConnection, report: Bool = false) throws -> StoreMeta {
        var entries: [String: String] = [:]
        do {
            for row in try db.rows("SELECT key, value FROM store_meta" + (report ? "" : " WHERE key <> 'load_report'")) {
                entries[row[0].string ?? ""] = row[1].string
            }
        } catch { throw DataError(file: path, problem: "is not a spaceplan store (a GeoPackage without store_meta): \(error)") }
        return try StoreMeta(entries: entries, store: path)
    }

    // MARK: Import

    /// Writes a new store at `path` from a district read from its files, with its documents;
    /// the file appears whole or not at all (written beside it, then renamed over it).
    public static func create(
        at path: String, rows: [String: [StoreRow]], documents: [(String, Data)], meta: StoreMeta, cache: [(String, [UInt8])] = []
    ) throws {
        let entries = meta.entries
        let url = URL(fileURLWithPath: path)
        let staging = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).importing-\(getpid())").path
        removeAbandonedStaging(beside: url)
        defer { unlink(staging); unlink(staging + "-journal") }
        let srs = meta.workingCRS.projCode
        do {
            try GeoPackageWriter.createEmpty(at: staging, srsIDs: [srs])
            let db = try SQLiteConnection(staging, mode: .readWrite)
            try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            try db.execute("BEGIN")
            try db.execute(StoreTriggers.storeTables)
            for layer in StoreLayer.layers { try createTable(layer, srs: srs, rows: rows[layer.name] ?? [], into: db) }
            let insert = try db.prepared("INSERT INTO store_documents (id, body, source_index, version) VALUES (?, ?, ?, 1)")
            for (k, (name, body)) in documents.enumerated() { try insert.run([.text(name), .blob([UInt8](body)), .integer(Int64(k))]) }
            try register(StoreLayer.documents, srs: nil, into: db)
            for (key, body) in cache { try db.rows("INSERT INTO store_cache VALUES (?, 0, ?)", [.text(key), .blob(body)]) }
            let meta = try db.prepared("INSERT INTO store_meta VALUES (?, ?)")
            for (key, value) in entries { try meta.run([.text(key), .text(value)]) }
            for layer in StoreLayer.versioned {
                try db.execute(StoreTriggers.historyTable(layer))
                for trigger in StoreTriggers.triggers(layer) { try db.execute(trigger) }
            }
            try db.execute("COMMIT")
            try db.execute("PRAGMA journal_mode = DELETE")
        } catch let error as SQLiteError {
            throw DataError(file: path, problem: "cannot write the store: \(error.message)")
        }
        try syncFile(staging)
        // A store imported over: its own journal (a writer killed during its commit) is rolled
        // back first, and the store held under an exclusive lock while the new file takes its
        // place, so no journal of the old file is ever replayed into the new one.
        var old = FileManager.default.fileExists(atPath: path) ? try? SQLiteConnection(path, mode: .readWrite) : nil
        do { try old?.execute("BEGIN EXCLUSIVE") } catch let error as SQLiteError {
            if error.busy { throw DataError(file: path, problem: "cannot replace the store while it is in use: \(error.message)") }
            old = nil  // not a SQLite file: nothing of it can be replayed
        }
        guard rename(staging, path) == 0 else {
            try? old?.execute("ROLLBACK")
            throw DataError(file: path, problem: "cannot put the store in place: \(String(cString: strerror(errno)))")
        }
        try? old?.execute("ROLLBACK")
        try syncFile(url.deletingLastPathComponent().path)
    }

    /// The staging files of imports that were killed (their process is gone), removed.
    static func removeAbandonedStaging(beside url: URL) {
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).importing-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(prefix) {
            let pidText = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(pidText), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    static func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        fsync(fd)
    }

    static func quoted(_ name: String) -> String { StoreTriggers.quoted(name) }

    /// A layer's table, its rows, its R-tree and its registration.
    static func createTable(_ layer: StoreLayer, srs: Int, rows: [StoreRow], into db: SQLiteConnection) throws {
        let t = quoted(layer.name)
        let typeName = layer.geometry.geoPackageName
        let columns = layer.columns.map { "\(quoted($0.name)) \($0.type.rawValue)" }
        try db.execute(
            "CREATE TABLE \(t) (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL" + (layer.hasGeometry ? ", geom \(typeName)" : "")
                + columns.map { ", " + $0 }.joined() + ")")
        try db.execute("CREATE UNIQUE INDEX \(quoted(layer.name + "_id")) ON \(t) (id)")
        let names = (layer.hasGeometry ? ["geom"] : []) + layer.columns.map(\.name)
        let insert = try db.prepared(
            "INSERT INTO \(t) (\(names.map(quoted).joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))")
        for row in rows {
            try insert.run((layer.hasGeometry ? [row.geometry.map { .blob($0) } ?? .null] : []) + layer.columns.map { row[$0.name] })
        }
        if !layer.hasGeometry { try register(layer, srs: nil, into: db) }
        if layer.hasGeometry {
            let r = quoted("rtree_\(layer.name)_geom")
            try db.execute("CREATE VIRTUAL TABLE \(r) USING rtree(id, minx, maxx, miny, maxy)")
            try db.execute(
                "INSERT INTO \(r) SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) FROM \(t) WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)"
            )
            try register(layer, srs: srs, into: db)
            for trigger in GeoPackageWriter.rtreeTriggers(table: layer.name) { try db.execute(trigger) }
            try db.execute(
                "INSERT INTO gpkg_extensions VALUES ('\(layer.name)', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')"
            )
            try db.execute(
                "INSERT INTO gpkg_geometry_columns VALUES ('\(layer.name)', 'geom', '\(typeName)', \(srs), 0, 0)")
        }
    }

    /// The table's row in gpkg_contents: features with their extent, or attributes.
    static func register(_ layer: StoreLayer, srs: Int?, into db: SQLiteConnection) throws {
        let box: [SQLiteValue] =
            layer.hasGeometry
            ? try db.rows("SELECT min(minx), min(miny), max(maxx), max(maxy) FROM \(quoted("rtree_\(layer.name)_geom"))").first ?? []
            : [.null, .null, .null, .null]
        try db.rows(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(layer.name), .text(srs == nil ? "attributes" : "features"), .text(layer.name), .text("spaceplan store: \(layer.name)")]
                + box + [srs.map { .integer(Int64($0)) } ?? .null])
    }

    // MARK: Reading

    static func selectColumns(_ layer: StoreLayer) -> [String] {
        ["fid"] + (layer.hasGeometry ? ["geom"] : []) + layer.columns.map(\.name)
    }

    /// The names of a row's cells as read: fid, then the layer's columns.
    static func rowColumns(_ layer: StoreLayer) -> StoreColumns { StoreColumns(["fid"] + layer.columns.map(\.name)) }

    func rows(_ layer: StoreLayer, _ db: SQLiteConnection, where clause: String = "", _ values: [SQLiteValue] = [], history: Bool = false)
        throws -> [StoreRow]
    {
        let table = Self.quoted(layer.name + (history ? "_history" : ""))
        let columns = Self.selectColumns(layer).map(Self.quoted).joined(separator: ", ")
        var out: [StoreRow] = []
        let names = Self.rowColumns(layer), sql = "SELECT \(columns) FROM \(table) \(clause)"
        guard layer.hasGeometry else {
            try db.each(sql, values) { out.append(StoreRow(columns: names, cells: $0)) }
            return out
        }
        // The geometry is the second column selected.
        try db.each(sql, values, blobAt: 1) { out.append(StoreRow(columns: names, cells: $0, geometry: $1.flatMap { $0.isEmpty ? nil : $0 })) }
        return out
    }

    public func snapshot(before cutoff: String?) throws -> StoreSnapshot { try snapshot(before: cutoff, atChange: nil) }

    public func wholeSnapshot(atChange seq: Int) throws -> StoreSnapshot { try snapshot(before: nil, atChange: seq) }

    /// The state before `cutoff`, or after change `seq` (the later changes undone in the same transaction).
    func snapshot(before cutoff: String?, atChange seq: Int?) throws -> StoreSnapshot {
        let db = try connect()
        try db.execute("BEGIN")  // one consistent read of every table
        defer { try? db.execute("COMMIT") }
        // The first read takes a shared lock: no writer commits until this read ends, so a
        // second reader sees the same state (checked by the last change all the same).
        let last = try lastChange(db)
        let second = try? alongside(lastChange: last)
        let third = second == nil ? nil : try? alongside(lastChange: last)
        defer {
            try? second?.execute("COMMIT")
            try? third?.execute("COMMIT")
        }
        var snapshot = try self.snapshot(db, before: cutoff, alongside: second, third)
        if let seq, snapshot.lastChange > seq {
            do { try rewind(&snapshot.rows, db, undoing: "seq > ?", .integer(Int64(seq))) } catch let error as SQLiteError {
                throw DataError(file: path, problem: error.message)
            }
            snapshot.lastChange = seq
        }
        return snapshot
    }

    /// The current state with parcels, buildings and firms read straight into records, each
    /// table in two halves side by side (on a second connection to the same state), and only
    /// the tenants' rows of the firms; the whole rows when a record cannot be made, so that
    /// reading them names every problem.
    public func openingSnapshot() throws -> StoreSnapshot {
        let db = try connect()
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        let last = try lastChange(db)
        let second = try? alongside(lastChange: last)
        defer { try? second?.execute("COMMIT") }
        let meta = try meta(db, report: true)
        do {
            guard let (records, tenants) = try StoreLayerRecords.read(InPlaceReader(store: self, db: db, second: second), crs: meta.workingCRS) else {
                return try snapshot(db, before: nil, alongside: second)
            }
            let rows = try StoreLayerRecords.keptRows(tenants: tenants) { try self.rows($0, db, where: $1) }
            return StoreSnapshot(rows: rows, meta: meta, lastChange: try lastChange(db), records: records)
        } catch let error as SQLiteError { throw DataError(file: path, problem: error.message) }
    }

    /// A layer's records made from its rows in place, in fid order, straight into one array:
    /// its two halves by fid side by side when there is a second connection.
    func records<T>(_ layer: StoreLayer, _ db: SQLiteConnection, _ second: SQLiteConnection?, _ make: @escaping (InPlaceCells<SQLiteRowInPlace>) throws -> T) throws -> [T] {
        let names = Self.selectColumns(layer), table = Self.quoted(layer.name)
        let columns = StoreColumns(names), geometryAt = layer.hasGeometry ? 1 : nil
        let sql = "SELECT \(names.map(Self.quoted).joined(separator: ", ")) FROM \(table) "
        func read(_ db: SQLiteConnection, _ clause: String, _ values: [SQLiteValue], _ emit: (T) throws -> Void) throws {
            let lists = ListMemo()
            try db.eachInPlace(sql + clause, values) {
                try emit(try make(InPlaceCells(row: $0, columns: columns, geometryAt: geometryAt, lists: lists)))
            }
        }
        func count(_ clause: String, _ values: [SQLiteValue]) throws -> Int {
            try db.rows("SELECT count(*) FROM \(table) \(clause)", values).first?.first?.int ?? 0
        }
        guard let second, let fids = try fids(layer, db) else {
            var out: [T] = []
            out.reserveCapacity(try count("", []))
            try read(db, "ORDER BY fid", []) { out.append($0) }
            return out
        }
        let middle = (fids.first + fids.last) / 2, half: [SQLiteValue] = [.integer(Int64(middle))]
        // Fids without gaps (as imported) count themselves; otherwise SQLite counts the rows.
        let low = fids.count == fids.last - fids.first + 1 ? middle - fids.first + 1 : try count("WHERE fid <= ?", half)
        let counts = [low, fids.count - low]
        return try ParallelMap.filled(counts: counts) { part, emit in
            try part == 0 ? read(db, "WHERE fid <= ? ORDER BY fid", half, emit) : read(second, "WHERE fid > ? ORDER BY fid", half, emit)
        }
    }

    /// A table's first and last fid and its number of rows, nil when it is empty. Each is its
    /// own query: SQLite finds a lone min() or max() at the ends of the table, but scans it
    /// for `min(fid) + max(fid)` (0.2 s for 1.5 million firms).
    func fids(_ layer: StoreLayer, _ db: SQLiteConnection) throws -> (first: Int, last: Int, count: Int)? {
        let table = Self.quoted(layer.name)
        guard let first = try db.rows("SELECT min(fid) FROM \(table)").first?.first?.int,
            let last = try db.rows("SELECT max(fid) FROM \(table)").first?.first?.int,
            let count = try db.rows("SELECT count(*) FROM \(table)").first?.first?.int
        else { return nil }
        return (first, last, count)
    }

    struct InPlaceReader: InPlaceRecordReader {
        let store: GeoPackageStore
        let db: SQLiteConnection
        let second: SQLiteConnection?
        func records<T>(_ layer: StoreLayer, _ make: @escaping (InPlaceCells<SQLiteRowInPlace>) throws -> T) throws -> [T] { try store.records(layer, db, second, make) }
    }

    /// A second reader on the state `db` reads. A writer already waiting for the file keeps new
    /// readers out: then there is none (no wait), and the layers are read one after another.
    func alongside(lastChange last: Int) throws -> SQLiteConnection {
        let second = try connect(busyTimeoutMilliseconds: 0)
        try second.execute("BEGIN")
        guard try lastChange(second) == last else {
            try? second.execute("COMMIT")
            throw DataError(file: path, problem: "changed between two reads")
        }
        return second
    }

    func lastChange(_ db: SQLiteConnection) throws -> Int {
        try db.rows("SELECT coalesce(max(seq), 0) FROM store_changes").first?.first?.int ?? 0
    }

    /// The district's rows. With a second connection on the same state, the firms (the longest
    /// table) are read on it while the other layers are read on `db`; with a third, the firms
    /// are read in two halves by fid, one on each (the firms alone take longer than the rest).
    func snapshot(_ db: SQLiteConnection, before cutoff: String?, alongside second: SQLiteConnection? = nil, _ third: SQLiteConnection? = nil)
        throws -> StoreSnapshot
    {
        let meta = try meta(db, report: true)
        var rows: [String: [StoreRow]] = [:]
        do {
            if let second {
                rows = try StoreLayer.rowsSideBySide(
                    firms: { layer in
                        let whole = { try self.rows(layer, second, where: "ORDER BY fid") }
                        guard let third else { return try whole() }
                        let middle = try self.fids(layer, second).map { ($0.first + $0.last) / 2 }
                        return try StoreLayer.inHalves(
                            middle: middle, whole: whole,
                            low: { try self.rows(layer, second, where: "WHERE fid <= ? ORDER BY fid", [.integer(Int64($0))]) },
                            high: { try self.rows(layer, third, where: "WHERE fid > ? ORDER BY fid", [.integer(Int64($0))]) })
                    }, others: { try self.rows($0, db, where: "ORDER BY fid") })
            } else {
                for layer in StoreLayer.versioned { rows[layer.name] = try self.rows(layer, db, where: "ORDER BY fid") }
            }
            if let cutoff {
                guard cutoff > meta.importedAt else {
                    throw DataError(
                        file: path,
                        problem:
                            "holds nothing before \(StoreClock.local(meta.importedAt, timeZone: meta.timeZone)), when it was imported: give a later --as-of-date"
                    )
                }
                try rewind(&rows, db, undoing: "at >= ?", .text(cutoff))
            }
        } catch let error as SQLiteError { throw DataError(file: path, problem: error.message) }
        return StoreSnapshot(rows: rows, meta: meta, lastChange: try lastChange(db))
    }

    /// The district with the changes `condition` picks (with `value` bound) undone, newest
    /// first, from the history (StoreRewind): as it stood before a time, or after a change.
    func rewind(_ rows: inout [String: [StoreRow]], _ db: SQLiteConnection, undoing condition: String, _ value: SQLiteValue) throws {
        let changes = try db.rows("SELECT layer, record_id, version, change FROM store_changes WHERE \(condition) ORDER BY seq", [value]).map {
            (layer: $0[0].string ?? "", id: $0[1].string ?? "", version: $0[2].int ?? 0, change: $0[3].string ?? "")
        }
        try StoreRewind.rewind(&rows, changes: changes) { layer, id, version in
            try self.rows(layer, db, where: "WHERE id = ? AND version = ?", [.text(id), .integer(Int64(version))], history: true).first
        }
    }

    public func images(_ wanted: [StoreImageKey]) throws -> [StoreImageKey: StoreRow] {
        let db = try connect()
        var out: [StoreImageKey: StoreRow] = [:]
        for key in Set(wanted) {
            guard let layer = StoreLayer.named(key.layer) else { continue }
            let values: [SQLiteValue] = [.text(key.id), .integer(Int64(key.version))]
            out[key] = try rows(layer, db, where: "WHERE id = ? AND version = ?", values).first
                ?? rows(layer, db, where: "WHERE id = ? AND version = ?", values, history: true).first
        }
        return out
    }

    public func changes(since: String?, record: String?) throws -> [StoreChange] {
        try changes(since: since, record: record, afterSeq: nil)
    }

    public func changes(afterSeq seq: Int) throws -> [StoreChange] { try changes(since: nil, record: nil, afterSeq: seq) }

    public func changes(editSet: Int) throws -> [StoreChange] { try changes(since: nil, record: nil, afterSeq: nil, editSet: editSet) }

    public func editSetTexts(_ ids: [Int]) throws -> [Int: String] {
        let db = try connect()
        var out: [Int: String] = [:]
        for id in Set(ids) {
            out[id] = try db.rows("SELECT edits FROM store_edit_sets WHERE id = ?", [.integer(Int64(id))]).first?.first?.string
        }
        return out
    }

    public func cached(_ key: String, validAt lastChange: Int, keptThrough: KeptThrough) throws -> [UInt8]? {
        let db = try connect()
        // A store without the table (written before it was added) has nothing cached.
        guard let row = try? db.rows("SELECT last_change, body FROM store_cache WHERE key = ?", [.text(key)]).first,
            let made = row[0].int, made <= lastChange
        else { return nil }
        let since = try db.rows(
            "SELECT count(*) FROM store_changes WHERE seq > ? AND seq <= ? AND \(keptThrough.invalidatingChange)",
            [.integer(Int64(made)), .integer(Int64(lastChange))])
        return since.first?.first?.int == 0 ? row[1].bytes : nil
    }

    public func cache(_ key: String, _ body: [UInt8], lastChange: Int) throws {
        let db = try connect(.readWrite)
        try db.rows(
            "INSERT OR REPLACE INTO store_cache (key, last_change, body) VALUES (?, ?, ?)", [.text(key), .integer(Int64(lastChange)), .blob(body)])
    }

    public func rows(_ layer: StoreLayer, ids: [String]) throws -> [StoreRow] {
        let db = try connect()
        return try ids.compactMap { try rows(layer, db, where: "WHERE id = ?", [.text($0)]).first }
    }

    func changes(since: String?, record: String?, afterSeq seq: Int?, editSet: Int? = nil) throws -> [StoreChange] {
        let db = try connect()
        var clauses: [String] = [], values: [SQLiteValue] = []
        if let editSet { clauses.append("edit_set = ?"); values.append(.integer(Int64(editSet))) }
        if let since { clauses.append("at >= ?"); values.append(.text(since)) }
        if let record { clauses.append("record_id = ?"); values.append(.text(record)) }
        if let seq { clauses.append("seq > ?"); values.append(.integer(Int64(seq))) }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try db.rows("SELECT seq, layer, record_id, version, change, at, author, reason, edit_set FROM store_changes \(filter) ORDER BY seq", values)
            .map {
                StoreChange(
                    seq: $0[0].int ?? 0, layer: $0[1].string ?? "", recordID: $0[2].string ?? "", version: $0[3].int ?? 0, change: $0[4].string ?? "",
                    at: $0[5].string ?? "", author: $0[6].string ?? "", reason: $0[7].string, editSet: $0[8].int)
            }
    }

    // MARK: Edits

    final class Reader: StoreReader {
        let store: GeoPackageStore
        let db: SQLiteConnection
        init(_ store: GeoPackageStore, _ db: SQLiteConnection) { self.store = store; self.db = db }
        func row(_ layer: StoreLayer, id: String) throws -> StoreRow? {
            try store.rows(layer, db, where: "WHERE id = ?", [.text(id)]).first
        }
        func rows(_ layer: StoreLayer) throws -> [StoreRow] { try store.rows(layer, db, where: "ORDER BY fid") }
        func rows(_ layer: StoreLayer, ids: [String]) throws -> [StoreRow] { try ids.compactMap { try row(layer, id: $0) } }
        func ids(_ layer: StoreLayer, where column: String, is value: String) throws -> [String] {
            try db.rows("SELECT id FROM \(GeoPackageStore.quoted(layer.name)) WHERE \(GeoPackageStore.quoted(column)) = ? ORDER BY fid", [.text(value)])
                .compactMap { $0[0].string }
        }
        func snapshot() throws -> StoreSnapshot { try store.snapshot(db, before: nil) }
    }

    public func apply(session: EditSession, plan: (StoreReader) throws -> [RowOperation], validate: (StoreReader) throws -> Void) throws -> Int {
        let db = try connect(.readWrite)
        do {
            // IMMEDIATE: the write lock from the start, so the versions read are the ones written over.
            try db.execute("BEGIN IMMEDIATE")
        } catch let error as SQLiteError { throw DataError(file: path, problem: "cannot start the edit: \(error.message)") }
        var committed = false
        defer { if !committed { try? db.execute("ROLLBACK") } }
        do {
            let operations = try plan(Reader(self, db))
            try db.rows(
                "INSERT INTO store_edit_sets (at, author, reason, source, edits) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, ?, ?, ?)",
                [.text(session.author), .text(session.reason), .text(session.source), .text(session.edits)])
            let editSet = try db.rows("SELECT last_insert_rowid()").first?.first?.int ?? 0
            try db.rows("INSERT INTO store_session VALUES (?, ?, ?)", [.text(session.author), .text(session.reason), .integer(Int64(editSet))])
            let historyBefore = try session.recordedAt == nil ? [:] : historyRowids(db)
            var stale: [StoreConflict.Stale] = []
            for operation in operations { try run(operation, db, stale: &stale) }
            if !stale.isEmpty { throw StoreConflict(stale: stale, store: path) }
            if let at = session.recordedAt { try backdate(editSet: editSet, to: at, historyAfter: historyBefore, db) }
            try db.execute("DELETE FROM store_session")
            try validate(Reader(self, db))
            try db.execute("COMMIT")
            committed = true
            return editSet
        } catch let error as SQLiteError { throw DataError(file: path, problem: "the edit failed and nothing was written: \(error.message)") }
    }

    /// The last history row of each layer, before an edit set writes its own.
    func historyRowids(_ db: SQLiteConnection) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for layer in StoreLayer.versioned {
            out[layer.name] = try db.rows("SELECT coalesce(max(rowid), 0) FROM \(Self.quoted(layer.name + "_history"))").first?.first?.int ?? 0
        }
        return out
    }

    /// A synthetic edit set's times: its log rows, the images it superseded, and the set itself.
    func backdate(editSet: Int, to at: String, historyAfter: [String: Int], _ db: SQLiteConnection) throws {
        try db.rows("UPDATE store_changes SET at = ? WHERE edit_set = ?", [.text(at), .integer(Int64(editSet))])
        try db.rows("UPDATE store_edit_sets SET at = ? WHERE id = ?", [.text(at), .integer(Int64(editSet))])
        for (layer, rowid) in historyAfter {
            try db.rows("UPDATE \(Self.quoted(layer + "_history")) SET superseded_at = ? WHERE rowid > ?", [.text(at), .integer(Int64(rowid))])
        }
    }

    public func backdateImport(to at: String) throws {
        let db = try connect(.readWrite)
        do {
            try db.execute("BEGIN IMMEDIATE")
            var committed = false
            defer { if !committed { try? db.execute("ROLLBACK") } }
            guard try db.rows("SELECT count(*) FROM store_changes").first?.first?.int == 0 else {
                throw DataError(file: path, problem: "has changes since its import: a synthetic history is written only on a store just imported")
            }
            try db.rows("UPDATE store_meta SET value = ? WHERE key = 'imported_at'", [.text(at)])
            try db.execute("COMMIT")
            committed = true
        } catch let error as SQLiteError { throw DataError(file: path, problem: error.message) }
    }

    func run(_ operation: RowOperation, _ db: SQLiteConnection, stale: inout [StoreConflict.Stale]) throws {
        let layer = operation.layer, t = Self.quoted(layer.name)
        func current(_ id: String) throws -> StoreRow? { try rows(layer, db, where: "WHERE id = ?", [.text(id)]).first }
        switch operation {
        case let .update(_, id, expected, set, geometry):
            guard let row = try current(id) else {
                throw DataError(file: path, recordID: id, problem: "\(layer.name) has no record \(id)")
            }
            if let expected, expected != row.version {
                stale.append(.init(layer: layer.name, id: id, given: expected, current: row))
                return
            }
            var names = set.keys.sorted(), values = names.map { set[$0]! }
            if let geometry {
                names.append("geom")
                values.append(geometry.map { .blob($0) } ?? .null)
            }
            guard !names.isEmpty else { return }
            try db.rows(
                "UPDATE \(t) SET \(names.map { "\(Self.quoted($0)) = ?" }.joined(separator: ", ")) WHERE id = ?", values + [.text(id)])
        case let .insert(_, row):
            if let existing = try current(row.id) {
                throw DataError(file: path, recordID: row.id, problem: "\(layer.name) already has a record \(row.id) (version \(existing.version))")
            }
            let names = (layer.hasGeometry ? ["geom"] : []) + layer.columns.map(\.name).filter { $0 != "version" }
            let values = (layer.hasGeometry ? [row.geometry.map { SQLiteValue.blob($0) } ?? .null] : []) + layer.columns.map(\.name).filter {
                $0 != "version"
            }.map { row[$0] }
            try db.rows(
                "INSERT INTO \(t) (\(names.map(Self.quoted).joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                values)
        case let .delete(_, id, expected):
            guard let row = try current(id) else {
                throw DataError(file: path, recordID: id, problem: "\(layer.name) has no record \(id)")
            }
            if let expected, expected != row.version {
                stale.append(.init(layer: layer.name, id: id, given: expected, current: row))
                return
            }
            try db.rows("DELETE FROM \(t) WHERE id = ?", [.text(id)])
        }
    }
}
