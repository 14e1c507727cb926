import Foundation
import SpaceCore
import SpaceGeometry

/// What reading one record gave: the record, what was done to it, or why it cannot be used.
struct RecordOutcome<R> {
    var record: R?
    var notes: [ValidationReport.Entry] = []
    var errors: [DataError] = []
    /// The record's place and id, so that ids are compared across records with errors too.
    var key: (index: Int, id: String)?
}

/// A polygon feature checked, projected to the working CRS and repaired if needed.
struct CheckedPolygon {
    let geometry: Geometry
    let areaM2: Double
}

/// Reads a polygon layer (zones, parcels, buildings): checks each feature's coordinates
/// against its stated CRS, projects it to the working CRS, repairs invalid polygons with
/// make-valid (reported), drops null or non-polygonal geometries (reported), and hands the
/// properties to `makeRecord`. Runs on all cores.
func loadPolygonLayer<R>(
    _ layer: Manifest.Layer, workingCRS: CRSCode,
    makeRecord: (_ index: Int, _ id: String, _ fields: inout FieldReader, _ polygon: CheckedPolygon) -> R?
) throws -> (records: [R], report: ValidationReport) {
    let file = layer.label
    let reader = try openSource(layer)
    if reader is CSVFileSource || (reader as? GDALFileSource)?.hasGeometry == false {
        throw DataError(
            file: file, problem: "the \(layer.name) layer needs polygons: name a GeoJSON file or a GDAL layer with geometries (GIS/README.md)")
    }
    let declared = reader.declaredCRS
    let sourceCRS: CRSCode
    switch (layer.crs, declared) {
    case let (stated?, inFile?) where stated != inFile:
        throw DataError(file: file, problem: "the manifest says \(stated) but the file's crs member says \(inFile)")
    case let (stated?, _): sourceCRS = stated
    case let (nil, inFile?): sourceCRS = inFile
    case (nil, nil): sourceCRS = .wgs84  // RFC 7946: GeoJSON without a crs member is WGS84
    }
    if reader.recordCount == 0 { throw DataError(file: file, problem: "the file has no features") }
    let sourceInfo = try CRSInfo.lookup(sourceCRS)

    let outcomes: [RecordOutcome<R>] = try reader.mapRecords(
        setup: { try CoordinateTransformer.forThisThread(from: sourceCRS, to: workingCRS) }
    ) { transformer, feature in
        let i = feature.index
        var outcome = RecordOutcome<R>()
        var fields = FieldReader(feature.fields, layer: layer)
        var id = fields.string("id") ?? ""
        if id.isEmpty, fields.problems.isEmpty, let featureID = feature.formatID {
            // GeoJSON's own "id" member (RFC 7946: a string or a number), when the properties have none.
            switch featureID {
            case let .string(text) where text.utf8.contains(0): fields.problem("the feature's id contains a NUL byte [field.nul_byte]")  // bytes: String.contains goes through Foundation, slowly
            case .string, .number: id = featureID.displayText
            case .null: break
            default: fields.problem("the feature's id is \(describeFound(featureID)), not text or a number [record.id_not_text]")
            }
        }
        func fail(_ problem: String) -> RecordOutcome<R> {
            outcome.errors.append(DataError(file: file, record: i, recordID: id, problem: problem))
            return outcome
        }
        func note(_ kind: ValidationReport.Kind, _ problem: String) {
            outcome.notes.append(.init(kind: kind, layer: layer.name, file: file, record: i, recordID: id, problem: problem))
        }
        if id.isEmpty { return fail(fields.problems.first ?? "id is missing") }
        outcome.key = (i, id)
        guard let shape = feature.shape else { note(.dropped, "null geometry"); return outcome }
        guard !shape.polygons.isEmpty else { note(.dropped, "geometry is a \(shape.typeName), not a polygon"); return outcome }
        if let problem = coordinateProblem(shape, crs: sourceCRS, isGeographic: sourceInfo.isGeographic) {
            return fail(problem)
        }
        func rule(_ name: String, _ problem: String, _ summary: String) {
            var entry = ValidationReport.Entry(
                kind: .warning, layer: layer.name, file: file, record: i, recordID: id, problem: "\(problem) [\(name)]")
            entry.rule = name; entry.summary = summary
            outcome.notes.append(entry)
        }
        // Geometry of the wrong kind: a collection where a polygon belongs, empty or flat parts.
        if case let .collection(members) = shape {
            let others = members.filter { $0.polygons.isEmpty }.count
            rule(
                "geometry.collection",
                "geometry is a GeometryCollection, not a polygon: its \(shape.polygons.count) polygon(s) are read"
                    + (others > 0 ? ", its \(others) other member(s) ignored" : ""),
                "GeometryCollection where a polygon belongs")
        }
        var parts: [[[Coordinate]]] = []
        for (k, rings) in shape.polygons.enumerated() {
            if let outer = rings.first, !outer.isEmpty {
                parts.append(rings)
            } else {
                rule("geometry.empty_part", "part \(k + 1) of the \(shape.typeName) is empty: ignored", "polygon with an empty part")
            }
        }
        if parts.isEmpty { return fail("every part of the \(shape.typeName) is empty [geometry.empty_part]") }
        let flat = parts.filter { ringIsFlat($0[0]) }.count
        if flat == parts.count {
            return fail("the polygon has zero area: its points are collinear or coincide (after rounding) [geometry.zero_area]")
        } else if flat > 0 {
            rule(
                "geometry.zero_area", "\(flat) of its \(parts.count) parts have zero area (collinear or coinciding points): ignored",
                "polygon with a part of zero area")
        }
        let kept = parts.filter { !ringIsFlat($0[0]) }
        let geometry: Geometry
        do {
            let polygonal: Shape = kept.count == 1 ? .polygon(kept[0]) : .multiPolygon(kept)
            geometry = try Geometry(try transformer.transform(polygonal), crs: workingCRS)
        } catch {
            return fail("\(error)")
        }
        var checked = geometry
        do {
            let repair = try geometry.repaired()
            if let problem = repair.problem {
                checked = try polygonalPart(of: repair.geometry)
                if checked.isEmpty || checked.planarArea <= 0 {
                    note(.dropped, "invalid polygon (\(problem)) has no area left after repair")
                    return outcome
                }
                note(
                    .repaired,
                    "invalid polygon (\(problem)) repaired with make-valid: \(formatArea(geometry.planarArea)) → \(formatArea(checked.planarArea)) m²"
                )
            } else if !(checked.planarArea > 0) {
                return fail(
                    "the polygon has zero area in \(workingCRS) (its coordinates differ by less than the projection keeps) [geometry.zero_area]")
            }
        } catch {
            return fail("cannot repair the polygon: \(error)")
        }
        let polygon = CheckedPolygon(geometry: checked, areaM2: checked.planarArea)
        let record = makeRecord(i, id, &fields, polygon)
        for warning in fields.warnings { note(.warning, warning) }
        for key in fields.numbersAsText {
            rule(
                "field.number_as_text", "\(key) is written as text (\"…\"), not as a number: read as a number",
                "\(key) written as text, not as a number")
        }
        if !fields.problems.isEmpty {
            outcome.errors += fields.problems.map { DataError(file: file, record: i, recordID: id, problem: $0) }
            return outcome
        }
        outcome.record = record
        return outcome
    }
    var loaded = try collect(outcomes, file: file)
    loaded.report.addSource(layer: layer.name, file: file, reader.readingNote)
    return loaded
}

