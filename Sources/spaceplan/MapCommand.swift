import ArgumentParser
import Cartography
import Foundation
import SpaceData
import SpaceMap

extension MapTheme: ExpressibleByArgument {}
extension ClassificationMethod: ExpressibleByArgument {}

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw the district's maps and charts as SVG, ready for a report or a browser.",
        discussion: """
        Themes: space (land use, carriers, firms, zones), landuse, carriers, enterprises, \
        vacancy and techspace (choropleths per sub-district), renewal (old industrial stock); \
        "all" draws every theme. Charts: trajectory.svg (tech-cultivation space against the \
        plan's path) and floor-area-by-zone.svg. Every map has a legend, scale bar, north arrow \
        and the CRS and data source; --zone zooms on one zone with the district in an inset.

        Examples:
          spaceplan map --data GIS/sample --out Maps
          spaceplan map --data GIS/sample --out Maps --theme vacancy --classification quantiles
          spaceplan map --data GIS/sample --out Maps --theme carriers --zone cluster-hetao-futian-bonded
        """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: ArgumentHelp("Folder for the SVG files.", valueName: "DIR"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("A theme, or all. (values: all, \(MapTheme.allCases.map(\.rawValue).joined(separator: ", ")))", valueName: "THEME"))
    var theme: String = "all"

    @Option(name: .long, help: ArgumentHelp("Zoom on this zone id (a sub-district code or a cluster id).", valueName: "ID"))
    var zone: String?

    @Option(name: .long, help: "How choropleth classes are cut: fisher-jenks (exact), quantiles, equal-interval.")
    var classification: ClassificationMethod = .fisherJenks

    @Option(name: .long, help: "Number of choropleth classes.")
    var classes: Int = 5

    func validate() throws {
        guard theme == "all" || MapTheme(rawValue: theme) != nil else {
            throw ValidationError("unknown theme '\(theme)'; use all or one of \(MapTheme.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (2...9).contains(classes) else { throw ValidationError("--classes must be between 2 and 9") }
    }

    func run() throws {
        let progress = Progress()
        let map = try options.spaceMap(progress)
        progress.stage("drawing")
        var mapOptions = MapOptions()
        mapOptions.zone = zone
        mapOptions.classification = classification
        mapOptions.classes = classes
        let themes = theme == "all" ? MapTheme.allCases : [MapTheme(rawValue: theme)!]
        let files = try MapFiles.write(map, themes: themes, options: mapOptions, to: URL(fileURLWithPath: out))
        progress.finish()
        print("wrote \(files.count) SVG files to \(out): \(files.joined(separator: ", "))")
    }
}

/// The SVG files of a district: one map per theme, and the two charts.
enum MapFiles {
    static func write(_ map: SpaceMap, themes: [MapTheme], options: MapOptions, to folder: URL) throws -> [String] {
        let scene = try MapScene(map)
        var files: [(String, String)] = []
        for theme in themes {
            var o = options
            o.theme = theme
            let name = theme.rawValue + (options.zone.map { "-\($0)" } ?? "") + ".svg"
            files.append((name, try DistrictMap.render(scene, o)))
        }
        files.append(("trajectory.svg", Charts.trajectory(scene)))
        files.append(("floor-area-by-zone.svg", Charts.floorAreaByZone(scene)))
        for (name, svg) in files { try AtomicFile.write(svg, to: folder.appendingPathComponent(name)) }
        return files.map(\.0)
    }
}
