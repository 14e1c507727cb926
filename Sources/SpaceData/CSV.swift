import Foundation

/// A CSV table (RFC 4180: quoted fields may hold commas, quotes and line breaks).
public struct CSVTable: Sendable {
    public let header: [String]
    public let rows: [[String]]
    /// The 1-based line in the file where each row starts (for error messages).
    public let lines: [Int]

    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}

public struct CSVError: Error, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

public enum CSV {
    public static func read(_ data: Data) throws -> CSVTable {
        var rows: [[String]] = []
        var lines: [Int] = []
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let n = bytes.count
            var i = 0
            if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
            var line = 1, rowLine = 1
            var row: [String] = []
            var field: [UInt8] = []
            var inQuotes = false, wasQuoted = false
            func endField() {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            }
            func endRow() {
                let blank = row.isEmpty && field.isEmpty && !wasQuoted
                endField()
                if !blank { rows.append(row); lines.append(rowLine) }
                row = []
            }
            while i < n {
                let b = bytes[i]
                if inQuotes {
                    if b == UInt8(ascii: "\"") {
                        if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 2; continue }
                        inQuotes = false
                    } else {
                        if b == UInt8(ascii: "\n") { line += 1 }
                        field.append(b)
                    }
                    i += 1
                    continue
                }
                switch b {
                case UInt8(ascii: "\""):
                    guard field.isEmpty, !wasQuoted else {
                        throw CSVError(line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    inQuotes = true; wasQuoted = true
                case UInt8(ascii: ","): endField()
                case UInt8(ascii: "\r"): break
                case UInt8(ascii: "\n"): endRow(); line += 1; rowLine = line
                default:
                    if wasQuoted { throw CSVError(line: line, message: "text after a closing quote") }
                    field.append(b)
                }
                i += 1
            }
            if inQuotes { throw CSVError(line: rowLine, message: "a quoted field is never closed") }
            if !field.isEmpty || !row.isEmpty || wasQuoted { endRow() }
        }
        guard let header = rows.first else { throw CSVError(line: 1, message: "the file is empty") }
        return CSVTable(header: header.map { $0.trimmedSpaces },
                        rows: Array(rows.dropFirst()), lines: Array(lines.dropFirst()))
    }

    /// One CSV field, quoted when it needs to be.
    public static func field(_ text: String) -> String {
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }
}

extension String {
    /// The text without leading and trailing spaces and tabs. Foundation's
    /// `trimmingCharacters(in:)` bridges through NSString and dominated loading large tables.
    var trimmedSpaces: String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return self }
        let isSpace = { (b: UInt8) in b == 0x20 || b == 0x09 }
        if !isSpace(first) && !isSpace(last) { return self }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = bytes.lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
