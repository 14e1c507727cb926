import Foundation
import SpaceCore

/// Paths the tests read: the repository root and the shared real data of Futian beside it.
public enum TestPaths {
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let futianData = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/futian")

    /// The shipped sample district and the shipped configuration.
    public static let sample = repositoryRoot.appendingPathComponent("GIS/sample")
    public static func config(_ name: String) -> URL { repositoryRoot.appendingPathComponent("GIS/config/\(name)") }

    /// A fixture of the test target `target` (Tests/TARGET/Fixtures/NAME).
    /// Whether a file of the shared data is there: it is not in the repository (some of it may
    /// not be redistributed), so tests that need it are skipped without it.
    public static func hasFutian(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: futianData.appendingPathComponent(relativePath).path)
    }

    public static func fixture(_ name: String, of target: String = "SpaceGeometryTests") throws -> JSONValue {
        let url = repositoryRoot.appendingPathComponent("Tests/\(target)/Fixtures/\(name)")
        return try parseJSON(Data(contentsOf: url))
    }

    public static func futian(_ relativePath: String) throws -> GeoJSONDocument {
        try GeoJSON.read(Data(contentsOf: futianData.appendingPathComponent(relativePath)))
    }

    /// Whether ../shared/data/futian is beside the repository (it is on developer machines and
    /// in CI, not in a bare clone); tests that need it are skipped with this reason otherwise.
    public static var hasFutianData: Bool { FileManager.default.fileExists(atPath: futianData.path) }
    public static let futianMissing = "needs ../shared/data/futian beside the repository (absent in a bare clone)"

    /// Whether a program is on the PATH (rsvg-convert, cs2cs), for tests that use one.
    public static func hasProgram(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    /// A new folder name under the temporary directory, unique to this call. Whoever creates it
    /// removes it (`defer`), or uses `withTemporaryFolder`: the suite leaves the temporary
    /// directory as it found it (scripts/tmp-check.sh).
    public static func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    }
}

/// Runs `body` with a new, empty folder under the temporary directory, removed afterwards
/// whatever `body` does.
public func withTemporaryFolder<T>(_ name: String, _ body: (URL) throws -> T) throws -> T {
    let folder = TestPaths.temporaryFolder(name)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// Runs a command-line tool with standard input, returning standard output.
public func runTool(_ path: String, _ arguments: [String], input: String = "") throws -> (output: String, status: Int32) {
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

/// The `spaceplan` binary as a user runs it (SwiftPM builds it next to the test bundle), run
/// from the repository root.
public enum SpacePlanCLI {
    public static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("spaceplan")
    }

    public static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let r = try launch(arguments)
        return (r.status, r.output, r.error)
    }

    /// How a run ended: its exit status, or the signal that killed it (`signalled`), and what it printed.
    public struct Outcome: Sendable {
        public let status: Int32
        public let signalled: Bool
        public let output: String
        public let error: String
        /// Ended by itself, not by a signal or a crash report: whatever its status, the tool held up.
        public var heldUp: Bool {
            !signalled && status < 128 && !error.contains("Program crashed") && !error.contains("Fatal error") && !error.contains("*** Signal")
        }
    }

    /// Runs the binary in `folder` (default: the repository root).
    public static func launch(_ arguments: [String], in folder: URL = TestPaths.repositoryRoot) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes at once: a child filling one while we wait on the other would block.
        let errorData = LockedData()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Outcome(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            output: String(decoding: output, as: UTF8.self), error: String(decoding: errorData.value, as: UTF8.self))
    }
}

/// Data handed from the reading thread (a lock guards it).
final class LockedData: @unchecked Sendable {  // safe: every access goes through the lock
    private let lock = NSLock()
    private var data: Data?
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return data != nil }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data ?? Data() }
}

extension JSONValue {
    public var double: Double { numberValue ?? .nan }
    public var array: [JSONValue] { arrayValue ?? [] }
    public var string: String { stringValue ?? "" }
    public var bool: Bool { boolValue ?? false }
}

public func relativeDifference(_ a: Double, _ b: Double) -> Double {
    a == b ? 0 : abs(a - b) / max(abs(a), abs(b))
}

extension SeededRandom {
    /// Uniform in 0..<n.
    public mutating func integer(_ n: Int) -> Int { integer(0...(n - 1)) }
}

/// A test fixture file edited in place: `old` replaced by `new` (an error if `old` is not there,
/// so a test never passes on a fixture it failed to damage).
public func replaceInFile(_ folder: URL, _ file: String, _ old: String, _ new: String) throws {
    let url = folder.appendingPathComponent(file)
    let text = try String(contentsOf: url, encoding: .utf8)
    guard text.contains(old) else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path, "missing": old]) }
    try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
}

/// Folders that live as long as the test process (a shared fixture, a server kept for every
/// test), removed when it exits: the suite leaves the temporary directory as it found it.
public enum RemovedAtExit {
    private static let folders = LockedURLs()

    /// Registers `url` for removal at exit and returns it.
    @discardableResult
    public static func register(_ url: URL) -> URL {
        if folders.append(url) { atexit { RemovedAtExit.removeAll() } }
        return url
    }

    static func removeAll() {
        for url in folders.taken() { try? FileManager.default.removeItem(at: url) }
    }
}

/// URLs shared between test threads, behind a lock.
final class LockedURLs: @unchecked Sendable {  // safe: `urls` and `first` are only touched under `lock`
    private let lock = NSLock()
    private var urls: [URL] = []
    private var first = true
    /// Appends; true the first time (when the exit handler is to be installed).
    func append(_ url: URL) -> Bool {
        lock.lock(); defer { lock.unlock() }
        urls.append(url)
        defer { first = false }
        return first
    }
    func taken() -> [URL] { lock.lock(); defer { lock.unlock() }; let all = urls; urls = []; return all }
}
