import Foundation
import Hummingbird
import SpacePlanKit

/// Where uploads go: one folder of the server's own under the system's temporary directory,
/// a fresh sub-folder per request, removed when the request is answered. Nothing a request
/// sends is written anywhere else, and no upload outlives its request.
final class UploadFolder: Sendable {
    let root: URL
    /// Largest body a request may send (uploads and posted JSON).
    let limitBytes: Int

    init(limitBytes: Int) throws {
        self.limitBytes = limitBytes
        root = FileManager.default.temporaryDirectory.appendingPathComponent("spaceplan-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// Runs `body` with a new empty folder, removed afterwards whatever happens.
    func withFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
        let folder = root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    /// A new empty folder for an upload that outlives its request (an allocation job); the job removes it.
    func makeFolder() throws -> URL {
        let folder = root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        return folder
    }

    /// The request's body, refused when larger than the limit.
    func body(of request: Request) async throws -> [UInt8] {
        let tooLarge = WorkbenchError(
            .contentTooLarge,
            "the upload is larger than the server's limit of \(limitBytes / 1_048_576 > 0 ? "\(limitBytes / 1_048_576) MiB" : "\(limitBytes) bytes") (spaceplan serve --upload-limit)"
        )
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limitBytes { throw tooLarge }
        do {
            var buffer = try await request.body.collect(upTo: limitBytes)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        } catch  where "\(type(of: error))" == "NIOTooManyBytesError" {
            throw tooLarge  // a chunked body that grew past the limit (NIO's own error type)
        }
    }

    /// A message without the request folders' paths: "…/spaceplan-serve-X/Y/demand.csv, record 3" → "demand.csv, record 3".
    func scrub(_ message: String) -> String {
        var text = message
        let prefix = root.path + "/"
        while let start = text.range(of: prefix) {
            let rest = text[start.upperBound...]
            let end = rest.firstIndex(of: "/").map { text.index(after: $0) } ?? start.upperBound
            text.removeSubrange(start.lowerBound..<end)
        }
        return text
    }

    func removeAll() { try? FileManager.default.removeItem(at: root) }

    deinit { removeAll() }
}
