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

    private mutating func appendDigits(_ n: UInt, minimumWidth: Int = 1) {
        var width = 1, m = n
        while m >= 10 { m /= 10; width += 1 }
        width = max(width, minimumWidth)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var k = start + width - 1, v = n
        while v > 0 { bytes[k] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; k -= 1 }
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
        if s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            var escaped = ""
            SpaceCore.appendJSONString(s, to: &escaped)
            append(escaped)
        } else {
            bytes.append(UInt8(ascii: "\""))
            append(s)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// A CSV field, quoted (quotes doubled) when it holds a comma, quote or line break.
    public mutating func appendCSVField(_ s: String) {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { append(s); return }
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
