import Allocation
import BuildOut
import Foundation
import Ladder
import LandSupply
import Renewal
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap
import SpaceStore

public typealias StoreChange = SpaceStore.StoreChange
public typealias StoreConflict = SpaceStore.StoreConflict
public typealias StoreSource = SpaceStore.StoreSource

/// The store's commands, for every front end: import a data folder, export one back, apply an
/// edit set (checked by the loaders' rules and the analyses' configuration readers), and read
/// the log. A store is named by one text: a `.gpkg` path or a `postgresql://` URL.
public enum DistrictStores {
    /// Opens a store as a source: the current state, or as it stood at the end of `asOfDate` (YYYY-MM-DD).
    /// `readReplica`: a streaming replica of a PostGIS store's database that answers the reads.
    public static func source(_ store: String, asOfDate: String? = nil, readReplica: String? = nil) throws -> StoreSource {
        if let asOfDate { _ = try day(asOfDate, .asOfDate, timeZone: StoreMeta.defaultTimeZone) }
        return try StoreSource(try StoreName.open(store, readReplica: readReplica), asOfDate: asOfDate)
    }

    /// The first instant of a day given as an argument, or an error naming the argument.
    static func day(_ text: String, _ argument: WorkspaceArgument, timeZone: String) throws -> String {
        do { return try StoreClock.startOfDay(text, timeZone: timeZone) } catch let error as DataError {
            throw ArgumentError(argument: argument, problem: "\"\(text)\" \(error.problem)")
        }
    }

    /// The configuration a store holds: each file the store has as `config/<name>`.
    public static func configuration(of source: StoreSource) -> Configuration {
        var files: [Configuration.File: URL] = [:]
        for file in Configuration.File.allCases { files[file] = source.document("config/" + file.rawValue) }
        return Configuration(files)
    }

    /// A stored document named `store:PATH` on the command line, or the file at `given`.
    public static func resolve(_ given: URL, in source: StoreSource?) throws -> URL {
        let written = given.relativeString.removingPercentEncoding ?? given.relativeString
        guard let range = written.range(of: "store:") else { return given }
        let path = String(written[range.upperBound...])
        guard let source else { throw ArgumentError(argument: .store, problem: "\(written) names a stored document: give --store") }
        guard let url = source.document(path) else {
            throw DataError(file: source.name, problem: "holds no document \(path); it holds \(source.documentPaths.joined(separator: ", "))")
        }
        return url
    }

    // MARK: Import

    public struct ImportSummary: Sendable {
        public let store: String
        public let counts: [(layer: String, records: Int)]
        public let documents: [String]
    }

    /// Reads the data folder and its configuration as every command does, refuses it if any
    /// command would, and writes it as a new store (or over one, when `replace`).
    public static func importFolder(
        _ folder: URL, configuration: Configuration, store: String, replace: Bool, progress: (String) -> Void = { _ in }
    ) throws -> ImportSummary {
        let shared = StoreName.isShared(store)
        if !shared, FileManager.default.fileExists(atPath: store), !replace {
            throw ArgumentError(
                argument: .store, problem: "\(store) already exists: give --replace to import over it (its history then starts again)")
        }
        let policyFile = try configuration.url(.policy, near: folder)
        let policy = try Policy.load(policyFile)
        progress("reading the layers")
        let data = try DistrictData.read(directory: folder, policy: policy, progress: progress)
        var checked = data
        let findings = try checked.checkDistrict(progress: progress)
        // The joins and the sums that no carrier edit changes are kept with the records, so that
        // opening the store need not join or sum them again.
        let joined = try SpaceMap.joins(checked, progress: progress)
        let joins = joined.encoded()
        let sums = try SpaceMap.KeptSums(summing: checked, joins: joined).encoded()
        let documents = try documents(of: folder, data: data, configuration: configuration)
        let meta = StoreMeta(
            importedAt: StoreClock.now, importedFrom: folder.path, manifest: data.manifest, report: data.report, workingCRS: policy.workingCRS)
        progress("writing the store")
        let rows = StoreRecords.rows(of: data)
        let kept = [(joinsKey, joins), (sumsKey, sums), (KeptFindings.key, KeptFindings(settings: policy.plausibility, findings: findings).encoded())]
        if shared {
            try PostGISStore.create(url: store, rows: rows, documents: documents, meta: meta, replace: replace, cache: kept)
        } else {
            _ = try StoreName.gpkgPath(store)
            try GeoPackageStore.create(at: store, rows: rows, documents: documents, meta: meta, cache: kept)
        }
        return ImportSummary(
            store: store, counts: StoreLayer.layers.map { ($0.name, rows[$0.name]?.count ?? 0) }, documents: documents.map(\.0))
    }

