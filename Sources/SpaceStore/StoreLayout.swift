import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry

/// The store's tables for the planner's layers: one per layer, named as the layer, holding the
/// records as the loaders checked them, in the working CRS. Each row also has `fid` (the
/// GeoPackage row id), `geom` (when the layer has shapes), `source_index` (the record's place in
/// the file it came from, for messages) and `version` (kept by the database, see StoreTriggers).
public struct StoreLayer: Sendable {
    public enum ColumnType: String, Sendable { case integer = "INTEGER", real = "REAL", text = "TEXT" }
    public struct Column: Sendable {
        public let name: String
        public let type: ColumnType
    }

    public let name: String
    public let geometry: VectorTable.GeometryType
    /// The planner's fields, after `id` (the record's own columns, without fid, geom, source_index, version).
    public let fields: [Column]

    /// Every column a row holds, in table order: id, the fields, source_index, version.
    public var columns: [Column] {
        [Column(name: "id", type: .text)] + fields + [Column(name: "source_index", type: .integer), Column(name: "version", type: .integer)]
    }
    public var hasGeometry: Bool { geometry != .none }

    static func column(_ name: String, _ type: ColumnType) -> Column { Column(name: name, type: type) }

    public static let zones = StoreLayer(
        name: "zones", geometry: .multiPolygon, fields: [column("name", .text), column("kind", .text), column("code", .text)])
    public static let parcels = StoreLayer(
        name: "parcels", geometry: .multiPolygon,
        fields: [
            column("land_use", .text), column("recorded_land_area_m2", .real), column("far_cap", .real), column("height_cap_m", .real),
            column("tenure_start", .integer), column("tenure_end", .integer), column("supply_mode", .text), column("land_area_m2", .real),
        ])
    public static let buildings = StoreLayer(
        name: "buildings", geometry: .multiPolygon,
        fields: [
            column("floors", .integer), column("height_m", .real), column("gfa_m2", .real), column("gfa_derived", .integer), column("use", .text),
            column("year_built", .integer), column("condition", .text), column("vacant_m2", .real), column("footprint_m2", .real),
        ])
    /// Carriers have no shape of their own (they are their buildings); `vacant_m2` is kept equal
    /// to floor_area_m2 − occupied_m2 by the database, so an operator may edit either.
    public static let carriers = StoreLayer(
        name: "carriers", geometry: .none,
        fields: [
            column("name", .text), column("type", .text), column("level", .text), column("operator", .text), column("floor_area_m2", .real),
            column("occupied_m2", .real), column("vacant_m2", .real), column("building_ids", .text), column("unit_m2", .real),
            column("rent_yuan_m2_month", .real), column("status", .text),
        ])
    /// A firm's point, or none when it is placed by its building id; `carrier_id` when it is a carrier's tenant.
    public static let enterprises = StoreLayer(
        name: "enterprises", geometry: .point,
        fields: [
            column("name", .text), column("sector", .text), column("flags", .text), column("employees", .integer),
            column("floor_area_m2", .real), column("building_id", .text), column("carrier_id", .text),
        ])
    /// Road centre lines, for maps only; their ids are made up (`road-N`) as the files have none.
    public static let roads = StoreLayer(name: "roads", geometry: .any, fields: [])
    /// Configuration documents, proposals, scenarios and demand files, whole, by path (`config/policy.json`).
    public static let documents = StoreLayer(name: "store_documents", geometry: .none, fields: [column("body", .text)])

    /// The layers, in the order they are written and read.
    public static let layers = [zones, parcels, buildings, carriers, enterprises, roads]
    /// Everything the store versions: the layers and the documents.
    public static let versioned = layers + [documents]

    public static func named(_ name: String) -> StoreLayer? { versioned.first { $0.name == name } }
}

