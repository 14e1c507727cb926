import Foundation
import SpaceGeometry

/// Reads a JSON configuration file; an unreadable or invalid file is an error naming it and `what` it holds.
public func readConfigJSON(_ url: URL, what: String) throws -> JSONValue {
    do { return try parseJSON(try Data(contentsOf: url)) } catch {
        throw DataError(file: url.path, problem: "cannot read the \(what): \(error)")
    }
}
