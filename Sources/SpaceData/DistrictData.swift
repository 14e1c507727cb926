import Foundation
import SpaceCore
import SpaceGeometry

/// All layers of one district, checked and in the working CRS, with the report of what was
/// repaired, dropped or derived on the way in.
public struct DistrictData: Sendable {
    public let manifest: Manifest
    public let policy: Policy
    public let zones: [Zone]
    public let parcels: [Parcel]
    public let buildings: [Building]
    public let carriers: [Carrier]
    public let enterprises: [Enterprise]
    /// Road centre lines for maps (projected), empty when the data have none.
    public let roads: [Shape]
    public var report: ValidationReport

    /// The district outline (the zone of kind district).
    public var district: Zone { zones.first { $0.kind == .district }! }

    /// Loads and checks a data folder. `progress` hears each stage's name.
    public static func load(directory: URL, policy: Policy, progress: (String) -> Void = { _ in }) throws -> DistrictData {
        var data = try read(directory: directory, policy: policy, progress: progress)
        try data.checkDistrict(progress: progress)
        return data
    }

    /// Reads every layer of a data folder, each record checked on its own, without the checks
    /// across the district (`checkDistrict`): what a store keeps is this, with its report.
    public static func read(directory: URL, policy: Policy, progress: (String) -> Void = { _ in }) throws -> DistrictData {
        guard !directory.path.isEmpty, FileManager.default.fileExists(atPath: directory.path) else {
            throw DataError(file: directory.path.isEmpty ? "--data \"\"" : directory.path, problem: "no such data folder")
        }
        let manifest = try Manifest.load(directory: directory)
        var report = ValidationReport()
        for layer in manifest.skipped {
            report.add(
                .warning, layer: layer.name, file: layer.file.path, record: nil, id: nil,
                "optional file absent: skipped, the \(layer.name) layer is read without it")
        }
        /// One layer's result or its errors, filled by one worker.
        final class Slot<T>: @unchecked Sendable {  // safe: one worker fills it; it is read after all have finished
            var value: T?
            var errors: [DataError] = []
            /// `folder` names unexpected errors (e.g. a CRS PROJ cannot set up) that carry no file.
            func fill(_ folder: String, _ body: () throws -> T) {
                do { value = try body() } catch let e as DataErrors { errors = e.errors } catch let e as DataError { errors = [e] } catch {
                    errors = [DataError(file: folder, problem: "\(error)")]
                }
            }
        }
        let zones = Slot<([Zone], ValidationReport)>(), parcels = Slot<([Parcel], ValidationReport)>()
        let buildings = Slot<([Building], ValidationReport)>(), carriers = Slot<[([Carrier], ValidationReport)]>()
        let enterprises = Slot<[([Enterprise], ValidationReport)]>(), roads = Slot<([Shape], ValidationReport)>()
        // The layers load side by side, each on all cores: the one-thread parts of one (scanning
        // a file, checking ids) overlap the others' work.
        let folder = directory.path
        progress("reading layers")
        ParallelMap.sideBySide([
            { enterprises.fill(folder) { try (manifest.layers["enterprises"] ?? []).map { try LayerLoaders.enterprises($0, policy: policy) } } },
            {
                buildings.fill(folder) {
                    // Buildings may be absent (e.g. real layers with parcels only): then the map is of land.
                    try manifest.layers["buildings"].map { try LayerLoaders.buildings($0, policy: policy) } ?? ([], ValidationReport())
                }
            },
            { parcels.fill(folder) { try LayerLoaders.parcels(manifest.layers["parcels"]!, policy: policy) } },
            { zones.fill(folder) { try LayerLoaders.zones(manifest.layers["zones"]!, policy: policy) } },
            { carriers.fill(folder) { try (manifest.layers["carriers"] ?? []).map { try LayerLoaders.carriers($0) } } },
            { roads.fill(folder) { try manifest.layers["roads"].map { try LayerLoaders.roads($0, policy: policy) } ?? ([], ValidationReport()) } },
        ])
        let errors = zones.errors + parcels.errors + buildings.errors + carriers.errors + enterprises.errors + roads.errors
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        guard let (zoneList, zoneReport) = zones.value, let (parcelList, parcelReport) = parcels.value,
            let (buildingList, buildingReport) = buildings.value
        else { throw DataErrors(errors: errors) }
        report.append(contentsOf: zoneReport)
        report.append(contentsOf: parcelReport)
        report.append(contentsOf: buildingReport)
        for (_, tableReport) in carriers.value ?? [] { report.append(contentsOf: tableReport) }
        for (_, tableReport) in enterprises.value ?? [] { report.append(contentsOf: tableReport) }
        if let roadReport = roads.value?.1 { report.append(contentsOf: roadReport) }
        return DistrictData(
            manifest: manifest, policy: policy, zones: zoneList, parcels: parcelList,
            buildings: buildingList, carriers: (carriers.value ?? []).flatMap(\.0), enterprises: (enterprises.value ?? []).flatMap(\.0),
            roads: roads.value?.0 ?? [], report: report)
    }

