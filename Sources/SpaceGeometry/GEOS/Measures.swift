import SpaceCore
import CGEOS
import CPROJ

/// Areas and lengths. Square metres and metres only ever come from a projected metre CRS:
/// asking for the area of longitude/latitude is an error, not degrees squared. The one
/// exception is explicit: `geodesicAreaSquareMetres()` on the WGS84 ellipsoid.
extension Geometry {
    /// Area in the CRS's own units squared, whatever they are. Use only where units cancel
    /// (shares, ratios) or the CRS is known to be projected; prefer `areaSquareMetres()`.
    public var planarArea: Double {
        var area = 0.0
        GEOSArea_r(GEOSContext.handle, handle, &area)
        return area
    }

    /// Length (or perimeter) in the CRS's own units.
    public var planarLength: Double {
        var length = 0.0
        GEOSLength_r(GEOSContext.handle, handle, &length)
        return length
    }

    private func requireProjectedMetres(_ what: String) throws {
        guard let crs else {
            throw GeometryError.notProjected("\(what) needs a projected CRS, but this geometry has none stated")
        }
        let info = try CRSInfo.lookup(crs)
        guard info.isProjectedInMetres else {
            throw GeometryError.notProjected(
                "\(what) needs a projected CRS in metres, but this geometry is in \(crs) (\(info.name)); "
                    + "transform it first, e.g. to EPSG:4547, or use geodesicAreaSquareMetres()")
        }
    }

    /// Area in m²; the geometry must be in a projected metre CRS (e.g. EPSG:4547, EPSG:32650).
    public func areaSquareMetres() throws -> Double {
        try requireProjectedMetres("area in m²")
        return planarArea
    }

    /// Length in metres; the geometry must be in a projected metre CRS.
    public func lengthMetres() throws -> Double {
        try requireProjectedMetres("length in metres")
        return planarLength
    }

    /// Area on the WGS84 ellipsoid (Karney's algorithm, PROJ's geodesic library) for a
    /// polygonal geometry in WGS84 longitude/latitude. Holes are subtracted.
    public func geodesicAreaSquareMetres() throws -> Double {
        guard crs == .wgs84 else {
            throw GeometryError.notProjected(
                "geodesic area needs WGS84 longitude/latitude, this geometry is in \(crs?.description ?? "no stated CRS")")
        }
        var geod = geod_geodesic()
        geod_init(&geod, 6378137.0, 1 / 298.257223563)
        func ringArea(_ ring: [Coordinate]) -> Double {
            var lats = ring.map(\.y), lons = ring.map(\.x)
            var area = 0.0, perimeter = 0.0
            // geod_polygonarea wants an open ring.
            geod_polygonarea(&geod, &lats, &lons, Int32(ring.count - 1), &area, &perimeter)
            return abs(area)
        }
        return shape.polygons.reduce(0) { total, rings in
            guard let shell = rings.first else { return total }
            return total + ringArea(shell) - rings.dropFirst().reduce(0) { $0 + ringArea($1) }
        }
    }
}
