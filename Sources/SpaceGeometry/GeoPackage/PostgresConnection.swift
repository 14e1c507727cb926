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
/// with parameters, COPY for bulk loading. One thread uses a connection at a time.
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
        for r in 0..<rowCount { try body(PostgresRowInPlace(result: result!, row: r, types: types)) }
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

/// One row of a binary result, valid only inside the `eachBinaryInPlace` call that gave it.
public struct PostgresRowInPlace {
    let result: OpaquePointer
    let row: Int32
    let types: [Oid]

    public var columnCount: Int { types.count }

    /// A cell as `binaryRows` gives it: integers, doubles and bytea as they are, text as UTF-8,
    /// other types as their raw bytes.
    public func cell(_ column: Int) -> PostgresConnection.Cell {
        let c = Int32(column)
        if PQgetisnull(result, row, c) == 1 { return .null }
        let length = Int(PQgetlength(result, row, c))
        let raw = UnsafeRawPointer(PQgetvalue(result, row, c)!)
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
        let c = Int32(column)
        guard PQgetisnull(result, row, c) == 0 else { return nil }
        let length = Int(PQgetlength(result, row, c))
        guard length > 0, let raw = PQgetvalue(result, row, c) else { return nil }
        return try body(UnsafeRawBufferPointer(start: UnsafeRawPointer(raw), count: length))
    }
}
