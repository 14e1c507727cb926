import Foundation
import SpaceData
import SpaceGeometry

/// The platform's own records (people, sessions, applications, matching rounds and the log of
/// what people did) kept beside the district's layers in the same store, so every `serve` process
/// on one store sees the same people and sessions. Plain tables, not layers: QGIS lists them as
/// attribute tables at most. One SQL text serves both backends (`?` placeholders, integers and
/// text only); the tables are made on first use, so a store imported before the platform works.
public protocol PlatformTables: Sendable {
    /// Runs `body` in one transaction: all of it is written or none. A reading transaction
    /// (`writing: false`) waits for no writer.
    func transaction<T>(writing: Bool, _ body: (PlatformSQL) throws -> T) throws -> T
}

extension PlatformTables {
    public func transaction<T>(_ body: (PlatformSQL) throws -> T) throws -> T { try transaction(writing: true, body) }
    public func reading<T>(_ body: (PlatformSQL) throws -> T) throws -> T { try transaction(writing: false, body) }
}

/// Statements inside a platform transaction.
public protocol PlatformSQL {
    /// Rows of a query; `?` placeholders take `values` in order.
    @discardableResult
    func rows(_ sql: String, _ values: [SQLiteValue]) throws -> [[SQLiteValue]]
    /// Which backend, for the few statements that differ (identity columns).
    var isShared: Bool { get }
    /// The database's own login role for an operator, under row-level security (PostGIS); nil
    /// where the database has no roles (GeoPackage: the server is the only writer it checks).
    func makeOperatorRole(for name: String, password: String) throws -> String?
    /// Takes the login away from a role made by `makeOperatorRole`.
    func disableRole(_ role: String) throws
}

extension PlatformSQL {
    @discardableResult
    public func rows(_ sql: String, _ values: SQLiteValue...) throws -> [[SQLiteValue]] { try rows(sql, values) }
}

/// The platform's tables, in SQL both SQLite and PostgreSQL read.
enum PlatformSchema {
    static func statements(shared: Bool) -> [String] {
        let serial = shared ? "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"
        let big = shared ? "bigint" : "INTEGER"
        return [
            // A person: role, the carriers an operator keeps, the bcrypt hash of the password.
            """
            CREATE TABLE IF NOT EXISTS platform_users (name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, carriers TEXT NOT NULL,
              password_hash TEXT NOT NULL, disabled \(big) NOT NULL DEFAULT 0, created_at TEXT NOT NULL, database_role TEXT)
            """,
            // A session: only the SHA-256 of its token is kept, so a copy of the store opens no session.
            """
            CREATE TABLE IF NOT EXISTS platform_sessions (token_hash TEXT PRIMARY KEY NOT NULL, user_name TEXT NOT NULL,
              csrf_token TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL)
            """,
            // A firm's application for space: the fields of a demand.csv row, and where it stands.
            """
            CREATE TABLE IF NOT EXISTS platform_applications (id \(serial), applicant TEXT NOT NULL, submitted_at TEXT NOT NULL,
              record TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, carrier TEXT, building TEXT, round \(big), version \(big) NOT NULL)
            """,
            // A matching round the bureau ran, and each placement it proposed.
            """
            CREATE TABLE IF NOT EXISTS platform_rounds (id \(serial), started_at TEXT NOT NULL, started_by TEXT NOT NULL,
              store_change \(big) NOT NULL, summary TEXT NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS platform_placements (round \(big) NOT NULL, application \(big) NOT NULL, carrier TEXT, building TEXT,
              floor_area_m2 DOUBLE PRECISION, reason TEXT NOT NULL, decision TEXT NOT NULL, decided_by TEXT, decided_at TEXT, decision_reason TEXT,
              edit_set \(big), PRIMARY KEY (round, application))
            """,
            // Who did what to the platform's own records, when and why (edits of the layers are in store_edit_sets).
            """
            CREATE TABLE IF NOT EXISTS platform_log (seq \(serial), at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
              subject TEXT NOT NULL, reason TEXT NOT NULL)
            """,
        ]
    }
}

// MARK: The embedded store

extension GeoPackageStore: PlatformTables {
    public func transaction<T>(writing: Bool, _ body: (PlatformSQL) throws -> T) throws -> T {
        let db = try connect(.readWrite)
        do {
            if try db.rows("SELECT 1 FROM sqlite_master WHERE name = 'platform_log'").isEmpty {
                try db.execute("BEGIN IMMEDIATE")
                for statement in PlatformSchema.statements(shared: false) { try db.execute(statement) }
                try db.execute("COMMIT")
            }
            // IMMEDIATE: a writer holds the lock from the start, so what it read is what it writes over.
            try db.execute(writing ? "BEGIN IMMEDIATE" : "BEGIN")
            var committed = false
            defer { if !committed { try? db.execute("ROLLBACK") } }
            let result = try body(SQLitePlatform(db: db))
            try db.execute("COMMIT")
            committed = true
            return result
        } catch let error as SQLiteError { throw DataError(file: path, problem: "the platform's tables: \(error.message)") }
    }
}

struct SQLitePlatform: PlatformSQL {
    let db: SQLiteConnection
    var isShared: Bool { false }
    func makeOperatorRole(for name: String, password: String) throws -> String? { nil }
    func disableRole(_ role: String) throws {}
    func rows(_ sql: String, _ values: [SQLiteValue]) throws -> [[SQLiteValue]] { try db.rows(sql, values) }
}

// MARK: The shared store

extension PostGISStore: PlatformTables {
    public func transaction<T>(writing: Bool, _ body: (PlatformSQL) throws -> T) throws -> T {
        let db = try connect()
        do {
            if try db.rows("SELECT to_regclass('platform_log') IS NULL")[0][0] == "t" {
                // The lock keeps two processes' first requests from racing to make the tables.
                try db.execute("BEGIN")
                try db.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.platform'))")
                for statement in PlatformSchema.statements(shared: true) { try db.execute(statement) }
                try db.execute("COMMIT")
            }
            try db.execute(writing ? "BEGIN" : "BEGIN READ ONLY")
            var committed = false
            defer { if !committed { try? db.execute("ROLLBACK") } }
            let result = try body(PostgresPlatform(db: db))
            try db.execute("COMMIT")
            committed = true
            return result
        } catch let error as PostgresError { throw failure(error, "the platform's tables") }
    }
}

struct PostgresPlatform: PlatformSQL {
    let db: PostgresConnection
    var isShared: Bool { true }
    func rows(_ sql: String, _ values: [SQLiteValue]) throws -> [[SQLiteValue]] {
        try db.binaryRows(Self.numbered(sql), values.map(PostGISStore.text)).map { row in row.map(\.value) }
    }

    /// `?` placeholders as PostgreSQL's `$1, $2, …` (the platform's SQL holds no `?` in literals).
    static func numbered(_ sql: String) -> String {
        var out = "", n = 0
        for ch in sql {
            if ch == "?" { n += 1; out += "$\(n)" } else { out.append(ch) }
        }
        return out
    }
}

extension StoreName {
    /// The platform's tables of a store named by its argument.
    public static func platform(_ name: String) throws -> any PlatformTables {
        guard let tables = try open(name) as? any PlatformTables else {
            throw DataError(file: name, problem: "this store keeps no platform tables")
        }
        return tables
    }
}
