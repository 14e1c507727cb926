import Foundation
import SpaceCore
import SpaceData

/// The draft layers.json `spaceplan inspect` writes: each schema layer from the file that
/// fits it best, with its layer, CRS, encoding and field mapping; every file found listed
/// under "inspected" with what was learnt of it and what is left to do.
public enum DraftManifest {
    /// `folder` is where the draft goes: file paths are written relative to it when inside it.
    public static func json(_ layers: [InspectedLayer], name: String, folder: URL) -> String {
        var chosen: [String: [InspectedLayer]] = [:]
        for layer in layers.sorted(by: { $0.featureCount > $1.featureCount }) {
            guard let role = layer.role else { continue }
            // Zones may come from several files (district, sub-districts, clusters); other layers from one.
            if role == "zones" || chosen[role] == nil { chosen[role, default: []].append(layer) }
        }
        var members = JSONObject()
        for role in Manifest.layerNames {
            guard let entries = chosen[role] else { continue }
            let values = entries.map { JSONValue.object(entry($0, folder: folder)) }
            members[role] = values.count == 1 ? values[0] : .array(values)
        }
        let inspected: [JSONValue] = layers.map { layer in
            var o = JSONObject()
            o["file"] = .string(relative(layer.file, to: folder))
            if let name = layer.layer { o["layer"] = .string(name) }
            o["format"] = .string(layer.format)
            o["geometry"] = .string(layer.geometryType)
            o["features"] = .number(Double(layer.featureCount))
            o["crs"] = layer.crs.map { .string($0.description) } ?? .null
            if let name = layer.crsName { o["crs_name"] = .string(name) }
            o["encoding"] = .string(layer.encoding)
            o["fields"] = .array(layer.fields.map(JSONValue.string))
            o["suggested_layer"] = layer.role.map(JSONValue.string) ?? .null
            o["used_as"] =
                chosen[layer.role ?? ""]?.contains { $0.file == layer.file && $0.layer == layer.layer } == true ? .string(layer.role!) : .null
            o["to_do"] = .array(layer.todo.map(JSONValue.string))
            return .object(o)
        }
        let root = JSONObject([
            ("name", .string(name)),
            ("synthetic", .bool(false)),
            (
                "note",
                .string(
                    "Draft written by spaceplan inspect: check each layer's file, crs, encoding and fields (schema field → the file's column) against GIS/README.md, fill in what \"inspected\" lists under to_do, then run spaceplan validate."
                )
            ),
            ("layers", .object(members)),
            ("inspected", .array(inspected)),
        ])
        return prettyJSON(.object(root))
    }

    static func entry(_ layer: InspectedLayer, folder: URL) -> JSONObject {
        var o = JSONObject()
        o["file"] = .string(relative(layer.file, to: folder))
        if let name = layer.layer { o["layer"] = .string(name) }
        if let crs = layer.crs { o["crs"] = .string(crs.description) }
        if let encoding = layer.encodingToState { o["encoding"] = .string(encoding) }
        // Only the names that differ from the schema's need saying.
        let renames = layer.mapping.filter { $0.key != $0.value }
        if !renames.isEmpty { o["fields"] = .object(JSONObject(renames.keys.sorted().map { ($0, .string(renames[$0]!)) })) }
        return o
    }

    static func relative(_ file: URL, to folder: URL) -> String {
        let base = folder.standardizedFileURL.path + "/"
        let path = file.standardizedFileURL.path
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// One line per layer, for the terminal.
    public static func table(_ layers: [InspectedLayer]) -> String {
        layers.map { layer in
            let name = layer.file.lastPathComponent + (layer.layer.map { ":\($0)" } ?? "")
            let crs = layer.crs?.description ?? layer.crsName ?? "no CRS"
            let role = layer.role.map { "→ \($0)" } ?? "→ ?"
            let todo = layer.todo.isEmpty ? "" : "\n    to do: " + layer.todo.joined(separator: "\n    to do: ")
            return "\(name)  \(layer.geometryType), \(counted(layer.featureCount, "feature")), \(crs), text \(layer.encoding)  \(role)\(todo)"
        }.joined(separator: "\n")
    }
}
