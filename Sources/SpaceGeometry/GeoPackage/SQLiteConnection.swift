import CSQLite
import Foundation
import SpaceCore

/// A failure SQLite reported, with its message; `busy` when another writer held the file too long.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let busy: Bool
    public var description: String { message }
}

/// A table or column name as SQL quotes it (SQLite and PostgreSQL alike): in double quotes,
/// a double quote doubled.
public func quotedSQLIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

/// A value in or out of SQLite.
public enum SQLiteValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var int: Int? { if case let .integer(n) = self { return Int(n) }; if case let .real(x) = self, x == x.rounded() { return Int(x) }; return nil }
    public var double: Double? {
        switch self {
        case let .real(x): return x
        case let .integer(n): return Double(n)
        default: return nil
        }
    }
    public var string: String? { if case let .text(s) = self { return s }; return nil }
    public var bytes: [UInt8]? {
        switch self {
        case let .blob(b): return b
        case let .text(s): return Array(s.utf8)
        default: return nil
        }
    }
    public var isNull: Bool { self == .null }
}

/// A connection to a SQLite file for a store: reads and writes in transactions, waits for other
/// writers up to a timeout, and knows the SQL functions GeoPackage's R-tree triggers call.
/// One thread uses a connection at a time.
public final class SQLiteConnection: @unchecked Sendable {  // safe: one thread at a time, as documented
    let handle: OpaquePointer
    public let path: String

    public enum Mode: Sendable { case readOnly, readWrite, create }

    public init(_ path: String, mode: Mode, busyTimeoutMilliseconds: Int32 = 30_000) throws {
        var db: OpaquePointer?
        let flags: Int32
        switch mode {
        case .readOnly: flags = SQLITE_OPEN_READONLY
        case .readWrite: flags = SQLITE_OPEN_READWRITE
        case .create: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        guard sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(message: "cannot open \(path): \(reason)", busy: false)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        guard spaceplan_sqlite_register_gpkg_functions(db) == SQLITE_OK else {
            throw SQLiteError(message: "cannot register the GeoPackage functions: \(message)", busy: false)
        }
    }

    deinit { sqlite3_close_v2(handle) }

    var message: String { String(cString: sqlite3_errmsg(handle)) }

    func failure(_ code: Int32, _ context: String) -> SQLiteError {
        SQLiteError(message: "\(context): \(message)", busy: code == SQLITE_BUSY || code == SQLITE_LOCKED)
    }

    /// Runs one or more statements that return nothing.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        guard code == SQLITE_OK else {
            let text = error.map { String(cString: $0) } ?? message
            sqlite3_free(error)
            throw SQLiteError(message: "SQLite: \(text)", busy: code == SQLITE_BUSY || code == SQLITE_LOCKED)
        }
    }

    /// Runs `sql` with `values` bound in order, returning every row.
    @discardableResult
    public func rows(_ sql: String, _ values: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        var rows: [[SQLiteValue]] = []
        try each(sql, values) { rows.append($0) }
        return rows
    }

    /// Runs `sql`, handing each row to `body` as it comes.
    public func each(_ sql: String, _ values: [SQLiteValue] = [], _ body: ([SQLiteValue]) throws -> Void) throws {
        try stepping(sql, values) { statement, columns in try body((0..<columns).map { column(statement, $0) }) }
    }

    /// Each row's cells with one blob column given apart (a feature's geometry), so that a row of
    /// a large table is one array, not an array and then a copy without its blob.
    public func each(_ sql: String, _ values: [SQLiteValue] = [], blobAt blob: Int32, _ body: ([SQLiteValue], [UInt8]?) throws -> Void) throws {
        try stepping(sql, values) { statement, columns in
            var cells: [SQLiteValue] = []
            cells.reserveCapacity(Int(columns) - 1)
            for c in 0..<columns where c != blob { cells.append(column(statement, c)) }
            try body(cells, column(statement, blob).bytes)
        }
    }

    /// Runs `sql`, handing each row to `body` in place: its cells are read only when asked for,
    /// and a blob without a copy (a large table read straight into records).
    public func eachInPlace(_ sql: String, _ values: [SQLiteValue] = [], _ body: (SQLiteRowInPlace) throws -> Void) throws {
        try stepping(sql, values) { statement, _ in try body(SQLiteRowInPlace(statement: statement, connection: self)) }
    }

    /// Prepares `sql` with `values` bound and hands each row (the statement and its column count) to `row`.
    func stepping(_ sql: String, _ values: [SQLiteValue], _ row: (OpaquePointer, Int32) throws -> Void) throws {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard prepared == SQLITE_OK, let statement else { throw failure(prepared, "SQLite") }
        defer { sqlite3_finalize(statement) }
        for (i, value) in values.enumerated() { bind(statement, Int32(i + 1), value) }
        let columns = sqlite3_column_count(statement)
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code, "SQLite") }
            try row(statement, columns)
        }
    }

    /// A statement prepared once and run many times (bulk inserts).
    public func prepared(_ sql: String) throws -> SQLitePrepared {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code, "SQLite") }
        return SQLitePrepared(statement, connection: self)
    }

    func bind(_ statement: OpaquePointer, _ i: Int32, _ value: SQLiteValue) {
        switch value {
        case .null: sqlite3_bind_null(statement, i)
        case let .integer(n): sqlite3_bind_int64(statement, i, n)
        case let .real(x): sqlite3_bind_double(statement, i, x)
        case let .text(s): sqlite3_bind_text(statement, i, s, -1, spaceplan_sqlite_transient())
        case let .blob(b): b.withUnsafeBytes { _ = sqlite3_bind_blob(statement, i, $0.baseAddress, Int32($0.count), spaceplan_sqlite_transient()) }
        }
    }

    func column(_ statement: OpaquePointer, _ i: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, i))
        case SQLITE_TEXT: return .text(sqlite3_column_text(statement, i).map { String(cString: $0) } ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, i))
            guard count > 0, let base = sqlite3_column_blob(statement, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }
}

