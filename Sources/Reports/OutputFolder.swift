import CFileSwap
import Foundation
import SpaceCore
import SpaceData

/// Writes a run's artifacts as one output set: `--out` always holds exactly one complete run.
///
/// Everything goes into a staging folder beside `--out`, which is then swapped in with one
/// atomic rename (renameat2 RENAME_EXCHANGE), so a run killed at any point leaves either the
/// previous set or the new one, never a mix. A lock file beside `--out` (flock, with the
/// holder's pid for the message) refuses a second run on the same folder; staging folders of
/// killed runs are removed by the next run. A folder holding any of the run's inputs is
/// refused, and so is one with files no spaceplan run wrote, unless `replaceForeign` is set.
public struct OutputFolder: Sendable {
    public let folder: URL
    /// Files and folders the run reads: none of them may lie inside the output folder.
    public let inputs: [URL]
    public let replaceForeign: Bool

    /// Marks a folder as a spaceplan output set (and lists its files).
    public static let markerName = ".spaceplan-output"

    public init(_ folder: URL, inputs: [URL], replaceForeign: Bool = false) {
        self.folder = folder.standardizedFileURL
        self.inputs = inputs
        self.replaceForeign = replaceForeign
    }

    /// Checks before any work is done that the folder may be written (so a long run does not
    /// fail at its end): not an input's folder, not a file, not someone else's folder.
    public func check() throws {
        let out = Self.resolved(folder)
        guard !out.path.isEmpty, out.path != "/" else { throw DataError(file: folder.path, problem: "is not a usable output folder") }
        for input in inputs {
            let path = Self.resolved(input).path
            if path == out.path || path.hasPrefix(out.path + "/") {
                throw DataError(
                    file: folder.path,
                    problem: "holds an input of this run (\(input.path)): writing the results there would replace it; choose another --out")
            }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw DataError(file: folder.path, problem: "is a file, not a folder; choose another --out") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        if !replaceForeign, !entries.isEmpty, !entries.contains(Self.markerName) {
            throw DataError(
                file: folder.path,
                problem:
                    "holds files that no spaceplan run wrote (\(entries.sorted().prefix(3).joined(separator: ", "))…); choose a new or empty folder, or pass --force to replace it"
            )
        }
        // A planner's own file put into an earlier run's folder would go with the old set.
        if !replaceForeign, entries.contains(Self.markerName) {
            let added = Self.filesOutsideTheSet(out)
            if !added.isEmpty {
                throw DataError(
                    file: folder.path,
                    problem:
                        "holds files the last spaceplan run did not write (\(added.prefix(3).joined(separator: ", "))\(added.count > 3 ? "…" : "")): replacing the folder would lose them; move them, or pass --force"
                )
            }
        }
    }

    /// Files below `out` that its marker does not list, sorted.
    static func filesOutsideTheSet(_ out: URL) -> [String] {
        let listed = Set(
            ((try? String(contentsOf: out.appendingPathComponent(markerName), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
        var added: [String] = []
        for path in FileManager.default.subpaths(atPath: out.path) ?? [] where path != markerName && !listed.contains(path) {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: out.appendingPathComponent(path).path, isDirectory: &isFolder), !isFolder.boolValue {
                added.append(path)
            }
        }
        return added.sorted()
    }

    /// Writes every artifact into staging and swaps the set in; returns the paths written.
    @discardableResult
    public func commit(_ artifacts: [Artifact], progress: (String) -> Void = { _ in }) throws -> [String] {
        try check()
        let out = Self.resolved(folder)
        let parent = out.deletingLastPathComponent()
        try createFolder(parent)
        let lock = try OutputLock(parent.appendingPathComponent(".\(out.lastPathComponent).spaceplan-lock"), for: folder.path)
        defer { lock.release() }
        removeStaleStaging(in: parent, of: out.lastPathComponent)
        let staging = parent.appendingPathComponent(".\(out.lastPathComponent).staging-\(getpid())-\(UUID().uuidString)")
        do {
            try createFolder(staging)
            // Files a library writes on one thread (a GeoPackage through SQLite) are written
            // beside the streamed ones, which use every core, rather than after them.
            let own = artifacts.filter { $0.fileWriter != nil }
            final class Outcome: @unchecked Sendable { var error: Error? }  // safe: written by its one task, read after both end
            let ownOutcome = Outcome(), streamedOutcome = Outcome()
            let streamed = artifacts.filter { $0.fileWriter == nil }
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                do { for artifact in own { try Self.write(artifact, to: staging.appendingPathComponent(artifact.path)) } } catch {
                    ownOutcome.error = error
                }
                done.signal()
            }
            thread.stackSize = 8 << 20  // GEOS recurses on complex polygons
            thread.start()
            do {
                for artifact in streamed {
                    progress("writing \(artifact.path)")
                    try Self.write(artifact, to: staging.appendingPathComponent(artifact.path))
                }
            } catch { streamedOutcome.error = error }
            done.wait()
            if let error = streamedOutcome.error ?? ownOutcome.error { throw error }
            let listing = artifacts.map(\.path).joined(separator: "\n") + "\n"
            try Self.write(Artifact(Self.markerName, text: listing), to: staging.appendingPathComponent(Self.markerName))
            try swapIn(staging, at: out)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        return artifacts.map(\.path)
    }

    private func createFolder(_ url: URL) throws {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw DataError(file: url.path, problem: "cannot be created: \(error.localizedDescription)")
        }
    }

    /// One rename: the new set takes the folder's place and the old one the staging name.
    private func swapIn(_ staging: URL, at out: URL) throws {
        if !FileManager.default.fileExists(atPath: out.path) {
            guard rename(staging.path, out.path) == 0 else {
                throw DataError(file: folder.path, problem: "cannot be written: \(String(cString: strerror(errno)))")
            }
            return
        }
        if spaceplan_exchange_paths(staging.path, out.path) == 0 {
            try? FileManager.default.removeItem(at: staging)
            return
        }
        // File systems without RENAME_EXCHANGE: two renames (a kill between them leaves the old
        // set under the staging name, which the next run removes).
        let old = staging.deletingLastPathComponent().appendingPathComponent(staging.lastPathComponent + "-old")
        guard rename(out.path, old.path) == 0, rename(staging.path, out.path) == 0 else {
            throw DataError(file: folder.path, problem: "cannot be replaced: \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(at: old)
    }

    /// Staging folders of runs that were killed (we hold the lock, so none is in use).
    private func removeStaleStaging(in parent: URL, of name: String) {
        let prefix = ".\(name).staging-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where entry.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
        }
    }

    static func write(_ artifact: Artifact, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if let writeFile = artifact.fileWriter {
            do { try writeFile(url) } catch let error as DataError { throw error } catch let error as DataErrors { throw error } catch {
                throw DataError(file: url.path, problem: "cannot be written: \(error)")
            }
            return
        }
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forWritingAtPath: url.path) else {
            throw DataError(file: url.path, problem: "cannot be written")
        }
        defer { try? handle.close() }
        do {
            let sink = FileSink(handle)
            try artifact.write(into: sink)
            try sink.flush()
        } catch let error as DataError { throw error } catch let error as DataErrors { throw error } catch {
            throw DataError(file: url.path, problem: "cannot be written: \(error.localizedDescription)")
        }
    }

    /// The absolute path with symbolic links of its existing part resolved, so that two
    /// spellings of one folder compare equal.
    static func resolved(_ url: URL) -> URL {
        var existing = url.standardizedFileURL, rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var result = existing.resolvingSymlinksInPath()
        for part in rest { result.appendPathComponent(part) }
        return result
    }
}

/// Bytes written to a file in blocks of 1 MB (appending `String.utf8` to Data went byte by byte).
final class FileSink: ArtifactSink {
    private let handle: FileHandle
    private var buffer = Data()
    init(_ handle: FileHandle) { self.handle = handle; buffer.reserveCapacity(1 << 20) }

    func write(_ text: String) throws {
        var text = text
        try text.withUTF8(append)
    }

    func write(_ text: TextBuffer) throws { try text.bytes.withUnsafeBufferPointer(append) }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if let base = bytes.baseAddress { buffer.append(base, count: bytes.count) }
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// An exclusive lock on an output folder, held for the run (the kernel drops it if the run dies).
struct OutputLock {
    private let descriptor: Int32

    init(_ url: URL, for folder: String) throws {
        while true {
            let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw DataError(
                    file: folder,
                    problem:
                        "cannot be written: the lock file \(url.lastPathComponent) cannot be created beside it in \(url.deletingLastPathComponent().path) (\(String(cString: strerror(errno))))"
                )
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let holder = (try? String(contentsOfFile: url.path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                close(fd)
                throw DataError(file: folder, problem: "another spaceplan run (pid \(holder)) is writing this folder; wait for it to finish")
            }
            // A run that finished may have removed the file between our open and our lock: start again.
            var opened = stat(), named = stat()
            if fstat(fd, &opened) == 0, stat(url.path, &named) == 0, opened.st_ino == named.st_ino {
                let pid = "\(getpid())\n"
                _ = ftruncate(fd, 0)
                _ = pid.withCString { write(fd, $0, strlen($0)) }
                descriptor = fd
                self.url = url
                return
            }
            close(fd)
        }
    }

    private let url: URL

    func release() {
        unlink(url.path)
        close(descriptor)
    }
}

/// One output file (a generated demand list): written beside its target under a name unique
/// to this write and renamed over it, never over a file the run read.
public struct OutputFile: Sendable {
    public let file: URL
    public let inputs: [URL]

    public init(_ file: URL, inputs: [URL]) {
        self.file = file.standardizedFileURL
        self.inputs = inputs
    }

    public func commit(_ artifact: Artifact) throws {
        let target = OutputFolder.resolved(file)
        if inputs.contains(where: { OutputFolder.resolved($0).path == target.path }) {
            throw DataError(file: file.path, problem: "is an input of this run; writing there would replace it; choose another file")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isFolder), isFolder.boolValue {
            throw DataError(file: file.path, problem: "is a folder; give a file name")
        }
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(getpid())-\(UUID().uuidString).tmp")
        do {
            try OutputFolder.write(artifact, to: temporary)
            guard rename(temporary.path, target.path) == 0 else {
                throw DataError(file: file.path, problem: "cannot be written: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
