import Foundation
import SpaceCore

/// A value summed per square cell of about 8 pixels, classed by quantiles: how a map shows more
/// footprints or firms than it can draw. The SVG maps and the workbench's low-zoom layers use
/// the same cells, classes and ramps.
public struct DensityGrid: Sendable {
    public struct Cell: Sendable {
        /// The cell's lower-left corner, in the map's projected metres.
        public let minX, minY: Double
        public let sum: Double
        /// 0-based quantile class, an index into the ramp.
        public let classIndex: Int
    }

    public let cellM: Double
    /// In a stable order (by column, then row).
    public let cells: [Cell]

    /// Cells of the largest nice length (1, 2 or 5 × 10ⁿ m) that is at most 8 pixels at `metresPerPixel`.
    public init(points: [(Coordinate, Double)], metresPerPixel: Double, classes: Int) {
        let cell = MapFurniture.niceLength(atMost: metresPerPixel * 8)
        var sums: [Int64: Double] = [:]
        for (c, v) in points { sums[DistrictMap.gridKey(c, cell), default: 0] += v }
        let classification = try? Classification.classify(Array(sums.values), classes: classes, method: .quantiles)
        cellM = cell
        cells = sums.keys.sorted().map { key in
            Cell(
                minX: Double(key >> 32) * cell, minY: Double(Int32(truncatingIfNeeded: key)) * cell, sum: sums[key]!,
                classIndex: min(classes - 1, classification?.classIndex(of: sums[key]!) ?? 0))
        }
    }

    /// "200 m", "1.0 km": a cell size for a legend.
    public var cellLabel: String { MapFurniture.lengthLabel(cellM) }

    /// The ramp of the floor-area density grid (the style's, greys so carriers stand out on it).
    public static var floorAreaRamp: [String] { StyleSpecification.standard.densities.floorArea }
    /// The ramp of the employees density grid (the style's).
    public static var employeesRamp: [String] { StyleSpecification.standard.densities.employees }
}
