import Foundation
import SpaceCore
import SpaceData
import Testing

/// One bad edit of a shipped configuration file: the JSON at a key path set to `json` (raw
/// text, so 1e400 stays 1e400) or removed, and the texts the error must contain besides the file.
public struct ConfigEdit: Sendable, CustomTestStringConvertible {
    public let path: String
    public let json: String?
    public let expected: [String]

    public static func set(_ path: String, _ json: String, _ expected: String...) -> ConfigEdit {
        ConfigEdit(path: path, json: json, expected: expected)
    }
    public static func remove(_ path: String, _ expected: String...) -> ConfigEdit { ConfigEdit(path: path, json: nil, expected: expected) }

    public var testDescription: String { json.map { "\(path) = \($0)" } ?? "no \(path)" }

    /// The shipped file (relative to the repository) with this edit, in a file of its own.
    public func write(editing shipped: String) throws -> URL {
        let original = try parseJSON(try Data(contentsOf: TestPaths.repositoryRoot.appendingPathComponent(shipped)))
        let placeholder = "edit-\(UUID().uuidString)"
        var text = serializedJSON(try Self.editing(original, at: Self.steps(path)[...], to: json == nil ? nil : .string(placeholder)))
        if let json { text = text.replacingOccurrences(of: "\"\(placeholder)\"", with: json) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "config-\(UUID().uuidString)-\((shipped as NSString).lastPathComponent)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Loads the edited file with `load` and checks it fails with a DataError naming the file, the key path and the value.
    public func check(editing shipped: String, _ load: (URL) throws -> Any) throws {
        let url = try write(editing: shipped)
        defer { try? FileManager.default.removeItem(at: url) }
        let errors: [DataError]
        do { _ = try load(url); errors = [] } catch let e as DataError { errors = [e] } catch let e as DataErrors { errors = e.errors }
        #expect(
            errors.contains { e in e.file == url.path && expected.allSatisfy { "\(e)".contains($0) } },
            "\(testDescription): \(errors.isEmpty ? "loaded without an error" : errors.map(\.description).joined(separator: "\n"))")
    }

    /// "a.b[1].c" → ["a", "b", 1, "c"].
    public static func steps(_ path: String) -> [Either] {
        path.split(separator: ".").flatMap { part -> [Either] in
            let pieces = part.split(separator: "[")
            return [.key(String(pieces[0]))] + pieces.dropFirst().map { .index(Int($0.dropLast())!) }
        }
    }

    public enum Either {
        case key(String)
        case index(Int)
    }

    public struct PathError: Error { public let path: String }

    public static func editing(_ value: JSONValue, at steps: ArraySlice<Either>, to new: JSONValue?) throws -> JSONValue {
        guard let step = steps.first else { return new ?? .null }
        switch (step, value) {
        case let (.key(k), .object(o)):
            var o = o
            if steps.count == 1 { o[k] = new } else { o[k] = try editing(o[k] ?? .object(JSONObject()), at: steps.dropFirst(), to: new) }
            return .object(o)
        case let (.index(i), .array(a)) where a.indices.contains(i):
            var a = a
            if steps.count == 1, new == nil { a.remove(at: i) } else { a[i] = try editing(a[i], at: steps.dropFirst(), to: new) }
            return .array(a)
        default:
            throw PathError(path: "\(steps)")
        }
    }
}
