import Foundation
import SpaceCore
import SpaceGeometry

/// A CSV table (RFC 4180: quoted fields may hold commas, quotes and line breaks). Rows are
/// kept as byte ranges of the file and split into fields on demand, so a table of millions of
/// rows can be turned into records on all cores without first holding every field as a String.
public struct CSVTable: @unchecked Sendable {  // safe: immutable; Data is shared read-only
    public let header: [String]
    /// The 1-based line in the file where each row starts (for error messages).
    public let lines: [Int]
    private let data: Data
    private let rowRanges: [Range<Int>]

    public var count: Int { rowRanges.count }
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The fields of row `k` (0-based, after the header).
    public func fields(ofRow k: Int) -> [String] {
        data.withUnsafeBytes { raw in
            CSV.splitFields(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[rowRanges[k]]))
        }
    }

    /// Calls `body` with the row's bytes and its fields' byte ranges, without making a String
    /// per field; nil when the row has quotes or a field count other than the header's (the
    /// caller then takes the general path).
    public func withPlainFields<T>(ofRow k: Int, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Range<Int>>) throws -> T?) rethrows -> T? {
        try data.withUnsafeBytes { raw -> T? in
            let row = UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[rowRanges[k]])
            let n = header.count
            return try withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: n) { fields -> T? in
                var count = 0, start = 0
                for i in 0..<row.count {
                    let b = row[i]
                    if b == 0x22 { return nil }
                    if b == 0x2C {
                        if count == n { return nil }
                        fields[count] = start..<i
                        count += 1
                        start = i + 1
                    }
                }
                if count != n - 1 { return nil }
                fields[count] = start..<row.count
                return try body(row, UnsafeBufferPointer(fields))
            }
        }
    }

    /// Every row split into fields (for small tables).
    public var rows: [[String]] { rowRanges.indices.map(fields(ofRow:)) }

    init(data: Data, header: [String], rowRanges: [Range<Int>], lines: [Int]) {
        self.data = data; self.header = header; self.rowRanges = rowRanges; self.lines = lines
    }
}

public struct CSVError: Error, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

public enum CSV {
    /// Finds the rows (one pass, aware of quotes); blank lines are skipped. The file must be
    /// UTF-8 text without NUL bytes: checked once over all its bytes, so that fields need no
    /// check of their own.
    public static func read(_ data: Data) throws -> CSVTable {
        var ranges: [Range<Int>] = []
        var lines: [Int] = []
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            if let problem = TextEncoding.firstProblem(bytes, refusingNUL: true) {
                throw CSVError(
                    line: lineAndField(of: problem.offset, in: bytes).line,
                    message: "\(lineAndField(of: problem.offset, in: bytes).field): \(problem.message)")
            }
            let n = bytes.count
            var i = 0
            if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
            var start = i, line = 1, rowLine = 1, inQuotes = false
            func endRow(_ end: Int) {
                var e = end
                if e > start, bytes[e - 1] == 0x0D { e -= 1 }
                if e > start { ranges.append(start..<e); lines.append(rowLine) }
            }
            while i < n {
                let b = bytes[i]
                if b == 0x22 {
                    inQuotes.toggle()
                } else if b == 0x0A {
                    line += 1
                    if !inQuotes { endRow(i); start = i + 1; rowLine = line }
                }
                i += 1
            }
            if inQuotes { throw CSVError(line: rowLine, message: "a quoted field is never closed") }
            endRow(n)
        }
        guard let first = ranges.first else { throw CSVError(line: 1, message: "the file is empty") }
        let header = data.withUnsafeBytes { raw in
            splitFields(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[first])).map(\.trimmedSpaces)
        }
        // A column named twice would be read from its first place in silence.
        var place: [String: Int] = [:]
        for (i, name) in header.enumerated() where !name.isEmpty {
            if let first = place[name] {
                throw CSVError(line: lines[0], message: "column \"\(name)\" appears twice in the header (fields \(first + 1) and \(i + 1))")
            }
            place[name] = i
        }
        return CSVTable(data: data, header: header, rowRanges: Array(ranges.dropFirst()), lines: Array(lines.dropFirst()))
    }

    /// The line and the field (by number, and by the header's name for it) of a byte offset, for
    /// messages; found by reading the file again up to it, which only an error has to pay for.
    static func lineAndField(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, field: String) {
        var line = 1, field = 0, inQuotes = false, headerEnd: Int?
        for i in 0..<min(offset, bytes.count) {
            let b = bytes[i]
            if b == 0x22 {
                inQuotes.toggle()
            } else if b == 0x0A {
                line += 1; if !inQuotes { field = 0; if headerEnd == nil { headerEnd = i } }
            } else if b == 0x2C, !inQuotes {
                field += 1
            }
        }
        var name = ""
        if let headerEnd, line > 1 {
            let header = splitFields(UnsafeBufferPointer(rebasing: bytes[0..<headerEnd]))
            if field < header.count { name = " (\(header[field].trimmedSpaces))" }
        }
        return (line, "field \(field + 1)\(name)")
    }

    /// Splits one row into fields: quotes are removed and doubled quotes undone.
    static func splitFields(_ row: UnsafeBufferPointer<UInt8>) -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, i = 0
        let n = row.count
        var plainStart = 0, plain = true
        while i < n {
            let b = row[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < n, row[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    inQuotes = false
                } else {
                    field.append(b)
                }
            } else if b == 0x22 {
                if plain { field.append(contentsOf: UnsafeBufferPointer(rebasing: row[plainStart..<i])) }
                plain = false
                inQuotes = true
            } else if b == 0x2C {
                fields.append(
                    plain
                        ? String(decoding: UnsafeBufferPointer(rebasing: row[plainStart..<i]), as: UTF8.self)
                        : String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                plain = true
                plainStart = i + 1
            } else if !plain {
                field.append(b)
            }
            i += 1
        }
        fields.append(
            plain
                ? String(decoding: UnsafeBufferPointer(rebasing: row[plainStart..<n]), as: UTF8.self)
                : String(decoding: field, as: UTF8.self))
        return fields
    }

    /// One CSV field, quoted when it needs to be.
    public static func field(_ text: String) -> String {
        if text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
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
