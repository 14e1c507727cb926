import CLibPQ
import Foundation

/// A failure PostgreSQL reported: its message and SQLSTATE (40001 serialization failure,
/// 57P01 and 08xxx a connection lost, P0001 a trigger's RAISE).
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let state: String
    public var description: String { message }
    /// The connection was lost: nothing was committed.
    public var connectionLost: Bool { state.hasPrefix("08") || state == "57P01" || state.isEmpty }
}

/// One connection to PostgreSQL through libpq, for a store: text values in and out, statements
/// with parameters, COPY in for bulk loading and binary COPY out for reading large tables. One
/// thread uses a connection at a time.
public final class PostgresConnection: @unchecked Sendable {  // safe: one thread at a time, as documented
    let handle: OpaquePointer

    /// Connects with a libpq connection string or URL (postgresql://user@host:port/db).
    public init(_ conninfo: String) throws {
        guard let connection = PQconnectdb(conninfo) else { throw PostgresError(message: "libpq: out of memory", state: "") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw PostgresError(message: message, state: "08001")
        }
        handle = connection
    }

    deinit { PQfinish(handle) }

    func error(_ result: OpaquePointer?) -> PostgresError {
        let message = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) } ?? String(cString: PQerrorMessage(handle))
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) } ?? ""
        let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
        return PostgresError(message: firstLine.replacingOccurrences(of: "ERROR:  ", with: ""), state: state)
    }

    /// A role's password as the server keeps it (SCRAM-SHA-256), computed here: the password itself
    /// is never sent to the server.
    public func encryptedPassword(_ password: String, role: String) throws -> String {
        guard let text = PQencryptPasswordConn(handle, password, role, "scram-sha-256") else {
            throw PostgresError(message: String(cString: PQerrorMessage(handle)), state: "")
        }
        defer { PQfreemem(text) }
        return String(cString: text)
    }

    /// Waits up to `seconds` for notifications on the channels this connection LISTENs on, and
    /// returns their payloads (none when the time ran out).
    public func notifications(waiting seconds: Double) throws -> [String] {
        var payloads = try pendingNotifications()
        if !payloads.isEmpty { return payloads }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(seconds * 1_000))
        guard ready > 0 else { return [] }
        guard PQconsumeInput(handle) == 1 else { throw PostgresError(message: String(cString: PQerrorMessage(handle)), state: "08006") }
        payloads = try pendingNotifications()
        return payloads
    }

    private func pendingNotifications() throws -> [String] {
        var payloads: [String] = []
        while let notice = PQnotifies(handle) {
            payloads.append(String(cString: notice.pointee.extra))
            PQfreemem(notice)
        }
        return payloads
    }

    /// Runs statements without parameters (several may be given, separated by semicolons).
    public func execute(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw error(result) }
    }

    /// Runs one statement with text parameters ($1, $2…; nil is NULL); `binary` asks for the
    /// results in binary. The caller reads the result and clears it.
    func run(_ sql: String, _ parameters: [String?], binary: Bool) throws -> OpaquePointer? {
        let cStrings = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { cStrings.forEach { free($0) } }
        let result = cStrings.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values.baseAddress, nil, nil, binary ? 1 : 0)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            defer { PQclear(result) }
            throw error(result)
        }
        return result
    }

    /// Runs one statement with text parameters ($1, $2…; nil is NULL), returning every row as text.
    @discardableResult
    public func rows(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let result = try run(sql, parameters, binary: false)
        defer { PQclear(result) }
        let rowCount = PQntuples(result), columnCount = PQnfields(result)
        var out: [[String?]] = []
        out.reserveCapacity(Int(rowCount))
        for r in 0..<rowCount {
            out.append(
                (0..<columnCount).map { c in
                    PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c))
                })
        }
        return out
    }

    /// A value as PostgreSQL sends it in binary: what a store reads in bulk.
    public enum Cell: Sendable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case bytes([UInt8])
    }

    /// Runs one statement with text parameters and returns every row in binary form: integers,
    /// doubles and bytea as they are (no text to parse, no hex), text as UTF-8. Columns of other
    /// types come as their raw bytes.
    public func binaryRows(_ sql: String, _ parameters: [String?] = []) throws -> [[Cell]] {
        var out: [[Cell]] = []
        try eachBinaryInPlace(sql, parameters, expecting: { out.reserveCapacity($0) }) { row in
            out.append((0..<row.columnCount).map { row.cell($0) })
        }
        return out
    }

    /// Runs one statement as `binaryRows` does, telling `expecting` the number of rows, then
    /// handing each row to `body` in place: its cells decoded only when asked for, bytes
    /// without a copy (a large table read straight into records).
    public func eachBinaryInPlace(
        _ sql: String, _ parameters: [String?] = [], expecting: (Int) -> Void = { _ in }, _ body: (PostgresRowInPlace) throws -> Void
    ) throws {
        let result = try run(sql, parameters, binary: true)
        defer { PQclear(result) }
        let rowCount = PQntuples(result), columnCount = PQnfields(result)
        let types = (0..<columnCount).map { PQftype(result, $0) }
        expecting(Int(rowCount))
        let cells = UnsafeMutableBufferPointer<PostgresRowInPlace.CellBytes>.allocate(capacity: Int(columnCount))
        defer { cells.deallocate() }
        for r in 0..<rowCount {
            for c in 0..<columnCount {
                cells[Int(c)] =
                    PQgetisnull(result, r, c) == 1
                    ? (nil, 0) : (UnsafeRawPointer(PQgetvalue(result, r, c)), Int(PQgetlength(result, r, c)))
            }
            try body(PostgresRowInPlace(cells: UnsafeBufferPointer(cells), types: types))
        }
    }

    /// Runs one SELECT (no parameters) as `COPY (…) TO STDOUT` in binary and hands each row to
    /// `body` in place as it arrives: the server makes the next rows while this side reads
    /// these, and no result ever holds the whole table. The columns' types come from the
    /// statement described first (COPY's binary form does not carry them).
    public func eachCopiedInPlace(_ select: String, _ body: (PostgresRowInPlace) throws -> Void) throws {
        let described = try run("SELECT * FROM (\(select)) AS rows LIMIT 0", [], binary: true)
        let types = (0..<PQnfields(described)).map { PQftype(described, $0) }
        PQclear(described)
        let start = PQexec(handle, "COPY (\(select)) TO STDOUT (FORMAT binary)")
        defer { PQclear(start) }
        guard PQresultStatus(start) == PGRES_COPY_OUT else { throw error(start) }
        let cells = UnsafeMutableBufferPointer<PostgresRowInPlace.CellBytes>.allocate(capacity: types.count)
        defer { cells.deallocate() }
        var failure: Error?, first = true
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            guard length > 0, let buffer else { break }
            defer { PQfreemem(buffer) }
            // After a failure the rest is only drained, so the connection is usable again.
            guard failure == nil else { continue }
            do {
                var message = CopyMessage(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                if first { try message.skipHeader(); first = false }
                // One message per row (the last holds only the end mark).
                while let count = try message.fieldCount() {
                    guard count == types.count else { throw PostgresError(message: "COPY sent \(count) fields, not \(types.count)", state: "XX000") }
                    for c in 0..<count { cells[c] = try message.field() }
                    try body(PostgresRowInPlace(cells: UnsafeBufferPointer(cells), types: types))
                }
            } catch { failure = error }
        }
        try endCopy(failure)
    }

    /// COPY … FROM STDIN in text format: `lines` are written as they come (each row one line,
    /// tab-separated, with COPY's escapes), then the copy is ended.
    public func copy(_ sql: String, _ lines: (( String) throws -> Void) throws -> Void) throws {
        let start = PQexec(handle, sql)
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == PGRES_COPY_IN else { throw error(nil) }
        var failure: Error?
        do {
            try lines { line in
                var bytes = Array(line.utf8)
                bytes.append(UInt8(ascii: "\n"))
                let sent = bytes.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { PQputCopyData(handle, $0, Int32(buffer.count)) }
                }
                if sent != 1 { throw self.error(nil) }
            }
        } catch { failure = error }
        _ = PQputCopyEnd(handle, failure == nil ? nil : "the copy was abandoned")
        try endCopy(failure)
    }

    /// Collects a COPY's closing results: `failure` (this side's) first, else the server's error.
    private func endCopy(_ failure: Error?) throws {
        var last: Error?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK { last = self.error(result) }
            PQclear(result)
        }
        if let failure { throw failure }
        if let last { throw last }
    }

    /// A literal for COPY's text format: backslash, tab and line ends escaped; nil as \N.
    public static func copyText(_ value: String?) -> String {
        guard let value else { return "\\N" }
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for ch in value.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A parameter value escaped as an SQL identifier ("schema").
    public static func identifier(_ name: String) -> String { quotedSQLIdentifier(name) }
}