extension StoreLayer {
    /// Every versioned layer's rows, the firms (the longest table) read by `firmReader` on a
    /// thread of its own beside the others read by `reader`: two connections on one state.
    static func rowsSideBySide(
        firms firmReader: @escaping (StoreLayer) throws -> [StoreRow], others reader: @escaping (StoreLayer) throws -> [StoreRow]
    ) throws -> [String: [StoreRow]] {
        let others = versioned.filter { $0.name != enterprises.name }
        let (firmRows, otherRows) = try ParallelMap.sideBySide({ try firmReader(enterprises) }, { try others.map { ($0.name, try reader($0)) } })
        var rows = Dictionary(uniqueKeysWithValues: otherRows)
        rows[enterprises.name] = firmRows
        return rows
    }
}

extension StoreLayer {
    /// A table's rows read in two halves by fid, side by side (each half on a connection of its
    /// own), in fid order: `low` reads fid ≤ `middle`, `high` the rest. An empty table (no
    /// middle) is read whole.
    static func inHalves(
        middle: Int?, whole: () throws -> [StoreRow], low: @escaping (Int) throws -> [StoreRow], high: @escaping (Int) throws -> [StoreRow]
    ) throws -> [StoreRow] {
        guard let middle else { return try whole() }
        let (first, second) = try ParallelMap.sideBySide({ try low(middle) }, { try high(middle) })
        return first + second
    }
}

/// The column names of rows, shared by every row of a table read at once.
public final class StoreColumns: Sendable {
    public let names: [String]

    public init(_ names: [String]) { self.names = names }

    /// A column's position (a record reads ten cells, so names are compared, not hashed).
    func position(_ name: String) -> Int? { names.position(ofWord: name) }
}

/// One row of a store table: its values by column, and its shape as a GeoPackage blob. Rows
/// read from a table share one `StoreColumns` and hold their values in an array (a district
/// of 500,000 buildings has two million rows: a dictionary each cost seconds).
public struct StoreRow: Sendable, Equatable {
    public let columns: StoreColumns
    public var cells: [SQLiteValue]
    public var geometry: [UInt8]?

    public init(columns: StoreColumns, cells: [SQLiteValue], geometry: [UInt8]? = nil) {
        self.columns = columns
        self.cells = cells
        self.geometry = geometry
    }

    public init(values: [String: SQLiteValue], geometry: [UInt8]? = nil) {
        let names = values.keys.sorted()
        self.init(columns: StoreColumns(names), cells: names.map { values[$0]! }, geometry: geometry)
    }

    /// The values by column name.
    public var values: [String: SQLiteValue] {
        get { Dictionary(uniqueKeysWithValues: zip(columns.names, cells)) }
        set { self = StoreRow(values: newValue, geometry: geometry) }
    }

    public var id: String { self["id"].string ?? "" }
    public var version: Int { self["version"].int ?? 0 }
    public subscript(_ column: String) -> SQLiteValue { columns.position(column).map { cells[$0] } ?? .null }

    public static func == (a: StoreRow, b: StoreRow) -> Bool { a.values == b.values && a.geometry == b.geometry }
}

// MARK: - Records to rows

