/// Text files are UTF-8 (GIS/README.md). Files saved by Chinese Windows software are often
/// GBK instead: decoded as UTF-8 without a check, every name becomes replacement characters,
/// silently. So each file's bytes are checked once, as a whole, before it is parsed: a tight
/// loop (eight ASCII bytes at a time), after which the parsers' fast paths may turn byte
/// ranges into Strings without checking them again.
public enum TextEncoding {
    /// Where the bytes stop being UTF-8 (or hold a NUL byte, when `refusingNUL`), and why.
    public struct Problem: Sendable, Equatable {
        public let offset: Int
        public let message: String
    }

    /// The first problem in `bytes`, or nil when they are all UTF-8 text.
    public static func firstProblem(_ bytes: UnsafeBufferPointer<UInt8>, refusingNUL: Bool = false) -> Problem? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return Problem(offset: 0, message: "the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8: save it as UTF-8")
        }
        let n = bytes.count
        // One pass on one core: 5 GB/s, 16 ms for the 84 MB of a 100,000-building district. Split
        // across cores it was no faster, the layers being read side by side already.
        guard let offset = firstInvalid(base, count: n, refusingNUL: refusingNUL) else { return nil }
        if base[offset] == 0 {
            return Problem(offset: offset, message: "a NUL byte (0x00): the file is binary or UTF-16, not UTF-8 text")
        }
        return Problem(
            offset: offset,
            message:
                "the bytes \(shownBytes(bytes, at: offset)) are not UTF-8: the file may be GBK-encoded (as Chinese Windows software saves text); save it as UTF-8, e.g. iconv -f GBK -t UTF-8"
        )
    }

    /// Up to four bytes from `offset` in hex ("B8 A3 FF"), to show where text stops being text.
    static func shownBytes(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return (offset..<min(bytes.count, offset + 4)).map { k in
            String([digits[Int(bytes[k] >> 4)], digits[Int(bytes[k] & 0x0F)]])
        }.joined(separator: " ")
    }

    /// The first offset where a character is not UTF-8 (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF).
    static func firstInvalid(_ base: UnsafePointer<UInt8>, count n: Int, refusingNUL: Bool) -> Int? {
        let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & high == 0 {
                    // Eight ASCII bytes; a zero among them shows as a high bit of (word - ones) & ~word.
                    if refusingNUL, (word &- ones) & ~word & high != 0 {
                        for k in 0..<8 where base[i + k] == 0 { return i + k }
                    }
                    i += 8
                    continue
                }
            }
            let b = base[i]
            if b < 0x80 {
                if b == 0, refusingNUL { return i }
                i += 1
                continue
            }
            let length: Int, low: UInt8, top: UInt8  // bounds of the second byte
            switch b {
            case 0xC2...0xDF: length = 2; low = 0x80; top = 0xBF
            case 0xE0: length = 3; low = 0xA0; top = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3; low = 0x80; top = 0xBF
            case 0xED: length = 3; low = 0x80; top = 0x9F
            case 0xF0: length = 4; low = 0x90; top = 0xBF
            case 0xF1...0xF3: length = 4; low = 0x80; top = 0xBF
            case 0xF4: length = 4; low = 0x80; top = 0x8F
            default: return i
            }
            guard i + length <= n, (low...top).contains(base[i + 1]) else { return i }
            if length > 2, base[i + 2] & 0xC0 != 0x80 { return i }
            if length > 3, base[i + 3] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}