    /// The layers as a store holds them; `report` says what was repaired, dropped or derived when
    /// they were read from their files. Call `checkDistrict` before using them.
    public init(
        manifest: Manifest, policy: Policy, zones: [Zone], parcels: [Parcel], buildings: [Building], carriers: [Carrier],
        enterprises: [Enterprise], roads: [Shape], report: ValidationReport
    ) {
        self.manifest = manifest; self.policy = policy; self.zones = zones; self.parcels = parcels; self.buildings = buildings
        self.carriers = carriers; self.enterprises = enterprises; self.roads = roads; self.report = report
    }

    /// The checks across records and layers, made on every read (files or store), since an edit
    /// can change what they find: the extents, then the plausibility rules.
    ///
    /// `known` are the plausibility findings of these same records under the same policy, kept
    /// from an earlier check (a store keeps them): they are reported without the rules being run
    /// again. Returns the findings reported.
    @discardableResult
    public mutating func checkDistrict(progress: (String) -> Void = { _ in }, known: [Plausibility.Finding]? = nil) throws -> [Plausibility.Finding] {
        guard zones.contains(where: { $0.kind == .district }) else {
            throw DataError(file: manifest.path(of: "zones"), problem: "no zone of kind district and no sub-districts to derive it from")
        }
        try checkExtents()
        progress(known == nil ? "checking plausibility" : "reporting the plausibility findings the store keeps")
        let findings = try known ?? plausibilityFindings()
        try reportFindings(findings)
        return findings
    }

    /// The plausibility rules over every layer's records (`Plausibility`).
    func plausibilityFindings() throws -> [Plausibility.Finding] {
        let s = policy.plausibility
        let buildingByID = IDIndex(buildings.map(\.id))
        let buildings = self.buildings
        var findings = try ParallelMap.map(buildings.indices, chunk: 8_192) { Plausibility.building(buildings[$0], s) }.flatMap { $0 }
        findings += Plausibility.carriers(carriers, buildings: buildings, buildingByID: buildingByID, s)
        findings += try Plausibility.zones(zones, s)
        findings += try Plausibility.parcels(parcels, s)
        if let shift = try? gcjShift() {
            let layers = manifest.layers
            let zonesCRS = layers["zones"]?.first?.crs ?? .wgs84, parcelsCRS = layers["parcels"]?.first?.crs ?? .wgs84
            if let finding = try Plausibility.alignment(
                district: district, parcels: parcels, shift: shift,
                zonesCRS: zonesCRS, parcelsCRS: parcelsCRS, s)
            {
                findings.append(finding)
            }
        }
        return findings
    }

    /// Errors stop the run, all at once; warnings go to the report under their rule.
    mutating func reportFindings(_ findings: [Plausibility.Finding]) throws {
        // A layer read from several files (a district outline and the sub-districts) is named by all of them.
        let layers = manifest.layers
        let files = { (layer: String) in (layers[layer] ?? []).map(\.label).joined(separator: " + ").nonEmpty ?? layer }
        let errors = findings.filter { $0.severity == .error }
        if !errors.isEmpty { throw DataErrors(errors: errors.map { $0.dataError(file: files($0.layer)) }) }
        for finding in findings { report.add(finding, file: files(finding.layer)) }
    }

