import SpaceCore
import SpaceData
import SpaceGeometry

/// One coordinate between two CRSs, and what a CRS is: the `crs` verbs, without a district.
public enum CoordinateQuestions {
    /// The point in the target CRS, with the decimals worth printing: degrees to 1e-9
    /// (≈ 0.1 mm), metres to 0.1 mm.
    public static func transform(from: String, to: String, x: Double, y: Double) throws -> (x: Double, y: Double, decimals: Int) {
        let transformer = try CoordinateTransformer(from: try CRSCode(parsing: from), to: try CRSCode(parsing: to))
        // GCJ-02 and BD-09 have no offset outside China: a point there is another CRS's, or a slip.
        if transformer.source.isChineseWebMap, ChineseWebMapOffsets.isOutsideChina(Coordinate(x, y)) {
            throw DataError(
                file: "crs transform",
                problem: "\(formatJSONNumber(x)) \(formatJSONNumber(y)) is outside China, where \(transformer.source) applies no offset: "
                    + "\(transformer.source) coordinates are longitude and latitude in China (e.g. 114.06 22.54 in Futian); is it in another CRS, or are X and Y swapped?"
            )
        }
        let out = try transformer.transform(Coordinate(x, y))
        return (out.x, out.y, try CRSInfo.lookup(transformer.target).isGeographic ? 9 : 4)
    }

    public struct Description: Sendable {
        public let code, name: String
        public let isGeographic, measuresAreas: Bool
        public let metresPerUnit: Double?
    }

    public static func describe(_ code: String) throws -> Description {
        let info = try CRSInfo.lookup(try CRSCode(parsing: code))
        return Description(
            code: "\(info.code)", name: info.name, isGeographic: info.isGeographic,
            measuresAreas: info.isProjectedInMetres, metresPerUnit: info.metresPerUnit)
    }
}