    /// Where a store keeps the joins of its district (`store_cache`).
    static let joinsKey = "space_map_joins"
    /// Where it keeps the parcels', buildings' and firms' sums per zone (`SpaceMap.KeptSums`).
    static let sumsKey = "space_map_sums"

    /// The space map of a store's snapshot: from the joins and sums it keeps when they are still
    /// true of the snapshot (made at import or at a later read, with nothing but carriers changed
    /// since), else joined or summed anew and kept for the next read. A snapshot of a past day is
    /// always joined.
    static func spaceMap(_ data: DistrictData, source: StoreSource, progress: (String) -> Void) throws -> SpaceMap {
        guard source.asOfDate == nil else { return try SpaceMap.build(data, progress: progress) }
        let last = source.snapshot.lastChange
        progress("reading the joins the store keeps")
        // Best effort, both: a store that cannot be written (a read-only file) joins and sums again next time.
        if let bytes = try? source.store.cached(joinsKey, validAt: last), let joins = SpaceMap.Joins(decoding: bytes), joins.fit(data) {
            let sums = (try? source.store.cached(sumsKey, validAt: last)).flatMap { $0.flatMap(SpaceMap.KeptSums.init(decoding:)) }
            let map = try SpaceMap.assemble(data, joins: joins, sums: sums, progress: progress)
            if sums?.fits(data) != true { try? source.store.cache(sumsKey, map.keptSums.encoded(), lastChange: last) }
            return map
        }
        let map = try SpaceMap.build(data, progress: progress)
        try? source.store.cache(joinsKey, map.joins.encoded(), lastChange: last)
        try? source.store.cache(sumsKey, map.keptSums.encoded(), lastChange: last)
        return map
    }

