import Foundation
import HummingbirdBcrypt
import SpaceData
import SpaceGeometry
import SpaceStore

/// Who uses the platform, and what each role may do (docs/platform.md).
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Planners and administrators: everything; people, matching rounds, configuration.
    case bureau
    /// A park operator: keeps its own carriers current; reads everything else.
    case `operator`
    /// A firm: submits and follows its own applications; reads the public map.
    case applicant
}

/// A person with a login.
public struct Person: Sendable, Equatable, Codable {
    public let name: String
    public let role: Role
    /// The carriers an operator keeps (empty for the other roles).
    public let carriers: [String]
    public let disabled: Bool
    public let createdAt: String
    /// The person's own role in a PostGIS store (operators), under which its edits are written.
    public var databaseRole: String? = nil

    /// Whether this person may change this carrier's figures and tenants.
    public func keeps(carrier id: String) -> Bool {
        role == .bureau || (role == .operator && carriers.contains(id))
    }
}

/// The store's people: added from the command line (`spaceplan users`), checked at login.
public struct People: Sendable {
    public let store: String
    let tables: any PlatformTables
    public let settings: PlatformSettings

    public init(store: String, settings: PlatformSettings = PlatformSettings()) throws {
        self.store = store
        tables = try StoreName.platform(store)
        self.settings = settings
    }

    /// A problem with what was asked, naming the person.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Adds a person, or refuses with why; `actor` and `reason` go to the platform's log.
    @discardableResult
    public func add(name: String, role: Role, carriers: [String], password: String, actor: String, reason: String) throws -> Person {
        try Self.checkName(name)
        guard password.count >= settings.minimumPasswordLength else {
            throw Refusal(description: "the password of \(name) is too short: at least \(settings.minimumPasswordLength) characters")
        }
        if role == .operator, carriers.isEmpty { throw Refusal(description: "an operator keeps carriers: give them with --carriers ID,…") }
        if role != .operator, !carriers.isEmpty { throw Refusal(description: "only an operator keeps carriers (\(name) is \(role.rawValue))") }
        let district = try StoreName.open(store)
        let known = Set(try district.rows(.carriers, ids: carriers).map(\.id))
        let unknown = carriers.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw Refusal(description: "the store has no carrier \(unknown.joined(separator: ", "))") }
        // The hash is slow on purpose: made before the transaction, so the store is not held meanwhile.
        let hash = Bcrypt.hash(password, cost: settings.bcryptCost)
        let now = StoreClock.now
        return try tables.transaction { sql in
            guard try sql.rows("SELECT 1 FROM platform_users WHERE name = ?", .text(name)).isEmpty else {
                throw Refusal(description: "\(name) already has a login")
            }
            try sql.rows(
                "INSERT INTO platform_users (name, role, carriers, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)",
                .text(name), .text(role.rawValue), .text(carriers.joined(separator: ",")), .text(hash), .text(now))
            // On PostGIS the operator is also a role of the database, held to its carriers there too.
            if role == .operator, let databaseRole = try sql.makeOperatorRole(for: name, password: password) {
                try sql.rows("UPDATE platform_users SET database_role = ? WHERE name = ?", .text(databaseRole), .text(name))
            }
            try PlatformLog.write(sql, actor: actor, action: "add user", subject: "\(name) (\(role.rawValue))", reason: reason)
            let databaseRole = try sql.rows("SELECT database_role FROM platform_users WHERE name = ?", .text(name)).first?.first?.string
            return Person(name: name, role: role, carriers: carriers, disabled: false, createdAt: now, databaseRole: databaseRole)
        }
    }

    /// Everyone, by name.
    public func list() throws -> [Person] {
        try tables.reading { sql in try sql.rows("SELECT \(Self.columns) FROM platform_users ORDER BY name", []).map(Self.person) }
    }

    public func person(_ name: String) throws -> Person? {
        try tables.reading { sql in try Self.person(named: name, sql) }
    }

    /// Disables a login and ends its sessions at once.
    public func disable(_ name: String, actor: String, reason: String) throws {
        try tables.transaction { sql in
            guard try Self.person(named: name, sql) != nil else { throw Refusal(description: "no one is called \(name)") }
            try sql.rows("UPDATE platform_users SET disabled = 1 WHERE name = ?", .text(name))
            if let role = try sql.rows("SELECT database_role FROM platform_users WHERE name = ?", .text(name)).first?.first?.string {
                try sql.disableRole(role)
            }
            try sql.rows("DELETE FROM platform_sessions WHERE user_name = ?", .text(name))
            try PlatformLog.write(sql, actor: actor, action: "disable user", subject: name, reason: reason)
        }
    }

    /// The person whose name and password these are, if the login is enabled; nil otherwise.
    public func verify(name: String, password: String) throws -> Person? {
        let row = try tables.reading { sql in
            try sql.rows("SELECT \(Self.columns), password_hash FROM platform_users WHERE name = ?", .text(name)).first
        }
        guard let row, let hash = row.last?.string else {
            // Hash anyway, so an unknown name takes as long as a wrong password.
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            return nil
        }
        guard Bcrypt.verify(password, hash: hash) else { return nil }
        let person = Self.person(Array(row.dropLast()))
        return person.disabled ? nil : person
    }

    static let decoyHash = Bcrypt.hash("not a password of anyone", cost: PlatformSettings().bcryptCost)

    static let columns = "name, role, carriers, disabled, created_at, database_role"

    static func person(named name: String, _ sql: PlatformSQL) throws -> Person? {
        try sql.rows("SELECT \(columns) FROM platform_users WHERE name = ?", .text(name)).first.map(person)
    }

    static func person(_ row: [SQLiteValue]) -> Person {
        let carriers = row[2].string ?? ""
        return Person(
            name: row[0].string ?? "", role: Role(rawValue: row[1].string ?? "") ?? .applicant,
            carriers: carriers.isEmpty ? [] : carriers.split(separator: ",").map(String.init), disabled: (row[3].int ?? 0) != 0,
            createdAt: row[4].string ?? "", databaseRole: row[5].string)
    }

    /// A login name: what HTTP Basic can carry (no colon), printable, short.
    static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64 else { throw Refusal(description: "a name has 1 to 64 characters, found \(name.count)") }
        guard !name.contains(":"), !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
            throw Refusal(description: "the name \"\(name)\" may hold no colon, space or control character")
        }
    }
}

/// Who did what to the platform's own records, when and why.
public enum PlatformLog {
    static func write(_ sql: PlatformSQL, actor: String, action: String, subject: String, reason: String) throws {
        try sql.rows(
            "INSERT INTO platform_log (at, actor, action, subject, reason) VALUES (?, ?, ?, ?, ?)",
            .text(StoreClock.now), .text(actor), .text(action), .text(subject), .text(reason))
    }

    public struct Entry: Sendable, Codable, Equatable {
        public let at: String, actor: String, action: String, subject: String, reason: String
    }

    public static func entries(_ store: String) throws -> [Entry] {
        try StoreName.platform(store).reading { sql in
            try sql.rows("SELECT at, actor, action, subject, reason FROM platform_log ORDER BY seq", []).map {
                Entry(at: $0[0].string ?? "", actor: $0[1].string ?? "", action: $0[2].string ?? "", subject: $0[3].string ?? "", reason: $0[4].string ?? "")
            }
        }
    }
}
