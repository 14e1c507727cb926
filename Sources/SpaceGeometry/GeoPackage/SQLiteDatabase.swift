import CSQLite
import Foundation

/// The few SQLite calls the GeoPackage writer needs: an in-memory database, statements, and
/// the database's bytes at the end. Errors carry SQLite's message.
final class SQLiteDatabase {
    let handle: OpaquePointer

    /// A new database file at `path` (a file already there is replaced). One thread uses it: no mutexes.
    private static let configured: Void = { _ = spaceplan_sqlite_without_memstatus() }()

    init(creating path: String) throws {
        _ = Self.configured
        unlink(path)
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw GDALError(message: "SQLite cannot create \(path): \(reason)")
        }
        handle = db
    }

    deinit { if !closed { sqlite3_close_v2(handle) } }

    var message: String { String(cString: sqlite3_errmsg(handle)) }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let text = error.map { String(cString: $0) } ?? message
            sqlite3_free(error)
            throw GDALError(message: "SQLite: \(text)")
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw GDALError(message: "SQLite: \(message)")
        }
        return SQLiteStatement(statement, database: self)
    }

    func count(_ sql: String) throws -> Int {
        let statement = try prepare(sql)
        guard sqlite3_step(statement.handle) == SQLITE_ROW else { throw GDALError(message: "SQLite: \(message)") }
        return Int(sqlite3_column_int64(statement.handle, 0))
    }

    /// An existing database file, for reading it back (the tests' checks).
    init(opening path: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else {
            sqlite3_close_v2(db)
            throw GDALError(message: "SQLite cannot open \(path)")
        }
        handle = db
    }

    /// The first column of every row `sql` returns, as text.
    func strings(_ sql: String) throws -> [String] {
        let statement = try prepare(sql)
        var out: [String] = []
        while sqlite3_step(statement.handle) == SQLITE_ROW {
            out.append(sqlite3_column_text(statement.handle, 0).map { String(cString: $0) } ?? "")
        }
        return out
    }

    /// Closes the file, reporting a failure to finish it.
    func close() throws {
        guard sqlite3_close(handle) == SQLITE_OK else { throw GDALError(message: "SQLite: closing failed: \(message)") }
        closed = true
    }
    private var closed = false
}

/// A prepared statement; values are bound by 1-based position and copied by SQLite.
final class SQLiteStatement {
    let handle: OpaquePointer
    let database: SQLiteDatabase
    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ i: Int32, _ value: Int64) { sqlite3_bind_int64(handle, i, value) }
    func bind(_ i: Int32, _ value: Double) { sqlite3_bind_double(handle, i, value) }
    func bind(_ i: Int32, _ value: String) { sqlite3_bind_text(handle, i, value, -1, Self.transient) }
    func bindText(_ i: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            _ =
                buffer.baseAddress.map { base in
                    base.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                        sqlite3_bind_text(handle, i, $0, Int32(buffer.count), Self.transient)
                    }
                } ?? sqlite3_bind_text(handle, i, "", 0, Self.transient)
        }
    }
    func bind(_ i: Int32, _ blob: [UInt8]) {
        blob.withUnsafeBytes { _ = sqlite3_bind_blob(handle, i, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Binds bytes SQLite does not copy (SQLITE_STATIC): they must stay alive, unchanged, until
    /// the statement has been stepped and reset.
    func bindStatic(_ i: Int32, _ pointer: UnsafeRawBufferPointer, text: Bool) {
        if text {
            guard let base = pointer.baseAddress, pointer.count > 0 else { sqlite3_bind_text(handle, i, "", 0, Self.transient); return }
            sqlite3_bind_text(handle, i, base.assumingMemoryBound(to: CChar.self), Int32(pointer.count), nil)
        } else {
            sqlite3_bind_blob(handle, i, pointer.baseAddress, Int32(pointer.count), nil)
        }
    }
    func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }

    func stepDone() throws {
        guard sqlite3_step(handle) == SQLITE_DONE else { throw GDALError(message: "SQLite: \(database.message)") }
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}
