import Foundation
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
