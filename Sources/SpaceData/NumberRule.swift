import SpaceCore
import SpaceGeometry

/// What a number read from any input must be before it is used: whole or not, and within sane
/// bounds (`ConfigBounds`). Layers, demand files, the manifest, proposals, configuration and the
/// command line all check their numbers with one of these rules, on the Double and before any
/// conversion, so no value traps (1e300 as a year, NaN as a count) and every message says what
/// was found and what was wanted, in the same words.
public struct NumberRule: Sendable {
    public let whole: Bool
    public let minimum: Double
    /// Whether the minimum itself is allowed (0 is not a positive number).
    public let includesMinimum: Bool
    public let maximum: Double
    /// What the number must be, for messages: when it is not whole, when it is too small, too large.
    let wholeWords: String, lowWords: String, highWords: String

    public init(
        whole: Bool, minimum: Double, includesMinimum: Bool = true, maximum: Double,
        wholeWords: String = "a whole number", lowWords: String, highWords: String
    ) {
        self.whole = whole; self.minimum = minimum; self.includesMinimum = includesMinimum; self.maximum = maximum
        self.wholeWords = wholeWords; self.lowWords = lowWords; self.highWords = highWords
    }

    /// What `n` must be instead ("a year from 1900 to 2200"), or nil when it keeps the rule.
    public func broken(by n: Double) -> String? {
        if whole, !(n.isFinite && n == n.rounded()) { return wholeWords }
        // Not finite says nothing of size: worded as the kind of number wanted.
        if !n.isFinite || n < minimum || (!includesMinimum && n == minimum) { return lowWords }
        if n > maximum || (whole && Int(exactly: n) == nil) { return highWords }
        return nil
    }

    /// The same as `broken(by:) == nil`, without its words: for the fast paths, row by row.
    @inline(__always)
    public func accepts(_ n: Double) -> Bool {
        guard n.isFinite, n >= minimum, includesMinimum || n != minimum, n <= maximum else { return false }
        return !whole || (n == n.rounded() && Int(exactly: n) != nil)
    }

    /// "year must be a year from 1900 to 2200, found 1e+300", or nil when `n` keeps the rule.
    public func problem(_ key: String, _ n: Double) -> String? {
        broken(by: n).map { "\(key) must be \($0), found \(describeNumber(n))" }
    }

    /// `n` as an Int when it keeps the rule (a whole rule's values always convert).
    public func integer(_ n: Double) -> Int? { accepts(n) ? Int(exactly: n.rounded()) : nil }

    /// A number given on the command line (or by another front end): kept, or an error naming the option.
    public func check(option: String, _ n: Double) throws -> Double {
        if let wanted = broken(by: n) { throw DataError(file: option, problem: "must be \(wanted), found \(describeNumber(n))") }
        return n
    }

    public func check(option: String, _ n: Int) throws -> Int {
        _ = try check(option: option, Double(n))
        return n
    }

    /// The same rule with another minimum (a building has at least one floor).
    public func atLeast(_ m: Double) -> NumberRule {
        NumberRule(
            whole: whole, minimum: m, includesMinimum: true, maximum: maximum, wholeWords: wholeWords,
            lowWords: "\(whole ? "a whole number" : "a number"), at least \(formatJSONNumber(m))", highWords: highWords)
    }
}

extension NumberRule {
    /// "from 1900 to 2200".
    public static func words(_ bounds: ClosedRange<Int>) -> String { "from \(bounds.lowerBound) to \(bounds.upperBound)" }
    private static let maxText = formatJSONNumber(ConfigBounds.maxQuantity)

