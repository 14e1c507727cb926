import Foundation
import SpaceGeometry
import SpaceStore

/// Sessions after a login, kept in the store so every `serve` process on it knows them. The
/// browser holds a random token; the store holds only its SHA-256, the person, a token against
/// cross-site forgery and when the session ends.
public struct Sessions: Sendable {
    let tables: any PlatformTables
    public let settings: PlatformSettings

    public init(store: String, settings: PlatformSettings = PlatformSettings()) throws {
        tables = try StoreName.platform(store)
        self.settings = settings
    }

    /// A session as the server sees it on a request.
    public struct Session: Sendable {
        public let person: Person
        /// Sent back by the page in `X-CSRF-Token` with every change it asks for.
        public let csrfToken: String
        public let expiresAt: Date
    }

    /// Opens a session for a person who has just logged in: the token for the cookie, and the session.
    public func open(for person: Person, now: Date = Date()) throws -> (token: String, session: Session) {
        let token = Self.randomToken(), csrf = Self.randomToken()
        let expires = now.addingTimeInterval(TimeInterval(settings.sessionLifetimeSeconds))
        try tables.transaction { sql in
            // Ended sessions are swept at each login, so the table holds live ones only.
            try sql.rows("DELETE FROM platform_sessions WHERE expires_at <= ?", .text(Self.stamp(now)))
            try sql.rows(
                "INSERT INTO platform_sessions (token_hash, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                .text(Self.hash(token)), .text(person.name), .text(csrf), .text(Self.stamp(now)), .text(Self.stamp(expires)))
        }
        return (token, Session(person: person, csrfToken: csrf, expiresAt: expires))
    }

    /// The live session of a token: nil if unknown, ended, or its person was disabled since.
    public func session(token: String, now: Date = Date()) throws -> Session? {
        guard Self.wellFormed(token) else { return nil }
        let row = try tables.reading { sql in
            try sql.rows(
                """
                SELECT s.csrf_token, s.expires_at, \(People.columns.split(separator: ",").map { "u." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
                FROM platform_sessions s JOIN platform_users u ON u.name = s.user_name
                WHERE s.token_hash = ? AND s.expires_at > ?
                """, .text(Self.hash(token)), .text(Self.stamp(now))
            ).first
        }
        guard let row, let expires = Self.date(row[1].string ?? "") else { return nil }
        let person = People.person(Array(row[2...]))
        guard !person.disabled else { return nil }
        return Session(person: person, csrfToken: row[0].string ?? "", expiresAt: expires)
    }

    /// Ends a session (logging out).
    public func end(token: String) throws {
        guard Self.wellFormed(token) else { return }
        try tables.transaction { sql in try sql.rows("DELETE FROM platform_sessions WHERE token_hash = ?", .text(Self.hash(token))) }
    }

    /// 32 random bytes from the system's generator, as URL-safe base64 (43 characters).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func wellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { $0 == 45 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }

    static func hash(_ token: String) -> String { Digest.sha256(token) }

    /// Times as UTC text that sorts as it compares (the store's own stamps).
    static func stamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// Failed logins slowed per name and per address: after a few, the next attempt for that name or
/// from that address is refused until a wait that doubles with each further failure has passed.
/// Kept in the process: each `serve` process slows what reaches it.
public final class LoginThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: (count: Int, until: Date)] = [:]
    let settings: PlatformSettings

    public init(settings: PlatformSettings = PlatformSettings()) { self.settings = settings }

    /// Seconds to wait before this name may try again from this address (0: it may try now).
    public func wait(name: String, address: String, now: Date = Date()) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return [key(name: name), key(address: address)].compactMap { failures[$0] }.map { max(0, $0.until.timeIntervalSince(now)) }.max() ?? 0
    }

    public func failed(name: String, address: String, now: Date = Date()) {
        lock.lock()
        defer { lock.unlock() }
        for k in [key(name: name), key(address: address)] {
            let count = (failures[k]?.count ?? 0) + 1
            let over = count - settings.failuresBeforeDelay
            let delay = over < 0 ? 0 : min(settings.longestDelaySeconds, settings.firstDelaySeconds * pow(2, Double(over)))
            failures[k] = (count, now.addingTimeInterval(delay))
        }
    }

    /// A good login clears its name's count (the address's stays: one address trying many names is slowed still).
    public func succeeded(name: String) {
        lock.lock()
        defer { lock.unlock() }
        failures[key(name: name)] = nil
    }

    private func key(name: String) -> String { "name:" + name }
    private func key(address: String) -> String { "address:" + address }
}
