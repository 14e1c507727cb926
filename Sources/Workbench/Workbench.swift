import Foundation
import Hummingbird
import Platform
import ServiceLifecycle
import SpacePlanKit

/// How a workbench server runs; every number a planner might change is here, with its default.
public struct WorkbenchOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest upload or posted JSON, in bytes (16 MiB: a proposal or demand file of tens of thousands of records).
    public var uploadLimitBytes = 16 * 1_048_576
    /// Analysis runs kept for their files; older ones are forgotten.
    public var keptRuns = 20
    /// Jobs (allocations, target programmes) that run at once; the others wait in order. Each
    /// already uses every core, so more at once only slows them all and the map with them.
    public var concurrentJobs = 1
    /// The most runs a simulation asked of the server may have (each run is a year-by-year
    /// allocation; the command line has no such limit).
    public var maxSimulationRuns = 1_000
    /// OGC API page size: the default and the largest a client may ask for.
    public var defaultLimit = 10
    public var maxLimit = 10_000
    /// Above this many features in view the page gets the generalised layer (density grid,
    /// carriers as symbols), as the SVG maps do above their own limits.
    public var maxFeaturesInView = 6_000
    /// The same for points (firms), which a browser draws more cheaply than polygons.
    public var maxPointsInView = 12_000
    /// The floor area the supply report prices each land mode for (spaceplan supply's default).
    public var referenceFloorAreaM2 = 10_000.0
    /// An optional basemap: a tile URL template ({z}/{x}/{y}) and the CRS its tiles are drawn in.
    /// Amap and Tencent tiles are GCJ-02: the page then asks for its layers shifted to GCJ-02.
    public var tileURL: String?
    public var tileCRS: CRSCode = .wgs84
    public var tileAttribution: String?
    public init() {}
}

/// The workbench: one workspace opened once, published as OGC API – Features collections, a
/// JSON API for the questions and the page that shows them. It holds what the server prepared
/// when it opened and mounts one controller per area (page, OGC API, space map, analyses); every
/// route is a thin call into the workspace or into what it prepared; nothing here analyses.
public final class Workbench: Sendable {
    public let options: WorkbenchOptions
    /// The district's layers indexed, its map scene and inspector: prepared when it opens, and
    /// again after each edit when it was opened from a store.
    let live: LiveDistrict
    var district: PublishedDistrict { live.current }
    public var workspace: Workspace { live.current.workspace }
    /// Who may do what, on a server opened from a store with its people (`serve --store`); nil: the read-only workbench.
    let gate: Gate?
    /// What the data folder ships beside its layers.
    let shipped: ShippedInputs
    /// The shipped proposals evaluated once, or why they could not be.
    let shippedRenewal: Result<Workspace.RenewalRun, any Error>?
    let uploads: UploadFolder
    let runs: RunStore
    let jobs: JobRunner
    let web: StaticFiles

    public init(
        workspace: Workspace, options: WorkbenchOptions = WorkbenchOptions(), platform: PlatformAccess? = nil, progress: (String) -> Void = { _ in }
    ) throws {
        self.options = options
        gate = try platform.map(Gate.init)
        shipped = workspace.shippedInputs
        if let proposals = shipped.proposals {
            progress("evaluating the shipped renewal proposals")
            shippedRenewal = Result { try workspace.evaluateRenewal(proposals: proposals) }
        } else {
            shippedRenewal = nil
        }
        let district = try PublishedDistrict(
            workspace, renewal: try? shippedRenewal?.get(), maxFeaturesInView: options.maxFeaturesInView,
            maxPointsInView: options.maxPointsInView, progress: progress)
        live = LiveDistrict(district, renewal: try? shippedRenewal?.get(), options: options)
        uploads = try UploadFolder(limitBytes: options.uploadLimitBytes)
        runs = RunStore(keep: options.keptRuns)
        let uploads = uploads
        jobs = JobRunner(maxRunning: options.concurrentJobs) { error in
            let (_, message, details) = JSONErrorMiddleware<WorkbenchContext>.classify(error)
            return (uploads.scrub(message), details.map(uploads.scrub))
        }
        web = StaticFiles()
    }

    /// Every route: the page, the OGC API, the JSON API.
    public func router() -> Router<WorkbenchContext> {
        // HEAD is answered wherever GET is, with GET's headers and no body.
        let router = Router(context: WorkbenchContext.self, options: .autoGenerateHeadEndpoints)
        let table = RouteTable()
        router.add(middleware: JSONErrorMiddleware(uploads: uploads, routes: table))
        if let gate { router.add(middleware: gate) }
        router.addRoutes(PageController(web: web).endpoints)
        router.addRoutes(FeaturesController(live: live, options: options, web: web, editing: gate.map { FeatureEditing(live: live, gate: $0, uploads: uploads) }).endpoints)
        router.addRoutes(
            SpaceMapController(live: live, options: options, web: web, shipped: shipped).endpoints,
            atPath: "/api")
        if let gate { router.addRoutes(PlatformController(live: live, gate: gate, options: options, uploads: uploads).endpoints, atPath: "/api") }
        let analyses = AnalysisController(
            live: live, options: options, shipped: shipped, shippedRenewal: shippedRenewal,
            uploads: uploads, runs: runs, jobs: jobs)
        router.addRoutes(analyses.endpoints, atPath: "/api")
        router.addRoutes(analyses.targetEndpoints, atPath: "/api")
        router.addRoutes(analyses.simulationEndpoints, atPath: "/api")
        table.fill(router.routes.map { ($0.path.description, $0.method) })
        return router
    }

    /// Serves until interrupted (Ctrl-C); `onReady` hears the address once it listens.
    public func run(onReady: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let address = "http://\(options.host):\(options.port)/"
        var services: [any Service] = [jobs]
        if let gate { services.append(LiveRefresh(live: live, seconds: gate.access.refreshSeconds)) }
        let app = Application(
            router: router(), configuration: .init(address: .hostname(options.host, port: options.port), serverName: "spaceplan"),
            services: services, onServerRunning: { _ in onReady(address) })
        defer { uploads.removeAll() }
        try await app.runService()
    }

}

/// A controller of the workbench: one area of its routes, with what it needs of the server.
protocol WorkbenchController: Sendable {
    var options: WorkbenchOptions { get }
}

extension WorkbenchController {
    /// "http://host:port" as the client reached us, for links.
    func base(_ request: Request) -> String {
        "http://" + (request.head.authority ?? "\(options.host):\(options.port)")
    }
}