    /// The documents a store keeps: the configuration (as `config/<name>`), and every other JSON,
    /// GeoJSON or CSV file of the data folder that is not a layer (proposals, scenarios, demand).
    static func documents(of folder: URL, data: DistrictData, configuration: Configuration) throws -> [(String, Data)] {
        var out: [(String, Data)] = []
        for file in Configuration.File.allCases {
            guard let url = configuration.files[file] else { continue }
            out.append(("config/" + file.rawValue, try Data(contentsOf: url)))
        }
        let layerFiles = Set(data.manifest.layers.values.flatMap { $0.map(\.file.standardizedFileURL.path) } + [data.manifest.file])
        let base = folder.standardizedFileURL.path
        let names = (FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []).sorted()
        for name in names where !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            let url = URL(fileURLWithPath: base).appendingPathComponent(name).standardizedFileURL
            guard ["json", "geojson", "csv"].contains(url.pathExtension.lowercased()), !layerFiles.contains(url.path),
                !out.contains(where: { $0.0 == name })
            else { continue }
            if Configuration.File(rawValue: name) != nil, configuration.files[Configuration.File(rawValue: name)!] != nil { continue }
            out.append((name, try Data(contentsOf: url)))
        }
        return out
    }

    // MARK: Export

    /// A data folder holding the store's state (or the state as of a day): layers.json, the
    /// layers in the working CRS with every number as stored, the configuration beside them and
    /// the other documents at their paths. Importing it gives the same layers and documents.
    public static func export(_ source: StoreSource) throws -> [Artifact] {
        StoreExport.artifacts(try source.wholeSnapshot())
    }

    // MARK: Edits

    public struct Applied: Sendable {
        public let editSet: Int
        public let changes: [StoreChange]
    }

    /// Applies an edit file as one edit set: every edit checked, the district after it checked
    /// as a whole (the loaders' rules, the plausibility rules, and each changed document by the
    /// reader of its question), and nothing written unless all of it is good.
    public static func apply(store name: String, edits file: URL, author: String, reason: String) throws -> Applied {
        try checkSigned(author: author, reason: reason)
        return try apply(store: try StoreName.open(name), set: try EditSet.read(file), author: author, reason: reason)
    }

    static func checkSigned(author: String, reason: String) throws {
        guard !author.trimmingCharacters(in: .whitespaces).isEmpty else { throw ArgumentError(argument: .author, problem: "say who makes the edit") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ArgumentError(argument: .reason, problem: "say why the edit is made") }
    }

    /// Applies an edit set; `authorize` runs first inside the edit's transaction, with the
    /// records as they are, and refuses (throws) what the author may not do.
    public static func apply(
        store: any DistrictStore, set: EditSet, author: String, reason: String, databaseRole: String? = nil, recordedAt: String? = nil,
        authorize: (StoreReader) throws -> Void = { _ in }
    ) throws -> Applied {
        try checkSigned(author: author, reason: reason)
        let meta = try store.meta()
        let root = store.documentRoot + "@edit-\(UUID().uuidString)"
        // The documents placed to check this edit are for this edit only.
        defer { StoredDocuments.remove(under: root + "/") }
        var touched: Set<String> = []
        let editSet = try store.apply(
            session: EditSession(
                author: author, reason: reason, source: set.file, edits: set.text, databaseRole: databaseRole, recordedAt: recordedAt),
            plan: { reader in
                try authorize(reader)
                let operations = try set.plan(reader: reader, workingCRS: meta.workingCRS)
                touched = Set(operations.map(\.layer.name))
                return operations
            },
            validate: { reader in
                if touched == [StoreLayer.carriers.name] {
                    try checkCarriers(reader, meta: meta, root: root)
                } else {
                    try check(try reader.snapshot(), root: root)
                }
            })
        return Applied(editSet: editSet, changes: try store.changes(editSet: editSet))
    }

    /// The carriers after an edit that changed carriers only: the rules that such an edit can
    /// break are the carriers' own (their values, read as the loader reads them) and the
    /// plausibility rules between carriers and their buildings, checked on every carrier with
    /// the buildings they name. Nothing else in the district can have changed, so it is not read.
    static func checkCarriers(_ reader: StoreReader, meta: StoreMeta, root: String) throws {
        guard let policyRow = try reader.row(.documents, id: "config/policy.json") else {
            return try check(try reader.snapshot(), root: root)
        }
        let policyPath = "\(root)/config/policy.json"
        StoredDocuments.place([policyPath: Data(policyRow["body"].bytes ?? [])])
        let policy = try Policy.load(URL(fileURLWithPath: policyPath))
        var errors: [DataError] = []
        var carriers: [Carrier] = []
        for row in try reader.rows(.carriers) {
            do { carriers.append(try StoreRecords.carrier(row)) } catch let error as DataError { errors.append(error) }
        }
        let named = Array(Set(carriers.flatMap(\.buildingIDs))).sorted()
        let buildings = try reader.rows(.buildings, ids: named).map { try StoreRecords.building($0, crs: meta.workingCRS) }
        let byID = IDIndex(buildings.map(\.id))
        let file = meta.manifest.path(of: "carriers")
        errors += Plausibility.carriers(carriers, buildings: buildings, buildingByID: byID, policy.plausibility)
            .filter { $0.severity == .error }.map { $0.dataError(file: file) }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
    }

    /// The district after an edit, checked as a question would read it.
    static func check(_ snapshot: StoreSnapshot, root: String) throws {
        let documents = snapshot.documents
        StoredDocuments.place(Dictionary(uniqueKeysWithValues: documents.map { ("\(root)/\($0.key)", $0.value) }))
        let url = { (path: String) in URL(fileURLWithPath: "\(root)/\(path)") }
        let policy = try Policy.load(url("config/policy.json"))
        var data = try StoreRecords.district(rows: snapshot.rows, manifest: snapshot.meta.manifest, policy: policy, report: snapshot.meta.report)
        try data.checkDistrict()
        let zones = Set(data.zones.map(\.id))
        let present = { (file: Configuration.File) in documents["config/" + file.rawValue] != nil }
        if present(.positiveLists) { _ = try PositiveLists.load(url("config/positive_lists.json"), knownZoneIDs: zones) }
        if present(.renewalRules) { _ = try DevelopmentControls.read(url("config/renewal.json"), alongside: RenewalRules.self) }
        if present(.landSupply) { _ = try readConfig(SupplySettings.self, from: url("config/land_supply.json")) }
        if present(.allocationRules) { _ = try readConfig(AllocationRules.self, from: url("config/allocation.json")) }
        if present(.buildOut) { _ = try readConfig(BuildOutRules.self, from: url("config/buildout.json")) }
        if present(.simulation) { _ = try readConfig(SimulationSettings.self, from: url("config/simulation.json")) }
        if documents["proposals.geojson"] != nil {
            _ = try ProposalReader.read(
                url("proposals.geojson"), district: data.district, workingCRS: policy.workingCRS,
                asOfYear: data.manifest.asOfYear ?? Calendar(identifier: .gregorian).component(.year, from: Date()))
        }
    }

    /// A carrier's current version (what an edit of it names), nil if the store has no such carrier.
    public static func carrierVersion(_ id: String, in store: String) throws -> Int? {
        try StoreName.open(store).rows(.carriers, ids: [id]).first?.version
    }

    // MARK: Log

    /// The changes with their before and after, oldest first.
    public static func log(store name: String, since: String?, record: String?) throws -> [String] {
        let store = try StoreName.open(name)
        let meta = try store.meta()
        let from = try since.map { try day($0, .since, timeZone: meta.timeZone) }
        var lines: [String] = []
        let changes = try store.changes(since: from, record: record)
        // Each change's before and after images, read at once.
        func before(_ c: StoreChange) -> StoreImageKey? {
            c.change == "insert" ? nil : StoreImageKey(layer: c.layer, id: c.recordID, version: c.change == "delete" ? c.version : c.version - 1)
        }
        func after(_ c: StoreChange) -> StoreImageKey? {
            c.change == "delete" ? nil : StoreImageKey(layer: c.layer, id: c.recordID, version: c.version)
        }
        let images = try store.images(changes.flatMap { [before($0), after($0)].compactMap { $0 } })
        for change in changes {
            let when = StoreClock.local(change.at, timeZone: meta.timeZone)
            let set = change.editSet.map { " (edit set \($0))" } ?? ""
            lines.append(
                "#\(change.seq) \(when) \(change.author)\(set): \(change.change) \(change.layer) \(change.recordID) → version \(change.version)"
                    + (change.reason.map { " — \($0)" } ?? ""))
            lines += StoreDifference.lines(before: before(change).flatMap { images[$0] }, after: after(change).flatMap { images[$0] })
                .map { "    " + $0 }
        }
        return lines
    }
}

