import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// A store as the workspace's source: one snapshot read at once (current, or as of a day), its
/// layers turned back into the loaders' records and its documents readable at paths inside the
/// store's name, so every question runs on it unchanged.
public struct StoreSource: DistrictSource {
    public let store: any DistrictStore
    /// The day (YYYY-MM-DD, in the district's time zone) the snapshot shows, nil for now.
    public let asOfDate: String?
    public let snapshot: StoreSnapshot
    /// Where the snapshot's documents are read: the store's name, and the day when given.
    public let root: String
    /// The paths of the snapshot's documents (their bytes wait on the document shelf).
    let documentSet: Set<String>

    public init(_ store: any DistrictStore, asOfDate: String? = nil) throws {
        self.store = store
        self.asOfDate = asOfDate
        let meta = try store.meta()
        let cutoff = try asOfDate.map { try StoreClock.endOfDay($0, timeZone: meta.timeZone) }
        snapshot = try cutoff.map { try store.snapshot(before: $0) } ?? store.openingSnapshot()
        root = store.documentRoot + (asOfDate.map { "@" + $0 } ?? "")
        let documents = snapshot.documents
        documentSet = Set(documents.keys)
        StoredDocuments.place(Dictionary(uniqueKeysWithValues: documents.map { ("\(root)/\($0.key)", $0.value) }))
    }

    /// The same store with a later snapshot whose documents are unchanged (an edit of records only).
    public init(_ source: StoreSource, snapshot: StoreSnapshot) {
        store = source.store
        asOfDate = source.asOfDate
        self.snapshot = snapshot
        root = source.root
        documentSet = source.documentSet
    }

    public var name: String { store.name }

    /// The snapshot with every row of every layer (an export): itself, or, when it
    /// holds its largest layers as records, the same state read again as rows.
    public func wholeSnapshot() throws -> StoreSnapshot {
        guard snapshot.records != nil else { return snapshot }
        return try store.wholeSnapshot(atChange: snapshot.lastChange)
    }

    /// The path a document of the snapshot is read at, nil if the store holds no such document.
    public func document(_ path: String) -> URL? {
        !documentSet.contains(path) ? nil : URL(fileURLWithPath: "\(root)/\(path)")
    }

    /// The documents' paths, in the order they were imported.
    public var documentPaths: [String] { (snapshot.rows[StoreLayer.documents.name] ?? []).map(\.id) }

    public func checkReadable() throws {}

    /// The store file itself (no run may write over it); a database is no file.
    public func files(of data: DistrictData) -> [URL] {
        store is GeoPackageStore ? [URL(fileURLWithPath: store.name)] : []
    }

    public func load(policy: Policy, progress: (String) -> Void) throws -> DistrictData {
        progress("reading the store")
        guard policy.workingCRS == snapshot.meta.workingCRS else {
            throw DataError(
                file: policy.source,
                problem: "names working CRS \(policy.workingCRS), but the store \(store.name) holds its layers in \(snapshot.meta.workingCRS)")
        }
        var data = try StoreRecords.district(
            rows: snapshot.rows, records: snapshot.records, manifest: snapshot.meta.manifest, policy: policy, report: snapshot.meta.report)
        // The findings of the current state are kept, like the joins; a past day is checked anew.
        let kept = asOfDate == nil ? keptFindings(policy.plausibility) : nil
        let findings = try data.checkDistrict(progress: progress, known: kept)
        if asOfDate == nil, kept == nil {
            // Best effort: a store that cannot be written (a read-only file) is checked again next time.
            try? store.cache(KeptFindings.key, KeptFindings(settings: policy.plausibility, findings: findings).encoded(), lastChange: snapshot.lastChange)
        }
        return data
    }

    /// The plausibility findings kept for this snapshot's state under these settings, if any.
    func keptFindings(_ settings: PlausibilitySettings) -> [Plausibility.Finding]? {
        guard let bytes = try? store.cached(KeptFindings.key, validAt: snapshot.lastChange, keptThrough: .noChange),
            let kept = KeptFindings(decoding: bytes), kept.settings == settings
        else { return nil }
        return kept.findings
    }
}

/// A store's plausibility findings with the settings they were found under: the rules need not
/// run again on a state they have seen (any change since, or other settings, and they do).
public struct KeptFindings: Codable, Sendable {
    public static let key = "plausibility_findings"
    public let settings: PlausibilitySettings
    public let findings: [Plausibility.Finding]

    public init(settings: PlausibilitySettings, findings: [Plausibility.Finding]) {
        self.settings = settings
        self.findings = findings
    }

    public init?(decoding bytes: [UInt8]) {
        guard let kept = try? JSONDecoder().decode(KeptFindings.self, from: Data(bytes)) else { return nil }
        self = kept
    }

    /// Sorted keys: the same findings are the same bytes, so two imports of one folder are equal.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? Array(encoder.encode(self))) ?? []
    }
}
