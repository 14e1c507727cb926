import CSQLite
import Foundation
import SpaceCore

/// Writes a GeoPackage (OGC 12-128r18, version 1.2) straight through SQLite: the
/// core tables, one feature table per layer with GeoPackage geometry blobs, and for each an
/// R-tree spatial index (the gpkg_rtree_index extension with its triggers). GDAL 3.6 takes
/// 14 µs a row for the same file, most of it filling the R-tree one insert at a time; here the
/// tree is bulk-packed (STR) and its nodes written directly, as GDAL ≥ 3.7 does.
public enum GeoPackageWriter {
    /// Writes the GeoPackage at `path`. No journal and no syncs: the output folder it goes
    /// into is staged and swapped in whole, so a half-written file is never seen.
    /// `lastChange` goes into gpkg_contents: the inputs' time rather than the clock's, so that
    /// the same data give the same bytes (as every other file of an output set).
    public static func write(_ tables: [VectorTable], to path: String, lastChange: Date) throws {
        try write(tables, into: try SQLiteDatabase(creating: path), lastChange: lastChange)
    }

    static func write(_ tables: [VectorTable], into db: SQLiteDatabase, lastChange: Date) throws {
        // Large pages (set before anything is written) and a cache as large as the file: fewer
        // B-tree levels, no pages spilled and re-read.
        try db.execute("PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576")
        try db.execute("PRAGMA application_id = 1196444487")  // 'GPKG'
        try db.execute("PRAGMA user_version = 10200")
        try db.execute(coreTables)
        // The spec asks for WGS 84 and the two undefined systems in every GeoPackage.
        var srsIDs: Set<Int> = [4326]
        try insertSRS(4326, into: db)
        for table in tables {
            let srs = table.crs.projCode
            if srsIDs.insert(srs).inserted { try insertSRS(srs, into: db) }
            try write(table, srs: srs, into: db, lastChange: lastChange)
        }
        try db.close()
    }

    /// A new GeoPackage with its core tables and the CRSs `srsIDs` (WGS 84 always), for a
    /// store that fills its own tables; the file at `path` is replaced.
    public static func createEmpty(at path: String, srsIDs: [Int]) throws {
        let db = try SQLiteDatabase(creating: path)
        try db.execute("PRAGMA application_id = 1196444487")  // 'GPKG'
        try db.execute("PRAGMA user_version = 10200")
        try db.execute(coreTables)
        for srs in ([4326] + srsIDs).reduce(into: [Int](), { if !$0.contains($1) { $0.append($1) } }) { try insertSRS(srs, into: db) }
        try db.close()
    }

    /// The SQL of the R-tree index's six triggers for a feature table's `geom` column.
    public static func rtreeTriggers(table: String) -> [String] { PackedRTree.triggers(table: table) }

    static let coreTables = """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
          description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_tile_matrix_set (table_name TEXT NOT NULL PRIMARY KEY, srs_id INTEGER NOT NULL, min_x DOUBLE NOT NULL,
          min_y DOUBLE NOT NULL, max_x DOUBLE NOT NULL, max_y DOUBLE NOT NULL,
          CONSTRAINT fk_gtms_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gtms_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_tile_matrix (table_name TEXT NOT NULL, zoom_level INTEGER NOT NULL, matrix_width INTEGER NOT NULL,
          matrix_height INTEGER NOT NULL, tile_width INTEGER NOT NULL, tile_height INTEGER NOT NULL, pixel_x_size DOUBLE NOT NULL,
          pixel_y_size DOUBLE NOT NULL, CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level),
          CONSTRAINT fk_tmm_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name));
        CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
          scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
        """