    /// A calendar year a plan, target, scenario, tenure or firm's move may name.
    public static let year = whole(ConfigBounds.years, "a whole year", "a year \(words(ConfigBounds.years))")
    /// The year a building was built (registers hold older buildings than plans name years).
    public static let yearBuilt = whole(ConfigBounds.yearsBuilt, "a whole year", "a year \(words(ConfigBounds.yearsBuilt))")
    /// A duration in whole years (0 allowed: no construction time).
    public static let yearSpan = whole(ConfigBounds.yearSpans, "a whole number of years", "a number of years \(words(ConfigBounds.yearSpans))")
    /// A term in whole years, at least one.
    public static let termYears = whole(
        max(1, ConfigBounds.yearSpans.lowerBound)...ConfigBounds.yearSpans.upperBound,
        "a whole number of years", "a number of years \(words(max(1, ConfigBounds.yearSpans.lowerBound)...ConfigBounds.yearSpans.upperBound))")
    /// A count (people, floors, iterations): whole, 0 or more.
    public static let count = NumberRule(
        whole: true, minimum: 0, maximum: ConfigBounds.maxQuantity,
        lowWords: "a whole number, 0 or more", highWords: "a whole number up to \(maxText)")
    /// An area, distance, price or rent: 0 or more.
    public static let quantity = NumberRule(
        whole: false, minimum: 0, maximum: ConfigBounds.maxQuantity,
        lowWords: "a non-negative number", highWords: "a number up to \(maxText)")
    /// The same, above 0 (a divisor, a floor area that must exist).
    public static let positive = NumberRule(
        whole: false, minimum: 0, includesMinimum: false, maximum: ConfigBounds.maxQuantity,
        lowWords: "a positive number", highWords: "a number up to \(maxText)")
    /// A signed value of either sign (a coordinate, an offset).
    public static let signed = NumberRule(
        whole: false, minimum: -ConfigBounds.maxQuantity, maximum: ConfigBounds.maxQuantity,
        lowWords: "a number from -\(maxText) to \(maxText)", highWords: "a number from -\(maxText) to \(maxText)")
    /// A solver's iterations, passes or candidates.
    public static let solverSteps = whole(ConfigBounds.solverSteps, "a whole number", "a number \(words(ConfigBounds.solverSteps))")
    /// A solver's time limit, in seconds.
    public static let solverSeconds = NumberRule(
        whole: false, minimum: 0, maximum: ConfigBounds.solverSeconds,
        lowWords: "a non-negative number", highWords: "a number of seconds up to \(formatJSONNumber(ConfigBounds.solverSeconds))")
    /// A share, 0 to 1.
    public static let share = NumberRule(
        whole: false, minimum: 0, maximum: 1,
        lowWords: "a non-negative number up to 1", highWords: "a non-negative number up to 1")
    /// A weight, priority or ratio: relative, so within `ConfigBounds.maxWeight` of 1.
    public static let weight = NumberRule(
        whole: false, minimum: 0, maximum: ConfigBounds.maxWeight,
        lowWords: "a weight from 0 to \(formatJSONNumber(ConfigBounds.maxWeight))",
        highWords: "a weight from 0 to \(formatJSONNumber(ConfigBounds.maxWeight))")

    /// A ratio of two quantities (demand over vacant space): above 0, within `ConfigBounds.maxWeight`.
    public static let ratio = NumberRule(
        whole: false, minimum: 0, includesMinimum: false, maximum: ConfigBounds.maxWeight,
        lowWords: "a positive ratio", highWords: "a ratio up to \(formatJSONNumber(ConfigBounds.maxWeight))")

    /// Whole numbers in `bounds`, with the same words on both sides.
    public static func whole(_ bounds: ClosedRange<Int>, _ wholeWords: String, _ rangeWords: String) -> NumberRule {
        NumberRule(
            whole: true, minimum: Double(bounds.lowerBound), maximum: Double(bounds.upperBound),
            wholeWords: wholeWords, lowWords: rangeWords, highWords: rangeWords)
    }
}

/// A number as a message shows it: as written in JSON, NaN and infinities by name.
public func describeNumber(_ n: Double) -> String {
    if n.isNaN { return "NaN" }
    if n.isInfinite { return n > 0 ? "infinity" : "-infinity" }
    return formatJSONNumber(n)
}