/// Hex text of bytes, as PostgreSQL reads bytea (`\x0102…`) and hex EWKB.
public enum HexBytes {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One row of a binary result or a binary COPY, valid only inside the call that gave it.
public struct PostgresRowInPlace {
    /// A cell's bytes in PostgreSQL's binary form; nil when NULL.
    typealias CellBytes = (start: UnsafeRawPointer?, count: Int)
    let cells: UnsafeBufferPointer<CellBytes>
    let types: [Oid]

    public var columnCount: Int { types.count }

    /// A cell as `binaryRows` gives it: integers, doubles and bytea as they are, text as UTF-8,
    /// other types as their raw bytes.
    public func cell(_ column: Int) -> PostgresConnection.Cell {
        guard let raw = cells[column].start else { return .null }
        let length = cells[column].count
        func bigEndian(_ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<n { v = v << 8 | UInt64(raw.load(fromByteOffset: i, as: UInt8.self)) }
            return v
        }
        switch types[column] {
        case 20: return .integer(Int64(bitPattern: bigEndian(8)))  // int8
        case 23: return .integer(Int64(Int32(bitPattern: UInt32(bigEndian(4)))))  // int4
        case 21: return .integer(Int64(Int16(bitPattern: UInt16(bigEndian(2)))))  // int2
        case 701: return .real(Double(bitPattern: bigEndian(8)))  // float8
        case 25, 1043, 1042, 19:  // text, varchar, bpchar, name
            return .text(String(decoding: UnsafeRawBufferPointer(start: raw, count: length), as: UTF8.self))
        default: return .bytes(Array(UnsafeRawBufferPointer(start: raw, count: length)))
        }
    }

