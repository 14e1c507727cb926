import Foundation
import SpaceGeometry

/// Writes files so that a reader never sees half of one: the bytes go to a temporary file in
/// the same folder, which is then renamed over the target (rename is atomic on one file system).
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DataError(file: url.path, problem: "cannot be written: \(error.localizedDescription)")
        }
    }
}

extension AtomicFile {
    /// Text written piece by piece into a temporary file, renamed over the target only when
    /// `body` finishes without error: large outputs never sit whole in memory, nor half on disk.
    public final class Sink {
        fileprivate let handle: FileHandle
        private var buffer = Data()
        fileprivate init(_ handle: FileHandle) { self.handle = handle; buffer.reserveCapacity(1 << 20) }

        public func write(_ text: String) throws {
            var text = text
            try text.withUTF8(append)
        }

        public func write(_ text: TextBuffer) throws { try text.bytes.withUnsafeBufferPointer(append) }

        /// One block copy of the bytes (appending `text.utf8` to Data goes byte by byte).
        private func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            if let base = bytes.baseAddress { buffer.append(base, count: bytes.count) }
            if buffer.count >= 1 << 20 { try flush() }
        }

        fileprivate func flush() throws {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    public static func stream(to url: URL, _ body: (Sink) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw DataError(file: url.path, problem: "cannot be written")
        }
        do {
            let sink = Sink(handle)
            try body(sink)
            try sink.flush()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            if error is DataError { throw error }
            throw DataError(file: url.path, problem: "cannot be written: \(error.localizedDescription)")
        }
    }
}
