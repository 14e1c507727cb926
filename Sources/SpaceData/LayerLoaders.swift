import Foundation
import SpaceCore
import SpaceGeometry

/// One loader per layer: reads fields with the schema of GIS/README.md.
enum LayerLoaders {
    /// Sub-district codes a file may use for another: the shared Futian layer labels 福保街道
    /// (440304010) with the code of the bonded zone inside it, 福田保税区 (440304400).
    static let subdistrictCodeAliases = ["440304400": "440304010"]

    static func zones(_ layer: [Manifest.Layer], policy: Policy) throws -> ([Zone], ValidationReport) {
        var (zones, report) = try loadPolygonLayer(layer, workingCRS: policy.workingCRS) { index, id, fields, polygon -> Zone? in
            let name = fields.string("name", required: true)
            let kind = fields.oneOf("kind", Set(ZoneKind.allCases.map(\.rawValue)), required: true)
            var code = fields.string("code")
            if let c = code, let official = subdistrictCodeAliases[c] { code = official }
            guard let name, let kind else { return nil }
            return Zone(index: index, id: id, name: name, kind: ZoneKind(rawValue: kind)!, code: code, geometry: polygon.geometry)
        }
        try checkUniqueIDs(zones.map { ($0.index, $0.id) }, file: layer[0].label)
        if !zones.contains(where: { $0.kind == .district }) {
            // A district outline can be derived; say so rather than fail.
            let outline = try Geometry.union(of: zones.filter { $0.kind == .subdistrict }.map(\.geometry))
            if !outline.isEmpty {
                zones.insert(Zone(index: -1, id: "district", name: "District", kind: .district, code: nil, geometry: outline), at: 0)
                report.add(
                    .derived, layer: "zones", file: layer[0].label, record: nil, id: "district",
                    "no zone of kind district: its outline is the union of the sub-districts")
            }
        }
        return (zones, report)
    }

    static func parcels(_ layer: [Manifest.Layer], policy: Policy) throws -> ([Parcel], ValidationReport) {
        let (parcels, report) = try loadPolygonLayer(layer, workingCRS: policy.workingCRS) { index, id, fields, polygon -> Parcel? in
            let landUse = fields.string("land_use", required: true)
            if let code = landUse, Vocabulary.landUseClass(code) == nil {
                fields.problem("land_use '\(code)' is not a land-use class (M0, M1, W, C, R, GIC, U, S, G, E…)")
            }
            let recorded = fields.number("land_area_m2")
            let parcel = Parcel(
                index: index, id: id, landUse: landUse ?? "",
                recordedLandAreaM2: recorded, farCap: fields.number("far_cap"), heightCapM: fields.number("height_cap_m"),
                tenureStart: fields.integer("tenure_start", .year), tenureEnd: fields.integer("tenure_end", .year),
                supplyMode: fields.oneOf("supply_mode", Vocabulary.supplyModes),
                geometry: polygon.geometry, landAreaM2: polygon.areaM2)
            if let start = parcel.tenureStart, let end = parcel.tenureEnd, end < start {
                fields.problem("tenure_end \(end) is before tenure_start \(start)")
            }
            if let recorded, recorded > 0, abs(recorded - polygon.areaM2) / recorded > policy.landAreaTolerance {
                fields.warn(
                    "recorded land_area_m2 \(formatArea(recorded)) differs from the drawn area \(formatArea(polygon.areaM2)) by more than \(formatFixed(policy.landAreaTolerance * 100, 1)) %"
                )
            }
            return parcel
        }
        try checkUniqueIDs(parcels.map { ($0.index, $0.id) }, file: layer[0].label)
        return (parcels, report)
    }

