import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// The shared store: one schema of a PostgreSQL 15 + PostGIS 3 database per district (so a
/// city's districts share one database), named `postgresql://user@host:port/db?schema=NAME`
/// (schema `district` when not given). The layers are PostGIS tables in the working CRS with
/// GiST indexes, which QGIS, ogr2ogr and GeoPandas read as they are; versions and history are
/// kept by PL/pgSQL triggers (PostGISSchema), so an edit made in QGIS or psql is kept like one
/// made through spaceplan. Edits run in one transaction each, rows locked as they are read.
public final class PostGISStore: DistrictStore {
    public let url: String
    public let conninfo: String
    public let schema: String
    public var name: String { url }
    public var documentRoot: String {
        let database = URLComponents(string: url)?.path.split(separator: "/").first.map(String.init) ?? "postgres"
        return "/postgis/\(database)/\(schema)"
    }

    public static let defaultSchema = "district"

    /// The connection string without `schema=`, and the schema.
    static func parse(_ url: String) throws -> (conninfo: String, schema: String) {
        guard var parts = URLComponents(string: url) else { throw DataError(file: url, problem: "is not a postgresql:// URL") }
        let schema = parts.queryItems?.first { $0.name == "schema" }?.value ?? defaultSchema
        parts.queryItems = parts.queryItems?.filter { $0.name != "schema" }
        if parts.queryItems?.isEmpty == true { parts.queryItems = nil }
        guard !schema.isEmpty, schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !schema.first!.isNumber else {
            throw DataError(file: url, problem: "schema=\(schema): a schema name is letters, digits and _, not starting with a digit")
        }
        return (parts.string ?? url, schema.lowercased())
    }

    /// A streaming replica of the same database that answers this store's reads of the district
    /// (snapshots, changes, rows), so the primary serves the edits; nil: the primary answers all.
    public let replicaConninfo: String?

    public init(url: String, readReplica: String? = nil) throws {
        self.url = url
        (conninfo, schema) = try Self.parse(url)
        replicaConninfo = try readReplica.map { try Self.parse($0).conninfo }
        _ = try meta()
    }

    /// A connection to the primary, or for `reading` to the replica when there is one.
    func connect(reading: Bool = false) throws -> PostgresConnection {
        do {
            let db = try PostgresConnection(reading ? replicaConninfo ?? conninfo : conninfo)
            try db.execute("SET search_path = \(PostgresConnection.identifier(schema)), public; SET extra_float_digits = 1; SET TIME ZONE 'UTC'; SET client_min_messages = warning")
            return db
        } catch let error as PostgresError { throw DataError(file: url, problem: "cannot connect: \(error.message)") }
    }

    func failure(_ error: PostgresError, _ doing: String) -> DataError {
        DataError(file: url, problem: "\(doing): \(error.message)" + (error.connectionLost ? " (the connection was lost: nothing was written)" : ""))
    }

    /// A connection that hears of every committed change to this district (`pg_notify` from the
    /// triggers); `wait` returns true when one came within the time given.
    public final class ChangeListener: @unchecked Sendable {  // safe: used by one thread at a time
        let db: PostgresConnection
        let schema: String
        init(_ db: PostgresConnection, schema: String) { self.db = db; self.schema = schema }
        public func wait(seconds: Double) throws -> Bool { try db.notifications(waiting: seconds).contains(schema) }
    }

    public func changeListener() throws -> ChangeListener {
        let db = try connect()
        do { try db.execute("LISTEN \(PostGISSchema.changesChannel)") } catch let error as PostgresError { throw failure(error, "cannot listen for changes") }
        return ChangeListener(db, schema: schema)
    }

    public func meta() throws -> StoreMeta {
        let db = try connect(reading: true)
        return try meta(db)
    }

    func meta(_ db: PostgresConnection, report: Bool = false) throws -> StoreMeta {
        var entries: [String: String] = [:]
        do {
            for row in try db.rows("SELECT key, value FROM store_meta" + (report ? "" : " WHERE key <> 'load_report'")) { entries[row[0] ?? ""] = row[1] }
        } catch let error as PostgresError {
            throw DataError(
                file: url,
                problem: "holds no spaceplan store in schema \(schema) (\(error.message)): make one with `spaceplan store import --data DIR --store \(url)`")
        }
        return try StoreMeta(entries: entries, store: url)
    }