/// Turns the loaders' records into rows and back, exactly (doubles as they are, shapes as WKB).
public enum StoreRecords {
    static func text(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
    static func real(_ x: Double?) -> SQLiteValue { x.map { .real($0) } ?? .null }
    static func integer(_ n: Int?) -> SQLiteValue { n.map { .integer(Int64($0)) } ?? .null }

    static func blob(_ geometry: Geometry, srs: Int, multiPolygon: Bool) -> [UInt8]? {
        GeoPackageBlob.encode(geometry.shape, srs: srs, multiPolygon: multiPolygon)
    }

    public static func rows(of data: DistrictData) -> [String: [StoreRow]] {
        let srs = data.policy.workingCRS.projCode
        var shared: [String: StoreColumns] = [:]
        for layer in StoreLayer.layers { shared[layer.name] = StoreColumns(layer.columns.map(\.name)) }
        let columns = shared
        /// A row in its layer's column order, all rows of a layer sharing one StoreColumns.
        func row(_ layer: StoreLayer, _ index: Int, _ id: String, _ values: [String: SQLiteValue], _ geometry: [UInt8]?) -> StoreRow {
            let names = columns[layer.name]!
            let cells = names.names.map { name -> SQLiteValue in
                switch name {
                case "id": return .text(id)
                case "source_index": return .integer(Int64(index))
                case "version": return .integer(1)
                default: return values[name] ?? .null
                }
            }
            return StoreRow(columns: names, cells: cells, geometry: geometry)
        }
        var rows: [String: [StoreRow]] = [:]
        rows["zones"] = data.zones.map { z in
            row(.zones, z.index, z.id, ["name": .text(z.name), "kind": .text(z.kind.rawValue), "code": text(z.code)], blob(z.geometry, srs: srs, multiPolygon: true))
        }
        rows["parcels"] = (try? ParallelMap.map(data.parcels.indices, chunk: 4_096) { k -> StoreRow in
            let p = data.parcels[k]
            return row(
                .parcels, p.index, p.id,
                [
                    "land_use": .text(p.landUse), "recorded_land_area_m2": real(p.recordedLandAreaM2), "far_cap": real(p.farCap),
                    "height_cap_m": real(p.heightCapM), "tenure_start": integer(p.tenureStart), "tenure_end": integer(p.tenureEnd),
                    "supply_mode": text(p.supplyMode), "land_area_m2": .real(p.landAreaM2),
                ], blob(p.geometry, srs: srs, multiPolygon: true))
        }) ?? []
        rows["buildings"] = (try? ParallelMap.map(data.buildings.indices, chunk: 4_096) { k -> StoreRow in
            let b = data.buildings[k]
            return row(
                .buildings, b.index, b.id,
                [
                    "floors": integer(b.floors), "height_m": real(b.heightM), "gfa_m2": .real(b.gfaM2), "gfa_derived": .integer(b.gfaDerived ? 1 : 0),
                    "use": .text(b.use), "year_built": integer(b.yearBuilt), "condition": text(b.condition), "vacant_m2": .real(b.vacantM2),
                    "footprint_m2": .real(b.footprintM2),
                ], blob(b.geometry, srs: srs, multiPolygon: true))
        }) ?? []
        rows["carriers"] = data.carriers.map { c in
            row(
                .carriers, c.index, c.id,
                [
                    "name": .text(c.name), "type": .text(c.type.rawValue), "level": .text(c.level), "operator": .text(c.operatorName),
                    "floor_area_m2": .real(c.floorAreaM2), "occupied_m2": .real(c.occupiedM2), "vacant_m2": .real(c.floorAreaM2 - c.occupiedM2),
                    "building_ids": .text(c.buildingIDs.joined(separator: ";")), "unit_m2": real(c.unitM2),
                    "rent_yuan_m2_month": real(c.rentYuanPerM2Month), "status": .text(CarrierStatus.open.rawValue),
                ], nil)
        }
        rows["enterprises"] = data.enterprises.map { e in
            row(
                .enterprises, e.index, e.id,
                [
                    "name": .text(e.name), "sector": .text(e.sector), "flags": .text(e.flags.joined(separator: ";")),
                    "employees": integer(e.employees), "floor_area_m2": .real(e.floorAreaM2), "building_id": text(e.buildingID), "carrier_id": .null,
                ], e.location.flatMap { GeoPackageBlob.encode(.point($0), srs: srs, multiPolygon: false) })
        }
        rows["roads"] = data.roads.enumerated().map { k, shape in
            row(.roads, k, "road-\(k + 1)", [:], GeoPackageBlob.encode(shape, srs: srs, multiPolygon: false))
        }
        return rows
    }

    // MARK: Rows to records

    /// A row that cannot be made a record: the store was edited outside its rules (with psql, say).
    static func problem(_ layer: String, _ row: some StoreCells, _ text: String) -> DataError {
        DataError(file: "store layer \(layer)", record: row["source_index"].int, recordID: row.id, problem: text)
    }

    static func required<T>(_ value: T?, _ layer: String, _ row: some StoreCells, _ column: String) throws -> T {
        guard let value else { throw problem(layer, row, "\(column) is empty or of the wrong type") }
        return value
    }

    static func shape(_ layer: String, _ row: some StoreCells) throws -> Shape? {
        do { return try row.decodedShape() } catch { throw problem(layer, row, "its geometry cannot be read: \(error)") }
    }

    static func geometry(_ layer: String, _ row: some StoreCells, crs: CRSCode) throws -> Geometry {
        guard var shape = try shape(layer, row) else { throw problem(layer, row, "has no geometry") }
        // The table holds multipolygons (as GeoPackage readers expect); the loaders make one
        // polygon a Polygon, and so does the store.
        if case let .multiPolygon(parts) = shape, parts.count == 1 { shape = .polygon(parts[0]) }
        return try Geometry(shape, crs: crs)
    }

    public static func list(_ value: SQLiteValue) -> [String] { listItems(value.string ?? "") }

    static func zone(_ r: some StoreCells, crs: CRSCode) throws -> Zone {
        Zone(
            index: r["source_index"].int ?? 0, id: r.id, name: r["name"].string ?? "",
            kind: try required(ZoneKind(rawValue: r["kind"].string ?? ""), "zones", r, "kind"), code: r["code"].string,
            geometry: try geometry("zones", r, crs: crs))
    }

    static func parcel(_ r: some StoreCells, crs: CRSCode) throws -> Parcel {
        Parcel(
            index: r["source_index"].int ?? 0, id: r.id, landUse: try required(r["land_use"].string, "parcels", r, "land_use"),
            recordedLandAreaM2: r["recorded_land_area_m2"].double, farCap: r["far_cap"].double, heightCapM: r["height_cap_m"].double,
            tenureStart: r["tenure_start"].int, tenureEnd: r["tenure_end"].int, supplyMode: r["supply_mode"].string,
            geometry: try geometry("parcels", r, crs: crs), landAreaM2: try required(r["land_area_m2"].double, "parcels", r, "land_area_m2"))
    }

    /// A building from its row.
    public static func building(_ r: some StoreCells, crs: CRSCode) throws -> Building {
        Building(
            index: r["source_index"].int ?? 0, id: r.id, floors: try required(r["floors"].int, "buildings", r, "floors"),
            heightM: r["height_m"].double, gfaM2: try required(r["gfa_m2"].double, "buildings", r, "gfa_m2"),
            gfaDerived: r["gfa_derived"].int == 1, use: try required(r["use"].string, "buildings", r, "use"), yearBuilt: r["year_built"].int,
            condition: r["condition"].string, vacantM2: r["vacant_m2"].double ?? 0, geometry: try geometry("buildings", r, crs: crs),
            footprintM2: try required(r["footprint_m2"].double, "buildings", r, "footprint_m2"))
    }

    /// A carrier from its row.
    public static func carrier(_ r: some StoreCells) throws -> Carrier {
        Carrier(
                index: r["source_index"].int ?? 0, id: r.id, name: r["name"].string ?? "",
                type: try required(CarrierType(rawValue: r["type"].string ?? ""), "carriers", r, "type"), level: r["level"].string ?? "none",
                operatorName: r["operator"].string ?? "", floorAreaM2: try required(r["floor_area_m2"].double, "carriers", r, "floor_area_m2"),
                occupiedM2: try required(r["occupied_m2"].double, "carriers", r, "occupied_m2"), buildingIDs: list(r["building_ids"]),
                unitM2: r["unit_m2"].double, rentYuanPerM2Month: r["rent_yuan_m2_month"].double)
    }

    static func enterprise(_ r: some StoreCells) throws -> Enterprise {
        var location: Coordinate?
        if let shape = try shape("enterprises", r) {
            guard case let .point(c) = shape else { throw problem("enterprises", r, "its geometry is not a point") }
            location = c
        }
        let building = r["building_id"].string.flatMap { $0.isEmpty ? nil : $0 }
        if location == nil, building == nil { throw problem("enterprises", r, "has neither a point nor a building_id") }
        return Enterprise(
            index: r["source_index"].int ?? 0, id: r.id, name: r["name"].string ?? "", sector: r["sector"].string ?? "",
            flags: r.list("flags"), employees: r["employees"].int ?? 0,
            floorAreaM2: try required(r["floor_area_m2"].double, "enterprises", r, "floor_area_m2"), location: location, buildingID: building)
    }

    /// The district's records from its rows, in row order, with the report kept at import. The
    /// largest layers come from `records` when the snapshot was read straight into them.
    public static func district(
        rows: [String: [StoreRow]], records read: StoreLayerRecords? = nil, manifest: Manifest, policy: Policy, report: ValidationReport
    ) throws -> DistrictData {
        let crs = policy.workingCRS
        var errors: [DataError] = []
        func collect<T>(_ layer: String, _ make: @escaping @Sendable (StoreRow) throws -> T) -> [T] {
            let list = rows[layer] ?? []
            // Rows that cannot be records are rare (an edit made outside the store's rules): read
            // them all at once, and only when one fails, again one by one to name every failure.
            if let records = try? ParallelMap.map(list.indices, chunk: 2_048, { k in try make(list[k]) }) { return records }
            let made = (try? ParallelMap.map(list.indices, chunk: 2_048) { k in Result { try make(list[k]) } }) ?? []
            var out: [T] = []
            out.reserveCapacity(made.count)
            for result in made {
                switch result {
                case let .success(record): out.append(record)
                case let .failure(error as DataError): errors.append(error)
                case let .failure(error): errors.append(DataError(file: "store layer \(layer)", problem: "\(error)"))
                }
            }
            return out
        }
        let zones = collect("zones") { r in try zone(r, crs: crs) }
        let parcels = read?.parcels ?? collect("parcels") { r in try parcel(r, crs: crs) }
        let buildings = read?.buildings ?? collect("buildings") { r in try building(r, crs: crs) }
        let carriers = collect("carriers") { r in try carrier(r) }
        let enterprises = read?.enterprises ?? collect("enterprises") { r in try enterprise(r) }
        let roads = collect("roads") { r in try required(try shape("roads", r), "roads", r, "geom") }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        return DistrictData(
            manifest: manifest, policy: policy, zones: zones, parcels: parcels, buildings: buildings, carriers: carriers,
            enterprises: enterprises, roads: roads, report: report)
    }
}

/// A row's cells by column name, and its shape: a `StoreRow`, or a database row read in place.
public protocol StoreCells {
    subscript(_ column: String) -> SQLiteValue { get }
    /// The row's shape, nil when it has none.
    func decodedShape() throws -> Shape?
    /// A list column's items (`a;b`).
    func list(_ column: String) -> [String]
}

extension StoreCells {
    public var id: String { self["id"].string ?? "" }
    public func list(_ column: String) -> [String] { StoreRecords.list(self[column]) }
}

extension StoreRow: StoreCells {
    public func decodedShape() throws -> Shape? { try geometry.map(GeoPackageBlob.decode) }
}

/// The lists one reading thread has made, by their text: firms' flags repeat, so each text is
/// split once and its items shared.
final class ListMemo {
    var known: [String: [String]] = [:]