    /// The CRS's definition as WKT 1 (what GeoPackage 1.2 readers expect), from GDAL's database.
    static func insertSRS(_ code: Int, into db: SQLiteDatabase) throws {
        let srs = try SpatialReference(.epsg(code))
        let statement = try db.prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, ?, NULL)")
        statement.bind(1, srs.name)
        statement.bind(2, Int64(code))
        statement.bind(3, Int64(code))
        statement.bind(4, try srs.wkt1())
        try statement.stepDone()
    }

    static func write(_ table: VectorTable, srs: Int, into db: SQLiteDatabase, lastChange: Date) throws {
        let name = quoted(table.name)
        let typeName = table.geometryType.geoPackageName
        let hasGeometry = table.geometryType != .none
        let columns = table.fields.map { field -> String in
            let type: String
            switch field.kind {
            case .integer: type = "INTEGER"
            case .real: type = "REAL"
            case .text: type = "TEXT"
            }
            return "\(quoted(field.name)) \(type)"
        }
        try db.execute(
            "CREATE TABLE \(name) (\"fid\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"
                + (hasGeometry ? ", \"geom\" \(typeName)" : "") + columns.map { ", " + $0 }.joined() + ")")
        // Many rows to a statement: SQLite's per-statement work (and AUTOINCREMENT's update of
        // sqlite_sequence) then comes once per group, not once per row.
        let width = table.fields.count + (hasGeometry ? 2 : 1)
        let group = max(1, min(64, 32_000 / width))
        func statement(rows: Int) throws -> SQLiteStatement {
            let one = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            return try db.prepare("INSERT INTO \(name) VALUES " + Array(repeating: one, count: rows).joined(separator: ", "))
        }
        let full = try statement(rows: group)
        var boxes: [PackedRTree.Entry] = []
        boxes.reserveCapacity(table.count)
        var extent: Envelope?
        try db.execute("BEGIN")
        // Rows are made and encoded on the other cores a batch ahead, while SQLite takes the
        // previous batch on this one.
        let batch = 16_384
        let starts = Array(stride(from: 0, to: table.count, by: batch))
        let prepare: @Sendable (Int) -> BatchResult = { start in
            BatchResult {
                try ParallelMap.map(start..<min(start + batch, table.count), chunk: 1_024) { k in
                    let (values, shape) = try table.row(k)
                    guard hasGeometry, let shape, let box = Envelope(of: shape) else { return PreparedRow(values: values, blob: nil, box: nil) }
                    return PreparedRow(
                        values: values,
                        blob: GeoPackageGeometry.blob(shape, srs: Int32(srs), envelope: box, multiPolygon: table.geometryType == .multiPolygon),
                        box: box)
                }
            }
        }
        var pending = starts.first.map { start in Prefetch { prepare(start) } }
        for (b, start) in starts.enumerated() {
            let rows = try pending!.wait().get()
            pending = b + 1 < starts.count ? Prefetch { prepare(starts[b + 1]) } : nil
            for first in stride(from: 0, to: rows.count, by: group) {
                let count = min(group, rows.count - first)
                let insert = count == group ? full : try statement(rows: count)
                try bindRows(rows[first..<(first + count)], firstFID: Int64(start + first + 1), width: width, hasGeometry: hasGeometry, to: insert) {
                    if let box = $1 {
                        boxes.append(.init(id: $0, box: box))
                        extent = extent.map { $0.union(box) } ?? box
                    }
                }
                try insert.stepDone()
                insert.reset()
            }
        }
        let contents = try db.prepare(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id, last_change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', ?, 'unixepoch'))"
        )
        contents.bind(1, table.name)
        contents.bind(2, hasGeometry ? "features" : "attributes")
        contents.bind(3, table.name)
        for (i, value) in [extent?.minX, extent?.minY, extent?.maxX, extent?.maxY].enumerated() {
            if let value { contents.bind(Int32(4 + i), value) } else { contents.bindNull(Int32(4 + i)) }
        }
        if hasGeometry { contents.bind(8, Int64(srs)) } else { contents.bindNull(8) }
        contents.bind(9, lastChange.timeIntervalSince1970.rounded(.down))
        try contents.stepDone()
        if hasGeometry {
            try db.execute(
                "INSERT INTO gpkg_geometry_columns VALUES ('\(table.name.replacingOccurrences(of: "'", with: "''"))', 'geom', '\(typeName)', \(srs), 0, 0)"
            )
            try PackedRTree.write(boxes, table: table.name, into: db)
        }
        try db.execute("COMMIT")
    }

    /// Binds a group of rows to one multi-row INSERT and steps it; the bytes are bound without
    /// copies, alive until the step is done.
    static func bindRows(
        _ rows: ArraySlice<PreparedRow>, firstFID: Int64, width: Int, hasGeometry: Bool, to insert: SQLiteStatement,
        placed: (Int64, Envelope?) -> Void
    ) throws {
        for (n, row) in rows.enumerated() {
            let fid = firstFID + Int64(n)
            var next = Int32(n * width + 1)
            insert.bind(next, fid)
            next += 1
            if hasGeometry {
                if let blob = row.blob { blob.withUnsafeBytes { insert.bindStatic(next, $0, text: false) } } else { insert.bindNull(next) }
                placed(fid, row.box)
                next += 1
            }
            row.strings.withUnsafeBytes { strings in
                var offset = 0
                for (i, value) in row.values.enumerated() {
                    let position = next + Int32(i)
                    switch value {
                    case .null: insert.bindNull(position)
                    case let .integer(n): insert.bind(position, n)
                    case let .real(x): insert.bind(position, x)
                    case let .text(bytes): bytes.withUnsafeBytes { insert.bindStatic(position, $0, text: true) }
                    case let .string(s):
                        let length = s.utf8.count
                        insert.bindStatic(position, UnsafeRawBufferPointer(rebasing: strings[offset..<(offset + length)]), text: true)
                        offset += length
                    }
                }
            }
        }
    }

    static func quoted(_ name: String) -> String { quotedSQLIdentifier(name) }
}