/// The same for a layer made of several files: their records in file order, errors from all.
func loadPolygonLayer<R>(
    _ layers: [Manifest.Layer], workingCRS: CRSCode,
    makeRecord: (_ index: Int, _ id: String, _ fields: inout FieldReader, _ polygon: CheckedPolygon) -> R?
) throws -> (records: [R], report: ValidationReport) {
    var records: [R] = []
    var report = ValidationReport()
    var errors: [DataError] = []
    for layer in layers {
        do {
            let (r, rep) = try loadPolygonLayer(layer, workingCRS: workingCRS, makeRecord: makeRecord)
            records += r
            report.append(contentsOf: rep)
        } catch let e as DataErrors { errors += e.errors } catch let e as DataError { errors.append(e) }
    }
    if !errors.isEmpty { throw DataErrors(errors: errors) }
    return (records, report)
}

/// Gathers records, notes and errors; duplicate ids are errors. Throws all errors at once.
func collect<R>(_ outcomes: [RecordOutcome<R>], file: String) throws -> (records: [R], report: ValidationReport) {
    var report = ValidationReport()
    var errors: [DataError] = []
    var records: [R] = []
    records.reserveCapacity(outcomes.count)
    for outcome in outcomes {
        for n in outcome.notes { report.add(n) }
        errors += outcome.errors
        if let r = outcome.record { records.append(r) }
    }
    if !errors.isEmpty {
        // The caller's id check is not reached: compare ids here, of records kept or failed (not
        // dropped), so that one run reports duplicates with every other problem.
        let keys = outcomes.compactMap { $0.record != nil || !$0.errors.isEmpty ? $0.key : nil }
        throw DataErrors(errors: (errors + duplicateIDs(keys, file: file)).inRecordOrder())
    }
    return (records, report)
}