    func items(_ value: SQLiteValue) -> [String] {
        let text = value.string ?? ""
        if let items = known[text] { return items }
        let items = StoreRecords.list(.text(text))
        known[text] = items
        return items
    }
}

/// The three largest layers read straight into records, with no rows kept (opening the current
/// state: a district of 500,000 buildings has two million such rows).
public struct StoreLayerRecords: Sendable {
    /// The layers read this way; a snapshot holding them holds the others as rows.
    public static let layers = [StoreLayer.parcels.name, StoreLayer.buildings.name, StoreLayer.enterprises.name]
    public let parcels: [Parcel]
    public let buildings: [Building]
    public let enterprises: [Enterprise]

    public init(parcels: [Parcel], buildings: [Building], enterprises: [Enterprise]) {
        self.parcels = parcels
        self.buildings = buildings
        self.enterprises = enterprises
    }

    /// The rows a snapshot of records keeps, each layer read by `read` with its SQL clause: the
    /// other layers whole, and of the firms the tenants (met while the firms were read).
    static func keptRows(tenants: [StoreRow], _ read: (StoreLayer, String) throws -> [StoreRow]) throws -> [String: [StoreRow]] {
        var rows: [String: [StoreRow]] = [:]
        for layer in StoreLayer.versioned where !layers.contains(layer.name) { rows[layer.name] = try read(layer, "ORDER BY fid") }
        rows[StoreLayer.enterprises.name] = tenants
        return rows
    }

