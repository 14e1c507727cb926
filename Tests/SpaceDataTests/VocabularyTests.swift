import Testing

@testable import SpaceData

@Suite("Vocabulary: land-use classes")
struct VocabularyTests {
    /// The rule as written for any text: a class prefix, then letters and digits only.
    static func reference(_ code: String) -> String? {
        Vocabulary.landUsePrefixes.first { code.hasPrefix($0) && code.dropFirst($0.count).allSatisfy { $0.isNumber || $0.isLetter } }
    }

    @Test("the byte-level reading of ASCII codes gives the class the rule gives, for codes good and bad")
    func classes() {
        let expected: [(String, String?)] = [
            ("M1", "M"), ("M0", "M"), ("GIC2", "GIC"), ("GIC", "GIC"), ("G1", "G"), ("W0", "W"), ("C", "C"), ("R2a", "R"),
            ("m1", nil), ("M-1", nil), ("M1 ", nil), ("", nil), ("X1", nil), ("1M", nil), ("E9z", "E"),
            ("M１", "M"), ("M一", "M"), ("Ḿ1", nil), ("M\u{301}1", nil), ("M1_", nil), ("U\u{00A0}", nil),
        ]
        for (code, want) in expected {
            #expect(Vocabulary.landUseClass(code) == want, "\(code)")
            #expect(Vocabulary.landUseClass(code) == Self.reference(code), "\(code)")
        }
        #expect(Vocabulary.landUseCategory("M0") == "M0" && Vocabulary.landUseCategory("M01") == "M0" && Vocabulary.landUseCategory("M1") == "M")
        // Every two-byte ASCII code after each prefix agrees with the rule.
        for prefix in Vocabulary.landUsePrefixes {
            for a in 0x20..<0x7F {
                for b in [0x30, 0x41, 0x5F, 0x7A, 0x2D] {
                    let code = prefix + String(UnicodeScalar(UInt8(a))) + String(UnicodeScalar(UInt8(b)))
                    #expect(Vocabulary.landUseClass(code) == Self.reference(code), "\(code)")
                }
            }
        }
    }
}
