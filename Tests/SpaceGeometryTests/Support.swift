import Foundation
import SpaceGeometry

/// Paths the tests read: the repository root and the shared real data of Futian beside it.
enum TestPaths {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let futianData = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/futian")

    /// Whether a file of the shared data is there: it is not in the repository (some of it may
    /// not be redistributed), so tests that need it are skipped without it.
    static func hasFutian(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: futianData.appendingPathComponent(relativePath).path)
    }

    static func fixture(_ name: String) throws -> JSONValue {
        let url = repositoryRoot.appendingPathComponent("Tests/SpaceGeometryTests/Fixtures/\(name)")
        return try parseJSON(Data(contentsOf: url))
    }

    static func futian(_ relativePath: String) throws -> GeoJSONDocument {
        try GeoJSON.read(Data(contentsOf: futianData.appendingPathComponent(relativePath)))
    }
}

/// Runs a command-line tool with standard input, returning standard output.
func runTool(_ path: String, _ arguments: [String], input: String = "") throws -> (output: String, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = Pipe()
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), process.terminationStatus)
}

extension JSONValue {
    var double: Double { numberValue ?? .nan }
    var array: [JSONValue] { arrayValue ?? [] }
    var string: String { stringValue ?? "" }
    var bool: Bool { boolValue ?? false }
}

func relativeDifference(_ a: Double, _ b: Double) -> Double {
    a == b ? 0 : abs(a - b) / max(abs(a), abs(b))
}
