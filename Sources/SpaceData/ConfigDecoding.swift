import Foundation
import SpaceCore
import SpaceGeometry

// Configuration files decoded as `Decodable` types through one decoder over `JSONValue`, so every
// reader reports a problem the same way: the file, the key path as a planner writes it
// (`tech_cultivation_targets.milestones[1].year`), what is wrong and the value found.

// MARK: Entry points

/// Reads a JSON configuration file and decodes it as `T`. A problem stops decoding with a
/// `DataError`, except inside records (`ConfigRecords`, `ConfigRecordMap`), whose problems are
/// all noted and thrown together as `DataErrors`. `context` is for checks that need more than the
/// file (a scenario's settings); types read it with `decoder.configContext(_:)`.
public func decodeConfig<T: Decodable>(_ type: T.Type, from url: URL, what: String, context: (any Sendable)? = nil) throws -> T {
    try decodeConfig(type, from: try readConfigJSON(url, what: what), file: url.path, context: context)
}

/// Decodes configuration already read (a file that is decoded as two types, say).
public func decodeConfig<T: Decodable>(_ type: T.Type, from json: JSONValue, file: String, context: (any Sendable)? = nil) throws -> T {
    let notes = ConfigNotes(file: file)
    let root = ConfigDecoder(value: json, path: [], record: nil, notes: notes, context: context)
    do {
        let value = try root.decode(T.self)
        if !notes.errors.isEmpty { throw DataErrors(errors: notes.errors) }
        return value
    } catch let problem as ConfigProblem {
        let error = notes.dataError(problem)
        throw notes.errors.isEmpty ? error as Error : DataErrors(errors: notes.errors + [error])
    }
}

/// Sanity bounds, not policy numbers: past them a value is a slip of the keyboard (a year of
/// 20025, a weight of 1e300), never a planner's choice. Policy numbers live in GIS/config.
public enum ConfigBounds {
    /// Calendar years a plan, target or scenario may name.
    public static let years = 1900...2200
    /// Durations in years (land terms, leases, construction); China's longest land term is 70 years.
    public static let yearSpans = 0...100
    /// Weights and priorities: relative numbers, so a sane one is within three orders of magnitude of 1.
    public static let maxWeight = 1_000.0
    /// Years a building may have been built: registers hold older buildings than plans name years.
    public static let yearsBuilt = 1800...2200
    /// Areas (m²), distances (m), prices and rents (yuan), counts of people or floors, and the
    /// size of a coordinate: a billion m² is of the order of all Shenzhen's floor area, and
    /// sums over millions of records of such values stay exact enough in a Double.
    public static let maxQuantity = 1e9
    /// Synthetic districts and demand (`generate`, `generate-demand`): the benchmarks go to
    /// 500,000 buildings (1.4 GB); a few times that is more buildings than Shenzhen has, and
    /// far more would exhaust the memory instead of failing with a message.
    public static let syntheticBuildings = 10...2_000_000
    public static let syntheticFirms = 1...1_000_000
    /// Solver settings (iterations, passes, candidates; a time limit): a hundred times the tuned
    /// settings and more is a slip that would run for days instead of failing.
    public static let solverSteps = 0...100_000
    public static let solverSeconds = 3_600.0
}

// MARK: Rules a configuration type states

/// One step of a key path: a member name or a list index.
public struct ConfigKey: CodingKey, Hashable, Sendable, ExpressibleByStringLiteral {
    public let stringValue: String
    /// Set for list indices only: a member named "440304" is still a member.
    public let intValue: Int?

    public init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    public init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
    public init(stringLiteral value: String) { self.init(stringValue: value) }
    public static func index(_ i: Int) -> ConfigKey { ConfigKey(intValue: i) }

