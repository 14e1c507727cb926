import Foundation

/// A problem that stops a run: bad input named by file, record and problem.
public struct DataError: Error, CustomStringConvertible, Sendable {
    public let file: String
    /// 0-based record index (feature or data row) and the record's id, when known.
    public let record: Int?
    public let recordID: String?
    public let problem: String

    public init(file: String, record: Int? = nil, recordID: String? = nil, problem: String) {
        self.file = file; self.record = record; self.recordID = recordID; self.problem = problem
    }

    public var description: String {
        var where_ = file
        if let record { where_ += ", record \(record)" }
        if let recordID, !recordID.isEmpty { where_ += " (id \(recordID))" }
        return "\(where_): \(problem)"
    }
}

/// Several errors at once: a planner fixing a file wants all its problems, not the first.
public struct DataErrors: Error, CustomStringConvertible, Sendable {
    public let errors: [DataError]
    public init(errors: [DataError]) { self.errors = errors }
    public var description: String {
        let shown = errors.prefix(25).map { "  - \($0)" }.joined(separator: "\n")
        let more = errors.count > 25 ? "\n  … and \(errors.count - 25) more" : ""
        return "the input has \(errors.count) problem\(errors.count == 1 ? "" : "s"):\n\(shown)\(more)"
    }
}

extension Array where Element == DataError {
    /// Record by record, as a planner reads the file; each record's problems in the order found.
    public func inRecordOrder() -> [DataError] {
        enumerated().sorted { ($0.element.record ?? -1, $0.offset) < ($1.element.record ?? -1, $1.offset) }.map(\.element)
    }
}

/// What was done to the data on the way in, record by record: repaired geometries, dropped
/// records, unmatched firms, suspicious values. Written to validation.json / validation.txt.
public struct ValidationReport: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case repaired, dropped, unmatched, warning, derived
    }

    public struct Entry: Sendable {
        public let kind: Kind
        public let layer: String
        public let file: String
        public let record: Int?
        public let recordID: String?
        public let problem: String
        /// The plausibility rule it breaks (`Plausibility`), and what its findings share, for the count by rule.
        public var rule: String? = nil
        public var summary: String? = nil

        public init(
            kind: Kind, layer: String, file: String, record: Int?, recordID: String?, problem: String, rule: String? = nil, summary: String? = nil
        ) {
            self.kind = kind; self.layer = layer; self.file = file; self.record = record; self.recordID = recordID; self.problem = problem
            self.rule = rule; self.summary = summary
        }
    }

    public private(set) var entries: [Entry] = []
    /// How each file was read: its format and text encoding, and where the encoding came from.
    public struct SourceNote: Sendable, Equatable {
        public let layer: String
        public let file: String
        public let note: String
        public init(layer: String, file: String, note: String) { self.layer = layer; self.file = file; self.note = note }
    }
    public private(set) var sources: [SourceNote] = []
    public init() {}

    public mutating func addSource(layer: String, file: String, _ note: String) {
        sources.append(SourceNote(layer: layer, file: file, note: note))
    }

    public mutating func add(_ kind: Kind, layer: String, file: String, record: Int?, id: String?, _ problem: String) {
        entries.append(Entry(kind: kind, layer: layer, file: file, record: record, recordID: id, problem: problem))
    }

    /// An entry as it was made (with its rule, if any).
    public mutating func add(_ entry: Entry) { entries.append(entry) }

    /// A plausibility warning, under its rule; `file` names the layer's file.
    public mutating func add(_ finding: Plausibility.Finding, file: String) {
        entries.append(
            Entry(
                kind: .warning, layer: finding.layer, file: file, record: finding.record, recordID: finding.recordID,
                problem: "\(finding.problem) [\(finding.rule)]", rule: finding.rule, summary: finding.summary))
    }

    /// A note that a rule found `count` records, once for all of them (field-level rules: "floors written as text").
    public mutating func add(rule: String, layer: String, file: String, record: Int?, id: String?, _ problem: String, summary: String) {
        entries.append(
            Entry(
                kind: .warning, layer: layer, file: file, record: record, recordID: id, problem: "\(problem) [\(rule)]", rule: rule, summary: summary)
        )
    }

    public mutating func append(contentsOf other: ValidationReport) {
        entries += other.entries
        sources += other.sources
    }

    public func count(_ kind: Kind, layer: String? = nil) -> Int {
        entries.reduce(0) { $0 + ($1.kind == kind && (layer == nil || $1.layer == layer) ? 1 : 0) }
    }
}

extension ValidationReport {
    /// The warnings of each plausibility rule counted once: "312 enterprises: firm with more floor area
    /// than its building [enterprise.area_beyond_building]", in the order first found.
    public struct RuleCount: Sendable, Equatable {
        public let rule: String
        public let layer: String
        public let summary: String
        public let count: Int
        /// "308 enterprises: …", "1 building: …".
        public var line: String { "\(count) \(count == 1 && layer.hasSuffix("s") ? String(layer.dropLast()) : layer): \(summary) [\(rule)]" }
    }

    public var ruleCounts: [RuleCount] {
        var order: [String] = [], counts: [String: (rule: String, layer: String, summary: String, count: Int)] = [:]
        for e in entries {
            guard let rule = e.rule, let summary = e.summary else { continue }
            let key = "\(rule)\u{1}\(e.layer)\u{1}\(summary)"
            if counts[key] == nil { order.append(key); counts[key] = (rule, e.layer, summary, 0) }
            counts[key]!.count += 1
        }
        return order.map {
            let c = counts[$0]!; return RuleCount(rule: c.rule, layer: c.layer, summary: c.summary, count: c.count)
        }
    }

    /// "4 repaired, 0 dropped, 8 unmatched, 41 warning, 1 derived".
    public var countsLine: String {
        Kind.allCases.map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", ")
    }
}

extension ValidationReport.Entry {
    /// "[repaired] buildings.geojson record 12 (id B12): …", as validation.txt and `validate` print it.
    public var line: String {
        var place = file
        if let record { place += " record \(record)" }
        if let recordID { place += " (id \(recordID))" }
        return "[\(kind.rawValue)] \(place): \(problem)"
    }
}
