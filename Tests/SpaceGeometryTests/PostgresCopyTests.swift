import Foundation
import Testing
import TestSupport

@testable import SpaceGeometry

/// Reading a large table as a binary COPY stream (how a PostGIS store opens its largest layers):
/// the stream's own format, and the same cells as a binary result gives, against a server.
@Suite struct PostgresCopyTests {
    /// A cell as text, to compare the two readings.
    static func text(_ cell: PostgresConnection.Cell) -> String {
        switch cell {
        case .null: "NULL"
        case let .integer(v): "int \(v)"
        case let .real(v): "real \(v.bitPattern)"
        case let .text(v): "text \(v)"
        case let .bytes(v): "bytes \(v)"
        }
    }

    static func copied(_ db: PostgresConnection, _ select: String) throws -> [[String]] {
        var rows: [[String]] = []
        try db.eachCopiedInPlace(select) { row in rows.append((0..<row.columnCount).map { text(row.cell($0)) }) }
        return rows
    }

    /// A message as the server sends it: the header (first message only), then rows.
    static func message(header: Bool, rows: [[[UInt8]?]], end: Bool = false) -> [UInt8] {
        func be(_ v: Int, _ size: Int) -> [UInt8] { (0..<size).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        var out: [UInt8] = header ? CopyMessage.signature + be(0, 4) + be(0, 4) : []
        for row in rows {
            out += be(row.count, 2)
            for field in row { out += field.map { be($0.count, 4) + $0 } ?? be(-1, 4) }
        }
        if end { out += be(-1, 2) }
        return out
    }

    /// What reading `bytes` as one message gives, or the error it throws, as text.
    static func reading<T: Equatable>(_ bytes: [UInt8], _ body: (inout CopyMessage) throws -> T) -> Outcome<T> {
        bytes.withUnsafeBytes { raw in
            var m = CopyMessage(raw)
            do { return .success(try body(&m)) } catch { return .failure("\(error)") }
        }
    }

    enum Outcome<T: Equatable>: Equatable {
        case success(T)
        case failure(String)
    }

    @Test func aMessageIsReadFieldByField() throws {
        let read = Self.reading(Self.message(header: true, rows: [[[1, 2], nil, []], [[9], [8, 7, 6], nil]])) { m -> [[[UInt8]?]] in
            try m.skipHeader()
            var rows: [[[UInt8]?]] = []
            while let count = try m.fieldCount() {
                rows.append(try (0..<count).map { _ in try m.field() }.map { f in f.start.map { Array(UnsafeRawBufferPointer(start: $0, count: f.count)) } })
            }
            return rows
        }
        #expect(read == .success([[[1, 2], nil, []], [[9], [8, 7, 6], nil]]))
        // The end mark: no more rows.
        #expect(Self.reading(Self.message(header: false, rows: [], end: true)) { try $0.fieldCount() } == .success(Int?.none))
    }

    @Test func aBrokenMessageIsAnError() throws {
        // A field longer than what was sent, a count cut in half, a stream without the signature.
        var cut = Self.message(header: false, rows: [[[1, 2, 3]]])
        cut.removeLast()
        #expect(Self.reading(cut) { m in _ = try m.fieldCount(); return try m.field().count } == .failure("COPY sent a field cut short"))
        #expect(Self.reading([0]) { try $0.fieldCount() } == Outcome<Int?>.failure("COPY sent a row cut short"))
        #expect(Self.reading(Self.message(header: false, rows: [[[1]]])) { try $0.skipHeader(); return true } == .failure("COPY did not start with the binary signature"))
    }

    static func connection() throws -> PostgresConnection? {
        guard StoreBackend.postGIS.available, let url = StoreBackend.postgresURL else { return nil }
        return try PostgresConnection(url)
    }

    static let values = """
        SELECT * FROM (VALUES
          (1::bigint, 2::int, 1.5::float8, 'a' || chr(9) || 'b' || chr(10) || 'c 福田', '\\x00ff10'::bytea),
          (NULL, -7, '-0'::float8, '', NULL),
          (9007199254740993, NULL, NULL, NULL, ''::bytea)) AS v(a, b, c, d, e)
        """

    @Test func copiedRowsAreTheBinaryRows() throws {
        guard let db = try Self.connection() else { return }
        let copied = try Self.copied(db, Self.values)
        #expect(copied == (try db.binaryRows(Self.values)).map { $0.map(Self.text) })
        #expect(copied[0] == ["int 1", "int 2", "real \(1.5.bitPattern)", "text a\tb\nc 福田", "bytes [0, 255, 16]"])
        #expect(copied[1][0] == "NULL" && copied[1][2] == "real \((-0.0).bitPattern)" && copied[2][4] == "bytes []")
        // Many rows, in order, as the stream crosses the socket's buffer many times over.
        let many = try Self.copied(db, "SELECT g, repeat('x', g % 300) FROM generate_series(1, 20000) AS g ORDER BY g")
        #expect(many.count == 20_000 && many.last == ["int 20000", "text " + String(repeating: "x", count: 20_000 % 300)])
        #expect(many.map(\.[0]) == (1...20_000).map { "int \($0)" })
    }

    @Test func aFailureLeavesTheConnectionUsable() throws {
        guard let db = try Self.connection() else { return }
        struct Stop: Error {}
        try db.execute("BEGIN")
        var seen = 0
        #expect(throws: Stop.self) {
            try db.eachCopiedInPlace("SELECT g FROM generate_series(1, 5000) AS g") { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        // The rest was drained, not handed on; the transaction goes on.
        #expect(seen == 2)
        #expect(try db.rows("SELECT 41 + 1").first?.first == "42")
        try db.execute("COMMIT")
        // A statement the server refuses is its error, named.
        #expect { try db.eachCopiedInPlace("SELECT no_such_column FROM generate_series(1, 2)") { _ in } } throws: {
            "\($0)".contains("no_such_column")
        }
        #expect(try db.rows("SELECT 'still here'").first?.first == "still here")
    }
}
