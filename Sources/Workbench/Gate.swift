import Foundation
import Hummingbird
import HTTPTypes
import Platform
import SpaceStore

/// How `serve --store` lets people in (docs/platform.md).
public struct PlatformAccess: Sendable {
    /// The store the people, sessions and edits are kept in.
    public let store: String
    /// Anyone may read the map and the analyses without logging in (`--public-read`).
    public var publicRead = false
    public var settings = PlatformSettings()
    /// How often the server looks for edits made elsewhere.
    public var refreshSeconds = 1.0

    public init(store: String) { self.store = store }
}

/// The gate every request of a platform server passes: it finds who is asking (a session cookie,
/// or HTTP Basic for scripts and QGIS), refuses what needs a login without one (401), and refuses
/// a change asked for by another site (403): with a session, the change must carry the session's
/// token in `X-CSRF-Token`, and no request may come from a page of another origin.
struct Gate: RouterMiddleware {
    typealias Context = WorkbenchContext
    let access: PlatformAccess
    let people: People
    let sessions: Sessions
    let throttle: LoginThrottle
    let passwords: PasswordCache

    static let cookie = "spaceplan_session"
    /// The page marks its requests, so a 401 to it brings no browser password dialog.
    static let pageHeader = HTTPField.Name("X-Requested-With")!
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    init(access: PlatformAccess) throws {
        self.access = access
        people = try People(store: access.store, settings: access.settings)
        sessions = try Sessions(store: access.store, settings: access.settings)
        throttle = LoginThrottle(settings: access.settings)
        passwords = PasswordCache()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let reading = [.get, .head, .options].contains(request.method)
        if !reading, let refusal = Self.crossSite(request) { return Reply.error(.forbidden, refusal) }
        if let authorization = request.headers[.authorization] {
            guard let person = try await basic(authorization, address: context.remoteAddress) else {
                return unauthorized(request, "the name or password given with HTTP Basic is wrong, or the login is disabled")
            }
            context.person = person
        } else if let token = Self.cookie(request) {
            if let session = try await offThePool({ try sessions.session(token: token) }) {
                context.person = session.person
                context.csrfToken = session.csrfToken
            }
        }
        let path = request.uri.path
        if Self.isOpen(path, request.method) { return try await next(request, context) }
        guard context.person != nil || (reading && access.publicRead && !Self.isPrivate(path)) else {
            return unauthorized(request, "log in first: this server's map and figures are for its users")
        }
        if !reading, context.csrfToken != nil, request.headers[Self.csrfHeader] != context.csrfToken {
            return Reply.error(.forbidden, "a change from the page must carry the session's X-CSRF-Token (GET /api/session gives it)")
        }
        return try await next(request, context)
    }

    /// The page, its files and logging in (asking who is logged in answers 401 itself): open to anyone.
    static func isOpen(_ path: String, _ method: HTTPRequest.Method) -> Bool {
        if path == "/api/session", method != .delete { return true }
        guard method == .get || method == .head else { return false }
        return path == "/" || path == "/favicon.ico" || path == "/api/openapi.json" || path.hasPrefix("/leaflet/") || StaticFiles.pageFiles.contains(String(path.dropFirst()))
    }

    /// Never public, even with --public-read: people's own records.
    static func isPrivate(_ path: String) -> Bool {
        ["/api/my/", "/api/applications", "/api/history", "/api/rounds", "/api/users"].contains { path.hasPrefix($0) }
    }

    /// Why a change comes from another site, if it does: a browser says so in `Sec-Fetch-Site`
    /// and `Origin`; clients that are not browsers send neither.
    static func crossSite(_ request: Request) -> String? {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" || site == "same-site" {
            return "a change asked for by a page of another site is refused"
        }
        if let origin = request.headers[HTTPField.Name("Origin")!] {
            let host = origin.components(separatedBy: "://").last ?? ""
            guard origin != "null", host == request.head.authority else {
                return "a change asked for by a page of another origin (\(origin)) is refused"
            }
        }
        return nil
    }

    static func cookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == Self.cookie { return String(parts[1]) }
            }
        }
        return nil
    }

    /// The person of an `Authorization: Basic` header, checked against the store (slowed after failures).
    func basic(_ header: String, address: String) async throws -> Person? {
        guard header.lowercased().hasPrefix("basic "), let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        let name = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        if throttle.wait(name: name, address: address) > 0 { return nil }
        // bcrypt is slow on purpose; a script's every request must not pay it, so a match is remembered briefly.
        let people = people
        if passwords.matches(name: name, password: password) {
            let person = try await offThePool { try people.person(name) }
            if let person, !person.disabled { return person }
        }
        guard let person = try await offThePool({ try people.verify(name: name, password: password) }) else {
            throttle.failed(name: name, address: address)
            return nil
        }
        throttle.succeeded(name: name)
        passwords.remember(name: name, password: password)
        return person
    }

    func unauthorized(_ request: Request, _ message: String) -> Response {
        var response = Reply.error(.unauthorized, message)
        if request.headers[Self.pageHeader] == nil { response.headers[.wwwAuthenticate] = "Basic realm=\"spaceplan\", charset=\"UTF-8\"" }
        return response
    }
}

/// Name and password pairs that matched their bcrypt hash lately, by SHA-256 only, for a minute.
final class PasswordCache: @unchecked Sendable {  // safe: `matched` only under `lock`
    private let lock = NSLock()
    private var matched: [String: Date] = [:]
    static let seconds: TimeInterval = 60

    func matches(name: String, password: String) -> Bool {
        let key = Self.key(name, password)
        return lock.withLock { (matched[key] ?? .distantPast) > Date() }
    }

    func remember(name: String, password: String) {
        let key = Self.key(name, password)
        lock.withLock {
            matched = matched.filter { $0.value > Date() }
            matched[key] = Date().addingTimeInterval(Self.seconds)
        }
    }

    static func key(_ name: String, _ password: String) -> String { Digest.sha256(name + ":" + password) }
}
