/// Points bucketed in a square grid: finds the points inside an envelope without a GEOS
/// object per point (firm lists run to millions).
///
/// The grid is dense over the points' extent and stored cell by cell (a counting sort), with
/// each cell's coordinates side by side, so the cells of one grid row that an envelope covers
/// are one run of memory, read in order.
public struct PointGrid: Sendable {
    public let points: [Coordinate?]
    private let cell: Double
    /// The grid's first column and row, in cells from the origin.
    private let firstColumn, firstRow: Int64
    private let columns, rows: Int
    /// Where each cell's points start in `order`, row by row; one more entry than cells.
    private let cellStart: [Int32]
    /// Point indices by cell, ascending within a cell, and their coordinates in the same order.
    private let order: [Int32]
    private let xs, ys: [Double]

    /// The most cells the grid may have: far-flung points make the cells larger, not the grid.
    private static let maxCells = 1 << 22

    /// `cellSize` in CRS units; a few times the typical query size works well.
    public init(_ points: [Coordinate?], cellSize: Double) {
        self.points = points
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for p in points {
            guard let p else { continue }
            minX = min(minX, p.x); minY = min(minY, p.y); maxX = max(maxX, p.x); maxY = max(maxY, p.y)
        }
        guard minX <= maxX else {
            cell = cellSize; firstColumn = 0; firstRow = 0; columns = 0; rows = 0
            cellStart = [0]; order = []; xs = []; ys = []
            return
        }
        var size = cellSize
        while ((maxX - minX) / size + 2) * ((maxY - minY) / size + 2) > Double(Self.maxCells) { size *= 2 }
        let c0 = Int64((minX / size).rounded(.down)), r0 = Int64((minY / size).rounded(.down))
        let columns = Int(Int64((maxX / size).rounded(.down)) - c0 + 1), rows = Int(Int64((maxY / size).rounded(.down)) - r0 + 1)
        func cellOf(_ p: Coordinate) -> Int {
            Int(Int64((p.y / size).rounded(.down)) - r0) * columns + Int(Int64((p.x / size).rounded(.down)) - c0)
        }
        var start = [Int32](repeating: 0, count: columns * rows + 1)
        for p in points { if let p { start[cellOf(p) + 1] += 1 } }
        for k in 0..<(columns * rows) { start[k + 1] += start[k] }
        var next = start
        var order = [Int32](repeating: 0, count: Int(start[columns * rows]))
        var xs = [Double](repeating: 0, count: order.count), ys = xs
        for (i, p) in points.enumerated() {
            guard let p else { continue }
            let k = cellOf(p)
            let slot = Int(next[k])
            order[slot] = Int32(i); xs[slot] = p.x; ys[slot] = p.y
            next[k] += 1
        }
        cell = size; firstColumn = c0; firstRow = r0; self.columns = columns; self.rows = rows
        cellStart = start; self.order = order; self.xs = xs; self.ys = ys
    }

    /// Indices of the points inside `envelope` (boundary included), ascending.
    public func points(in envelope: Envelope) -> [Int] {
        guard columns > 0, !envelope.minX.isNaN, !envelope.minY.isNaN, !envelope.maxX.isNaN, !envelope.maxY.isNaN else { return [] }
        func clamped(_ value: Double, _ first: Int64, _ count: Int) -> Int {
            let index = (value / cell).rounded(.down) - Double(first)
            return Int(min(max(index, -1), Double(count)))
        }
        let i0 = max(clamped(envelope.minX, firstColumn, columns), 0), i1 = min(clamped(envelope.maxX, firstColumn, columns), columns - 1)
        let j0 = max(clamped(envelope.minY, firstRow, rows), 0), j1 = min(clamped(envelope.maxY, firstRow, rows), rows - 1)
        guard i0 <= i1, j0 <= j1 else { return [] }
        var found: [Int] = []
        for j in j0...j1 {
            for k in Int(cellStart[j * columns + i0])..<Int(cellStart[j * columns + i1 + 1]) {
                let x = xs[k], y = ys[k]
                if x >= envelope.minX, x <= envelope.maxX, y >= envelope.minY, y <= envelope.maxY { found.append(Int(order[k])) }
            }
        }
        found.sort()
        return found
    }
}