/// Throws an error for each id used more than once.
func checkUniqueIDs(_ ids: [(index: Int, id: String)], file: String) throws {
    let errors = duplicateIDs(ids, file: file)
    if !errors.isEmpty { throw DataErrors(errors: errors) }
}

/// An error for each id used more than once.
func duplicateIDs(_ ids: [(index: Int, id: String)], file: String) -> [DataError] {
    IDIndex(ids.map(\.id)).repeats.map { position, first in
        DataError(file: file, record: ids[position].index, recordID: ids[position].id, problem: "duplicate id (also record \(ids[first].index))")
    }
}

/// The polygons of a repaired geometry (make-valid may return a collection).
func polygonalPart(of geometry: Geometry) throws -> Geometry {
    if geometry.isPolygonal { return geometry }
    let polygons = geometry.shape.polygons
    if polygons.isEmpty { return try Geometry(.multiPolygon([]), crs: geometry.crs) }
    return try Geometry(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons), crs: geometry.crs)
}

/// Whether a ring encloses no area: no two distinct points, or all on one line (to within a
/// billionth of its extent, so that rounding does not hide a line drawn as a ring). A bow-tie,
/// whose signed area may be 0, is not flat: make-valid repairs it.
func ringIsFlat(_ ring: [Coordinate]) -> Bool {
    guard let o = ring.first else { return true }
    var far = o, farDistance = 0.0
    for c in ring {
        let d = ((c.x - o.x) * (c.x - o.x) + (c.y - o.y) * (c.y - o.y)).squareRoot()
        if d > farDistance { far = c; farDistance = d }
    }
    guard farDistance > 0, farDistance.isFinite else { return true }
    let ux = (far.x - o.x) / farDistance, uy = (far.y - o.y) / farDistance
    return ring.allSatisfy { c in abs((c.x - o.x) * uy - (c.y - o.y) * ux) <= 1e-9 * farDistance }
}