    // MARK: Import

    /// Writes the district into a new schema in one transaction: a store killed half-way is not
    /// there at all, and one imported over (`replace`) is the old one until the commit.
    public static func create(
        url: String, rows: [String: [StoreRow]], documents: [(String, Data)], meta: StoreMeta, replace: Bool, cache: [(String, [UInt8])] = []
    ) throws {
        let (conninfo, schema) = try parse(url)
        let db: PostgresConnection
        do { db = try PostgresConnection(conninfo) } catch let error as PostgresError { throw DataError(file: url, problem: "cannot connect: \(error.message)") }
        let s = PostgresConnection.identifier(schema)
        do {
            let exists = try db.rows("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]).count == 1
            if exists, !replace {
                throw DataError(file: url, problem: "schema \(schema) already exists: give --replace to import over it (its history then starts again)")
            }
            if try db.rows("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").isEmpty {
                do { try db.execute("CREATE EXTENSION postgis") } catch let error as PostgresError {
                    throw DataError(file: url, problem: "PostGIS is not installed in this database and cannot be: \(error.message)")
                }
            }
            try db.execute("BEGIN; SET LOCAL extra_float_digits = 1; SET LOCAL TIME ZONE 'UTC'; SET LOCAL client_min_messages = warning")
            if exists { try db.execute("DROP SCHEMA \(s) CASCADE") }
            try db.execute("CREATE SCHEMA \(s); SET LOCAL search_path = \(s), public")
            try db.execute(PostGISSchema.storeTables)
            let srid = meta.workingCRS.projCode
            for layer in StoreLayer.layers {
                try db.execute(PostGISSchema.table(layer, srid: srid))
                try copy(rows[layer.name] ?? [], into: layer, srid: srid, db)
                try db.execute(PostGISSchema.indexes(layer))
            }
            try db.execute(PostGISSchema.table(StoreLayer.documents, srid: srid))
            try copy(
                documents.enumerated().map { k, doc in
                    StoreRow(values: ["id": .text(doc.0), "body": .blob([UInt8](doc.1)), "source_index": .integer(Int64(k)), "version": .integer(1)])
                }, into: .documents, srid: srid, db)
            try db.execute(PostGISSchema.indexes(.documents))
            for (key, value) in meta.entries { try db.rows("INSERT INTO store_meta VALUES ($1, $2)", [key, value]) }
            for (key, body) in cache { try db.rows("INSERT INTO store_cache VALUES ($1, 0, $2::bytea)", [key, text(.blob(body))]) }
            try db.execute(PostGISSchema.functions(schema: schema))
            for layer in StoreLayer.versioned {
                try db.execute(PostGISSchema.history(layer))
                try db.execute(PostGISSchema.triggers(layer))
            }
            // Statistics for the planner, of this schema's tables only: a bare ANALYZE would lock
            // every table of the database, and two districts imported at once would deadlock.
            let tables = StoreLayer.versioned.flatMap { [$0.name, $0.name + "_history"] } + ["store_changes", "store_meta", "store_edit_sets"]
            try db.execute("ANALYZE " + tables.map { "\(s).\(PostgresConnection.identifier($0))" }.joined(separator: ", ") + "; COMMIT")
        } catch let error as PostgresError {
            try? db.execute("ROLLBACK")
            throw DataError(file: url, problem: "cannot write the store: \(error.message)")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// One layer's rows through COPY: text values as stored, shapes as hex EWKB, bodies as hex bytea.
    static func copy(_ rows: [StoreRow], into layer: StoreLayer, srid: Int, _ db: PostgresConnection) throws {
        let columns = (layer.hasGeometry ? ["geom"] : []) + layer.columns.map(\.name)
        try db.copy("COPY \(PostgresConnection.identifier(layer.name)) (\(columns.map(PostgresConnection.identifier).joined(separator: ", "))) FROM STDIN") {
            write in
            for row in rows {
                var cells: [String] = []
                if layer.hasGeometry {
                    let shape = try row.geometry.map { try GeoPackageBlob.decode($0) }
                    cells.append(shape.map { HexBytes.encode(GeoPackageBlob.ewkb($0, srid: srid)) } ?? "\\N")
                }
                for column in layer.columns { cells.append(PostgresConnection.copyText(text(row[column.name]))) }
                try write(cells.joined(separator: "\t"))
            }
        }
    }

    /// A value as PostgreSQL reads it in text: numbers in their shortest exact form, bytes as hex bytea.
    static func text(_ value: SQLiteValue) -> String? {
        switch value {
        case .null: return nil
        case let .integer(n): return String(n)
        case let .real(x): return "\(x)"
        case let .text(s): return s
        case let .blob(b): return "\\x" + HexBytes.encode(b)
        }
    }

    // MARK: Reading

    /// The shape as the geometry's own binary form (EWKB, with its SRID): cheaper for the server
    /// to make than `ST_AsBinary`'s WKB, and read the same way.
    static func selectList(_ layer: StoreLayer) -> String {
        (["fid"] + (layer.hasGeometry ? ["geom"] : []) + layer.columns.map { PostgresConnection.identifier($0.name) })
            .joined(separator: ", ")
    }

    /// A row from binary cells: fid, the shape's EWKB (kept as it is: GeoPackageBlob.decode reads
    /// it), then the layer's columns.
    func row(_ layer: StoreLayer, binary values: [PostgresConnection.Cell], columns: StoreColumns) -> StoreRow {
        func value(_ cell: PostgresConnection.Cell) -> SQLiteValue { cell.value }
        var cells: [SQLiteValue] = [value(values[0])]
        cells.reserveCapacity(layer.columns.count + 1)
        var geometry: [UInt8]?
        var next = 1
        if layer.hasGeometry {
            if case let .bytes(wkb) = values[1], !wkb.isEmpty { geometry = wkb }
            next = 2
        }
        for cell in values[next...] { cells.append(value(cell)) }
        return StoreRow(columns: columns, cells: cells, geometry: geometry)
    }

    func rows(_ layer: StoreLayer, _ db: PostgresConnection, where clause: String = "", _ parameters: [String?] = [], history: Bool = false, srid: Int)
        throws -> [StoreRow]
    {
        let table = PostgresConnection.identifier(layer.name + (history ? "_history" : ""))
        let columns = GeoPackageStore.rowColumns(layer)
        return try db.binaryRows("SELECT \(Self.selectList(layer)) FROM \(table) \(clause)", parameters).map {
            row(layer, binary: $0, columns: columns)
        }
    }

    public func snapshot(before cutoff: String?) throws -> StoreSnapshot { try snapshot(before: cutoff, atChange: nil) }

    /// The state before `cutoff`, or after change `seq` (the later changes undone in the same transaction).
    func snapshot(before cutoff: String?, atChange seq: Int?) throws -> StoreSnapshot {
        let db = try connect(reading: true)
        do {
            try db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { try? db.execute("COMMIT") }
            let second = try? alongside(db)
            let third = second == nil ? nil : try? alongside(db)
            defer {
                try? second?.execute("COMMIT")
                try? third?.execute("COMMIT")
            }
            var snapshot = try self.snapshot(db, before: cutoff, alongside: second, third)
            if let seq, snapshot.lastChange > seq {
                try rewind(&snapshot.rows, db, srid: snapshot.meta.workingCRS.projCode, undoing: "seq > $1", String(seq))
                snapshot.lastChange = seq
            }
            return snapshot
        } catch let error as PostgresError { throw failure(error, "cannot read the store") }
    }

    /// The current state with parcels, buildings and firms read straight into records, each
    /// table in two halves side by side (on a second connection to the same snapshot), and
    /// only the tenants' rows of the firms; the whole rows when a record cannot be made, so
    /// that reading them names every problem.
    public func openingSnapshot() throws -> StoreSnapshot {
        let db = try connect(reading: true)
        do {
            try db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { try? db.execute("COMMIT") }
            let second = try? alongside(db)
            defer { try? second?.execute("COMMIT") }
            let meta = try meta(db, report: true)
            let srid = meta.workingCRS.projCode
            guard let (records, tenants) = try StoreLayerRecords.read(InPlaceReader(store: self, db: db, second: second), crs: meta.workingCRS) else {
                return try snapshot(db, before: nil, alongside: second)
            }
            let rows = try StoreLayerRecords.keptRows(tenants: tenants) { try self.rows($0, db, where: $1, srid: srid) }
            let last = Int(try db.rows("SELECT coalesce(max(seq), 0) FROM store_changes").first?.first.flatMap { $0 } ?? "0") ?? 0
            return StoreSnapshot(rows: rows, meta: meta, lastChange: last, records: records)
        } catch let error as PostgresError { throw failure(error, "cannot read the store") }
    }

    /// A layer's records made from its rows in place, in fid order, straight into one array:
    /// its two halves by fid side by side when there is a second connection.
    func records<T>(_ layer: StoreLayer, _ db: PostgresConnection, _ second: PostgresConnection?, _ make: @escaping (InPlaceCells<PostgresRowInPlace>) throws -> T)
        throws -> [T]
    {
        let table = PostgresConnection.identifier(layer.name), sql = "SELECT \(Self.selectList(layer)) FROM \(table) "
        let columns = StoreColumns(GeoPackageStore.selectColumns(layer)), geometryAt = layer.hasGeometry ? 1 : nil
        // Streamed with COPY: the server makes rows while this side makes records of them.
        func read(_ db: PostgresConnection, _ clause: String, _ emit: (T) throws -> Void) throws {
            let lists = ListMemo()
            try db.eachCopiedInPlace(sql + clause) {
                try emit(try make(InPlaceCells(row: $0, columns: columns, geometryAt: geometryAt, lists: lists)))
            }
        }
        let ends = try db.rows("SELECT min(fid), max(fid) FROM \(table)").first
        guard let second, let first = ends?[0].flatMap({ Int($0) }), let last = ends?[1].flatMap({ Int($0) }) else {
            var out: [T] = []
            try read(db, "ORDER BY fid") { out.append($0) }
            return out
        }
        let half = (first + last) / 2, middle = [String(half)]
        let counts = try ParallelMap.sideBySide(
            { Int(try db.rows("SELECT count(*) FROM \(table) WHERE fid <= $1", middle).first?.first.flatMap { $0 } ?? "0") ?? 0 },
            { Int(try second.rows("SELECT count(*) FROM \(table) WHERE fid > $1", middle).first?.first.flatMap { $0 } ?? "0") ?? 0 })
        return try ParallelMap.filled(counts: [counts.0, counts.1]) { part, emit in
            // COPY takes no parameters: the bound is a number made here.
            try part == 0 ? read(db, "WHERE fid <= \(half) ORDER BY fid", emit) : read(second, "WHERE fid > \(half) ORDER BY fid", emit)
        }
    }

    struct InPlaceReader: InPlaceRecordReader {
        let store: PostGISStore
        let db: PostgresConnection
        let second: PostgresConnection?
        func records<T>(_ layer: StoreLayer, _ make: @escaping (InPlaceCells<PostgresRowInPlace>) throws -> T) throws -> [T] { try store.records(layer, db, second, make) }
    }

    /// A second connection reading the same snapshot as `db` (PostgreSQL's exported snapshots),
    /// so that the layers can be read side by side.
    func alongside(_ db: PostgresConnection) throws -> PostgresConnection {
        // A standby (the read replica) is not asked: a failed statement would end `db`'s transaction too.
        guard let id = try db.rows("SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_export_snapshot() END").first?.first.flatMap({ $0 })
        else { throw DataError(file: url, problem: "exports no snapshot") }
        let second = try connect(reading: true)
        try second.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '\(id)'")
        return second
    }

    /// The district's rows. With a second connection on the same snapshot, the firms (the
    /// longest table) are read on it while the other layers are read on `db`; with a third, the
    /// firms are read in two halves by fid, one on each.
    func snapshot(_ db: PostgresConnection, before cutoff: String?, alongside second: PostgresConnection? = nil, _ third: PostgresConnection? = nil)
        throws -> StoreSnapshot
    {
        let meta = try meta(db, report: true)
        let srid = meta.workingCRS.projCode
        var rows: [String: [StoreRow]] = [:]
        if let second {
            rows = try StoreLayer.rowsSideBySide(
                firms: { layer in
                    let whole = { try self.rows(layer, second, where: "ORDER BY fid", srid: srid) }
                    guard let third else { return try whole() }
                    let middle = try second.rows("SELECT (min(fid) + max(fid)) / 2 FROM \(PostgresConnection.identifier(layer.name))").first?.first.flatMap { $0 }
                    return try StoreLayer.inHalves(
                        middle: middle.flatMap { Int($0) }, whole: whole,
                        low: { try self.rows(layer, second, where: "WHERE fid <= $1 ORDER BY fid", [String($0)], srid: srid) },
                        high: { try self.rows(layer, third, where: "WHERE fid > $1 ORDER BY fid", [String($0)], srid: srid) })
                },
                others: { try self.rows($0, db, where: "ORDER BY fid", srid: srid) })
        } else {
            for layer in StoreLayer.versioned { rows[layer.name] = try self.rows(layer, db, where: "ORDER BY fid", srid: srid) }
        }
        if let cutoff {
            guard cutoff > meta.importedAt else {
                throw DataError(
                    file: url,
                    problem:
                        "holds nothing before \(StoreClock.local(meta.importedAt, timeZone: meta.timeZone)), when it was imported: give a later --as-of-date")
            }
            try rewind(&rows, db, srid: srid, undoing: "at >= $1::timestamptz", cutoff)
        }
        let last = Int(try db.rows("SELECT coalesce(max(seq), 0) FROM store_changes").first?.first.flatMap { $0 } ?? "0") ?? 0
        return StoreSnapshot(rows: rows, meta: meta, lastChange: last)
    }

    /// Undoes, newest first, the changes `condition` picks (with `value` as $1), from the history.
    func rewind(_ rows: inout [String: [StoreRow]], _ db: PostgresConnection, srid: Int, undoing condition: String, _ value: String) throws {
        let changes = try db.rows("SELECT layer, record_id, version, change FROM store_changes WHERE \(condition) ORDER BY seq", [value])
            .map { (layer: $0[0] ?? "", id: $0[1] ?? "", version: Int($0[2] ?? "") ?? 0, change: $0[3] ?? "") }
        try StoreRewind.rewind(&rows, changes: changes) { layer, id, version in
            try self.rows(layer, db, where: "WHERE id = $1 AND version = $2", [id, String(version)], history: true, srid: srid).first
        }
    }

    public func wholeSnapshot(atChange seq: Int) throws -> StoreSnapshot { try snapshot(before: nil, atChange: seq) }

    public func images(_ wanted: [StoreImageKey]) throws -> [StoreImageKey: StoreRow] {
        let db = try connect(reading: true)
        let srid = try meta(db).workingCRS.projCode
        var out: [StoreImageKey: StoreRow] = [:]
        do {
            for key in Set(wanted) {
                guard let layer = StoreLayer.named(key.layer) else { continue }
                let values = [key.id, String(key.version)]
                out[key] = try rows(layer, db, where: "WHERE id = $1 AND version = $2", values, srid: srid).first
                    ?? rows(layer, db, where: "WHERE id = $1 AND version = $2", values, history: true, srid: srid).first
            }
        } catch let error as PostgresError { throw failure(error, "cannot read the store") }
        return out
    }

    static let stamp = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

    public func editSetTexts(_ ids: [Int]) throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        let db = try connect(reading: true)
        var out: [Int: String] = [:]
        do {
            let list = "{" + Set(ids).map(String.init).joined(separator: ",") + "}"
            for row in try db.rows("SELECT id, edits FROM store_edit_sets WHERE id = ANY($1::bigint[])", [list]) {
                if let id = row[0].flatMap({ Int($0) }) { out[id] = row[1] ?? "" }
            }
        } catch let error as PostgresError { throw failure(error, "cannot read the edit sets") }
        return out
    }

    public func changes(since: String?, record: String?) throws -> [StoreChange] {
        try changes(since: since, record: record, afterSeq: nil)
    }

    public func changes(afterSeq seq: Int) throws -> [StoreChange] { try changes(since: nil, record: nil, afterSeq: seq) }

    public func changes(editSet: Int) throws -> [StoreChange] { try changes(since: nil, record: nil, afterSeq: nil, editSet: editSet) }

    public func cached(_ key: String, validAt lastChange: Int, keptThrough: KeptThrough) throws -> [UInt8]? {
        let db = try connect(reading: true)
        guard let row = try? db.binaryRows("SELECT last_change, body FROM store_cache WHERE key = $1", [key]).first,
            case let .integer(made) = row[0], made <= lastChange, case let .bytes(body) = row[1]
        else { return nil }
        let since = try db.rows(
            "SELECT count(*) FROM store_changes WHERE seq > $1::bigint AND seq <= $2::bigint AND \(keptThrough.invalidatingChange)",
            [String(made), String(lastChange)])
        return since.first?.first == "0" ? body : nil
    }

    public func cache(_ key: String, _ body: [UInt8], lastChange: Int) throws {
        let db = try connect()
        try db.rows(
            "INSERT INTO store_cache (key, last_change, body) VALUES ($1, $2::bigint, $3::bytea) ON CONFLICT (key) DO UPDATE SET last_change = EXCLUDED.last_change, body = EXCLUDED.body",
            [key, String(lastChange), Self.text(.blob(body))])
    }

    public func rows(_ layer: StoreLayer, ids: [String]) throws -> [StoreRow] {
        let db = try connect(reading: true)
        let srid = try meta(db).workingCRS.projCode
        do { return try rows(layer, db, where: "WHERE id = ANY($1::text[]) ORDER BY fid", [Self.textArray(ids)], srid: srid) } catch let error
            as PostgresError
        { throw failure(error, "cannot read the store") }
    }

    /// A text[] literal: {"a","b"} with quotes and backslashes escaped.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}"
    }

    func changes(since: String?, record: String?, afterSeq seq: Int?, editSet: Int? = nil) throws -> [StoreChange] {
        // The changes of an edit set just applied are read where it was written.
        let db = try connect(reading: editSet == nil)
        var clauses: [String] = [], values: [String?] = []
        if let editSet {
            values.append(String(editSet))
            clauses.append("edit_set = $\(values.count)::bigint")
        }
        if let seq {
            values.append(String(seq))
            clauses.append("seq > $\(values.count)::bigint")
        }
        if let since {
            values.append(since)
            clauses.append("at >= $\(values.count)::timestamptz")
        }
        if let record {
            values.append(record)
            clauses.append("record_id = $\(values.count)")
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        do {
            return try db.rows(
                "SELECT seq, layer, record_id, version, change, \(Self.stamp), author, reason, edit_set FROM store_changes \(filter) ORDER BY seq", values
            ).map {
                StoreChange(
                    seq: Int($0[0] ?? "") ?? 0, layer: $0[1] ?? "", recordID: $0[2] ?? "", version: Int($0[3] ?? "") ?? 0, change: $0[4] ?? "",
                    at: $0[5] ?? "", author: $0[6] ?? "", reason: $0[7], editSet: $0[8].flatMap { Int($0) })
            }
        } catch let error as PostgresError { throw failure(error, "cannot read the log") }
    }

    // MARK: Edits

    final class Reader: StoreReader {
        let store: PostGISStore
        let db: PostgresConnection
        let srid: Int
        /// The layers whose rows this edit locks as it reads them; nil: all. An operator's role
        /// may lock only what it may change (a lock needs the right to update).
        let lockable: Set<String>?
        init(_ store: PostGISStore, _ db: PostgresConnection, srid: Int, lockable: Set<String>? = nil) {
            self.store = store; self.db = db; self.srid = srid; self.lockable = lockable
        }
        /// The row, locked until the edit ends: another writer of it waits, then sees the new version.
        func row(_ layer: StoreLayer, id: String) throws -> StoreRow? {
            let lock = lockable?.contains(layer.name) ?? true
            return try store.rows(layer, db, where: "WHERE id = $1" + (lock ? " FOR UPDATE" : ""), [id], srid: srid).first
        }
        func rows(_ layer: StoreLayer) throws -> [StoreRow] { try store.rows(layer, db, where: "ORDER BY fid", srid: srid) }
        func rows(_ layer: StoreLayer, ids: [String]) throws -> [StoreRow] {
            try store.rows(layer, db, where: "WHERE id = ANY($1::text[]) ORDER BY fid", [PostGISStore.textArray(ids)], srid: srid)
        }
        func snapshot() throws -> StoreSnapshot { try store.snapshot(db, before: nil) }
        func ids(_ layer: StoreLayer, where column: String, is value: String) throws -> [String] {
            let t = PostgresConnection.identifier(layer.name), c = PostgresConnection.identifier(column)
            return try db.rows("SELECT id FROM \(t) WHERE \(c) = $1 ORDER BY fid", [value]).compactMap { $0[0] }
        }
    }

    public func apply(session: EditSession, plan: (StoreReader) throws -> [RowOperation], validate: (StoreReader) throws -> Void) throws -> Int {
        let db = try connect()
        var committed = false
        do {
            try db.execute("BEGIN")
            defer { if !committed { try? db.execute("ROLLBACK") } }
            // Acting for an operator: the rest of the transaction runs under its role and policies.
            if let role = session.databaseRole { try db.execute("SET LOCAL ROLE \(PostgresConnection.identifier(role))") }
            let srid = try meta(db).workingCRS.projCode
            let lockable: Set<String>? = session.databaseRole == nil ? nil : PostGISRoles.operatorLayers
            let operations = try plan(Reader(self, db, srid: srid, lockable: lockable))
            let editSet = Int(
                try db.rows(
                    "INSERT INTO store_edit_sets (at, author, reason, source, edits) VALUES (now(), $1, $2, $3, $4) RETURNING id",
                    [session.author, session.reason, session.source, session.edits])[0][0] ?? "") ?? 0
            // Who and why, for the triggers, for this transaction only.
            try db.rows(
                "SELECT set_config('spaceplan.author', $1, true), set_config('spaceplan.reason', $2, true), set_config('spaceplan.edit_set', $3, true)",
                [session.author, session.reason, String(editSet)])
            var stale: [StoreConflict.Stale] = []
            for operation in operations { try run(operation, db, srid: srid, stale: &stale) }
            if !stale.isEmpty { throw StoreConflict(stale: stale, store: url) }
            if let at = session.recordedAt { try backdate(editSet: editSet, to: at, db) }
            try validate(Reader(self, db, srid: srid, lockable: lockable))
            try db.execute("COMMIT")
            committed = true
            return editSet
        } catch let error as PostgresError { throw failure(error, "the edit failed and nothing was written") }
    }

    /// A synthetic edit set's times: its log rows, the images it superseded (written at this
    /// transaction's now()), and the set itself.
    func backdate(editSet: Int, to at: String, _ db: PostgresConnection) throws {
        try db.rows("UPDATE store_changes SET at = $1::timestamptz WHERE edit_set = $2::bigint", [at, String(editSet)])
        try db.rows("UPDATE store_edit_sets SET at = $1::timestamptz WHERE id = $2::bigint", [at, String(editSet)])
        for layer in StoreLayer.versioned {
            try db.rows(
                "UPDATE \(PostgresConnection.identifier(layer.name + "_history")) SET superseded_at = $1::timestamptz WHERE superseded_at = now()", [at])
        }
    }

    public func backdateImport(to at: String) throws {
        let db = try connect()
        do {
            try db.execute("BEGIN")
            var committed = false
            defer { if !committed { try? db.execute("ROLLBACK") } }
            guard try db.rows("SELECT count(*) FROM store_changes").first?.first.flatMap({ $0 }) == "0" else {
                throw DataError(file: url, problem: "has changes since its import: a synthetic history is written only on a store just imported")
            }
            try db.rows("UPDATE store_meta SET value = $1 WHERE key = 'imported_at'", [at])
            try db.execute("COMMIT")
            committed = true
        } catch let error as PostgresError { throw failure(error, "cannot date the import back") }
    }

    func run(_ operation: RowOperation, _ db: PostgresConnection, srid: Int, stale: inout [StoreConflict.Stale]) throws {
        let layer = operation.layer, t = PostgresConnection.identifier(layer.name)
        func current(_ id: String) throws -> StoreRow? { try rows(layer, db, where: "WHERE id = $1 FOR UPDATE", [id], srid: srid).first }
        func geometryText(_ blob: [UInt8]?) throws -> String? {
            try blob.map { HexBytes.encode(GeoPackageBlob.ewkb(try GeoPackageBlob.decode($0), srid: srid)) }
        }
        switch operation {
        case let .update(_, id, expected, set, geometry):
            guard let row = try current(id) else { throw DataError(file: url, recordID: id, problem: "\(layer.name) has no record \(id)") }
            if let expected, expected != row.version {
                stale.append(.init(layer: layer.name, id: id, given: expected, current: row))
                return
            }
            var names = set.keys.sorted(), values = names.map { Self.text(set[$0]!) }
            if let geometry {
                names.append("geom")
                values.append(try geometryText(geometry))
            }
            guard !names.isEmpty else { return }
            let assignments = names.enumerated().map { k, name in
                "\(PostgresConnection.identifier(name)) = $\(k + 1)" + (name == "geom" ? "::geometry" : "")
            }
            try db.rows("UPDATE \(t) SET \(assignments.joined(separator: ", ")) WHERE id = $\(names.count + 1)", values + [id])
        case let .insert(_, row):
            if let existing = try current(row.id) {
                throw DataError(file: url, recordID: row.id, problem: "\(layer.name) already has a record \(row.id) (version \(existing.version))")
            }
            let columns = layer.columns.map(\.name).filter { $0 != "version" }
            var names = columns, values = columns.map { Self.text(row[$0]) }
            if layer.hasGeometry {
                names.append("geom")
                values.append(try geometryText(row.geometry))
            }
            let placeholders = names.enumerated().map { k, name in "$\(k + 1)" + (name == "geom" ? "::geometry" : "") }
            try db.rows(
                "INSERT INTO \(t) (\(names.map(PostgresConnection.identifier).joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", ")))",
                values)
        case let .delete(_, id, expected):
            guard let row = try current(id) else { throw DataError(file: url, recordID: id, problem: "\(layer.name) has no record \(id)") }
            if let expected, expected != row.version {
                stale.append(.init(layer: layer.name, id: id, given: expected, current: row))
                return
            }
            try db.rows("DELETE FROM \(t) WHERE id = $1", [id])
        }
    }
}

/// Puts back, for every record changed at or after a cutoff, the image it had then (or takes it
/// out if it did not exist yet): the first such change says which image that was. Both backends
/// read the past this way, from the history, never from copies of the district.
enum StoreRewind {
    static func rewind(
        _ rows: inout [String: [StoreRow]], changes: [(layer: String, id: String, version: Int, change: String)],
        image: (StoreLayer, String, Int) throws -> StoreRow?
    ) throws {
        var first: [String: [String: (version: Int, change: String)]] = [:]
        for c in changes where first[c.layer]?[c.id] == nil { first[c.layer, default: [:]][c.id] = (c.version, c.change) }
        for (name, changed) in first {
            guard let layer = StoreLayer.named(name) else { continue }
            var list = (rows[name] ?? []).filter { changed[$0.id] == nil }
            for (id, (version, change)) in changed where change != "insert" {
                if let then = try image(layer, id, change == "delete" ? version : version - 1) { list.append(then) }
            }
            rows[name] = list.sorted { ($0["fid"].int ?? 0) < ($1["fid"].int ?? 0) }
        }
    }
}

extension PostgresConnection.Cell {
    /// The cell as the store's one value type (bytes as a blob).
    var value: SQLiteValue {
        switch self {
        case .null: return .null
        case let .integer(n): return .integer(n)
        case let .real(x): return .real(x)
        case let .text(s): return .text(s)
        case let .bytes(b): return .blob(b)
        }
    }
}