    static func buildings(_ layer: [Manifest.Layer], policy: Policy) throws -> ([Building], ValidationReport) {
        var (buildings, report) = try loadPolygonLayer(layer, workingCRS: policy.workingCRS) { index, id, fields, polygon -> Building? in
            let floors = fields.integer("floors", required: true, minimum: 1)
            let use = fields.oneOf("use", Vocabulary.buildingUses, required: true)
            let recordedGFA = fields.number("gfa_m2")
            let vacant = fields.number("vacant_m2") ?? 0
            guard let floors, let use else { return nil }
            let gfa = recordedGFA ?? Double(floors) * polygon.areaM2
            if vacant > gfa * (1 + 1e-9) {
                fields.problem("vacant_m2 \(formatArea(vacant)) exceeds the gross floor area \(formatArea(gfa))")
            }
            return Building(
                index: index, id: id, floors: floors, heightM: fields.number("height_m"),
                gfaM2: gfa, gfaDerived: recordedGFA == nil, use: use,
                yearBuilt: fields.integer("year_built", .yearBuilt),
                condition: fields.oneOf("condition", Vocabulary.conditions),
                vacantM2: vacant, geometry: polygon.geometry, footprintM2: polygon.areaM2)
        }
        try checkUniqueIDs(buildings.map { ($0.index, $0.id) }, file: layer[0].label)
        let derived = buildings.filter(\.gfaDerived).count
        if derived > 0 {
            report.add(
                .derived, layer: "buildings", file: layer[0].label, record: nil, id: nil,
                "\(derived) building(s) have no gfa_m2: their gross floor area is derived as floors × footprint area")
        }
        return (buildings, report)
    }

    /// Road centre lines for the basemap, projected; anything but lines is skipped, and reported
    /// (`road.not_a_line`: roads drawn as polygons are a layer meant for something else).
    static func roads(_ layers: [Manifest.Layer], policy: Policy) throws -> ([Shape], ValidationReport) {
        var report = ValidationReport()
        let shapes = try layers.flatMap { layer -> [Shape] in
            let reader = try openSource(layer)
            let source = layer.crs ?? reader.declaredCRS ?? .wgs84
            let shapes: [(Shape?, String?, String)] = try reader.mapRecords(setup: {
                try CoordinateTransformer.forThisThread(from: source, to: policy.workingCRS)
            }) { t, record in
                var id = record.formatID?.displayText
                if case let .properties(properties) = record.fields, let own = properties["id"], !own.isNull { id = own.displayText }
                guard let shape = record.shape else { return (nil, id, "null") }
                switch shape {
                case .lineString, .multiLineString: return (try? t.transform(shape), id, "")
                default: return (nil, id, shape.typeName)
                }
            }
            for (k, (_, id, kind)) in shapes.enumerated() where !kind.isEmpty && kind != "null" {
                report.add(
                    rule: "road.not_a_line", layer: "roads", file: layer.label, record: k, id: id,
                    "geometry is a \(kind), not a road centre line: skipped", summary: "roads drawn as \(kind), not lines")
            }
            return shapes.compactMap(\.0)
        }
        return (shapes, report)
    }

    /// A table layer's source (a CSV file, a spreadsheet's sheet, any GDAL layer), with its
    /// required columns there and at least one record.
    static func openTable(_ layer: Manifest.Layer, required: [String]) throws -> any LayerSource {
        let file = layer.label
        let source = try openSource(layer)
        if let header = source.columnNames {
            let missing = required.filter { !header.contains(layer.fields[$0] ?? $0) && layer.defaults[$0] == nil }
            if !missing.isEmpty {
                throw DataError(
                    file: file,
                    problem:
                        "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (header: \(header.joined(separator: ",")))")
            }
        } else if source is GeoJSONFileSource {
            throw DataError(file: file, problem: "the \(layer.name) layer is a table: name a CSV file, a spreadsheet or a GDAL layer (GIS/README.md)")
        }
        if source.recordCount == 0 { throw DataError(file: file, problem: "the file has a header but no rows") }
        return source
    }

