import Foundation
import Reports
import SpaceCore
import SpaceData
import Testing
import TestSupport

/// A run's outputs appear whole or not at all, and never over its inputs.
@Suite("Output sets")
struct OutputFolderTests {
    func files(_ folder: URL) throws -> [String: String] {
        var found: [String: String] = [:]
        let root = folder.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! where !url.hasDirectoryPath {
            found[String(url.standardizedFileURL.path.dropFirst(root.count + 1))] = try String(contentsOf: url, encoding: .utf8)
        }
        return found
    }

    @Test("a second run replaces the first whole: no file of the first remains, nothing beside the folder")
    func replacesWhole() throws {
        let parent = TestPaths.temporaryFolder("outputs"), out = parent.appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: parent) }
        try OutputFolder(out, inputs: []).commit([Artifact("a.txt", text: "one"), Artifact("maps/b.svg", text: "<svg/>")])
        #expect(try files(out) == ["a.txt": "one", "maps/b.svg": "<svg/>", ".spaceplan-output": "a.txt\nmaps/b.svg\n"])
        try OutputFolder(out, inputs: []).commit([Artifact("c.txt", text: "two")])
        #expect(try files(out) == ["c.txt": "two", ".spaceplan-output": "c.txt\n"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    @Test("an artifact that fails leaves the previous set as it was and no staging folder")
    func failureChangesNothing() throws {
        let parent = TestPaths.temporaryFolder("outputs"), out = parent.appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: parent) }
        try OutputFolder(out, inputs: []).commit([Artifact("a.txt", text: "one")])
        let failing = Artifact(
            "b.txt",
            stream: { sink in
                try sink.write("half")
                throw DataError(file: "maps", problem: "cannot be drawn")
            })
        #expect(throws: DataError.self) { try OutputFolder(out, inputs: []).commit([Artifact("c.txt", text: "new"), failing]) }
        #expect(try files(out) == ["a.txt": "one", ".spaceplan-output": "a.txt\n"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    @Test("a folder holding an input, an input's own folder, or a foreign folder is refused")
    func refusals() throws {
        let data = TestPaths.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let input = data.appendingPathComponent("carriers.csv")
        try "id\n".write(to: input, atomically: true, encoding: .utf8)
        let holding = #expect(throws: DataError.self) { try OutputFolder(data, inputs: [input]).commit([Artifact("carriers.csv", text: "x")]) }
        #expect(holding?.problem.contains("holds an input of this run") == true)
        #expect(try String(contentsOf: input, encoding: .utf8) == "id\n")
        // The parent of the data folder holds the inputs too.
        #expect(throws: DataError.self) { try OutputFolder(data.deletingLastPathComponent(), inputs: [input]).check() }
        let foreign = TestPaths.temporaryFolder("foreign")
        defer { try? FileManager.default.removeItem(at: foreign) }
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try "keep".write(to: foreign.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let refused = #expect(throws: DataError.self) { try OutputFolder(foreign, inputs: []).commit([Artifact("a.txt", text: "x")]) }
        #expect(refused?.problem.contains("no spaceplan run wrote") == true)
        #expect(try files(foreign) == ["notes.txt": "keep"])
        try OutputFolder(foreign, inputs: [], replaceForeign: true).commit([Artifact("a.txt", text: "x")])
        #expect(try files(foreign)["a.txt"] == "x")
    }

    @Test("a file a planner put into an earlier run's folder is not lost: the folder is refused, or replaced with --force")
    func addedFiles() throws {
        let parent = TestPaths.temporaryFolder("outputs"), out = parent.appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: parent) }
        try OutputFolder(out, inputs: []).commit([Artifact("a.txt", text: "one"), Artifact("maps/b.svg", text: "<svg/>")])
        try "keep".write(to: out.appendingPathComponent("maps/notes.txt"), atomically: true, encoding: .utf8)
        let refused = #expect(throws: DataError.self) { try OutputFolder(out, inputs: []).commit([Artifact("c.txt", text: "two")]) }
        #expect(refused?.problem.contains("holds files the last spaceplan run did not write (maps/notes.txt)") == true)
        #expect(try files(out)["maps/notes.txt"] == "keep")
        try OutputFolder(out, inputs: [], replaceForeign: true).commit([Artifact("c.txt", text: "two")])
        #expect(try files(out) == ["c.txt": "two", ".spaceplan-output": "c.txt\n"])
    }

    @Test("stale staging folders of a killed run are removed by the next run")
    func staleStaging() throws {
        let parent = TestPaths.temporaryFolder("outputs"), out = parent.appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: parent) }
        let stale = parent.appendingPathComponent(".out.staging-99999-dead")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        try OutputFolder(out, inputs: []).commit([Artifact("a.txt", text: "one")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    @Test("a single output file is never written over an input")
    func outputFile() throws {
        let folder = TestPaths.temporaryFolder("file")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let input = folder.appendingPathComponent("demand.csv")
        try "firm_id\n".write(to: input, atomically: true, encoding: .utf8)
        #expect(throws: DataError.self) { try OutputFile(input, inputs: [input]).commit(Artifact("demand.csv", text: "new")) }
        #expect(try String(contentsOf: input, encoding: .utf8) == "firm_id\n")
        let target = folder.appendingPathComponent("new.csv")
        try OutputFile(target, inputs: [input]).commit(Artifact("new.csv", text: "new"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["demand.csv", "new.csv"])
    }
}