    /// The three layers as a backend reads them in place, and the rows of the firms that are a
    /// carrier's tenants (the only firms' rows a snapshot keeps) in fid order; nil when a row
    /// cannot be made a record.
    static func read(_ reader: some InPlaceRecordReader, crs: CRSCode) throws -> (records: StoreLayerRecords, tenants: [StoreRow])? {
        let tenants = TenantRows()
        do {
            let records = StoreLayerRecords(
                parcels: try reader.records(.parcels) { try StoreRecords.parcel($0, crs: crs) },
                buildings: try reader.records(.buildings) { try StoreRecords.building($0, crs: crs) },
                enterprises: try reader.records(.enterprises) { cells in
                    if cells.isTenant { tenants.add(cells.row(of: .enterprises)) }
                    return try StoreRecords.enterprise(cells)
                })
            return (records, tenants.inOrder)
        } catch is DataError { return nil }
    }
}

/// The tenants' rows met while the firms are read, from either half (they are few: a lock is
/// cheap), handed back in fid order.
final class TenantRows: @unchecked Sendable {  // safe: `rows` only changes under `lock`
    private let lock = NSLock()
    private var rows: [StoreRow] = []

    func add(_ row: StoreRow) { lock.withLock { rows.append(row) } }

    var inOrder: [StoreRow] { lock.withLock { rows.sorted { ($0["fid"].int ?? 0) < ($1["fid"].int ?? 0) } } }
}

/// A backend's reading of one layer's rows in place, each made a record by `make`, in fid order.
protocol InPlaceRecordReader {
    associatedtype Row: RowInPlace
    func records<T>(_ layer: StoreLayer, _ make: @escaping (InPlaceCells<Row>) throws -> T) throws -> [T]
}

/// A database's current row, read in place: a cell as the rows would hold it, and a cell's
/// bytes without a copy.
protocol RowInPlace {
    func value(_ column: Int) -> SQLiteValue
    func withBytes<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T?
}

extension SQLiteRowInPlace: RowInPlace {}

extension PostgresRowInPlace: RowInPlace {
    func value(_ column: Int) -> SQLiteValue { cell(column).value }
}

/// A row read in place, as a record maker reads it: cells by the selected columns' names (fid,
/// the geometry when the layer has one, then the layer's columns), the shape from its bytes.
struct InPlaceCells<Row: RowInPlace>: StoreCells {
    let row: Row
    let columns: StoreColumns
    let geometryAt: Int?
    let lists: ListMemo

