import SpaceCore
import SpaceGeometry

/// Typed access to one record's fields, whether they come from GeoJSON properties or a CSV
/// row. Problems are collected, not thrown one by one, so a record reports all of them.
struct FieldReader {
    enum Source {
        case properties(JSONObject)
        /// A CSV row; `columns` maps schema field names (renames applied) to column indices.
        case csv(columns: [String: Int], row: [String])
    }

    /// Schema field → column index for a CSV header, with the layer's renames applied once.
    static func columns(_ header: [String], layer: Manifest.Layer) -> [String: Int] {
        var byName: [String: Int] = [:]
        for (i, name) in header.enumerated() where byName[name] == nil { byName[name] = i }
        var columns = byName
        for (field, source) in layer.fields { columns[field] = byName[source] }
        return columns
    }

    let source: Source
    /// Schema field → the file's own name for it, and values for fields the file lacks.
    var renames: [String: String] = [:]
    var defaults = JSONObject()
    private(set) var problems: [String] = []
    /// Doubts that do not stop the run (reported as warnings).
    private(set) var warnings: [String] = []
    /// Numeric fields a JSON file gave as text ("12"): read, and counted by the caller
    /// (`field.number_as_text`); a CSV or a spreadsheet holds text by nature and adds none.
    private(set) var numbersAsText: [String] = []

    init(_ source: Source, layer: Manifest.Layer? = nil) {
        self.source = source
        renames = layer?.fields ?? [:]
        defaults = layer?.defaults ?? JSONObject()
    }

    /// The raw text of a field; nil when absent or empty.
    private func raw(_ field: String) -> (text: String?, isNumber: Double?)? {
        if let value = fileValue(field) { return value }
        return defaults[field].flatMap(Self.value)
    }

    private func fileValue(_ field: String) -> (text: String?, isNumber: Double?)? {
        switch source {
        case let .properties(object):
            guard let value = object[renames[field] ?? field] else { return nil }
            return Self.value(value)
        case let .csv(columns, row):
            guard let column = columns[field], column < row.count else { return nil }
            let text = row[column].trimmedSpaces
            return text.isEmpty ? nil : (text, nil)
        }
    }

    private static func value(_ value: JSONValue) -> (text: String?, isNumber: Double?)? {
        switch value {
        case .null: return nil
        case let .number(n): return (nil, n)
        case let .string(s): return s.trimmedSpaces.isEmpty ? nil : (s.trimmedSpaces, nil)
        case let .bool(b): return (b ? "true" : "false", nil)
        default: return ("\(value.displayText)", nil)
        }
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        if case let .properties(object) = source, let value = object[renames[key] ?? key] {
            // A JSON id must be text or a number; an object, a list or a flag is a slip upstream.
            switch value {
            case .object, .array, .bool:
                if key == "id" {
                    problems.append("id is \(describeFound(value)), not text or a number [record.id_not_text]")
                    return nil
                }
            case let .string(text) where text.utf8.contains(0):  // on the bytes: String.contains goes through Foundation, slowly
                problems.append("\(key) contains a NUL byte [field.nul_byte]")
                return nil
            default: break
            }
        }
        guard let value = raw(key) else {
            if required { problems.append("\(key) is missing") }
            return nil
        }
        if let text = value.text { return text }
        return formatJSONNumber(value.isNumber!)
    }

    /// A number keeping `rule`: absent, not a number or breaking the rule is a problem naming the value.
    mutating func number(_ key: String, required: Bool = false, _ rule: NumberRule) -> Double? {
        guard let value = raw(key) else {
            if required { problems.append("\(key) is missing") }
            return nil
        }
        let n: Double
        if let number = value.isNumber {
            n = number
        } else if let text = value.text, Double(text) != nil, text.drop(while: { $0 == "+" || $0 == "-" }).lowercased().hasPrefix("0x") {
            // Swift reads "0x1F40" as 8000: a hexadecimal figure is a slip (a spreadsheet's format, a byte dump), never an area.
            problems.append("\(key) is '\(text)', a hexadecimal number: write it in decimal [field.hex_number]")
            return nil
        } else if let parsed = Double(value.text!) {
            n = parsed
            if case .properties = source, fileValue(key) != nil { numbersAsText.append(key) }
        } else {
            problems.append("\(key) is '\(value.text!)', not a number")
            return nil
        }
        if let problem = rule.problem(key, n) { problems.append(problem); return nil }
        return n
    }

    /// A whole number keeping `rule` (a whole rule), converted only once it is known to fit.
    mutating func integer(_ key: String, required: Bool = false, _ rule: NumberRule) -> Int? {
        number(key, required: required, rule).flatMap(rule.integer)
    }

    /// A quantity from `minimum` (nil: of either sign) up to `ConfigBounds.maxQuantity`.
    mutating func number(_ key: String, required: Bool = false, minimum: Double? = 0) -> Double? {
        number(key, required: required, minimum.map { $0 == 0 ? .quantity : NumberRule.quantity.atLeast($0) } ?? .signed)
    }

    /// A count from `minimum` up to `ConfigBounds.maxQuantity`.
    mutating func integer(_ key: String, required: Bool = false, minimum: Double? = 0) -> Int? {
        integer(
            key, required: required,
            minimum.map { $0 == 0 ? .count : NumberRule.count.atLeast($0) } ?? NumberRule.count.atLeast(-ConfigBounds.maxQuantity))
    }

    mutating func oneOf(_ key: String, _ allowed: Set<String>, required: Bool = false) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard allowed.contains(text) else {
            problems.append("\(key) '\(text)' is not one of \(allowed.sorted().joined(separator: ", "))")
            return nil
        }
        return text
    }

    /// A ';'-separated list, or in JSON an array of strings.
    mutating func list(_ key: String) -> [String] {
        if case let .properties(object) = source, let array = object[renames[key] ?? key]?.arrayValue {
            return array.compactMap { $0.stringValue?.trimmedSpaces }.filter { !$0.isEmpty }
        }
        guard let text = string(key) else { return [] }
        return listItems(text)
    }

    mutating func problem(_ text: String) { problems.append(text) }
    mutating func warn(_ text: String) { warnings.append(text) }
}

/// The items of a list written in one field ("B12; B13"): split at ";", trimmed, empty ones
/// left out. The store reads its list columns with it too, as the loaders read the files.
public func listItems(_ text: String) -> [String] {
    text.split(separator: ";").map { String($0).trimmedSpaces }.filter { !$0.isEmpty }
}
