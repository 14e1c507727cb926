import Foundation

// Typed answers (Codable structs) become JSONValue documents here, so that the files the command
// line writes and the server's answers are the same bytes the project's JSON writer has always
// made: members in the order the type encodes them, and a missing optional as null (a planner
// reading renewal.json sees "carrier": null, not a key that comes and goes).

/// Encodes any `Encodable` as a `JSONValue`.
public struct JSONValueEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = EncodingNode()
        try root.store(value, codingPath: [])
        return root.value
    }
}

extension Encodable {
    /// The value as a JSON document (see `JSONValueEncoder`). Every type encoded here is made of
    /// strings, numbers, booleans, optionals, arrays and other such types, which cannot fail.
    public var jsonDocument: JSONValue {
        do { return try JSONValueEncoder().encode(self) } catch { preconditionFailure("\(Self.self) could not be encoded: \(error)") }
    }
}

/// A number rounded to `decimals` places, as the report files round their figures.
public func rounded(_ x: Double, decimals: Int) -> Double {
    let scale = pow(10, Double(decimals))
    return (x * scale).rounded() / scale
}

/// Members of a JSON object in a stated order, under names that are data (zone ids, land uses),
/// not field names: a Swift dictionary would encode them in no fixed order.
public struct OrderedMembers<Value: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    public var members: [Member]

    public struct Member: Equatable, Sendable {
        public let key: String
        public let value: Value
        public init(_ key: String, _ value: Value) { self.key = key; self.value = value }
    }

    public init(_ members: [Member]) { self.members = members }
    /// The dictionary's members sorted by key.
    public init(sorted dictionary: [String: Value]) {
        members = dictionary.keys.sorted().map { Member($0, dictionary[$0]!) }
    }

    public subscript(key: String) -> Value? { members.first { $0.key == key }?.value }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        for m in members { try container.encode(m.value, forKey: MemberKey(m.key)) }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: MemberKey.self)
        members = try container.allKeys.map { Member($0.stringValue, try container.decode(Value.self, forKey: $0)) }
            .sorted { $0.key < $1.key }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.members.count == b.members.count && a.members.allSatisfy { b[$0.key] == $0.value }
    }
}

struct MemberKey: CodingKey {
    let stringValue: String
    init(_ key: String) { stringValue = key }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

extension JSONValue: Codable {
    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case let .bool(b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case let .number(n):
            var c = encoder.singleValueContainer()
            try c.encode(n)
        case let .string(s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case let .array(items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case let .object(o):
            var c = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in o.members { try c.encode(value, forKey: MemberKey(key)) }
        }
    }

    public init(from decoder: Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: MemberKey.self) {
            self = .object(JSONObject(try keyed.allKeys.map { ($0.stringValue, try keyed.decode(JSONValue.self, forKey: $0)) }))
        } else if var unkeyed = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !unkeyed.isAtEnd { items.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(items)
        } else {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let n = try? c.decode(Double.self) {
                self = .number(n)
            } else {
                self = .string(try c.decode(String.self))
            }
        }
    }
}

/// One value being encoded: a leaf, an object or an array. Containers hand out child nodes and
/// the tree becomes a `JSONValue` at the end, so nested containers need no copying back.
final class EncodingNode {
    private var leaf: JSONValue = .null
    private var members: [(String, EncodingNode)]?
    private var items: [EncodingNode]?

    var value: JSONValue {
        if let members { return .object(JSONObject(members.map { ($0.0, $0.1.value) })) }
        if let items { return .array(items.map(\.value)) }
        return leaf
    }

    func setLeaf(_ v: JSONValue) { leaf = v; members = nil; items = nil }

    func becomeObject() { if members == nil { members = []; items = nil } }
    func becomeArray() { if items == nil { items = []; members = nil } }

    func child(forKey key: String) -> EncodingNode {
        becomeObject()
        let node = EncodingNode()
        if let i = members!.firstIndex(where: { $0.0 == key }) { members![i].1 = node } else { members!.append((key, node)) }
        return node
    }

    func appendedChild() -> EncodingNode {
        becomeArray()
        let node = EncodingNode()
        items!.append(node)
        return node
    }

    var itemCount: Int { items?.count ?? 0 }

    func store<T: Encodable>(_ value: T, codingPath: [CodingKey]) throws {
        if let leaf = value as? JSONLeaf { setLeaf(leaf.jsonLeaf) } else { try value.encode(to: NodeEncoder(node: self, codingPath: codingPath)) }
    }
}

struct NodeEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        node.becomeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleNodeContainer(node: node, codingPath: codingPath) }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [CodingKey]

    func put(_ leaf: JSONValue, _ key: Key) { node.child(forKey: key.stringValue).setLeaf(leaf) }
    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try node.child(forKey: key.stringValue).store(value, codingPath: codingPath + [key])
    }
    // A missing optional is written as null: the documents keep the same keys from run to run.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { put(value?.jsonLeaf ?? .null, key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(forKey: key.stringValue)
        child.becomeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let child = node.child(forKey: key.stringValue)
        child.becomeArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> Encoder { NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> Encoder { NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]) }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [CodingKey]
    var count: Int { node.itemCount }

    mutating func encodeNil() throws { node.appendedChild().setLeaf(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.appendedChild().store(value, codingPath: codingPath) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = node.appendedChild()
        child.becomeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let child = node.appendedChild()
        child.becomeArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> Encoder { NodeEncoder(node: node.appendedChild(), codingPath: codingPath) }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [CodingKey]

    mutating func encodeNil() throws { node.setLeaf(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.store(value, codingPath: codingPath) }
}

/// A value that is one JSON leaf (or, for JSONValue, already a document).
protocol JSONLeaf { var jsonLeaf: JSONValue { get } }
extension JSONValue: JSONLeaf { var jsonLeaf: JSONValue { self } }
extension String: JSONLeaf { var jsonLeaf: JSONValue { .string(self) } }
extension Bool: JSONLeaf { var jsonLeaf: JSONValue { .bool(self) } }
extension Double: JSONLeaf { var jsonLeaf: JSONValue { .number(self) } }
extension Float: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension Int: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension Int8: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension Int16: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension Int32: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension Int64: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension UInt: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension UInt8: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension UInt16: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension UInt32: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
extension UInt64: JSONLeaf { var jsonLeaf: JSONValue { .number(Double(self)) } }