    subscript(_ column: String) -> SQLiteValue { columns.position(column).map { row.value($0) } ?? .null }

    func list(_ column: String) -> [String] { lists.items(self[column]) }

    func decodedShape() throws -> Shape? {
        guard let geometryAt else { return nil }
        return try row.withBytes(geometryAt) { try GeoPackageBlob.decode($0) }
    }

    /// Whether the firm is a carrier's tenant (`carrier_id IS NOT NULL AND carrier_id <> ''`).
    var isTenant: Bool {
        switch self["carrier_id"] {
        case .null: return false
        case let .text(id): return !id.isEmpty
        default: return true
        }
    }

    /// The row as a snapshot keeps it (`GeoPackageStore.rowColumns`: fid, then the layer's
    /// columns; the shape's bytes beside them), as the backend's rows reading makes it.
    func row(of layer: StoreLayer) -> StoreRow {
        let cells = (0..<columns.names.count).filter { $0 != geometryAt }.map { row.value($0) }
        let geometry = geometryAt.flatMap { row.withBytes($0) { Array($0) } }
        return StoreRow(columns: GeoPackageStore.rowColumns(layer), cells: cells, geometry: geometry)
    }
}

/// Whether a carrier takes tenants: a carrier closed for works keeps its record (and its tenants'
/// history) but is recorded as such; a retired carrier is removed from the layer.
public enum CarrierStatus: String, Sendable, CaseIterable {
    case open
    case closedForWorks = "closed_for_works"
}
