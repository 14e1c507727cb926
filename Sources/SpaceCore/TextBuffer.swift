import Foundation

/// UTF-8 text built by appending bytes: the scratch space of the large writers. Appending to a
/// `String` piece by piece cost more than the text itself on layers of 500,000 features.
public struct TextBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Bytes made elsewhere (a Shapefile from GDAL, a file SQLite wrote), handed to a sink as they are.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ other: TextBuffer) { bytes.append(contentsOf: other.bytes) }

    public mutating func append(byte: UInt8) { bytes.append(byte) }

    /// The decimal digits of `n`.
    public mutating func appendInteger(_ n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(n.magnitude)
    }

    /// Digits are made right to left in a small buffer on the stack, then appended at once:
    /// writing them into the array one by one cost a bounds check and a uniqueness check each.
    private mutating func appendDigits(_ n: UInt, minimumWidth: Int = 1) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var k = 40, v = n
            repeat {
                k -= 1
                digits[k] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
            } while v > 0
            while 40 - k < minimumWidth, k > 0 { k -= 1; digits[k] = UInt8(ascii: "0") }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<40]))
        }
    }

    /// Fixed-point text with trailing zeros trimmed ("114.05", "2490000"; "null" if not finite),
    /// in integer arithmetic: `String(format:)` is slow enough on Linux to dominate writing a
    /// large layer. `formatFixed` is the same as a `String`.
    public mutating func appendFixed(_ value: Double, _ decimals: Int) {
        guard value.isFinite else { append("null"); return }
        let decimals = max(0, min(decimals, 15))
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * Double(scale)).rounded()
        guard abs(scaled) < 9e15 else { append(String(format: "%.\(decimals)f", value)); return }
        var n = Int64(scaled)
        if n == 0 { bytes.append(UInt8(ascii: "0")); return }
        if n < 0 { bytes.append(UInt8(ascii: "-")); n = -n }
        var fraction = n % scale, digits = decimals
        while digits > 0, fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        appendDigits(UInt(n / scale))
        if digits > 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(UInt(fraction), minimumWidth: digits)
        }
    }

    /// As `appendFixed`, but a whole number keeps one decimal ("1576.0"), so that a reader
    /// typing fields from values sees a real number.
    public mutating func appendReal(_ value: Double, _ decimals: Int) {
        let start = bytes.count
        appendFixed(value, decimals)
        if value.isFinite, !bytes[start...].contains(UInt8(ascii: ".")) { append(".0") }
    }

    /// A JSON string literal, escaped as `appendJSONString(_:to:)` escapes it.
    public mutating func appendJSONString(_ s: String) {
        var s = s
        let plain = s.withUTF8 { text -> Bool in
            for b in text where b < 0x20 || b == 0x22 || b == 0x5C { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if !plain {
            var escaped = ""
            SpaceCore.appendJSONString(s, to: &escaped)
            append(escaped)
        }
    }

    /// A CSV field, quoted (quotes doubled) when it holds a comma, quote or line break.
    public mutating func appendCSVField(_ s: String) {
        var s = s
        s.withUTF8 { text in
            guard text.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                bytes.append(contentsOf: text)
                return
            }
            bytes.append(UInt8(ascii: "\""))
            for b in text {
                if b == 0x22 { bytes.append(0x22) }
                bytes.append(b)
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
