import ArgumentParser
import Foundation
import Platform
import SpacePlanKit
import Workbench

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Open the workbench: the space map and every analysis in a browser, and as OGC API – Features.",
        discussion: """
            Opens DIR once and serves, until Ctrl-C: the workbench page (map, layers and themes, \
            inspector, trajectory, renewal, supply and allocation), the layers as OGC API – Features \
            collections in WGS84 (QGIS: "WFS / OGC API – Features" connection; GDAL: \
            ogrinfo OAPIF:http://HOST:PORT) and the JSON API described at /api/openapi.json.

            With --data the workbench is read-only and open to anyone who reaches it. With --store it is \
            the platform (docs/platform.md): people log in (spaceplan users add), operators keep their \
            carriers current, the bureau edits everything, and every change is an edit set of the \
            store; --public-read lets anyone see the map without logging in. Binds to 127.0.0.1 unless \
            told otherwise: --host 0.0.0.0 lets other machines in. Uploads (proposal and demand files, edited scenarios) go to a temporary folder \
            of the server's own, one per request, and are removed when answered.

            Example:
              spaceplan serve --data GIS/sample
              spaceplan serve --store district.gpkg --public-read
            """
    )

    @OptionGroup var options: DataOptions

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port = 8080

    @Option(name: .customLong("upload-limit"), help: ArgumentHelp("Largest upload, in MiB.", valueName: "MIB"))
    var uploadLimit = 16

    @Option(
        name: .long, help: ArgumentHelp("A basemap tile URL template ({z}/{x}/{y}); none by default (the page needs no internet).", valueName: "URL"))
    var tiles: String?

    @Option(
        name: .customLong("tiles-crs"),
        help: ArgumentHelp(
            "The tiles' CRS: WGS84, or GCJ-02 for Amap/Tencent tiles (the layers are then shifted to GCJ-02, not the tiles).", valueName: "CRS"))
    var tilesCRS = "WGS84"

    @Option(name: .customLong("tiles-attribution"), help: "The tiles' attribution, shown on the map.")
    var tilesAttribution: String?

    @Flag(name: .customLong("public-read"), help: "With --store: anyone may see the map and figures without logging in (changes still need a login).")
    var publicRead = false

    @Option(name: .customLong("session-hours"), help: ArgumentHelp("With --store: how long a login lasts.", valueName: "HOURS"))
    var sessionHours = PlatformSettings().sessionLifetimeSeconds / 3_600

    @Option(
        name: .customLong("read-replica"),
        help: ArgumentHelp("With a PostGIS --store: a streaming replica of its database (a postgresql:// URL) that answers the map's reads; edits go to --store.", valueName: "URL"))
    var readReplica: String?

    func validate() throws {
        if readReplica != nil, !(options.store ?? "").hasPrefix("postgres") { throw ValidationError("--read-replica goes with a PostGIS --store (postgresql://…)") }
        if options.store == nil, publicRead { throw ValidationError("--public-read is for a server with --store (with --data everything is readable)") }
        guard sessionHours >= 1 else { throw ValidationError("--session-hours must be at least 1") }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard uploadLimit >= 1 else { throw ValidationError("--upload-limit must be at least 1 MiB") }
        guard ["WGS84", "GCJ-02"].contains(tilesCRS) else { throw ValidationError("--tiles-crs must be WGS84 or GCJ-02") }
    }

    func run() async throws {
        let progress = Progress()
        let workspace = try options.workspace(progress, readReplica: readReplica)
        var settings = WorkbenchOptions()
        settings.host = host
        settings.port = port
        settings.uploadLimitBytes = uploadLimit * 1_048_576
        settings.tileURL = tiles
        settings.tileCRS = tilesCRS == "GCJ-02" ? .gcj02 : .wgs84
        settings.tileAttribution = tilesAttribution
        let platform = options.store.map { store -> PlatformAccess in
            var access = PlatformAccess(store: store)
            access.publicRead = publicRead
            access.settings.sessionLifetimeSeconds = sessionHours * 3_600
            return access
        }
        let workbench = try Workbench(workspace: workspace, options: settings, platform: platform, progress: progress.stage)
        progress.finish()
        print(workspace.headlines.joined(separator: "\n"))
        try await workbench.run { address in
            print("spaceplan workbench: open \(address) (Ctrl-C stops it)")
            fflush(nil)
        }
    }
}
