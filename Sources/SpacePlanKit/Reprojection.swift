import SpaceCore
import SpaceGeometry

/// Coordinates and shapes between CRSs for a front end that draws them (the workbench serves
/// the working CRS's shapes in WGS84, or in GCJ-02 for a page on Amap/Tencent tiles), through
/// one PROJ transformer per thread.
public enum Reprojection {
    public static func shape(_ shape: Shape, from source: CRSCode, to target: CRSCode) throws -> Shape {
        if source == target { return shape }
        return try CoordinateTransformer.forThisThread(from: source, to: target).transform(shape)
    }

    public static func coordinate(_ c: Coordinate, from source: CRSCode, to target: CRSCode) throws -> Coordinate {
        if source == target { return c }
        return try CoordinateTransformer.forThisThread(from: source, to: target).transform(c)
    }
}