    /// `a.b[2].c`, the way the planner's documents name a setting.
    static func text(_ path: some Sequence<ConfigKey>) -> String {
        path.reduce(into: "") { text, key in
            if let i = key.intValue { text += "[\(i)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
    }
}

/// A rule broken by the value being decoded, thrown by a configuration type's `init(from:)`;
/// the decoder adds the file and the key path.
public struct ConfigRule: Error, Sendable {
    let wording: ConfigProblem.Wording
    let at: [ConfigKey]

    /// "must be a positive number": the decoder puts the key path before it and the value found after.
    public static func must(_ rule: String, at key: ConfigKey...) -> ConfigRule { ConfigRule(wording: .must(rule), at: key) }
    /// A whole sentence with the values it is about ("first_year 2031 is after last_year 2030"),
    /// located at the value being decoded or at `key` within it.
    public static func problem(_ sentence: String, at key: ConfigKey...) -> ConfigRule { ConfigRule(wording: .statement(sentence), at: key) }
}

extension Decoder {
    /// What the caller of `decodeConfig` passed as `context`.
    public func configContext<C>(_ type: C.Type) throws -> C {
        guard let context = (self as? ConfigDecoder)?.context as? C else { throw ConfigRule.problem("cannot be read without its \(C.self)") }
        return context
    }

    /// Runs `decode`; inside a record, notes its problem and returns nil instead of throwing, so a
    /// record reports all its problems at once.
    public func noting<T>(_ decode: () throws -> T) throws -> T? {
        do { return try decode() } catch { try note(error); return nil }
    }

    /// Notes a problem of the record being decoded and carries on; outside a record, throws it.
    public func note(_ error: any Error) throws {
        guard let decoder = self as? ConfigDecoder, decoder.record != nil else { throw error }
        switch error {
        case let problem as ConfigProblem: decoder.notes.add(problem)
        case let rule as ConfigRule: decoder.notes.add(decoder.problem(rule))
        default: throw error
        }
    }

    /// The number here if it keeps `rule` (checked as a Double, so 1e300 never traps), else the rule broken.
    public func number(_ rule: NumberRule) throws -> Double {
        guard let value = (self as? ConfigDecoder)?.value ?? (try? singleValueContainer().decode(Double.self)).map(JSONValue.number),
            case let .number(n) = value
        else {
            throw ConfigRule.must("must be \(rule.whole ? rule.wholeWords : rule.lowWords)")
        }
        if let wanted = rule.broken(by: n) { throw ConfigRule.must("must be \(wanted)") }
        return n
    }

    /// A whole number keeping `rule`.
    public func wholeNumber(_ rule: NumberRule) throws -> Int {
        let n = try number(rule)
        guard let i = rule.integer(n) else { throw ConfigRule.must("must be \(rule.wholeWords)") }
        return i
    }
}

// MARK: Entries and records

/// An entry `{"value": …, "source": "…"}`: the value, and where it comes from.
public struct ConfigEntry<Value: Decodable>: Decodable {
    public let value: Value
    public let source: String?
}

extension ConfigEntry: Sendable where Value: Sendable {}

/// The "source" text of each top-level entry that has one, for reports citing their rules.
public struct ConfigSources: Decodable, Sendable {
    public let byEntry: [String: String]

    public init(from decoder: any Decoder) throws {
        let file = try decoder.container(keyedBy: ConfigKey.self)
        var sources: [String: String] = [:]
        for key in file.allKeys {
            // Plain members ("about") have no source; an entry's source must be text.
            guard let entry = try? file.nestedContainer(keyedBy: ConfigKey.self, forKey: key) else { continue }
            sources[key.stringValue] = try entry.decodeIfPresent(String.self, forKey: "source")
        }
        byEntry = sources
    }
}

/// A list of records (a scenario's events), each named in errors by its index and "id". A record
/// with problems is noted and left out, so a file reports all of them, not the first.
public struct ConfigRecords<Element: Decodable>: Decodable {
    public let elements: [Element]

    public init(from decoder: any Decoder) throws {
        guard let decoder = decoder as? ConfigDecoder else { elements = try [Element](from: decoder); return }
        guard case let .array(items) = decoder.value else { throw decoder.mismatch("must be a list") }
        var seen: Set<String> = [], kept: [Element] = []
        for (i, item) in items.enumerated() {
            let id = item["id"]?.stringValue
            let record = RecordMark(index: i, id: id, depth: decoder.path.count + 1)
            let element = try decoder.decodeRecord(Element.self, record, at: .index(i), item)
            if let id, !seen.insert(id).inserted {
                decoder.notes.add(
                    ConfigProblem(path: decoder.path + [.index(i), "id"], record: record, wording: .statement("duplicate id \"\(id)\""), found: nil))
            } else if let element {
                kept.append(element)
            }
        }
        elements = kept
    }
}

/// An object of records keyed by id (zones' positive lists), each named in errors by its key;
/// as with `ConfigRecords`, a record with problems is noted and left out.
public struct ConfigRecordMap<Element: Decodable>: Decodable {
    public let elements: [String: Element]

    public init(from decoder: any Decoder) throws {
        guard let decoder = decoder as? ConfigDecoder else { elements = try [String: Element](from: decoder); return }
        guard case let .object(members) = decoder.value else { throw decoder.mismatch("must be an object") }
        var kept: [String: Element] = [:]
        for (key, item) in members.members {
            let record = RecordMark(index: nil, id: key, depth: decoder.path.count + 1)
            kept[key] = try decoder.decodeRecord(Element.self, record, at: ConfigKey(stringValue: key), item)
        }
        elements = kept
    }
}

// MARK: Checked values

/// Values with the common domain rules: each checks itself as it decodes.
public enum Config {
    /// A calendar year: a whole number within `ConfigBounds.years`.
    public struct Year: Decodable, Sendable, Hashable {
        public let value: Int
        public init(from decoder: any Decoder) throws { value = try decoder.wholeNumber(.year) }
    }

    /// A duration in whole years within `ConfigBounds.yearSpans` (0 allowed: no construction time).
    public struct YearSpan: Decodable, Sendable, Hashable {
        public let value: Int
        public init(from decoder: any Decoder) throws { value = try decoder.wholeNumber(.yearSpan) }
    }

    /// A term in whole years, at least one, within `ConfigBounds.yearSpans`.
    public struct TermYears: Decodable, Sendable, Hashable {
        public let value: Int
        public init(from decoder: any Decoder) throws { value = try decoder.wholeNumber(.termYears) }
    }

    /// A count (firms, iterations): a whole number, 0 or more.
    public struct Count: Decodable, Sendable, Hashable {
        public let value: Int
        public init(from decoder: any Decoder) throws { value = try decoder.wholeNumber(.count) }
    }

    /// A solver's iterations, passes or candidates: a whole number within `ConfigBounds.solverSteps`.
    public struct SolverSteps: Decodable, Sendable, Hashable {
        public let value: Int
        public init(from decoder: any Decoder) throws { value = try decoder.wholeNumber(.solverSteps) }
    }

    /// A solver's time limit in seconds, within `ConfigBounds.solverSeconds`.
    public struct SolverSeconds: Decodable, Sendable, Hashable {
        public let value: Double
        public init(from decoder: any Decoder) throws { value = try decoder.number(.solverSeconds) }
    }

    /// A finite number, 0 or more, within `ConfigBounds.maxQuantity`.
    public struct NonNegative: Decodable, Sendable, Hashable {
        public let value: Double
        public init(from decoder: any Decoder) throws { value = try decoder.number(.quantity) }
    }

    /// A finite number above 0, within `ConfigBounds.maxQuantity`.
    public struct Positive: Decodable, Sendable, Hashable {
        public let value: Double
        public init(from decoder: any Decoder) throws { value = try decoder.number(.positive) }
    }

    /// A share, 0 to 1.
    public struct Share: Decodable, Sendable, Hashable {
        public let value: Double
        public init(from decoder: any Decoder) throws { value = try decoder.number(.share) }
    }

    /// A weight or priority, 0 to `ConfigBounds.maxWeight`.
    public struct Weight: Decodable, Sendable, Hashable {
        public let value: Double
        public init(from decoder: any Decoder) throws { value = try decoder.number(.weight) }
    }

    /// A list with at least one element.
    public struct NonEmpty<Element: Decodable>: Decodable {
        public let elements: [Element]
        public init(from decoder: any Decoder) throws {
            elements = try [Element](from: decoder)
            if elements.isEmpty { throw ConfigRule.must("must not be empty") }
        }
    }

    /// A term of vocabulary `V`; any other string is an error listing V's terms.
    public struct Known<V: ConfigVocabulary>: Decodable, Sendable {
        public let value: V
        public init(from decoder: any Decoder) throws {
            guard let name = try? decoder.singleValueContainer().decode(String.self) else { throw ConfigRule.must("must be a \(V.noun) (a string)") }
            guard let term = V(term: name) else { throw ConfigRule.problem(V.unknown(name)) }
            value = term
        }
    }

    /// An object whose keys are terms of `V` (stages → carrier types, flags → weights).
    public struct KnownKeys<V: ConfigVocabulary & Hashable, Value: Decodable>: Decodable {
        public let byKey: [V: Value]
        public init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: ConfigKey.self)
            var byKey: [V: Value] = [:]
            for key in object.allKeys {
                guard let term = V(term: key.stringValue) else { throw ConfigRule.problem(V.unknown(key.stringValue)) }
                byKey[term] = try object.decode(Value.self, forKey: key)
            }
            self.byKey = byKey
        }
    }

