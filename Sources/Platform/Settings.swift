import Foundation

/// The platform's security settings. Not policy: how long a session lasts, how slow a password
/// hash is and how failed logins are slowed. The defaults follow OWASP's cheat sheets
/// (Session Management, Password Storage, Authentication; docs/platform.md) and can be changed
/// by `serve`'s options.
public struct PlatformSettings: Sendable {
    /// A session ends this long after it began, whatever is done with it (OWASP: absolute timeout, hours for office use).
    public var sessionLifetimeSeconds = 8 * 3_600
    /// bcrypt's work factor (2^cost rounds): OWASP asks for at least 10.
    public var bcryptCost: UInt8 = 11
    /// The shortest password accepted (OWASP: at least 8; the bureau's staff get 10).
    public var minimumPasswordLength = 10
    /// Failed logins for one name, or from one address, before the next are refused for a while.
    public var failuresBeforeDelay = 5
    /// The first wait after that, doubled at each further failure up to the longest.
    public var firstDelaySeconds = 2.0
    public var longestDelaySeconds = 300.0
    public init() {}
}
