import Foundation
import SpaceCore
import SpaceData
import Testing
import TestSupport

/// The one rule every number read goes through: no value traps, every value outside the rule
/// is named with what was wanted, and whole numbers convert only when they fit.
@Suite("Numbers read from any input: checked before conversion")
struct NumberRuleTests {
    static let rules: [(String, NumberRule)] = [
        ("year", .year), ("yearBuilt", .yearBuilt), ("yearSpan", .yearSpan), ("termYears", .termYears), ("count", .count),
        ("quantity", .quantity), ("positive", .positive), ("signed", .signed), ("share", .share), ("weight", .weight),
        ("ratio", .ratio), ("solverSteps", .solverSteps), ("solverSeconds", .solverSeconds),
    ]

    @Test("NaN, infinities, 1e300 and every Double bit pattern: a problem or a value within the rule, never a trap")
    func anyDouble() {
        var random = SeededRandom(seed: 2026)
        let special: [Double] = [
            .nan, .infinity, -.infinity, 1e300, -1e300, 9.3e18, -9.3e18, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0, 0.5, 2021.5,
        ]
        let samples = special + (0..<20_000).map { _ in Double(bitPattern: random.next()) }
        for (name, rule) in Self.rules {
            for n in samples {
                #expect(rule.accepts(n) == (rule.broken(by: n) == nil), "\(name) \(n): the fast check disagrees")
                if let wanted = rule.broken(by: n) {
                    #expect(rule.problem("x", n)?.contains("x must be \(wanted), found") == true, "\(name) \(n)")
                    #expect(rule.integer(n) == nil, "\(name) \(n)")
                } else {
                    #expect(n.isFinite && n >= rule.minimum && n <= rule.maximum, "\(name) accepted \(n)")
                    if rule.whole { #expect(rule.integer(n).map(Double.init) == n, "\(name) \(n)") }
                }
            }
        }
    }

    @Test("the words say what was wanted, on the side that was missed")
    func words() {
        #expect(NumberRule.year.problem("as_of_year", 1e300) == "as_of_year must be a year from 1900 to 2200, found 1e+300")
        #expect(NumberRule.year.problem("as_of_year", 2021.5) == "as_of_year must be a whole year, found 2021.5")
        #expect(NumberRule.quantity.problem("gfa_m2", -5) == "gfa_m2 must be a non-negative number, found -5")
        #expect(NumberRule.quantity.problem("gfa_m2", 1e300) == "gfa_m2 must be a number up to 1000000000, found 1e+300")
        #expect(NumberRule.positive.problem("far", 0) == "far must be a positive number, found 0")
        #expect(NumberRule.count.atLeast(1).problem("floors", 0) == "floors must be a whole number, at least 1, found 0")
        #expect(NumberRule.weight.problem("priority", .nan) == "priority must be a weight from 0 to 1000, found NaN")
        #expect(NumberRule.year.problem("year", 2025) == nil)
        #expect(throws: DataError.self) { try NumberRule.year.check(option: "--as-of", 99_999) }
    }
}
