import ArgumentParser
import Foundation
import SpacePlanKit

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
              spaceplan map --data GIS/sample --out out/maps
              spaceplan map --data GIS/sample --out out/maps --theme vacancy --classification quantiles
              spaceplan map --data GIS/sample --out out/maps --theme carriers --zone cluster-hetao-futian-bonded
            """
    )

    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    @Option(
        name: .long,
        help: ArgumentHelp("A theme, or all. (values: all, \(MapTheme.allCases.map(\.rawValue).joined(separator: ", ")))", valueName: "THEME"))
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
    }

    func run() throws {
        let progress = Progress()
        let workspace = try options.workspace(progress)
        try output.folder(inputs: workspace.inputs).check()
        progress.stage("drawing")
        var mapOptions = MapOptions()
        mapOptions.zone = zone
        mapOptions.classification = classification
        mapOptions.classes = classes
        let themes = theme == "all" ? MapTheme.allCases : [MapTheme(rawValue: theme)!]
        let files = try output.write(try workspace.mapArtifacts(themes: themes, options: mapOptions), inputs: workspace.inputs, progress: progress)
        progress.finish()
        print("wrote \(Wording.counted(files.count, "SVG file")) to \(output.out): \(files.joined(separator: ", "))")
    }
}