/// Catches coordinates that cannot be in the stated CRS: latitude/longitude swapped, metres
/// declared as degrees, degrees declared as metres.
func coordinateProblem(_ shape: Shape, crs: CRSCode, isGeographic: Bool) -> String? {
    var first: Coordinate?
    var outOfRange: Coordinate?
    var allLookLikeDegrees = true
    var huge: Coordinate?
    let limit = ConfigBounds.maxQuantity
    shape.forEachCoordinate { c in
        if first == nil { first = c }
        if huge == nil, !(abs(c.x) <= limit && abs(c.y) <= limit) { huge = c }
        if abs(c.x) > 180 || abs(c.y) > 90 { allLookLikeDegrees = false; if outOfRange == nil { outOfRange = c } }
    }
    if let c = huge { return "coordinate (\(c.x), \(c.y)) is beyond ±\(formatJSONNumber(ConfigBounds.maxQuantity)): not a position in any CRS" }
    if isGeographic, let c = outOfRange {
        if abs(c.x) <= 90, abs(c.y) <= 180 {
            return "coordinate (\(c.x), \(c.y)) has latitude \(c.y) beyond ±90: latitude and longitude look swapped (\(crs) wants lon, lat)"
        }
        return "coordinate (\(c.x), \(c.y)) is not longitude/latitude: the data look projected (metres) but the layer is declared \(crs)"
    }
    if !isGeographic, allLookLikeDegrees, let c = first {
        return "coordinate (\(c.x), \(c.y)) looks like degrees, but the layer is declared \(crs) (metres)"
    }
    return nil
}

/// A layer file's bytes; a missing, unreadable or empty file is an error naming it. (An empty
/// file is caught before reading: Foundation leaks a buffer reading one.)
func readLayerFile(_ url: URL) throws -> Data {
    let file = url.path
    if let stored = StoredDocuments.bytes(at: file) {
        guard !stored.isEmpty else { throw DataError(file: file, problem: "the document is empty") }
        return stored
    }
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else {
        throw DataError(file: file, problem: "file not found")
    }
    if attributes[.type] as? FileAttributeType == .typeDirectory { throw DataError(file: file, problem: "is a folder, not a file") }
    if (attributes[.size] as? NSNumber)?.intValue == 0 { throw DataError(file: file, problem: "the file is empty") }
    // Mapped, not copied: a layer of hundreds of MB is read once, by the parsers, from the page cache.
    do { return try Data(contentsOf: url, options: .alwaysMapped) } catch {
        throw DataError(file: file, problem: "cannot be read: \(error.localizedDescription)")
    }
}

/// Turns the GeoJSON reader's errors into errors that name the file.
func readingFeatures<T>(of file: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as GeoJSONError {
        throw DataError(file: file, record: error.featureIndex, problem: error.message)
    } catch let error as JSONParseError {
        throw DataError(file: file, problem: error.description)
    }
}

func formatArea(_ m2: Double) -> String { formatFixed(m2, 1) }

/// A polygon feature of a file outside the manifest (renewal units, for one), checked,
/// projected and repaired like the layers, with its properties left for the caller to read.
public struct CheckedFeature: Sendable {
    public let index: Int
    public let id: String
    public let properties: JSONObject
    public let geometry: Geometry
    public let areaM2: Double
}

/// Reads a GeoJSON polygon file as the layers are read (stated or RFC 7946 WGS84 CRS, coordinate
/// checks, make-valid repairs in the report, ids required and unique).
public func loadCheckedPolygons(_ url: URL, layerName: String, crs: CRSCode?, workingCRS: CRSCode) throws -> (
    features: [CheckedFeature], report: ValidationReport
) {
    let layer = Manifest.Layer(name: layerName, file: url, crs: crs, format: .geoJSON)
    let loaded: (records: [CheckedFeature], report: ValidationReport) = try loadPolygonLayer(layer, workingCRS: workingCRS) {
        index, id, fields, polygon in
        guard case let .properties(properties) = fields.source else { return nil }
        return CheckedFeature(index: index, id: id, properties: properties, geometry: polygon.geometry, areaM2: polygon.areaM2)
    }
    try checkUniqueIDs(loaded.records.map { ($0.index, $0.id) }, file: url.path)
    return (loaded.records, loaded.report)
}
