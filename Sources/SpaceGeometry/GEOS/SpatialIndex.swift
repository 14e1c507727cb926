import SpaceCore
import Dispatch

/// A packed Sort-Tile-Recursive R-tree over geometries' envelopes (the STRtree of JTS/GEOS,
/// built once, then read-only). Being immutable after `init`, it can be queried from many
/// threads at once, which GEOS's own STRtree (built lazily on first query) cannot.
public final class SpatialIndex: @unchecked Sendable {  // safe: built in init, read-only after
    public let geometries: [Geometry]
    private let nodeCapacity: Int
    /// Level 0 holds the items (sorted leaf order); each higher level holds node envelopes.
    private var levels: [[Envelope]] = []
    /// For each level > 0: the first child index (in the level below) of every node.
    private var firstChild: [[Int]] = []
    /// Item index (into `geometries`) of each leaf slot.
    private var leafItem: [Int] = []

    public init(_ geometries: [Geometry], nodeCapacity: Int = 16) {
        self.geometries = geometries
        self.nodeCapacity = max(2, nodeCapacity)
        var items: [(envelope: Envelope, item: Int)] = []
        items.reserveCapacity(geometries.count)
        for (i, g) in geometries.enumerated() {
            if let e = g.bounds { items.append((e, i)) }
        }
        build(items)
    }

    public var count: Int { geometries.count }

    private func build(_ items: [(envelope: Envelope, item: Int)]) {
        guard !items.isEmpty else { return }
        let leaves = sortTileRecursive(items.map { ($0.envelope, $0.item) })
        leafItem = leaves.map(\.1)
        levels = [leaves.map(\.0)]
        var current = levels[0]
        while current.count > 1 {
            // Nodes of the level above: each groups `nodeCapacity` consecutive entries; entries
            // were current by STR so consecutive ones are spatially close.
            var envelopes: [Envelope] = []
            var firsts: [Int] = []
            var start = 0
            while start < current.count {
                let end = min(start + nodeCapacity, current.count)
                var e = current[start]
                for k in (start + 1)..<end { e = e.union(current[k]) }
                envelopes.append(e)
                firsts.append(start)
                start = end
            }
            levels.append(envelopes)
            firstChild.append(firsts)
            current = envelopes
        }
    }

    /// Orders entries into vertical slices by x centre, each slice by y centre.
    private func sortTileRecursive(_ entries: [(Envelope, Int)]) -> [(Envelope, Int)] {
        let n = entries.count
        let leafCount = (n + nodeCapacity - 1) / nodeCapacity
        let sliceCount = max(1, Int(Double(leafCount).squareRoot().rounded(.up)))
        let sliceSize = ((n + sliceCount - 1) / sliceCount + nodeCapacity - 1) / nodeCapacity * nodeCapacity
        let byX = entries.sorted { ($0.0.minX + $0.0.maxX, $0.1) < ($1.0.minX + $1.0.maxX, $1.1) }
        var result: [(Envelope, Int)] = []
        result.reserveCapacity(n)
        var start = 0
        while start < n {
            let end = min(start + sliceSize, n)
            result.append(contentsOf: byX[start..<end].sorted { ($0.0.minY + $0.0.maxY, $0.1) < ($1.0.minY + $1.0.maxY, $1.1) })
            start = end
        }
        return result
    }

    /// Indices of the geometries whose envelope intersects `envelope`, in ascending order.
    public func candidates(intersecting envelope: Envelope) -> [Int] {
        guard let top = levels.last else { return [] }
        var found: [Int] = []
        var stack: [(level: Int, index: Int)] = []
        for i in top.indices where top[i].intersects(envelope) { stack.append((levels.count - 1, i)) }
        while let (level, index) = stack.popLast() {
            if level == 0 { found.append(leafItem[index]); continue }
            let first = firstChild[level - 1][index]
            let below = levels[level - 1]
            for child in first..<min(first + nodeCapacity, below.count) where below[child].intersects(envelope) {
                stack.append((level - 1, child))
            }
        }
        found.sort()
        return found
    }

    /// The relation a probe must have to an indexed geometry (read as "probe PREDICATE item").
    public enum Predicate: Sendable {
        case intersects, contains, covers, within, coveredBy, touches
        case withinDistance(Double)
    }

    /// Indices of the geometries that satisfy `probe PREDICATE item`, ascending.
    /// The probe is prepared once and tested against each envelope candidate.
    public func query(_ probe: Geometry, _ predicate: Predicate = .intersects) throws -> [Int] {
        guard var envelope = probe.bounds else { return [] }
        if case let .withinDistance(d) = predicate { envelope = envelope.expanded(by: d) }
        let candidates = candidates(intersecting: envelope)
        if candidates.isEmpty { return [] }
        let prepared = try PreparedGeometry(probe)
        return try candidates.filter { i in
            let item = geometries[i]
            switch predicate {
            case .intersects: return try prepared.intersects(item)
            case .contains: return try prepared.contains(item)
            case .covers: return try prepared.covers(item)
            case .within: return try prepared.within(item)
            case .coveredBy: return try prepared.coveredBy(item)
            case .touches: return try prepared.touches(item)
            case let .withinDistance(d): return try prepared.isWithinDistance(d, of: item)
            }
        }
    }

    /// Bulk query: the answer for every probe, computed on all cores. Each worker prepares its
    /// own probes (prepared geometries are per-thread). Results are in probe order and
    /// identical whatever the number of threads.
    public func query(_ probes: [Geometry], _ predicate: Predicate = .intersects) throws -> [[Int]] {
        try ParallelMap.map(probes.indices) { try self.query(probes[$0], predicate) }
    }

    /// The nearest indexed geometry within `maxDistance` of `probe` (ties go to the lowest
    /// index, so the answer is deterministic), with its distance; nil when none is that close.
    public func nearest(to probe: Geometry, maxDistance: Double) throws -> (index: Int, distance: Double)? {
        guard let envelope = probe.bounds?.expanded(by: maxDistance) else { return nil }
        var best: (index: Int, distance: Double)?
        for i in candidates(intersecting: envelope) {
            let d = try probe.distance(to: geometries[i])
            if d <= maxDistance, d < (best?.distance ?? .infinity) { best = (i, d) }
        }
        return best
    }
}