    /// `KnownKeys` with an entry for every term of `V`.
    public struct EveryKey<V: ConfigVocabulary & Hashable & CaseIterable & RawRepresentable, Value: Decodable>: Decodable where V.RawValue == String {
        public let byKey: [V: Value]
        public init(from decoder: any Decoder) throws {
            byKey = try KnownKeys<V, Value>(from: decoder).byKey
            if let missing = V.allCases.first(where: { byKey[$0] == nil }) {
                throw ConfigRule.problem("no entry for \(V.noun) \"\(missing.rawValue)\"")
            }
        }
    }
}

extension Config.NonEmpty: Sendable where Element: Sendable {}
extension Config.KnownKeys: Sendable where V: Sendable, Value: Sendable {}
extension Config.EveryKey: Sendable where V: Sendable, Value: Sendable {}

// MARK: Vocabularies

/// Terms a configuration may name (carrier types, sector codes…), for `Config.Known` and `Config.KnownKeys`.
public protocol ConfigVocabulary: Sendable {
    /// What a term is, for messages: "carrier type".
    static var noun: String { get }
    /// The terms, in the order messages list them.
    static var terms: [String] { get }
    init?(term: String)
}

extension ConfigVocabulary {
    /// The message for a term not in the vocabulary.
    public static func unknown(_ term: String) -> String {
        "unknown \(noun) \"\(term)\" (known: \(terms.joined(separator: ", ")))"
    }
}