    /// The GCJ-02 offset at the district's centre, in working-CRS metres: where a WGS84 point
    /// lands when its GCJ-02 numbers are read as WGS84.
    func gcjShift() throws -> Coordinate? {
        guard let c = try district.geometry.centroid().pointCoordinate else { return nil }
        let gcj = try CoordinateTransformer(from: policy.workingCRS, to: .gcj02).transform(c)
        let misread = try CoordinateTransformer(from: .wgs84, to: policy.workingCRS).transform(gcj)
        return Coordinate(misread.x - c.x, misread.y - c.y)
    }

    /// A layer whose features lie mostly outside the district was read in the wrong CRS (or
    /// with an offset the manifest does not state): that stops the run. A few strays are reported.
    mutating func checkExtents() throws {
        guard let box = district.geometry.bounds?.expanded(by: 2_000) else { return }
        func check(layer: String, count: Int, envelope: (Int) -> Envelope?, record: (Int) -> (index: Int, id: String)) throws {
            let file = manifest.path(of: layer)
            let isOutside = try ParallelMap.map(0..<count, chunk: 4_096) { k in envelope(k).map { !box.intersects($0) } ?? false }
            let outside = (0..<count).filter { isOutside[$0] }
            if count > 0, Double(outside.count) > 0.5 * Double(count) {
                let crs = manifest.layers[layer]?.first?.crs?.description ?? "WGS84 (GeoJSON default)"
                throw DataError(
                    file: file,
                    problem:
                        "\(outside.count) of \(count) records lie more than 2 km outside the district: is the layer's CRS right? (stated: \(crs))")
            }
            for k in outside {
                let (index, id) = record(k)
                report.add(.warning, layer: layer, file: file, record: index, id: id, "lies more than 2 km outside the district")
            }
        }
        try check(layer: "parcels", count: parcels.count, envelope: { parcels[$0].geometry.bounds }, record: { (parcels[$0].index, parcels[$0].id) })
        try check(
            layer: "buildings", count: buildings.count, envelope: { buildings[$0].geometry.bounds },
            record: { (buildings[$0].index, buildings[$0].id) })
        // Firms placed by building id alone have no point of their own and cannot be outside.
        let located = enterprises.indices.filter { enterprises[$0].location != nil }
        try check(
            layer: "enterprises", count: located.count,
            envelope: { k in
                enterprises[located[k]].location.map { Envelope(minX: $0.x, minY: $0.y, maxX: $0.x, maxY: $0.y) }
            }, record: { (enterprises[located[$0]].index, enterprises[located[$0]].id) })
    }
}

/// Where a district's layers come from: today a data folder with its manifest; a GDAL dataset
/// or a PostGIS table is another implementation. Front ends and the workspace see only this.
public protocol DistrictSource: Sendable {
    /// What messages call it: a folder path, a connection.
    var name: String { get }
    /// Whether the source is there at all: checked first, so that a missing data folder says
    /// so rather than that no configuration is beside it.
    func checkReadable() throws
    /// The files it read for `data`, so that no run writes over them.
    func files(of data: DistrictData) -> [URL]
    /// Reads and checks every layer into the working CRS.
    func load(policy: Policy, progress: (String) -> Void) throws -> DistrictData
}

/// A data folder: `layers.json` naming each layer's file and CRS (GIS/README.md).
public struct DataFolder: DistrictSource {
    public let directory: URL
    public init(_ directory: URL) { self.directory = directory }

    public var name: String { directory.path }

    public func checkReadable() throws {
        guard !directory.path.isEmpty, FileManager.default.fileExists(atPath: directory.path) else {
            throw DataError(file: directory.path.isEmpty ? "--data \"\"" : directory.path, problem: "no such data folder")
        }
    }

    public func files(of data: DistrictData) -> [URL] {
        let files = data.manifest.layers.values.flatMap { $0.map(\.file) }
        // A Shapefile is several files: each of them is an input no output may replace.
        let sidecars = files.filter { $0.pathExtension.lowercased() == "shp" }.flatMap { shp in
            ["shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx"].map { shp.deletingPathExtension().appendingPathExtension($0) }
                .filter { FileManager.default.fileExists(atPath: $0.path) }
        }
        return [URL(fileURLWithPath: data.manifest.file)] + files + sidecars
    }

    public func load(policy: Policy, progress: (String) -> Void) throws -> DistrictData {
        try DistrictData.load(directory: directory, policy: policy, progress: progress)
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
