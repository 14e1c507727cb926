import Foundation
import SpaceCore

/// A GeoPackage R-tree index (gpkg_rtree_index) filled in bulk. SQLite's R*Tree inserts one
/// row at a time at about 10 µs each; instead the tree is packed by sort-tile-recursive (STR)
/// and its nodes written straight into the virtual table's shadow tables, in SQLite's own node
/// format (ext/rtree/rtree.c): a 2-byte depth (root only), a 2-byte cell count, then cells of
/// an 8-byte id and four 4-byte floats (minx, maxx, miny, maxy), all big-endian; boxes are
/// rounded outwards to float, as SQLite rounds them. `rtreecheck()` checks the result in the
/// tests, and the triggers keep it up to date when QGIS or GDAL edits the layer later.
enum PackedRTree {
    struct Entry {
        let id: Int64
        let box: Envelope
    }

    /// SQLite's most cells a node holds (RTREE_MAXCELLS), for nodes of the size it chose.
    static let maximumCells = 51

    static func write(_ entries: [Entry], table: String, into db: SQLiteDatabase) throws {
        let name = "rtree_\(table)_geom"
        let quoted = GeoPackageWriter.quoted(name)
        try db.execute("CREATE VIRTUAL TABLE \(quoted) USING rtree(id, minx, maxx, miny, maxy)")
        // SQLite sized the root node when it made the table; every node must have that size.
        let nodeSize = try db.count("SELECT length(data) FROM \(GeoPackageWriter.quoted(name + "_node")) WHERE nodeno = 1")
        let cellsPerNode = min(maximumCells, (nodeSize - 4) / 24)
        if !entries.isEmpty {
            try writeNodes(pack(entries, cellsPerNode: cellsPerNode), name: name, nodeSize: nodeSize, into: db)
        }
        for trigger in triggers(table: table) { try db.execute(trigger) }
        let literal = table.replacingOccurrences(of: "'", with: "''")
        try db.execute(
            "INSERT INTO gpkg_extensions VALUES ('\(literal)', 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')"
        )
    }

    /// The six triggers of the gpkg_rtree_index extension that keep the index up to date.
    static func triggers(table: String) -> [String] {
        let name = "rtree_\(table)_geom"
        let t = GeoPackageWriter.quoted(table), r = GeoPackageWriter.quoted(name)
        return [
            "CREATE TRIGGER \(GeoPackageWriter.quoted(name + "_insert")) AFTER INSERT ON \(t) WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO \(r) VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END",
            "CREATE TRIGGER \(GeoPackageWriter.quoted(name + "_update1")) AFTER UPDATE OF geom ON \(t) WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO \(r) VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END",
            "CREATE TRIGGER \(GeoPackageWriter.quoted(name + "_update2")) AFTER UPDATE OF geom ON \(t) WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END",
            "CREATE TRIGGER \(GeoPackageWriter.quoted(name + "_update3")) AFTER UPDATE ON \(t) WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \(r) WHERE id = OLD.fid; INSERT OR REPLACE INTO \(r) VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END",
            "CREATE TRIGGER \(GeoPackageWriter.quoted(name + "_update4")) AFTER UPDATE ON \(t) WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM \(r) WHERE id IN (OLD.fid, NEW.fid); END",
            "CREATE TRIGGER \(GeoPackageWriter.quoted(name + "_delete")) AFTER DELETE ON \(t) WHEN old.geom NOT NULL BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END",
        ]
    }

    /// One node: its cells (child node numbers or row ids, with their boxes) and its level (0: leaf).
    struct Node {
        var cells: [(id: Int64, box: (Float, Float, Float, Float))]
        var level: Int
    }

    /// The nodes, root first (node 1), each with its parent's index (nil for the root).
    static func pack(_ entries: [Entry], cellsPerNode m: Int) -> [(node: Node, parent: Int?)] {
        var level: [(box: (Float, Float, Float, Float), payload: Int64)] = entries.map { (rounded($0.box), $0.id) }
        var levels: [[Node]] = []
        // Build upwards; each level's nodes are numbered after the root is known, so keep them.
        repeat {
            let groups = strGroups(level, m)
            let nodes = groups.map { group in Node(cells: group.map { ($0.payload, $0.box) }, level: levels.count) }
            levels.append(nodes)
            // The next level up holds one cell per node: its box, and (for now) its index in this level.
            level = nodes.enumerated().map { i, node in (union(node.cells.map(\.box)), Int64(i)) }
        } while level.count > 1
        // Number the nodes top-down: root = 1, then each level in order.
        var numbers: [[Int64]] = Array(repeating: [], count: levels.count)
        var next: Int64 = 1
        for depth in stride(from: levels.count - 1, through: 0, by: -1) {
            numbers[depth] = levels[depth].indices.map { _ in
                defer { next += 1 }; return next
            }
        }
        var out: [(node: Node, parent: Int?)] = []
        var parentOf: [Int64: Int64] = [:]
        for depth in stride(from: levels.count - 1, through: 0, by: -1) {
            for (i, var node) in levels[depth].enumerated() {
                if depth > 0 {
                    // Inner cells pointed at the child's index in the level below: now its node number.
                    node.cells = node.cells.map { cell in
                        let child = numbers[depth - 1][Int(cell.id)]
                        parentOf[child] = numbers[depth][i]
                        return (child, cell.box)
                    }
                }
                out.append((node, parentOf[numbers[depth][i]].map { Int($0) }))
            }
        }
        return out
    }

