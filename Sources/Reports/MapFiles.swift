import Cartography
import SpaceCore

/// The SVG files of a district: one map per theme, and the two charts.
public enum MapFiles {
    public static func artifacts(_ scene: MapScene, themes: [MapTheme], options: MapOptions) throws -> [Artifact] {
        var files: [Artifact] = []
        for theme in themes {
            var o = options
            o.theme = theme
            let name = theme.rawValue + (options.zone.map { "-\($0)" } ?? "") + ".svg"
            files.append(Artifact(name, text: try DistrictMap.render(scene, o)))
        }
        files.append(Artifact("trajectory.svg", text: Charts.trajectory(scene)))
        files.append(Artifact("floor-area-by-zone.svg", text: Charts.floorAreaByZone(scene)))
        return files
    }
}
