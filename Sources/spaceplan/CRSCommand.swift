import ArgumentParser
import SpacePlanKit

struct CRSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crs",
        abstract: "Coordinate reference systems: transform coordinates, describe a CRS.",
        subcommands: [Transform.self, Describe.self]
    )

    struct Transform: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transform one coordinate between CRSs, printing \"X Y\".",
            discussion: """
                CODE is an EPSG code (EPSG:4547, 4326, EPSG:32650…), WGS84, GCJ-02 (Amap, Tencent, \
                DataV) or BD-09 (Baidu). Coordinates are always given and printed as X Y, i.e. \
                longitude latitude or easting northing, whatever the CRS's official axis order.

                Examples:
                  spaceplan crs transform --from GCJ-02 --to WGS84 114.0579 22.5431
                  spaceplan crs transform --from WGS84 --to EPSG:4547 114.0579 22.5431
                  spaceplan crs transform --from BD-09 --to GCJ-02 114.0644 22.5490
                """
        )

        @Option(name: .long, help: ArgumentHelp("Source CRS.", valueName: "CODE"))
        var from: String

        @Option(name: .long, help: ArgumentHelp("Target CRS.", valueName: "CODE"))
        var to: String

        // Taken as unparsed words so that negative values (western or southern longitudes
        // and latitudes, false-origin offsets) are not mistaken for options.
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("X then Y: longitude latitude, or easting northing.", valueName: "X Y"))
        var coordinate: [String] = []

        func validate() throws {
            guard coordinate.count == 2, coordinate.allSatisfy({ Double($0)?.isFinite == true }) else {
                throw ValidationError("give exactly two finite numbers, X then Y (got: \(coordinate.joined(separator: " ")))")
            }
        }

        func run() throws {
            let out = try CoordinateQuestions.transform(from: from, to: to, x: Double(coordinate[0])!, y: Double(coordinate[1])!)
            print("\(Wording.fixed(out.x, out.decimals)) \(Wording.fixed(out.y, out.decimals))")
        }
    }

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say what a CRS is: its name, whether it is geographic, its unit."
        )

        @Argument(help: ArgumentHelp("The CRS.", valueName: "CODE"))
        var code: String

        func run() throws {
            let info = try CoordinateQuestions.describe(code)
            print("\(info.code): \(info.name)")
            print(
                info.isGeographic
                    ? "geographic (longitude, latitude in degrees)"
                    : "projected, \(info.metresPerUnit.map { $0 == 1 ? "metres" : "\($0) m per unit" } ?? "unknown unit")")
            print(info.measuresAreas ? "areas and lengths: yes" : "areas and lengths: transform to a projected CRS first (e.g. EPSG:4547 for Futian)")
        }
    }
}
