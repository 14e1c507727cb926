import SpaceCore
import Foundation
import SpacePlanKit
import TestSupport

/// Checks a response against the workbench's OpenAPI document (Resources/web/openapi.json): the
/// path and method are documented, the status is documented for them (or `default`), the
/// content type is one the document lists for that status, and a JSON body validates against
/// the response's schema. The JSON Schema subset the document uses: $ref, type, properties,
/// required, additionalProperties, items, enum, oneOf/anyOf/allOf, nullable, minItems/maxItems,
/// minimum/maximum, minLength; format is ignored.
struct OpenAPIValidator {
    let document: JSONValue

    /// The document as the server serves it.
    static let shipped: OpenAPIValidator = {
        let file = TestPaths.repositoryRoot.appendingPathComponent("Sources/Workbench/Resources/web/openapi.json")
        return OpenAPIValidator(document: try! parseJSON(try! Data(contentsOf: file)))
    }()

    /// The problems with one response, each naming the method, path, status and, in a body, the
    /// JSON pointer of the offending value; empty when the response is as documented.
    func problems(method: String, uri: String, status: Int, contentType: String?, body: String) -> [String] {
        let path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        let where_ = "\(method) \(path) → \(status)"
        guard let (template, item) = pathItem(path) else {
            // The router's answer for a path it does not have: a JSON error (documented in info.description).
            if status == 404 { return errorBody(body, contentType, where_) }
            return ["\(where_): the path is not in the document"]
        }
        let lower = method.lowercased()
        guard let operation = item[lower] ?? (lower == "head" ? item["get"] : nil) else {
            // A method the path does not take: 405 with Allow and a JSON error.
            if status == 405 { return errorBody(body, contentType, where_) }
            return ["\(where_): \(method) is not documented for \(template)"]
        }
        let responses = operation["responses"]?.objectValue ?? JSONObject()
        let statusRange = "\(status / 100)XX"
        guard let response = (responses[String(status)] ?? responses[statusRange] ?? responses["default"]).map(resolve) else {
            return ["\(where_): status \(status) is not documented for \(method) \(template) (documented: \(responses.keys.joined(separator: ", ")))"]
        }
        let content = response["content"]?.objectValue ?? JSONObject()
        if content.count == 0 {
            return body.isEmpty ? [] : ["\(where_): the document gives no content, the server sent \(body.utf8.count) bytes"]
        }
        guard let type = contentType.map(Self.mediaType) else {
            return ["\(where_): no Content-Type; the document lists \(content.keys.joined(separator: ", "))"]
        }
        guard let media = content.members.first(where: { Self.mediaType($0.key) == type })?.value else {
            return ["\(where_): Content-Type \(type) is not one the document lists (\(content.keys.joined(separator: ", ")))"]
        }
        // HEAD answers have GET's headers and no body.
        guard lower != "head", Self.isJSON(type), let schema = media["schema"] else { return [] }
        guard let value = try? parseJSON(body) else { return ["\(where_): the body is not JSON though the Content-Type is \(type)"] }
        return validate(value, against: schema, at: "").map { "\(where_): \($0)" }
    }

    /// The document's path item for a request path: a literal path before a templated one; a
    /// trailing {path} parameter takes the rest of the path (the file routes' `**`).
    func pathItem(_ path: String) -> (String, JSONValue)? {
        let paths = document["paths"]?.objectValue ?? JSONObject()
        if let item = paths[path] { return (path, item) }
        let given = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: (String, JSONValue, Int)?
        for (template, item) in paths.members {
            let parts = template.split(separator: "/", omittingEmptySubsequences: true)
            var literals = 0, matched = true
            for (k, part) in parts.enumerated() {
                let isParameter = part.hasPrefix("{") && part.hasSuffix("}")
                if isParameter, part == "{path}", k == parts.count - 1 { matched = given.count >= parts.count; break }
                guard k < given.count, isParameter || part == given[k] else { matched = false; break }
                if !isParameter { literals += 1 }
                if k == parts.count - 1, given.count != parts.count { matched = false }
            }
            if parts.isEmpty { matched = given.isEmpty }
            if matched, literals > (best?.2 ?? -1) { best = (template, item, literals) }
        }
        return best.map { ($0.0, $0.1) }
    }

    func errorBody(_ body: String, _ contentType: String?, _ where_: String) -> [String] {
        guard let type = contentType.map(Self.mediaType), type == "application/json" else {
            return ["\(where_): an error answer that is not application/json"]
        }
        guard let value = try? parseJSON(body) else { return ["\(where_): the error body is not JSON"] }
        return validate(value, against: .object(JSONObject([("$ref", .string("#/components/schemas/Error"))])), at: "").map { "\(where_): \($0)" }
    }