    /// A cell's bytes in place (bytea, or any value's binary form); nil when NULL or empty.
    public func withBytes<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        guard let raw = cells[column].start, cells[column].count > 0 else { return nil }
        return try body(UnsafeRawBufferPointer(start: raw, count: cells[column].count))
    }
}

/// One message of a binary COPY: the file header in the first, then rows, each a field count
/// and its fields (a length, -1 for NULL, and the bytes), and at the end a count of -1.
struct CopyMessage {
    let bytes: UnsafeRawBufferPointer
    var at = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    mutating func integer(_ size: Int) throws -> Int {
        guard at + size <= bytes.count else { throw PostgresError(message: "COPY sent a row cut short", state: "XX000") }
        var v: UInt64 = 0
        for i in 0..<size { v = v << 8 | UInt64(bytes[at + i]) }
        at += size
        // Sign-extended: -1 marks NULL and the end.
        let shift = UInt64(64 - 8 * size)
        return Int(Int64(bitPattern: v << shift) >> Int64(shift))
    }

    /// The signature, the flags and the header's extension.
    mutating func skipHeader() throws {
        guard bytes.count >= Self.signature.count + 8, Array(bytes[0..<Self.signature.count]) == Self.signature else {
            throw PostgresError(message: "COPY did not start with the binary signature", state: "XX000")
        }
        at = Self.signature.count
        _ = try integer(4)
        at += try integer(4)
    }

    /// The next row's number of fields; nil at the end of the message or of the copy.
    mutating func fieldCount() throws -> Int? {
        guard at < bytes.count else { return nil }
        let count = try integer(2)
        return count < 0 ? nil : count
    }

    mutating func field() throws -> PostgresRowInPlace.CellBytes {
        let length = try integer(4)
        guard length >= 0 else { return (nil, 0) }
        guard at + length <= bytes.count else { throw PostgresError(message: "COPY sent a field cut short", state: "XX000") }
        defer { at += length }
        return (bytes.baseAddress! + at, length)
    }
}
