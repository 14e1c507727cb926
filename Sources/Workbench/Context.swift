import Foundation
import Hummingbird
import NIOCore
import Platform

/// A request's context: the router's own, the address it came from (failed logins are slowed
/// per address) and, once the gate has looked, who is asking and how they proved it.
public struct WorkbenchContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String
    /// The person asking; nil before the gate, and for anyone not logged in.
    public var person: Person?
    /// The session's token against cross-site forgery, when the person came with a session cookie.
    public var csrfToken: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