/// GeoPackage geometry blobs (clause 2.1.3): "GP", version 0, flags (little-endian, an xy
/// envelope for all but points), the SRS id, the envelope, then ISO WKB.
enum GeoPackageGeometry {
    static func blob(_ shape: Shape, srs: Int32, envelope box: Envelope, multiPolygon: Bool) -> [UInt8] {
        var geometry = shape
        if multiPolygon, case let .polygon(rings) = shape { geometry = .multiPolygon([rings]) }
        let isPoint: Bool
        if case .point = geometry { isPoint = true } else { isPoint = false }
        var out: [UInt8] = [0x47, 0x50, 0, isPoint ? 0b0000_0001 : 0b0000_0011]
        withUnsafeBytes(of: srs.littleEndian) { out.append(contentsOf: $0) }
        if !isPoint {
            for value in [box.minX, box.maxX, box.minY, box.maxY] {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        out.append(contentsOf: geometry.wkb)
        return out
    }
}

extension Envelope {
    /// The bounding box of a shape's coordinates; nil for an empty shape.
    init?(of shape: Shape) {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        shape.forEachCoordinate { c in
            minX = Swift.min(minX, c.x); maxX = Swift.max(maxX, c.x)
            minY = Swift.min(minY, c.y); maxY = Swift.max(maxY, c.y)
        }
        guard minX <= maxX, minY <= maxY else { return nil }
        self.init(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }
}

/// One row ready for SQLite: its values, its geometry blob and box.
struct PreparedRow: Sendable {
    let values: [VectorValue]
    let blob: [UInt8]?
    let box: Envelope?
    /// The row's `.string` cells' UTF-8, one after another: one buffer SQLite reads them from.
    let strings: [UInt8]

    init(values: [VectorValue], blob: [UInt8]?, box: Envelope?) {
        self.values = values
        self.blob = blob
        self.box = box
        var strings: [UInt8] = []
        for case let .string(s) in values { strings.append(contentsOf: s.utf8) }
        self.strings = strings
    }
}

/// A batch of rows, or why it could not be made.
struct BatchResult: Sendable {
    let result: Result<[PreparedRow], Error>
    init(_ body: () throws -> [PreparedRow]) { result = Result(catching: body) }
    func get() throws -> [PreparedRow] { try result.get() }
}

/// Work started on another thread now, its result collected later.
final class Prefetch: @unchecked Sendable {  // safe: `value` is written before the semaphore is signalled and read after waiting on it
    private let done = DispatchSemaphore(value: 0)
    private var value: BatchResult?

    init(_ work: @escaping @Sendable () -> BatchResult) {
        let thread = Thread { [self] in
            value = work()
            done.signal()
        }
        thread.stackSize = 8 << 20  // GEOS recurses on complex polygons
        thread.start()
    }

    func wait() -> BatchResult {
        done.wait()
        return value!
    }
}