    /// Sort-tile-recursive grouping: slices by centre x, then runs by centre y, `m` to a group.
    static func strGroups(_ items: [(box: (Float, Float, Float, Float), payload: Int64)], _ m: Int) -> [[(
        box: (Float, Float, Float, Float), payload: Int64
    )]] {
        let groupCount = (items.count + m - 1) / m
        let slices = Int(Double(groupCount).squareRoot().rounded(.up))
        let perSlice = slices * m
        let byX = items.sorted { $0.box.0 + $0.box.1 < $1.box.0 + $1.box.1 }
        var groups: [[(box: (Float, Float, Float, Float), payload: Int64)]] = []
        var start = 0
        while start < byX.count {
            let slice = byX[start..<min(start + perSlice, byX.count)].sorted { $0.box.2 + $0.box.3 < $1.box.2 + $1.box.3 }
            var k = slice.startIndex
            while k < slice.endIndex {
                groups.append(Array(slice[k..<min(k + m, slice.endIndex)]))
                k += m
            }
            start += perSlice
        }
        return groups
    }

    static func union(_ boxes: [(Float, Float, Float, Float)]) -> (Float, Float, Float, Float) {
        boxes.dropFirst().reduce(boxes[0]) {
            ($0.0 < $1.0 ? $0.0 : $1.0, $0.1 > $1.1 ? $0.1 : $1.1, $0.2 < $1.2 ? $0.2 : $1.2, $0.3 > $1.3 ? $0.3 : $1.3)
        }
    }

    /// (minx, maxx, miny, maxy) as floats that contain the double box, as SQLite stores it.
    static func rounded(_ box: Envelope) -> (Float, Float, Float, Float) {
        func down(_ x: Double) -> Float { let f = Float(x); return Double(f) > x ? f.nextDown : f }
        func up(_ x: Double) -> Float { let f = Float(x); return Double(f) < x ? f.nextUp : f }
        return (down(box.minX), up(box.maxX), down(box.minY), up(box.maxY))
    }

    static func writeNodes(_ nodes: [(node: Node, parent: Int?)], name: String, nodeSize: Int, into db: SQLiteDatabase) throws {
        try db.execute("DELETE FROM \(GeoPackageWriter.quoted(name + "_node"))")
        let insertNode = try db.prepare("INSERT INTO \(GeoPackageWriter.quoted(name + "_node")) (nodeno, data) VALUES (?, ?)")
        let insertParent = try db.prepare("INSERT INTO \(GeoPackageWriter.quoted(name + "_parent")) (nodeno, parentnode) VALUES (?, ?)")
        let insertRow = try db.prepare("INSERT INTO \(GeoPackageWriter.quoted(name + "_rowid")) (rowid, nodeno) VALUES (?, ?)")
        let depth = nodes[0].node.level
        var leafOf: [(row: Int64, node: Int64)] = []
        for (k, entry) in nodes.enumerated() {
            let number = Int64(k + 1)
            var blob = [UInt8](repeating: 0, count: nodeSize)
            if k == 0 { blob[0] = UInt8(depth >> 8); blob[1] = UInt8(depth & 0xFF) }
            blob[2] = UInt8(entry.node.cells.count >> 8)
            blob[3] = UInt8(entry.node.cells.count & 0xFF)
            var offset = 4
            for cell in entry.node.cells {
                withUnsafeBytes(of: cell.id.bigEndian) { for b in $0 { blob[offset] = b; offset += 1 } }
                for value in [cell.box.0, cell.box.1, cell.box.2, cell.box.3] {
                    withUnsafeBytes(of: value.bitPattern.bigEndian) { for b in $0 { blob[offset] = b; offset += 1 } }
                }
                if entry.node.level == 0 { leafOf.append((cell.id, number)) }
            }
            insertNode.bind(1, number)
            insertNode.bind(2, blob)
            try insertNode.stepDone()
            insertNode.reset()
            if let parent = entry.parent {
                insertParent.bind(1, number)
                insertParent.bind(2, Int64(parent))
                try insertParent.stepDone()
                insertParent.reset()
            }
        }
        // In row order, the row → leaf map is appended to its B-tree, not inserted at random.
        leafOf.sort { $0.row < $1.row }
        for (row, node) in leafOf {
            insertRow.bind(1, row)
            insertRow.bind(2, node)
            try insertRow.stepDone()
            insertRow.reset()
        }
    }
}
