import Testing

@testable import SpaceCore

@Suite("PointGrid: the points in an envelope, as a scan of every point finds them")
struct PointGridTests {
    /// Every point inside `e`, boundary included, by looking at each one.
    func scan(_ points: [Coordinate?], _ e: Envelope) -> [Int] {
        points.indices.filter { i in points[i].map { $0.x >= e.minX && $0.x <= e.maxX && $0.y >= e.minY && $0.y <= e.maxY } ?? false }
    }

    @Test("random points, missing ones, points on cell edges and a far outlier; envelopes inside, across and outside the grid")
    func agreesWithScan() {
        var random = SystemRandomNumberGenerator()
        var points: [Coordinate?] = (0..<20_000).map { i in
            i % 17 == 0 ? nil : Coordinate(Double.random(in: 500_000..<510_000, using: &random), Double.random(in: 2_490_000..<2_500_000, using: &random))
        }
        points += [Coordinate(500_100, 2_490_100), Coordinate(500_100, 2_490_100), Coordinate(-9e7, 9e7)]
        let grid = PointGrid(points, cellSize: 100)
        var envelopes = (0..<300).map { _ -> Envelope in
            let x = Double.random(in: 499_000..<511_000, using: &random), y = Double.random(in: 2_489_000..<2_501_000, using: &random)
            return Envelope(minX: x, minY: y, maxX: x + Double.random(in: 0..<400, using: &random), maxY: y + Double.random(in: 0..<400, using: &random))
        }
        envelopes += [
            Envelope(minX: 500_100, minY: 2_490_100, maxX: 500_100, maxY: 2_490_100),  // exactly on a cell corner: both points
            Envelope(minX: -1e8, minY: -1e8, maxX: 1e8, maxY: 1e8),  // everything
            Envelope(minX: 600_000, minY: 0, maxX: 700_000, maxY: 10),  // nowhere near
            Envelope(minX: -9e7, minY: 9e7, maxX: -9e7, maxY: 9e7),  // the outlier alone
        ]
        for e in envelopes { #expect(grid.points(in: e) == scan(points, e), "\(e)") }
        #expect(grid.points(in: envelopes[300]) == [20_000, 20_001])
        #expect(grid.points(in: envelopes[301]).count == points.compactMap { $0 }.count)
    }

    @Test("no points at all")
    func empty() {
        let grid = PointGrid([nil, nil], cellSize: 100)
        #expect(grid.points(in: Envelope(minX: -1, minY: -1, maxX: 1, maxY: 1)).isEmpty)
    }
}