extension ConfigVocabulary where Self: CaseIterable & RawRepresentable, RawValue == String {
    public static var terms: [String] { allCases.map(\.rawValue) }
    public init?(term: String) { self.init(rawValue: term) }
}

/// A vocabulary of plain names: a term is one of `terms`.
public protocol ConfigNames: ConfigVocabulary, Hashable {
    var name: String { get }
    init(name: String)
}

extension ConfigNames {
    public init?(term: String) {
        guard Self.terms.contains(term) else { return nil }
        self.init(name: term)
    }
}

extension CarrierType: ConfigVocabulary { public static var noun: String { "carrier type" } }
extension FirmStage: ConfigVocabulary { public static var noun: String { "stage" } }

extension Config {
    /// A sector code of GIS/README.md.
    public struct Sector: ConfigNames {
        public let name: String
        public init(name: String) { self.name = name }
        public static var noun: String { "sector" }
        public static var terms: [String] { Vocabulary.sectors }
    }

    /// An enterprise kind flag (national_high_tech…).
    public struct EnterpriseFlag: ConfigNames {
        public let name: String
        public init(name: String) { self.name = name }
        public static var noun: String { "flag" }
        public static var terms: [String] { Vocabulary.enterpriseFlags }
    }
}

// MARK: The decoder

