import Foundation
import Testing
import TestSupport
@testable import SpaceData

@Suite("CSV reading")
struct CSVTests {
    @Test("quoted fields with commas, quotes and line breaks; CRLF, a BOM and blank lines")
    func quoting() throws {
        let text = "\u{FEFF}id,name,note\r\nE1,\"Smith, Co\",plain\r\n\r\nE2,\"say \"\"hi\"\"\",\"two\nlines\"\nE3,,\"\"\n"
        let table = try CSV.read(Data(text.utf8))
        #expect(table.header == ["id", "name", "note"])
        #expect(table.rows == [["E1", "Smith, Co", "plain"], ["E2", "say \"hi\"", "two\nlines"], ["E3", "", ""]])
        #expect(table.lines == [2, 4, 6])
        #expect(CSV.line(["a,b", "q\"", "x"]) == "\"a,b\",\"q\"\"\",x\n")
    }

    @Test("an unclosed quote is an error naming the line where its row starts")
    func unclosed() {
        let error = #expect(throws: CSVError.self) { try CSV.read(Data("id,name\nE1,ok\nE2,\"broken\nE3,x\n".utf8)) }
        #expect(error?.line == 3)
        #expect(throws: CSVError.self) { try CSV.read(Data()) }
    }
}
