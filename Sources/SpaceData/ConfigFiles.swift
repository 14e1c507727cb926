import Foundation
import SpaceCore
import SpaceGeometry

/// Reads a JSON configuration file; an unreadable or invalid file is an error naming it and `what` it holds.
public func readConfigJSON(_ url: URL, what: String) throws -> JSONValue {
    let bytes: Data
    do { bytes = try readLayerFile(url) } catch let error as DataError {
        throw DataError(file: url.path, problem: "cannot read the \(what): \(error.problem)")
    }
    do { return try parseJSON(bytes) } catch {
        throw DataError(file: url.path, problem: "cannot read the \(what): \(error)")
    }
}

/// A configuration an analysis decodes (its rules, its settings). The analysis decodes JSON; the
/// data layer or the workspace reads the file, so no analysis opens one.
public protocol ConfigDocument: Sendable {
    /// What the file holds, for messages: "allocation rules".
    static var what: String { get }
    /// Decodes and checks the configuration; `source` is the file, named in messages and reports.
    static func decode(_ json: JSONValue, source: String) throws -> Self
}

/// Reads a configuration file and decodes it as `T`; a problem names the file.
public func readConfig<T: ConfigDocument>(_ type: T.Type, from url: URL) throws -> T {
    try T.decode(try readConfigJSON(url, what: T.what), source: url.path)
}

/// A file named in a configuration file (a scenario's proposals): relative to that file's folder.
public func configPath(_ written: String, namedIn file: URL) -> URL {
    URL(fileURLWithPath: written, relativeTo: file.deletingLastPathComponent()).standardizedFileURL
}
