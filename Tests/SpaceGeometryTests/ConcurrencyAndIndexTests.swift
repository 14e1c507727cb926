import SpaceCore
import Foundation
import Testing
import TestSupport
@testable import SpaceGeometry

@Suite("Thread safety and the STRtree")
struct ConcurrencyAndIndexTests {
    /// A grid of 40 × 40 squares with an offset grid of probes: a join with known answers.
    static func grid() throws -> (cells: [Geometry], probes: [Geometry]) {
        var cells: [Geometry] = [], probes: [Geometry] = []
        for i in 0..<40 {
            for j in 0..<40 {
                let x = Double(i) * 10, y = Double(j) * 10
                cells.append(try Geometry(wkt: "POLYGON((\(x) \(y), \(x + 10) \(y), \(x + 10) \(y + 10), \(x) \(y + 10), \(x) \(y)))"))
                probes.append(
                    try Geometry(wkt: "POLYGON((\(x + 5) \(y + 5), \(x + 12) \(y + 5), \(x + 12) \(y + 12), \(x + 5) \(y + 12), \(x + 5) \(y + 5)))"))
            }
        }
        return (cells, probes)
    }

    @Test("the STRtree bulk query equals a brute-force scan")
    func bulkQueryMatchesBruteForce() throws {
        let (cells, probes) = try Self.grid()
        let index = SpatialIndex(cells)
        let answers = try index.query(probes, .intersects)
        for (k, probe) in probes.enumerated() {
            let brute = try cells.indices.filter { try probe.intersects(cells[$0]) }
            #expect(answers[k] == brute)
        }
        // Probe 41 spans x, y 15–22: it overlaps cells (1,1), (1,2), (2,1), (2,2).
        #expect(answers[41] == [41, 42, 81, 82])
        let points = try (0..<50).map { try Geometry.point(Double($0) * 7.3 + 0.13, Double($0) * 3.1 + 0.13) }
        let containing = try index.query(points, .within)
        #expect(containing.allSatisfy { $0.count == 1 })
        // A point on the edge between two cells is within neither, but covered by both.
        let onEdge = try Geometry.point(211.8, 90)
        #expect(try index.query(onEdge, .within).isEmpty)
        #expect(try index.query(onEdge, .coveredBy) == [21 * 40 + 8, 21 * 40 + 9])
    }

    @Test("nearest within a distance, ties to the lowest index")
    func nearest() throws {
        let (cells, _) = try Self.grid()
        let index = SpatialIndex(cells)
        let outside = try Geometry.point(-3, 5)
        let hit = try index.nearest(to: outside, maxDistance: 5)
        #expect(hit?.index == 0 && hit?.distance == 3)
        #expect(try index.nearest(to: outside, maxDistance: 2) == nil)
        let corner = try Geometry.point(-3, 10)  // equidistant from cells 0 and 1
        #expect(try index.nearest(to: corner, maxDistance: 5)?.index == 0)
    }

    @Test("the same queries run on many threads give identical results")
    func concurrentQueries() async throws {
        let (cells, probes) = try Self.grid()
        let index = SpatialIndex(cells)
        func run() throws -> [Double] {
            try probes.map { probe in
                try index.query(probe, .intersects).reduce(0.0) { $0 + (try probe.intersection(cells[$1]).planarArea) }
            }
        }
        let expected = try run()
        // 7 × 7 probes; those on the last row or column stick out of the 400 × 400 grid.
        let insideGrid: Double = 39 * 39 * 49 + 2 * 39 * 35 + 25
        #expect(abs(expected.reduce(0, +) - insideGrid) < 1e-6)
        let results = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<8 { group.addTask { try run() } }
            var all: [[Double]] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 8)
        for r in results { #expect(r == expected) }
        // And through the parallel bulk query on all cores.
        let parallel = try ParallelMap.map(0..<probes.count, chunk: 16) { k in
            try index.query(probes[k], .intersects).reduce(0.0) { $0 + (try probes[k].intersection(cells[$1]).planarArea) }
        }
        #expect(parallel == expected)
    }
}
