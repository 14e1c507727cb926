import SpaceCore

/// Features' envelopes (WGS84 degrees) bucketed in a regular grid over the collection's
/// extent: a bbox query reads only the cells it covers, so a street-level view of a
/// 500,000-building district touches a few hundred entries, not half a million.
struct EnvelopeGrid: Sendable {
    let envelopes: [Envelope?]
    let extent: Envelope?
    private let columns: Int
    private let cellWidth: Double, cellHeight: Double
    /// Compressed rows: the items of cell c are items[starts[c]..<starts[c+1]].
    private let starts: [Int32]
    private let items: [Int32]

    init(_ envelopes: [Envelope?]) {
        self.envelopes = envelopes
        let present = envelopes.compactMap { $0 }
        extent = present.dropFirst().reduce(present.first) { $0!.union($1) }
        // About four features to a cell, at most 1024 cells a side.
        let side = max(1, min(1024, Int(Double(present.count / 4).squareRoot().rounded(.up))))
        columns = side
        cellWidth = max((extent?.width ?? 1) / Double(side), 1e-12)
        cellHeight = max((extent?.height ?? 1) / Double(side), 1e-12)
        var counts = [Int32](repeating: 0, count: side * side + 1)
        var cells = [(Int32, Int32)]()
        cells.reserveCapacity(present.count)
        if let extent {
            for (i, e) in envelopes.enumerated() {
                guard let e else { continue }
                let (c0, c1, r0, r1) = Self.range(e, extent, cellWidth, cellHeight, side)
                for r in r0...r1 { for c in c0...c1 { counts[r * side + c + 1] += 1; cells.append((Int32(r * side + c), Int32(i))) } }
            }
        }
        for k in 1..<counts.count { counts[k] += counts[k - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: cells.count)
        for (cell, item) in cells { items[Int(fill[Int(cell)])] = item; fill[Int(cell)] += 1 }
        starts = counts
        self.items = items
    }

    private static func range(_ e: Envelope, _ extent: Envelope, _ w: Double, _ h: Double, _ side: Int) -> (Int, Int, Int, Int) {
        func clamp(_ v: Double) -> Int { max(0, min(side - 1, Int(v.rounded(.down)))) }
        return (
            clamp((e.minX - extent.minX) / w), clamp((e.maxX - extent.minX) / w),
            clamp((e.minY - extent.minY) / h), clamp((e.maxY - extent.minY) / h)
        )
    }

    /// Indices of the features whose envelope intersects `box`, ascending (stable pages).
    func matching(_ box: Envelope) -> [Int] {
        guard let extent, box.intersects(extent) else { return [] }
        if box.minX <= extent.minX, box.minY <= extent.minY, box.maxX >= extent.maxX, box.maxY >= extent.maxY {
            return envelopes.indices.filter { envelopes[$0] != nil }
        }
        let (c0, c1, r0, r1) = Self.range(box, extent, cellWidth, cellHeight, columns)
        var found: [Int] = []
        for r in r0...r1 {
            for c in c0...c1 {
                let cell = r * columns + c
                for k in Int(starts[cell])..<Int(starts[cell + 1]) {
                    let i = Int(items[k])
                    if envelopes[i]!.intersects(box) { found.append(i) }
                }
            }
        }
        // A feature over several cells is found once per cell.
        found.sort()
        var unique: [Int] = []
        unique.reserveCapacity(found.count)
        for i in found where unique.last != i { unique.append(i) }
        return unique
    }
}

extension EnvelopeGrid {
    /// Features in any of the boxes (a bbox across the antimeridian is two), ascending.
    func matching(boxes: [Envelope]) -> [Int] {
        if boxes.count == 1 { return matching(boxes[0]) }
        return Array(Set(boxes.flatMap(matching))).sorted()
    }
}