    /// A record's problems as errors, each placed where the planner finds it ("line 12: …").
    static func errors(_ fields: FieldReader, source: any LayerSource, record k: Int, id: String) -> [DataError] {
        let place = source.recordLabel(k).map { $0 + ": " } ?? ""
        return fields.problems.map { DataError(file: source.name, record: k, recordID: id, problem: place + $0) }
    }

    /// A CSV row with more or fewer fields than the header is reported with the row's own problems.
    static func checkRowWidth(_ record: SourceRecord, _ source: any LayerSource, _ fields: inout FieldReader) {
        if case let .csv(_, row) = record.fields, let header = source.columnNames, row.count != header.count {
            fields.problem("has \(row.count) fields, the header has \(header.count)")
        }
    }

    static func carriers(_ layer: Manifest.Layer) throws -> ([Carrier], ValidationReport) {
        let source = try openTable(layer, required: ["id", "name", "type", "floor_area_m2", "occupied_m2", "building_ids"])
        let file = layer.label
        let types = Set(CarrierType.allCases.map(\.rawValue))
        let outcomes: [RecordOutcome<Carrier>] = try source.mapRecords(setup: {}) { _, record in
            let k = record.index
            var fields = FieldReader(record.fields, layer: layer)
            checkRowWidth(record, source, &fields)
            let id = fields.string("id", required: true) ?? ""
            var outcome = RecordOutcome<Carrier>(key: id.isEmpty ? nil : (k, id))
            let name = fields.string("name", required: true)
            let type = fields.oneOf("type", types, required: true)
            let level = fields.oneOf("level", Vocabulary.carrierLevels) ?? "none"
            let area = fields.number("floor_area_m2", required: true)
            let occupied = fields.number("occupied_m2", required: true)
            let buildings = fields.list("building_ids")
            if let area, area <= 0 { fields.problem("floor_area_m2 must be positive") }
            if let area, let occupied, occupied > area {
                fields.problem("occupied_m2 \(formatArea(occupied)) exceeds floor_area_m2 \(formatArea(area))")
            }
            if buildings.isEmpty { fields.problem("building_ids is empty: a carrier sits in at least one building") }
            let unit = fields.number("unit_m2")
            let rent = fields.number("rent_yuan_m2_month")
            if let unit, unit <= 0 { fields.problem("unit_m2 must be positive (leave it empty when the carrier is not divided into units)") }
            if !fields.problems.isEmpty {
                outcome.errors = errors(fields, source: source, record: k, id: id)
                return outcome
            }
            outcome.record = Carrier(
                index: k, id: id, name: name!, type: CarrierType(rawValue: type!)!, level: level,
                operatorName: fields.string("operator") ?? "", floorAreaM2: area!, occupiedM2: occupied!,
                buildingIDs: buildings, unitM2: unit, rentYuanPerM2Month: rent)
            return outcome
        }
        let (carriers, _) = try collect(outcomes, file: file)
        try checkUniqueIDs(carriers.map { ($0.index, $0.id) }, file: file)
        var report = ValidationReport()
        report.addSource(layer: layer.name, file: file, source.readingNote)
        return (carriers, report)
    }

