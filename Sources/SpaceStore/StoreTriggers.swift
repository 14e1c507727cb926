import SpaceGeometry

/// The SQLite triggers that keep versions and history in the GeoPackage store. They live in the
/// file, so an edit made in QGIS, GDAL or any SQLite client with the GeoPackage functions (the
/// R-tree's triggers call ST_MinX and the like) is versioned and kept exactly like one made
/// through `spaceplan store apply`:
/// - a new record starts at version 1; every change raises it by one (a client may raise it
///   itself, as optimistic clients do, but may not set it to anything else);
/// - the image a change replaces or deletes goes to `<layer>_history`;
/// - `store_changes` gets one row per change: layer, id, version, kind, when (UTC), who and why.
///   Who and why come from `store_session`, which `store apply` fills inside its transaction;
///   an edit made outside spaceplan is recorded as by "direct edit".
/// The triggers' own updates (the version, a carrier's vacancy) are marked in `store_guard` while
/// they run, so they are not changes of their own even where recursive triggers are on (GDAL,
/// and so QGIS, turns them on).
enum StoreTriggers {
    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
    static let session =
        "COALESCE((SELECT author FROM store_session), 'direct edit'), (SELECT reason FROM store_session), (SELECT edit_set FROM store_session)"

    static func quoted(_ name: String) -> String { quotedSQLIdentifier(name) }

    /// The image columns of a layer's rows: fid, geom (if any), then its columns.
    static func imageColumns(_ layer: StoreLayer) -> [String] {
        ["fid"] + (layer.hasGeometry ? ["geom"] : []) + layer.columns.map(\.name)
    }

    /// `<layer>_history`: the versions no longer current, each with when it stopped being so.
    static func historyTable(_ layer: StoreLayer) -> String {
        let geometry = layer.hasGeometry ? ", geom BLOB" : ""
        let columns = layer.columns.map { ", \(quoted($0.name)) \($0.type.rawValue)" }.joined()
        let table = quoted(layer.name + "_history")
        return """
            CREATE TABLE \(table) (fid INTEGER\(geometry)\(columns), superseded_at TEXT NOT NULL);
            CREATE INDEX \(quoted(layer.name + "_history_id")) ON \(table) (id, version);
            """
    }