/// Where a record starts (its index or key) and how it is named in errors.
struct RecordMark: Sendable {
    let index: Int?
    let id: String?
    /// Path length at the record, so messages can name keys within it.
    let depth: Int
}

/// A problem found while decoding, before it becomes a `DataError`.
struct ConfigProblem: Error {
    enum Wording: Sendable {
        case must(String)
        case statement(String)
        case missing
    }
    let path: [ConfigKey]
    let record: RecordMark?
    let wording: Wording
    let found: JSONValue?
}

/// The problems noted so far in one file, shared by the decoders of all its parts.
final class ConfigNotes {
    let file: String
    private(set) var errors: [DataError] = []

    init(file: String) { self.file = file }

    func add(_ problem: ConfigProblem) { errors.append(dataError(problem)) }

    func dataError(_ p: ConfigProblem) -> DataError {
        let full = ConfigKey.text(p.path)
        let found = p.found.map { ", found \(describeFound($0))" } ?? ""
        guard let record = p.record else {
            switch p.wording {
            case .missing: return DataError(file: file, problem: "missing entry \"\(full)\"")
            case let .must(rule): return DataError(file: file, problem: "\(full) \(rule)\(found)")
            case let .statement(s): return DataError(file: file, problem: full.isEmpty ? s : "\(full): \(s)")
            }
        }
        // In a record, the record names where; keys within it lead, as the planner looks them up there.
        let inner = ConfigKey.text(p.path.dropFirst(record.depth))
        let text: String
        switch p.wording {
        case .missing: text = "needs \(inner)"
        case let .must(rule): text = "\(inner.isEmpty ? full : inner) \(rule)\(found)"
        case let .statement(s): text = s
        }
        let at = inner.isEmpty && !isStatement(p.wording) ? "" : " (at \(full))"
        return DataError(file: file, record: record.index, recordID: record.id, problem: text + at)
    }

    private func isStatement(_ wording: ConfigProblem.Wording) -> Bool {
        if case .statement = wording { return true }
        return false
    }
}

/// A value as an error message shows it: numbers as written, text quoted, long values cut.
public func describeFound(_ value: JSONValue) -> String {
    func cut(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }
    switch value {
    case let .number(n) where n.isNaN: return "NaN"
    case let .number(n) where n.isInfinite: return n > 0 ? "infinity" : "-infinity"
    case let .string(s): return "\"\(cut(s, 60))\""
    case let .array(items) where items.isEmpty: return "an empty list"
    case .array: return "a list \(cut(serializedJSON(value), 40))"
    case .object: return "an object \(cut(serializedJSON(value), 40))"
    default: return value.displayText.isEmpty ? "null" : value.displayText
    }
}

extension JSONValue {
    /// The value at `path` below this one.
    func at(_ path: [ConfigKey]) -> JSONValue? {
        path.reduce(self as JSONValue?) { value, key in
            if let i = key.intValue { return value?.arrayValue.flatMap { $0.indices.contains(i) ? $0[i] : nil } }
            return value?[key.stringValue]
        }
    }
}