    static func enterprises(_ layer: Manifest.Layer, policy: Policy) throws -> ([Enterprise], ValidationReport) {
        let source = try openTable(layer, required: ["id", "sector", "employees", "floor_area_m2"])
        let file = layer.label
        let header = source.columnNames ?? []
        let hasColumn = { (field: String) in header.contains(layer.fields[field] ?? field) }
        // A point layer (a GeoPackage or Shapefile of firms) places each firm by its own geometry.
        let hasPoints = (source as? GDALFileSource)?.hasGeometry ?? false
        let hasLocation = hasPoints || (hasColumn("lon") && hasColumn("lat"))
        guard hasLocation || hasColumn("building_id") || layer.defaults["building_id"] != nil else {
            throw DataError(file: file, problem: "needs lon,lat columns or a building_id column to place each firm")
        }
        guard let sourceCRS = layer.crs ?? source.declaredCRS ?? (hasLocation ? nil : .wgs84) else {
            throw DataError(file: file, problem: "lon/lat need a crs in layers.json")
        }
        let sourceInfo = try CRSInfo.lookup(sourceCRS)
        let csv = source as? CSVFileSource
        let fast = csv.flatMap { FirmRowFastPath(columns: $0.columns, layer: layer) }
        let sectors = Set(Vocabulary.sectors), flagSet = Set(Vocabulary.enterpriseFlags)
        func firm(_ record: SourceRecord, _ transformer: inout CoordinateTransformer) -> RecordOutcome<Enterprise> {
            let k = record.index
            var outcome = RecordOutcome<Enterprise>()
            var fields = FieldReader(record.fields, layer: layer)
            checkRowWidth(record, source, &fields)
            let id = fields.string("id", required: true) ?? ""
            if !id.isEmpty { outcome.key = (k, id) }
            let sector = fields.oneOf("sector", sectors, required: true)
            let flags = fields.list("flags")
            for flag in flags where !flagSet.contains(flag) {
                fields.problem("flag '\(flag)' is not one of \(Vocabulary.enterpriseFlags.joined(separator: ", "))")
            }
            let employees = fields.integer("employees", required: true)
            let area = fields.number("floor_area_m2", required: true)
            let buildingID = fields.string("building_id")
            var location: Coordinate?
            var point: Coordinate?
            if case let .point(c)? = record.shape {
                point = c
            } else if record.shape != nil {
                fields.problem("its geometry is a \(record.shape!.typeName), not a point")
            }
            let lon = fields.number("lon", minimum: nil), lat = fields.number("lat", minimum: nil)
            if point == nil, let lon, let lat { point = Coordinate(lon, lat) }
            if let c = point {
                if let problem = coordinateProblem(.point(c), crs: sourceCRS, isGeographic: sourceInfo.isGeographic) {
                    fields.problem(problem)
                } else {
                    do { location = try transformer.transform(c) } catch { fields.problem("\(error)") }
                }
            } else if buildingID == nil, fields.string("lon") == nil || fields.string("lat") == nil {
                fields.problem(hasPoints ? "has no point and no building_id" : "has neither lon/lat nor building_id")
            }
            if !fields.problems.isEmpty {
                outcome.errors = errors(fields, source: source, record: k, id: id)
                return outcome
            }
            outcome.record = Enterprise(
                index: k, id: id, name: fields.string("name") ?? "", sector: sector!, flags: flags,
                employees: employees!, floorAreaM2: area!, location: location, buildingID: buildingID)
            return outcome
        }
        let setup = { try CoordinateTransformer.forThisThread(from: sourceCRS, to: policy.workingCRS) }
        let outcomes: [RecordOutcome<Enterprise>]
        if let csv {
            // Plain CSV rows (no quotes, no renames needing a look-up) take the byte-level path;
            // only the others are split into Strings.
            outcomes = try ParallelMap.mapPartitioned(0..<csv.table.count, setup: setup) { transformer, k in
                if let fast,
                    let plain = csv.table.withPlainFields(
                        ofRow: k,
                        { row, fields in
                            fast.read(row, fields, index: k, crs: sourceCRS, isGeographic: sourceInfo.isGeographic, transformer: transformer)
                        })
                {
                    return RecordOutcome(record: plain, key: (k, plain.id))
                }
                return firm(csv.record(k), &transformer)
            }
        } else {
            outcomes = try source.mapRecords(setup: setup) { transformer, record in firm(record, &transformer) }
        }
        let (enterprises, _) = try collect(outcomes, file: file)
        try checkUniqueIDs(enterprises.map { ($0.index, $0.id) }, file: file)
        var report = ValidationReport()
        report.addSource(layer: layer.name, file: file, source.readingNote)
        return (enterprises, report)
    }
}