    static func triggers(_ layer: StoreLayer) -> [String] {
        let t = quoted(layer.name), name = layer.name, literal = layer.name.replacingOccurrences(of: "'", with: "''")
        let history = quoted(layer.name + "_history")
        let columns = imageColumns(layer)
        let image = columns.map(quoted).joined(separator: ", ")
        let old = columns.map { "OLD." + quoted($0) }.joined(separator: ", ")
        let change = { (kind: String, id: String, version: String) in
            "INSERT INTO store_changes (layer, record_id, version, change, at, author, reason, edit_set) VALUES ('\(literal)', \(id), \(version), '\(kind)', \(now), \(session));"
        }
        // Carriers: an operator may edit the vacant area or the occupied one; the other follows.
        let vacancy =
            layer.name == "carriers"
            ? """
              UPDATE carriers SET occupied_m2 = floor_area_m2 - vacant_m2
                WHERE fid = NEW.fid AND NEW.vacant_m2 IS NOT OLD.vacant_m2 AND NEW.occupied_m2 IS OLD.occupied_m2;
              UPDATE carriers SET vacant_m2 = floor_area_m2 - occupied_m2
                WHERE fid = NEW.fid AND NOT (NEW.vacant_m2 IS NOT OLD.vacant_m2 AND NEW.occupied_m2 IS OLD.occupied_m2)
                  AND vacant_m2 IS NOT floor_area_m2 - occupied_m2;
              """ : ""
        let insertVacancy =
            layer.name == "carriers"
            ? "UPDATE carriers SET occupied_m2 = floor_area_m2 - vacant_m2 WHERE fid = NEW.fid AND occupied_m2 IS NULL;"
                + " UPDATE carriers SET vacant_m2 = floor_area_m2 - occupied_m2 WHERE fid = NEW.fid AND vacant_m2 IS NOT floor_area_m2 - occupied_m2;"
            : ""
        // The insert trigger's own updates (the version, a carrier's vacancy) are not changes of their own.
        let guarded = "NOT EXISTS (SELECT 1 FROM store_guard WHERE layer = '\(literal)' AND fid = NEW.fid)"
        // An update that changes nothing (QGIS saving a row as it was) is no change: no version, no history.
        let changed = "(" + columns.map { "OLD.\(quoted($0)) IS NOT NEW.\(quoted($0))" }.joined(separator: " OR ") + ")"
        return [
            """
            CREATE TRIGGER \(quoted(name + "_store_insert_check")) BEFORE INSERT ON \(t)
            BEGIN
              SELECT RAISE(ABORT, '\(literal): every record needs an id') WHERE NEW.id IS NULL OR NEW.id = '';
              SELECT RAISE(ABORT, '\(literal): a new record starts at version 1 (the store numbers versions)')
                WHERE NEW.version IS NOT NULL AND NEW.version IS NOT 1;
            END
            """,
            """
            CREATE TRIGGER \(quoted(name + "_store_inserted")) AFTER INSERT ON \(t)
            BEGIN
              INSERT INTO store_guard VALUES ('\(literal)', NEW.fid);
              UPDATE \(t) SET version = 1 WHERE fid = NEW.fid AND version IS NULL;
              \(insertVacancy)
              DELETE FROM store_guard WHERE layer = '\(literal)' AND fid = NEW.fid;
              \(change("insert", "NEW.id", "1"))
            END
            """,
            """
            CREATE TRIGGER \(quoted(name + "_store_update_check")) BEFORE UPDATE ON \(t)
            WHEN OLD.version IS NOT NULL AND \(guarded)
            BEGIN
              SELECT RAISE(ABORT, '\(literal): the version is kept by the store: leave it as it is')
                WHERE NEW.version IS NOT OLD.version AND NEW.version IS NOT OLD.version + 1;
              SELECT RAISE(ABORT, '\(literal): every record needs an id') WHERE NEW.id IS NULL OR NEW.id = '';
            END
            """,
            """
            CREATE TRIGGER \(quoted(name + "_store_updated")) AFTER UPDATE ON \(t)
            WHEN OLD.version IS NOT NULL AND \(guarded) AND \(changed)
            BEGIN
              INSERT INTO \(history) (\(image), superseded_at) VALUES (\(old), \(now));
              INSERT INTO store_guard VALUES ('\(literal)', NEW.fid);
              \(vacancy)
              UPDATE \(t) SET version = OLD.version + 1 WHERE fid = NEW.fid AND version IS OLD.version;
              DELETE FROM store_guard WHERE layer = '\(literal)' AND fid = NEW.fid;
              \(change("update", "NEW.id", "OLD.version + 1"))
            END
            """,
            """
            CREATE TRIGGER \(quoted(name + "_store_deleted")) AFTER DELETE ON \(t)
            BEGIN
              INSERT INTO \(history) (\(image), superseded_at) VALUES (\(old), \(now));
              \(change("delete", "OLD.id", "OLD.version"))
            END
            """,
        ]
    }

    /// The store's own tables beside the layers.
    static let storeTables = """
        CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT);
        CREATE TABLE store_documents (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, id TEXT, body BLOB, source_index INTEGER, version INTEGER);
        CREATE UNIQUE INDEX store_documents_id ON store_documents (id);
        CREATE TABLE store_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, layer TEXT NOT NULL, record_id TEXT NOT NULL,
          version INTEGER NOT NULL, change TEXT NOT NULL, at TEXT NOT NULL, author TEXT NOT NULL, reason TEXT, edit_set INTEGER);
        CREATE INDEX store_changes_at ON store_changes (at);
        CREATE INDEX store_changes_record ON store_changes (layer, record_id, version);
        CREATE TABLE store_session (author TEXT NOT NULL, reason TEXT NOT NULL, edit_set INTEGER);
        CREATE TABLE store_guard (layer TEXT NOT NULL, fid INTEGER NOT NULL);
        CREATE TABLE store_cache (key TEXT PRIMARY KEY NOT NULL, last_change INTEGER NOT NULL, body BLOB NOT NULL);
        CREATE TABLE store_edit_sets (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, at TEXT NOT NULL, author TEXT NOT NULL,
          reason TEXT NOT NULL, source TEXT, edits TEXT NOT NULL);
        """
}
