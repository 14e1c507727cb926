import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// What a store says about itself: its schema's number, where and when it was imported, the
/// manifest of the files it came from and the report of reading them, and the district's clock.
public struct StoreMeta: Sendable {
    /// The schema this binary writes and reads; a store with a higher number was written by a
    /// newer spaceplan and is refused (StoreMigrations).
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var importedAt: String
    public var importedFrom: String
    public var manifest: Manifest
    public var report: ValidationReport
    public var workingCRS: CRSCode
    /// The district's time zone: `--as-of-date` days and `store log` times are in it. Assumed
    /// Asia/Shanghai (China Standard Time, the bureau's clock) unless the store says otherwise.
    public var timeZone: String

    public static let defaultTimeZone = "Asia/Shanghai"

    var entries: [(String, String)] {
        [
            ("schema_version", String(schemaVersion)), ("imported_at", importedAt), ("imported_from", importedFrom),
            ("manifest", serializedJSON(Self.json(manifest))), ("load_report", serializedJSON(Self.json(report))),
            ("working_crs", workingCRS.description), ("time_zone", timeZone),
        ]
    }

    public init(
        schemaVersion: Int = StoreMeta.schemaVersion, importedAt: String, importedFrom: String, manifest: Manifest, report: ValidationReport,
        workingCRS: CRSCode, timeZone: String = StoreMeta.defaultTimeZone
    ) {
        self.schemaVersion = schemaVersion; self.importedAt = importedAt; self.importedFrom = importedFrom; self.manifest = manifest
        self.report = report; self.workingCRS = workingCRS; self.timeZone = timeZone
    }

    /// Reads the entries back; `store` names the store in messages.
    init(entries: [String: String], store: String) throws {
        func entry(_ key: String) throws -> String {
            guard let value = entries[key] else { throw DataError(file: store, problem: "is not a spaceplan store: store_meta has no \(key)") }
            return value
        }
        guard let version = Int(try entry("schema_version")) else { throw DataError(file: store, problem: "store_meta.schema_version is not a number") }
        try StoreMigrations.check(version, store: store)
        schemaVersion = version
        importedAt = try entry("imported_at")
        importedFrom = try entry("imported_from")
        do {
            manifest = try Self.manifest(try parseJSON(try entry("manifest")))
            // The reading report (MBs at 500,000 buildings) is read with a snapshot only.
            report = try entries["load_report"].map { Self.report(try parseJSON($0)) } ?? ValidationReport()
            workingCRS = try CRSCode(parsing: try entry("working_crs"))
        } catch let error as DataError { throw error } catch { throw DataError(file: store, problem: "store_meta cannot be read: \(error)") }
        timeZone = entries["time_zone"] ?? Self.defaultTimeZone
    }

    // MARK: Manifest and report as JSON

    static func json(_ m: Manifest) -> JSONValue {
        func layer(_ l: Manifest.Layer) -> JSONValue {
            .object(
                JSONObject([
                    ("name", .string(l.name)), ("file", .string(l.file.path)), ("crs", l.crs.map { .string($0.description) } ?? .null),
                    ("layer", l.sourceLayer.map { .string($0) } ?? .null),
                ]))
        }
        let layers = Manifest.layerNames.compactMap { name in m.layers[name].map { (name, JSONValue.array($0.map(layer))) } }
        return .object(
            JSONObject([
                ("name", .string(m.name)), ("synthetic", .bool(m.synthetic)), ("file", .string(m.file)),
                ("as_of_year", m.asOfYear.map { .number(Double($0)) } ?? .null), ("layers", .object(JSONObject(layers))),
                ("skipped", .array(m.skipped.map(layer))),
            ]))
    }

    static func manifest(_ json: JSONValue) throws -> Manifest {
        func layer(_ j: JSONValue) throws -> Manifest.Layer {
            let file = j["file"]?.stringValue ?? ""
            guard let format = LayerFormat(fileName: file) else { throw DataError(file: file, problem: "the store's manifest names a file of no known format") }
            return Manifest.Layer(
                name: j["name"]?.stringValue ?? "", file: URL(fileURLWithPath: file), crs: try j["crs"]?.stringValue.map { try CRSCode(parsing: $0) },
                format: format, sourceLayer: j["layer"]?.stringValue)
        }
        var layers: [String: [Manifest.Layer]] = [:]
        for (name, list) in json["layers"]?.objectValue?.members ?? [] { layers[name] = try (list.arrayValue ?? []).map(layer) }
        return Manifest(
            stored: json["name"]?.stringValue ?? "", synthetic: json["synthetic"]?.boolValue ?? false, layers: layers,
            skipped: try (json["skipped"]?.arrayValue ?? []).map(layer), file: json["file"]?.stringValue ?? "",
            asOfYear: json["as_of_year"]?.numberValue.map { Int($0) })
    }

    static func json(_ r: ValidationReport) -> JSONValue {
        let entries = r.entries.map { e -> JSONValue in
            .object(
                JSONObject([
                    ("kind", .string(e.kind.rawValue)), ("layer", .string(e.layer)), ("file", .string(e.file)),
                    ("record", e.record.map { .number(Double($0)) } ?? .null), ("id", e.recordID.map { .string($0) } ?? .null),
                    ("problem", .string(e.problem)), ("rule", e.rule.map { .string($0) } ?? .null), ("summary", e.summary.map { .string($0) } ?? .null),
                ]))
        }
        let sources = r.sources.map { s in
            JSONValue.object(JSONObject([("layer", .string(s.layer)), ("file", .string(s.file)), ("note", .string(s.note))]))
        }
        return .object(JSONObject([("entries", .array(entries)), ("sources", .array(sources))]))
    }

    static func report(_ json: JSONValue) -> ValidationReport {
        var report = ValidationReport()
        for s in json["sources"]?.arrayValue ?? [] {
            report.addSource(layer: s["layer"]?.stringValue ?? "", file: s["file"]?.stringValue ?? "", s["note"]?.stringValue ?? "")
        }
        for e in json["entries"]?.arrayValue ?? [] {
            report.add(
                ValidationReport.Entry(
                    kind: ValidationReport.Kind(rawValue: e["kind"]?.stringValue ?? "") ?? .warning, layer: e["layer"]?.stringValue ?? "",
                    file: e["file"]?.stringValue ?? "", record: e["record"]?.numberValue.map { Int($0) }, recordID: e["id"]?.stringValue,
                    problem: e["problem"]?.stringValue ?? "", rule: e["rule"]?.stringValue, summary: e["summary"]?.stringValue))
        }
        return report
    }
}

/// Schema changes, numbered. A store records the number it was written with; opening it with
/// an older binary is refused. (The schema is at 1: no migration has been written yet.)
public enum StoreMigrations {
    static func check(_ version: Int, store: String) throws {
        guard version <= StoreMeta.schemaVersion else {
            throw DataError(
                file: store,
                problem:
                    "was written by a newer spaceplan (store schema \(version); this one reads up to \(StoreMeta.schemaVersion)): upgrade spaceplan to open it"
            )
        }
        guard version >= 1 else { throw DataError(file: store, problem: "store_meta.schema_version \(version) is not a schema spaceplan wrote") }
    }
}