// MARK: - The next snapshot

extension Workspace {
    /// The district after the store's latest changes, as a new workspace; this one stays as it
    /// is, so questions running on it finish on the snapshot they started on. An edit of
    /// carriers' figures (capacity, vacancy, rent, status) keeps every join and sums only the
    /// carriers again; any other change reads and joins the district anew. A workspace of files,
    /// or of a store as of a past day, is its own next snapshot.
    public func next(progress: (String) -> Void = { _ in }) throws -> Workspace {
        guard let source = source as? StoreSource, source.asOfDate == nil else { return self }
        let changes = try source.store.changes(afterSeq: source.snapshot.lastChange)
        guard let last = changes.last?.seq else { return self }
        if changes.allSatisfy({ $0.layer == StoreLayer.carriers.name && $0.change == "update" }) {
            let ids = Array(Set(changes.map(\.recordID)))
            let rows = try source.store.rows(.carriers, ids: ids)
            var byID: [String: StoreRow] = [:]
            for row in rows { byID[row.id] = row }
            var snapshot = source.snapshot
            snapshot.rows[StoreLayer.carriers.name] = snapshot.rows[StoreLayer.carriers.name]?.map { byID[$0.id] ?? $0 }
            snapshot.lastChange = last
            let carriers = try data.carriers.map { c in try byID[c.id].map(StoreRecords.carrier) ?? c }
            if let map = try spaceMap.updatingCarriers(carriers) {
                return Workspace(source: StoreSource(source, snapshot: snapshot), configuration: configuration, spaceMap: map, inputs: inputs)
            }
        }
        return try Workspace(source: try StoreSource(source.store), configuration: configuration, progress: progress)
    }
}
