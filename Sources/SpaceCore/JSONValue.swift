import Foundation

/// A parsed JSON value. The project's own parser (below) reads UTF-8 bytes directly: it is
/// several times faster than Foundation's on large GeoJSON layers, and its errors name the
/// line and column.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    public var numberValue: Double? { if case let .number(n) = self { return n }; return nil }
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
    public var objectValue: JSONObject? { if case let .object(o) = self { return o }; return nil }
    public var isNull: Bool { self == .null }

    /// The value as text the way a table cell shows it (numbers without a trailing ".0").
    public var displayText: String {
        switch self {
        case .null: return ""
        case let .bool(b): return b ? "true" : "false"
        case let .number(n): return formatJSONNumber(n)
        case let .string(s): return s
        case .array, .object: return serializedJSON(self)
        }
    }
}

/// A JSON object that keeps its members in file order (so written files read like the input).
/// Members live in one array searched linearly: GIS properties have a handful of keys, and a
/// dictionary per feature would cost more to build than it saves in look-ups.
public struct JSONObject: Equatable, Sendable {
    private var storage: [(key: String, value: JSONValue)] = []

    public init() {}
    public init(_ pairs: [(String, JSONValue)]) { for (k, v) in pairs { self[k] = v } }

    public subscript(key: String) -> JSONValue? {
        get { storage.first { $0.key == key }?.value }
        set {
            if let i = storage.firstIndex(where: { $0.key == key }) {
                if let newValue { storage[i].value = newValue } else { storage.remove(at: i) }
            } else if let newValue {
                storage.append((key, newValue))
            }
        }
    }

    /// Appends a member read from a file (a repeated key keeps its last value, as JSON parsers do).
    mutating func appendParsed(_ key: String, _ value: JSONValue) {
        if storage.count < 16, !storage.contains(where: { $0.key == key }) { storage.append((key, value)) } else { self[key] = value }
    }

    public var keys: [String] { storage.map(\.key) }
    public var count: Int { storage.count }
    public var members: [(key: String, value: JSONValue)] { storage }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.storage.count == b.storage.count && a.storage.allSatisfy { b[$0.key] == $0.value }
    }
}

public struct JSONParseError: Error, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "invalid JSON at line \(line), column \(column): \(message)" }
}

/// Parses a JSON document from UTF-8 bytes; bytes that are not UTF-8 are an error naming the line.
public func parseJSON(_ data: Data) throws -> JSONValue {
    try data.withUnsafeBytes { raw in
        let bytes = raw.bindMemory(to: UInt8.self)
        try checkJSONText(bytes)
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }
}

/// JSON text must be UTF-8 (RFC 8259): a file that is not is refused before it is parsed.
func checkJSONText(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    guard let problem = TextEncoding.firstProblem(bytes) else { return }
    var parser = JSONParser(bytes: bytes)
    parser.position = problem.offset
    throw parser.error(problem.message)
}

public func parseJSON(_ text: String) throws -> JSONValue { try parseJSON(Data(text.utf8)) }

struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    static let maxDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws -> JSONValue {
        // Skip a UTF-8 byte-order mark, which some GIS exports write.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        if position >= bytes.count { throw error("the file is empty") }
        let value = try parseValue()
        skipWhitespace()
        if position < bytes.count { throw error("unexpected text after the end of the document") }
        return value
    }

    func error(_ message: String) -> JSONParseError {
        var line = 1, column = 1
        for i in 0..<min(position, bytes.count) {
            if bytes[i] == UInt8(ascii: "\n") { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
        }
        // A control byte where text was expected is what a planner must look for: name it.
        var found = ""
        if position < bytes.count, bytes[position] < 0x20, ![0x09, 0x0A, 0x0D].contains(bytes[position]), !message.contains("unexpected byte") {
            found = " (found the byte 0x\(bytes[position] < 0x10 ? "0" : "")\(String(bytes[position], radix: 16, uppercase: true)))"
        }
        return JSONParseError(line: line, column: column, message: message + found)
    }

    @inline(__always) mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws -> JSONValue {
        guard position < bytes.count else { throw error("unexpected end of the document") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "N"):
            // Python's json writes NaN for a missing float: read it, so checks can report it.
            try expectLiteral("NaN"); return .number(.nan)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "I"):
            return .number(try parseNumber())
        case let b where b < 0x20 || b >= 0x7F:
            throw error("unexpected byte 0x\(b < 0x10 ? "0" : "")\(String(b, radix: 16, uppercase: true))")
        default:
            throw error("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("unexpected end of the document") }
        let matches = literal.withUTF8Buffer { lit in (0..<count).allSatisfy { bytes[position + $0] == lit[$0] } }
        guard matches else { throw error("expected '\(literal)'") }
        position += count
    }

    mutating func parseObject() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > JSONParser.maxDepth { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
        position += 1
        var object = JSONObject()
        try parseMembers { parser, key in object.appendParsed(key, try parser.parseValue()) }
        return .object(object)
    }

    /// Reads the members of the object whose '{' was just consumed, handing each name to
    /// `member`, which must parse the value.
    mutating func parseMembers(_ member: (inout JSONParser, String) throws -> Void) throws {
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':' after member name \"\(key)\"") }
            position += 1
            skipWhitespace()
            try member(&self, key)
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end inside an object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return }
            throw error("expected ',' or '}' in an object")
        }
    }

    mutating func parseArray() throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > JSONParser.maxDepth { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
        position += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(array) }
        while true {
            skipWhitespace()
            array.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end inside an array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(array) }
            throw error("expected ',' or ']' in an array")
        }
    }

    mutating func parseNumber() throws -> Double {
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            case UInt8(ascii: "I"), UInt8(ascii: "n"), UInt8(ascii: "f"), UInt8(ascii: "i"), UInt8(ascii: "t"), UInt8(ascii: "y"):
                position += 1  // Infinity / -Infinity, as Python writes them
            default:
                return try finishNumber(start)
            }
        }
        return try finishNumber(start)
    }

    private func finishNumber(_ start: Int) throws -> Double {
        let length = position - start
        if let value = parsePlainDecimal(UnsafeBufferPointer(rebasing: bytes[start..<position])) { return value }
        // strtod on a small stack copy: exact (correctly rounded).
        return try withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            for i in 0..<length { buffer[i] = CChar(bitPattern: bytes[start + i]) }
            buffer[length] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end - buffer.baseAddress! == length, length > 0 else {
                var this = self
                this.position = start
                throw this.error("malformed number")
            }
            return value
        }
    }

    mutating func parseString() throws -> String {
        position += 1
        let start = position
        var hasEscape = false
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                if !hasEscape {
                    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return s
                }
                break
            }
            if b == UInt8(ascii: "\\") { hasEscape = true; position += 2; continue }
            if b < 0x20 { throw error("control character inside a string") }
            position += 1
        }
        guard position < bytes.count else { throw error("unterminated string") }
        // Slow path: decode escapes.
        var out = [UInt8]()
        var i = start
        while i < position {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4(at: i)
                i += 4
                if (0xD800..<0xDC00).contains(code), i + 6 <= position, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    let low = try hex4(at: i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                guard let scalar = Unicode.Scalar(code) else {
                    var at = self
                    at.position = i - 6
                    throw at.error("\\u escape of a lone surrogate (U+\(String(code, radix: 16, uppercase: true))): not a character")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
            }
        }
        position += 1
        return String(decoding: out, as: UTF8.self)
    }

    private func hex4(at index: Int) throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[index + k]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value * 16 + digit
        }
        return value
    }
}

// MARK: Writing

/// Shortest text that reads back as the same Double; integers without ".0".
public func formatJSONNumber(_ n: Double) -> String {
    if !n.isFinite { return "null" }
    if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
    return "\(n)"
}

/// Appends a JSON string literal with the escapes RFC 8259 requires.
public func appendJSONString(_ s: String, to out: inout String) {
    out.append("\"")
    // Most strings need no escape: append them whole.
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
        out.append(s)
        out.append("\"")
        return
    }
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out.append("\\\"")
        case "\\": out.append("\\\\")
        case "\n": out.append("\\n")
        case "\r": out.append("\\r")
        case "\t": out.append("\\t")
        case let c where c.value < 0x20: out.append(String(format: "\\u%04x", c.value))
        default: out.unicodeScalars.append(scalar)
        }
    }
    out.append("\"")
}

public func appendJSON(_ value: JSONValue, to out: inout String) {
    switch value {
    case .null: out.append("null")
    case let .bool(b): out.append(b ? "true" : "false")
    case let .number(n): out.append(formatJSONNumber(n))
    case let .string(s): appendJSONString(s, to: &out)
    case let .array(items):
        out.append("[")
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(",") }
            appendJSON(item, to: &out)
        }
        out.append("]")
    case let .object(object):
        out.append("{")
        for (i, member) in object.members.enumerated() {
            if i > 0 { out.append(",") }
            appendJSONString(member.key, to: &out)
            out.append(":")
            appendJSON(member.value, to: &out)
        }
        out.append("}")
    }
}

public func serializedJSON(_ value: JSONValue) -> String {
    var out = ""
    appendJSON(value, to: &out)
    return out
}
