/// Points bucketed in a square grid: finds the points inside an envelope without a GEOS
/// object per point (firm lists run to millions).
public struct PointGrid: Sendable {
    public let points: [Coordinate?]
    private let cell: Double
    private var buckets: [Int64: [Int32]] = [:]

    /// `cellSize` in CRS units; a few times the typical query size works well.
    public init(_ points: [Coordinate?], cellSize: Double) {
        self.points = points
        cell = cellSize
        for (i, p) in points.enumerated() {
            guard let p else { continue }
            buckets[key(Int64((p.x / cell).rounded(.down)), Int64((p.y / cell).rounded(.down))), default: []].append(Int32(i))
        }
    }

    private func key(_ i: Int64, _ j: Int64) -> Int64 { i << 32 ^ (j & 0xFFFF_FFFF) }

    /// Indices of the points inside `envelope` (boundary included), ascending.
    public func points(in envelope: Envelope) -> [Int] {
        var found: [Int] = []
        let i0 = Int64((envelope.minX / cell).rounded(.down)), i1 = Int64((envelope.maxX / cell).rounded(.down))
        let j0 = Int64((envelope.minY / cell).rounded(.down)), j1 = Int64((envelope.maxY / cell).rounded(.down))
        guard (i1 - i0 + 1) * (j1 - j0 + 1) < 1_000_000 else { return slowScan(envelope) }
        for i in i0...i1 {
            for j in j0...j1 {
                guard let bucket = buckets[key(i, j)] else { continue }
                for k in bucket {
                    let p = points[Int(k)]!
                    if p.x >= envelope.minX, p.x <= envelope.maxX, p.y >= envelope.minY, p.y <= envelope.maxY { found.append(Int(k)) }
                }
            }
        }
        found.sort()
        return found
    }

    private func slowScan(_ e: Envelope) -> [Int] {
        points.indices.filter { i in points[i].map { $0.x >= e.minX && $0.x <= e.maxX && $0.y >= e.minY && $0.y <= e.maxY } ?? false }
    }
}
