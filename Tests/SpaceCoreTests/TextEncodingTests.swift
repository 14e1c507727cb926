import Foundation
import SpaceCore
import Testing
import TestSupport

/// The one-pass UTF-8 check every text file goes through, against the standard library's own
/// validation, on small and large inputs.
@Suite("Text encoding: UTF-8 checked once per file")
struct TextEncodingTests {
    static func problem(_ bytes: [UInt8], refusingNUL: Bool = false) -> TextEncoding.Problem? {
        bytes.withUnsafeBufferPointer { TextEncoding.firstProblem($0, refusingNUL: refusingNUL) }
    }

    /// The standard library's answer: the offset of the first byte that does not start a valid character.
    static func reference(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    @Test("valid text of every width passes; GBK, overlong forms, surrogates, truncation and stray bytes fail where they start")
    func knownCases() {
        #expect(Self.problem(Array("福田区 Futian, café, 𝄞, \u{10FFFF}".utf8)) == nil)
        let gbk: [UInt8] = Array("id,".utf8) + [0xB8, 0xA3, 0xCC, 0xEF]
        #expect(Self.problem(gbk)?.offset == 3)
        #expect(Self.problem(gbk)?.message.contains("GBK") == true)
        for bad: [UInt8] in [[0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF]] {
            #expect(Self.problem([0x41] + bad)?.offset == 1, "\(bad)")
        }
        #expect(Self.problem([0xFF, 0xFE, 0x41, 0x00])?.message.contains("UTF-16") == true)
        #expect(Self.problem(Array("a,b\u{0}c".utf8)) == nil)
        #expect(Self.problem(Array("a,b\u{0}c".utf8), refusingNUL: true)?.offset == 3)
        #expect(Self.problem(Array("0123456789abcdef\u{0}".utf8), refusingNUL: true)?.offset == 16)
    }

    @Test("random bytes: the same first bad offset as the standard library's decoder")
    func randomBytes() {
        var random = SeededRandom(seed: 13)
        let alphabet: [[UInt8]] = [
            Array("a".utf8), Array("é".utf8), Array("福".utf8), Array("𝄞".utf8), [0x80], [0xC3], [0xE6, 0x9C], [0xF0, 0x9D], [0xED, 0xB0, 0x80],
            [0x00],
        ]
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.integer(40) {
                // Mostly valid text, so that errors fall anywhere, not only at the start.
                let piece = random.integer(10) < 8 ? alphabet[random.integer(4)] : alphabet[random.integer(alphabet.count)]
                bytes += piece
            }
            #expect(Self.problem(bytes)?.offset == Self.reference(bytes), "\(bytes)")
        }
    }

    @Test("a 20 MB file: an error anywhere is found first, where its character starts")
    func largeFiles() {
        let line = Array("E00000001,星河科技有限公司 1,ai,,3,36,114.0186323,22.5229954,\n".utf8)
        var big: [UInt8] = []
        while big.count < 20 << 20 { big += line }
        #expect(Self.problem(big) == nil)
        for offset in [0, (4 << 20) - 1, 4 << 20, (8 << 20) + 1, big.count - 1] {
            var damaged = big
            damaged[offset] = 0xFF
            // A byte inside a character breaks the character where it starts.
            #expect(Self.problem(damaged)?.offset == Self.reference(damaged), "damaged at \(offset)")
            #expect(Self.problem(damaged).map { offset - $0.offset < 4 } == true, "damaged at \(offset)")
        }
        var two = big
        two[12 << 20] = 0x80
        two[5 << 20] = 0xC3
        two[(5 << 20) + 1] = 0x41
        #expect(Self.problem(two)?.offset == Self.reference(two))
        #expect(Self.problem(two).map { (5 << 20) - $0.offset < 4 } == true)
    }
}

/// Strict decoding of local encodings (the Shapefiles and CSVs a bureau sends).
@Suite("Text decoder: GBK and GB18030 decoded strictly")
struct TextDecoderTests {
    @Test("福田 in GBK (B8 A3 CC EF, as iconv and GDAL write it) decodes; ASCII passes untouched")
    func gbk() throws {
        let decoder = try TextDecoder(encoding: "cp936")
        #expect(decoder.encoding == "GBK")
        #expect(try decoder.decode([0xB8, 0xA3, 0xCC, 0xEF]) == "福田")
        #expect(try decoder.decode(Array("P0000019".utf8)) == "P0000019")
        #expect(try TextDecoder(encoding: "GB18030").decode([0xB8, 0xA3, 0xCC, 0xEF, 0x31]) == "福田1")
    }

    @Test("bytes that are not text in the encoding fail with their offset; UTF-8 is checked as strictly")
    func failures() throws {
        let gbk = try TextDecoder(encoding: "GBK")
        let bad = #expect(throws: TextDecoder.Failure.self) { try gbk.decode([0x41, 0xB8, 0xA3, 0xFF, 0xFF]) }
        #expect(bad?.offset == 3 && bad?.message == "the bytes FF FF are not GBK text")
        let utf8 = try TextDecoder(encoding: "utf8")
        let notUTF8 = #expect(throws: TextDecoder.Failure.self) { try utf8.decode([0x41, 0xB8, 0xA3]) }
        #expect(notUTF8?.offset == 1)
        #expect(throws: TextDecoder.Failure.self) { try TextDecoder(encoding: "KLINGON") }
    }
}