/// Decodes one `JSONValue`, knowing its key path, the record it lies in and the file's notes.
struct ConfigDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let path: [ConfigKey]
    let record: RecordMark?
    let notes: ConfigNotes
    let context: (any Sendable)?

    var codingPath: [any CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func child(_ key: ConfigKey, _ value: JSONValue, record: RecordMark? = nil) -> ConfigDecoder {
        ConfigDecoder(value: value, path: path + [key], record: record ?? self.record, notes: notes, context: context)
    }

    func problem(_ rule: ConfigRule) -> ConfigProblem {
        let found: JSONValue? = if case .must = rule.wording { value.at(rule.at) } else { nil }
        return ConfigProblem(path: path + rule.at, record: record, wording: rule.wording, found: found)
    }

    func mismatch(_ rule: String) -> ConfigProblem { problem(.must(rule)) }

    func missing(_ key: ConfigKey) -> ConfigProblem { ConfigProblem(path: path + [key], record: record, wording: .missing, found: nil) }

    /// Decodes a record; its problems are noted, and a record with any is nil.
    func decodeRecord<T: Decodable>(_ type: T.Type, _ mark: RecordMark, at key: ConfigKey, _ value: JSONValue) throws -> T? {
        let record = child(key, value, record: mark)
        let before = notes.errors.count
        let decoded = try record.noting { try record.decode(T.self) }
        return notes.errors.count == before ? decoded : nil
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .object(object) = value else { throw mismatch("must be an object") }
        return KeyedDecodingContainer(ConfigKeyedContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case let .array(items) = value else { throw mismatch("must be a list") }
        return ConfigUnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // Single values. Numbers are checked as Doubles before any conversion.

    func decodeNil() -> Bool { value.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case let .bool(b) = value else { throw mismatch("must be true or false") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case let .string(s) = value else { throw mismatch("must be a string") }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard case let .number(n) = value else { throw mismatch("must be a number") }
        guard n.isFinite else { throw mismatch("must be a finite number") }
        return n
    }

    func decode(_ type: Float.Type) throws -> Float {
        let n = try decode(Double.self)
        guard abs(n) <= Double(Float.greatestFiniteMagnitude) else { throw mismatch("must be a number within ±\(Float.greatestFiniteMagnitude)") }
        return Float(n)
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case let .number(n) = value, n.isFinite, n == n.rounded() else { throw mismatch("must be a whole number") }
        guard let i = T(exactly: n) else { throw mismatch("must be a whole number from \(T.min) to \(T.max)") }
        return i
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    /// Any type: the rules it throws are placed at this decoder's path.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try T(from: self) } catch let rule as ConfigRule {
            throw problem(rule)
        } catch let error as DecodingError {
            throw problem(.problem(foreignDecodingProblem(error)))
        }
    }

    private func foreignDecodingProblem(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(c), let .keyNotFound(_, c), let .typeMismatch(_, c), let .valueNotFound(_, c): return c.debugDescription
        @unknown default: return "\(error)"
        }
    }
}

struct ConfigKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ConfigDecoder
    let object: JSONObject

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func member(_ key: Key) throws -> ConfigDecoder {
        let step = ConfigKey(stringValue: key.stringValue)
        guard let value = object[key.stringValue] else { throw decoder.missing(step) }
        return decoder.child(step, value)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).decodeNil() }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try member(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try member(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try member(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try member(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try member(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try member(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try member(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try member(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try member(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try member(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try member(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try member(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try member(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try member(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try member(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try member(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { decoder.child("super", object["super"] ?? .null) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try member(key) }
}

struct ConfigUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: ConfigDecoder
    let items: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: ConfigDecoder, items: [JSONValue]) { self.decoder = decoder; self.items = items }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    /// Decodes the next item with `read`, moving on only when it succeeds (as Foundation's decoders do).
    private mutating func next<T>(_ read: (ConfigDecoder) throws -> T) throws -> T {
        guard !isAtEnd else { throw decoder.mismatch("has too few items") }
        let value = try read(decoder.child(.index(currentIndex), items[currentIndex]))
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next { try $0.decode(type) } }
    mutating func decode(_ type: String.Type) throws -> String { try next { try $0.decode(type) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next { try $0.decode(type) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next { try $0.decode(type) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next { try $0.decode(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next { try $0.decode(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next { try $0.decode(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next { try $0.decode(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next { try $0.decode(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next { try $0.decode(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next { try $0.decode(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next { try $0.decode(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next { try $0.decode(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next { try $0.decode(type) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next { try $0.decode(type) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next { try $0.container(keyedBy: type) }
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next { try $0.unkeyedContainer() } }
    mutating func superDecoder() throws -> any Decoder { try next { $0 } }
}