    static func mediaType(_ header: String) -> String {
        String(header.split(separator: ";", maxSplits: 1)[0]).trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func isJSON(_ type: String) -> Bool { type == "application/json" || type.hasSuffix("+json") }

    /// "#/components/schemas/X" (or any pointer into the document) to what it points at.
    func resolve(_ schema: JSONValue) -> JSONValue {
        var schema = schema, hops = 0
        while let ref = schema["$ref"]?.stringValue, ref.hasPrefix("#/"), hops < 32 {
            var node = document
            for token in ref.dropFirst(2).split(separator: "/") {
                let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                guard let next = node[key] else { return .object(JSONObject([("x-unresolved", .string(ref))])) }
                node = next
            }
            schema = node
            hops += 1
        }
        return schema
    }

    /// Where `value` (at the JSON pointer `pointer`) breaks `schema`; empty when it does not.
    func validate(_ value: JSONValue, against schema: JSONValue, at pointer: String) -> [String] {
        let schema = resolve(schema)
        let here = pointer.isEmpty ? "/" : pointer
        if let ref = schema["x-unresolved"]?.stringValue { return ["\(here): the schema's $ref \(ref) points at nothing"] }
        if value == .null, schema["nullable"]?.boolValue == true { return [] }
        var problems: [String] = []
        if let all = schema["allOf"]?.arrayValue {
            for s in all { problems += validate(value, against: s, at: pointer) }
        }
        if let any = schema["anyOf"]?.arrayValue, !any.contains(where: { validate(value, against: $0, at: pointer).isEmpty }) {
            problems.append("\(here): matches none of anyOf's \(any.count) schemas")
        }
        if let one = schema["oneOf"]?.arrayValue {
            let matching = one.filter { validate(value, against: $0, at: pointer).isEmpty }.count
            if matching != 1 { problems.append("\(here): matches \(matching) of oneOf's \(one.count) schemas, not one") }
        }
        if let list = schema["enum"]?.arrayValue, !list.contains(value) {
            problems.append("\(here): \(Self.short(value)) is not one of \(serializedJSON(.array(list)))")
        }
        if let type = schema["type"]?.stringValue {
            guard Self.has(value, type: type) else {
                return problems + ["\(here): expected \(type)\(schema["nullable"]?.boolValue == true ? " or null" : ""), found \(Self.short(value))"]
            }
        }
        switch value {
        case let .object(object):
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                problems.append("\(here): the required member \"\(name)\" is missing")
            }
            let properties = schema["properties"]?.objectValue ?? JSONObject()
            for (key, member) in object.members {
                let at = pointer + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                if let property = properties[key] {
                    problems += validate(member, against: property, at: at)
                } else if let extra = schema["additionalProperties"] {
                    if extra == .bool(false) {
                        problems.append("\(at): the member \"\(key)\" is not allowed")
                    } else if extra.objectValue != nil {
                        problems += validate(member, against: extra, at: at)
                    }
                }
            }
        case let .array(items):
            if let n = schema["minItems"]?.numberValue, Double(items.count) < n {
                problems.append("\(here): \(items.count) items, fewer than \(Int(n))")
            }
            if let n = schema["maxItems"]?.numberValue, Double(items.count) > n {
                problems.append("\(here): \(items.count) items, more than \(Int(n))")
            }
            if let itemSchema = schema["items"] {
                for (k, item) in items.enumerated() {
                    problems += validate(item, against: itemSchema, at: "\(pointer)/\(k)")
                    if problems.count > 20 { break }  // one bad feature in ten thousand is enough to say
                }
            }
        case let .number(x):
            if let m = schema["minimum"]?.numberValue, x < m { problems.append("\(here): \(Self.short(value)) is below the minimum \(m)") }
            if let m = schema["maximum"]?.numberValue, x > m { problems.append("\(here): \(Self.short(value)) is above the maximum \(m)") }
        case let .string(s):
            if let n = schema["minLength"]?.numberValue, Double(s.count) < n { problems.append("\(here): \"\(s)\" is shorter than \(Int(n))") }
        default:
            break
        }
        return problems
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("number", .number): return true
        case let ("integer", .number(x)): return x.rounded() == x
        default: return false
        }
    }

    static func short(_ value: JSONValue) -> String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        default: let text = serializedJSON(value); return text.count > 60 ? String(text.prefix(60)) + "…" : text
        }
    }
}
