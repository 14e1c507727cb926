import Foundation

/// One file a question produces, before anything is written: its path inside the output set
/// and a body that writes its bytes into a sink. Small files hold their text; large layers
/// stream theirs, so that a 500,000-building GeoJSON never sits whole in memory. Front ends
/// decide where the bytes go: the command line into an output folder, a server into a response.
public struct Artifact: Sendable {
    /// Relative, "/"-separated: "summary.json", "maps/space.svg".
    public let path: String
    private let body: @Sendable (any ArtifactSink) throws -> Void

    public init(_ path: String, text: String) {
        self.path = path
        body = { try $0.write(text) }
        fileWriter = nil
    }

    public init(_ path: String, stream: @escaping @Sendable (any ArtifactSink) throws -> Void) {
        self.path = path
        body = stream
        fileWriter = nil
    }

    /// A file another library writes itself (SQLite a GeoPackage): given the path to write, it
    /// goes straight there in an output folder; into any other sink through a temporary file.
    public init(_ path: String, file write: @escaping @Sendable (URL) throws -> Void) {
        self.path = path
        fileWriter = write
        let name = (path as NSString).lastPathComponent
        body = { sink in
            let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("spaceplan-\(UUID().uuidString)-\(name)")
            defer { try? FileManager.default.removeItem(at: temporary) }
            try write(temporary)
            try sink.write(TextBuffer(bytes: [UInt8](try Data(contentsOf: temporary))))
        }
    }

    /// Set for artifacts that write their own file (see `init(_:file:)`).
    public let fileWriter: (@Sendable (URL) throws -> Void)?

    /// The same artifact under another folder ("maps/" + path).
    public func inFolder(_ folder: String) -> Artifact {
        if let fileWriter { return Artifact(folder + "/" + path, file: fileWriter) }
        return Artifact(folder + "/" + path, stream: body)
    }

    public func write(into sink: any ArtifactSink) throws { try body(sink) }

    /// The whole file in memory (for a server's response or a test).
    public func bytes() throws -> [UInt8] {
        let sink = MemorySink()
        try body(sink)
        return sink.text.bytes
    }

    public func text() throws -> String { String(decoding: try bytes(), as: UTF8.self) }

    /// The media type a browser needs, from the file's extension.
    public var mediaType: String {
        switch path.split(separator: ".").last {
        case "json": return "application/json"
        case "geojson": return "application/geo+json"
        case "csv": return "text/csv; charset=utf-8"
        case "md": return "text/markdown; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "gpkg": return "application/geopackage+sqlite3"
        case "shp", "shx", "dbf": return "application/octet-stream"
        default: return "text/plain; charset=utf-8"
        }
    }
}

/// Where an artifact's bytes go.
public protocol ArtifactSink: AnyObject {
    func write(_ text: String) throws
    func write(_ text: TextBuffer) throws
}

/// Collects an artifact's bytes in memory.
public final class MemorySink: ArtifactSink {
    public private(set) var text = TextBuffer()
    public init() {}
    public func write(_ text: String) throws { self.text.append(text) }
    public func write(_ text: TextBuffer) throws { self.text.append(text) }
}