/// The current row of a running statement, valid only inside the `eachInPlace` call that gave it.
public struct SQLiteRowInPlace {
    let statement: OpaquePointer
    let connection: SQLiteConnection

    /// A cell as `SQLiteConnection.rows` would give it.
    public func value(_ column: Int) -> SQLiteValue { connection.column(statement, Int32(column)) }

    /// A blob or text cell's bytes (as `SQLiteValue.bytes` gives them), read in place; nil when
    /// the cell is NULL, a number or empty.
    public func withBytes<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        let i = Int32(column)
        let type = sqlite3_column_type(statement, i)
        guard type == SQLITE_BLOB || type == SQLITE_TEXT else { return nil }
        let count = Int(sqlite3_column_bytes(statement, i))
        guard count > 0, let base = sqlite3_column_blob(statement, i) else { return nil }
        return try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}

/// A prepared statement of a connection.
public final class SQLitePrepared {
    let statement: OpaquePointer
    let connection: SQLiteConnection

    init(_ statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds `values` in order, steps to the end and resets.
    public func run(_ values: [SQLiteValue]) throws {
        for (i, value) in values.enumerated() { connection.bind(statement, Int32(i + 1), value) }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        var code = sqlite3_step(statement)
        while code == SQLITE_ROW { code = sqlite3_step(statement) }
        guard code == SQLITE_DONE else { throw connection.failure(code, "SQLite") }
    }
}

/// GeoPackage geometry blobs, both ways, for the store.
public enum GeoPackageBlob {
    /// The blob of a shape in CRS `srs` (polygons promoted to multipolygons when `multiPolygon`).
    public static func encode(_ shape: Shape, srs: Int, multiPolygon: Bool) -> [UInt8]? {
        guard let box = Envelope(of: shape) else { return nil }
        return GeoPackageGeometry.blob(shape, srs: Int32(srs), envelope: box, multiPolygon: multiPolygon)
    }

    /// A shape's EWKB (little-endian, with its SRID), as PostGIS reads it in text (hex) form.
    public static func ewkb(_ shape: Shape, srid: Int) -> [UInt8] {
        var bytes = shape.wkb
        var type = UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24
        type |= 0x2000_0000
        for i in 0..<4 { bytes[1 + i] = UInt8((type >> (8 * UInt32(i))) & 0xff) }
        withUnsafeBytes(of: UInt32(srid).littleEndian) { bytes.insert(contentsOf: $0, at: 5) }
        return bytes
    }

    /// The shape in a blob: the header (its envelope skipped), then WKB. Plain WKB (as PostGIS
    /// hands it over) is read as it is.
    public static func decode(_ blob: [UInt8]) throws -> Shape { try blob.withUnsafeBytes { try decode($0) } }

    /// The same, from bytes read in place.
    public static func decode(_ blob: UnsafeRawBufferPointer) throws -> Shape {
        if let first = blob.first, first == 0 || first == 1 { return try Shape(wkb: blob) }
        guard blob.count >= 8, blob[0] == 0x47, blob[1] == 0x50 else { throw WKBError(message: "not a GeoPackage geometry blob") }
        let envelopeBytes = [0, 32, 48, 48, 64][min(4, Int((blob[3] >> 1) & 7))]
        let start = 8 + envelopeBytes
        guard blob.count > start else { throw WKBError(message: "a GeoPackage geometry blob without its WKB") }
        return try Shape(wkb: UnsafeRawBufferPointer(rebasing: blob[start...]))
    }
}
