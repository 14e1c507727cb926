import Foundation
import SpaceGeometry
import Testing

/// Where the store suite runs: the embedded GeoPackage always; PostGIS when
/// SPACEPLAN_TEST_POSTGRES names a database (a postgresql:// URL without schema), as .ci/run
/// sets it. Without it the PostGIS runs are skipped with the reason printed, except under
/// CI=true, where a missing server fails the suite.
public enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case geoPackage = "GeoPackage"
    case postGIS = "PostGIS"
    public var testDescription: String { rawValue }

    public static let postgresURL = ProcessInfo.processInfo.environment["SPACEPLAN_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    public static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether the backend can run here; prints why not, and records a failure in CI.
    public var available: Bool {
        guard self == .postGIS, StoreBackend.postgresURL == nil else { return true }
        let reason = "PostGIS store tests skipped: set SPACEPLAN_TEST_POSTGRES to a postgresql:// URL of a database (see .ci/run)"
        if StoreBackend.inCI { Issue.record("CI=true: \(reason)") } else { print(reason) }
        return false
    }
}

/// A store made for one test: its name on the command line, and plain SQL on its tables.
public struct StoreFixture: Sendable {
    public let backend: StoreBackend
    public let name: String
    public let schema: String?

    public init(backend: StoreBackend, name: String, schema: String?) { self.backend = backend; self.name = name; self.schema = schema }

    /// Runs SQL against the store's own tables, as QGIS or psql would.
    public func sql(_ statement: String) throws -> [[String]] {
        switch backend {
        case .geoPackage:
            let db = try SQLiteConnection(name, mode: .readWrite)
            return try db.rows(statement).map { $0.map { v in v.string ?? v.int.map(String.init) ?? v.double.map { "\($0)" } ?? "" } }
        case .postGIS:
            let db = try PostgresConnection(StoreBackend.postgresURL!)
            try db.execute("SET search_path = \(schema!), public; SET client_min_messages = warning")
            return try db.rows(statement).map { $0.map { $0 ?? "" } }
        }
    }

    public func drop() {
        guard backend == .postGIS, let schema, let db = try? PostgresConnection(StoreBackend.postgresURL!) else { return }
        try? db.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        // The operators' roles of a platform store are the cluster's, not the schema's: dropped by name.
        for row in (try? db.rows("SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname DESC", [schema + "\\_%"])) ?? [] {
            if let role = row[0] { try? db.execute("DROP ROLE IF EXISTS \"\(role)\"") }
        }
    }

    /// The sample imported into a new store of `backend` (a file in a temporary folder, or a new
    /// schema), handed to `body` with the folder, and removed after; nil (skipped) when the
    /// backend is not here.
    public static func withSample<T>(_ backend: StoreBackend, _ body: (URL, StoreFixture) throws -> T) throws -> T? {
        guard backend.available else { return nil }
        return try withTemporaryFolder("store") { folder in
            let fixture: StoreFixture
            switch backend {
            case .geoPackage: fixture = StoreFixture(backend: backend, name: folder.appendingPathComponent("district.gpkg").path, schema: nil)
            case .postGIS:
                let schema = "t_" + UUID().uuidString.prefix(8).lowercased()
                let base = StoreBackend.postgresURL!
                fixture = StoreFixture(backend: backend, name: base + (base.contains("?") ? "&" : "?") + "schema=\(schema)", schema: schema)
            }
            defer { fixture.drop() }
            let r = try SpacePlanCLI.run(["store", "import", "--data", "GIS/sample", "--store", fixture.name])
            #expect(r.status == 0, "\(r.error)")
            #expect(r.output.contains("3,000 buildings") && r.output.contains("27 carriers") && r.output.contains("9,000 enterprises"))
            return try body(folder, fixture)
        }
    }
}
