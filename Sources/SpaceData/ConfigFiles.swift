import Foundation
import SpaceGeometry

/// A configuration file next to the data (`DIR/NAME`), in the data's sibling `config` folder
/// (as GIS/sample and GIS/config), or in `GIS/config` of the current directory.
public func configFile(_ name: String, near dataDirectory: URL) -> URL? {
    [dataDirectory.appendingPathComponent(name),
     dataDirectory.deletingLastPathComponent().appendingPathComponent("config/\(name)"),
     URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("GIS/config/\(name)")]
        .first { FileManager.default.fileExists(atPath: $0.path) }
}

/// Reads a JSON configuration file; an unreadable or invalid file is an error naming it and `what` it holds.
public func readConfigJSON(_ url: URL, what: String) throws -> JSONValue {
    do { return try parseJSON(try Data(contentsOf: url)) } catch {
        throw DataError(file: url.path, problem: "cannot read the \(what): \(error)")
    }
}
