import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceStore

/// Firms' applications for space, kept in the store: submitted by an applicant, checked as a row
/// of demand.csv is, queued until a matching round proposes a placement and the bureau decides.
public struct Applications: Sendable {
    public let store: String
    let tables: any PlatformTables

    public init(store: String) throws {
        self.store = store
        tables = try StoreName.platform(store)
    }

    public enum Status: String, Sendable, Codable {
        /// Waiting for space; `reason` says why the last round did not place it.
        case queued
        /// A round proposes a placement; the bureau has not decided.
        case proposed
        /// Approved: the firm is a tenant of `carrier`.
        case placed
    }

    public struct Application: Sendable {
        public let id: Int
        public let applicant: String
        public let submittedAt: String
        public let record: JSONObject
        public let status: Status
        public let reason: String
        public let carrier: String?
        public let building: String?
        public let round: Int?
        /// Its place among the queued, oldest first (nil unless queued).
        public var queuePosition: Int?

        /// The firm's id in the demand the allocation reads and in the enterprises layer once placed.
        public var firmID: String { "APP-\(id)" }
    }

    /// The fields an applicant gives (a demand.csv row's, less `id` and `priority`: the server
    /// numbers applications, and priority is the allocation rules' to compute).
    public static let fields = [
        "name", "sector", "stage", "flags", "employees", "min_m2", "preferred_m2", "preferred_zones", "move_in_year", "max_rent_yuan_m2_month",
    ]

    /// Checks an application as the demand reader checks a row; every problem names its field.
    public static func check(_ record: JSONObject, zoneIDs: Set<String>) throws -> FirmDemand {
        let unknown = record.keys.filter { !fields.contains($0) }
        if !unknown.isEmpty {
            throw DataError(
                file: "application", problem: "unknown field\(unknown.count == 1 ? "" : "s") \(unknown.sorted().joined(separator: ", ")); the fields are \(fields.joined(separator: ", "))")
        }
        var row = record
        row["id"] = .string("application")
        let bytes = Data(JSONValue.array([.object(row)]).serialized.utf8)
        guard let firm = try DemandLoader.read(bytes, file: "application", isJSON: true, knownZoneIDs: zoneIDs).first else {
            throw DataError(file: "application", problem: "holds no firm")
        }
        return firm
    }

    /// Submits an application for `person` (an applicant), checked first.
    public func submit(_ record: JSONObject, by person: Person, zoneIDs: Set<String>) throws -> Application {
        guard person.role == .applicant else { throw Editing.Forbidden(description: "applications are submitted by applicant firms") }
        _ = try Self.check(record, zoneIDs: zoneIDs)
        let now = StoreClock.now
        return try tables.transaction { sql in
            let id =
                try sql.rows(
                    "INSERT INTO platform_applications (applicant, submitted_at, record, status, reason, version) VALUES (?, ?, ?, 'queued', ?, 1) RETURNING id",
                    .text(person.name), .text(now), .text(JSONValue.object(record).serialized), .text("waiting for the next matching round")
                ).first?.first?.int ?? 0
            try PlatformLog.write(sql, actor: person.name, action: "submit application", subject: "application \(id)", reason: "applied for space")
            guard let application = try Self.application(id, sql) else { throw DataError(file: store, problem: "application \(id) was not kept") }
            return application
        }
    }

    /// The applications `person` may read: an applicant its own, the bureau all; queued ones numbered.
    public func list(for person: Person) throws -> [Application] {
        guard person.role != .operator else { throw Editing.Forbidden(description: "applications are read by the bureau and by the firm that made them") }
        let all = try tables.reading { sql in try sql.rows("SELECT \(Self.columns) FROM platform_applications ORDER BY id", []).map(Self.application) }
        return Self.numbered(all).filter { person.role == .bureau || $0.applicant == person.name }
    }

    static let columns = "id, applicant, submitted_at, record, status, reason, carrier, building, round"

    static func application(_ id: Int, _ sql: PlatformSQL) throws -> Application? {
        try sql.rows("SELECT \(columns) FROM platform_applications WHERE id = ?", .integer(Int64(id))).first.map(application)
    }

    static func application(_ row: [SQLiteValue]) -> Application {
        let record = (try? parseJSON(row[3].string ?? "{}"))?.objectValue ?? JSONObject()
        return Application(
            id: row[0].int ?? 0, applicant: row[1].string ?? "", submittedAt: row[2].string ?? "", record: record,
            status: Status(rawValue: row[4].string ?? "") ?? .queued, reason: row[5].string ?? "", carrier: row[6].string, building: row[7].string,
            round: row[8].int, queuePosition: nil)
    }

    /// Queue positions: the queued, oldest first.
    static func numbered(_ all: [Application]) -> [Application] {
        var position = 0
        return all.map { a in
            var a = a
            if a.status == .queued { position += 1; a.queuePosition = position }
            return a
        }
    }

    public static func json(_ a: Application) -> JSONValue {
        .object(
            JSONObject([
                ("id", .number(Double(a.id))), ("applicant", .string(a.applicant)), ("submitted_at", .string(a.submittedAt)),
                ("status", .string(a.status.rawValue)), ("reason", .string(a.reason)), ("carrier", a.carrier.map(JSONValue.string) ?? .null),
                ("building", a.building.map(JSONValue.string) ?? .null), ("round", a.round.map { .number(Double($0)) } ?? .null),
                ("queue_position", a.queuePosition.map { .number(Double($0)) } ?? .null), ("firm_id", .string(a.firmID)),
                ("record", .object(a.record)),
            ]))
    }
}
