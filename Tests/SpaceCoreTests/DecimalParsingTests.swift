import Foundation
import SpaceCore
import Testing
import TestSupport

@Suite("Plain decimals parsed without strtod")
struct PlainDecimalTests {
    /// strtod's answer for the same text: the reference.
    static func strtodValue(_ text: String) -> Double { strtod(text, nil) }

    static func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { parsePlainDecimal($0) }
    }

    @Test("every plain decimal of up to 15 significant digits gives strtod's exact bits")
    func agreesWithStrtod() {
        var state: UInt64 = 2021
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var checked = 0
        for _ in 0..<200_000 {
            let integerDigits = Int(next() % 8), fractionDigits = Int(next() % 16)
            var text = next() % 2 == 0 ? "-" : ""
            text += integerDigits == 0 ? "0" : String((0..<integerDigits).map { _ in Character(String(next() % 10)) })
            if fractionDigits > 0 { text += "." + String((0..<fractionDigits).map { _ in Character(String(next() % 10)) }) }
            guard let fast = Self.parse(text) else { continue }
            #expect(fast.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
            checked += 1
        }
        #expect(checked > 150_000)
        // Coordinates as the layers write them, and signed zero.
        for text in ["114.0579123", "22.5431", "-0", "-0.0", "0", "2490000", "0.0000001", "9007199254740.99"] {
            #expect(Self.parse(text)?.bitPattern == Self.strtodValue(text).bitPattern, "\(text)")
        }
    }

    @Test("exponents, long mantissas and malformed text are left to strtod")
    func declines() {
        for text in ["1e5", "1.5E-3", "1234567890123456", "0.1234567890123456", "", "-", ".5", "5.", "1.2.3", "+1", "1-", "Infinity", "0x10"] {
            #expect(Self.parse(text) == nil, "\(text)")
        }
    }
}
