import Foundation
import ServiceLifecycle
import SpaceCore
import SpacePlanKit
import SpaceStore

/// The district the workbench publishes, kept current when it was opened from a store: after an
/// edit this server made, and within a second for edits made elsewhere (another `serve`
/// process, `spaceplan store apply`, QGIS on PostGIS). Requests read the snapshot published last;
/// a new one replaces it whole, so no answer mixes two.
final class LiveDistrict: @unchecked Sendable {  // safe: `published` only changes under `lock`
    private let lock = NSLock()
    private var published: PublishedDistrict
    /// One refresh at a time; requests meanwhile read the snapshot before it.
    private let refreshing = NSLock()
    let renewal: Workspace.RenewalRun?
    let options: WorkbenchOptions

    init(_ district: PublishedDistrict, renewal: Workspace.RenewalRun?, options: WorkbenchOptions) {
        published = district
        self.renewal = renewal
        self.options = options
    }

    var current: PublishedDistrict { lock.withLock { published } }

    /// How long a refresh waits for a replica to hold this server's own edit, and how often it looks.
    static let replicaWaitSeconds = 2.0
    static let replicaPollSeconds = 0.02

    /// The store's last change the published snapshot holds (0 for a data folder).
    var lastChange: Int { Self.lastChange(current.workspace) }

    static func lastChange(_ workspace: Workspace) -> Int { (workspace.source as? StoreSource)?.snapshot.lastChange ?? 0 }

    /// Publishes the store's newest state if it has changed since; returns what is published.
    /// `holding`: a change this server just wrote, waited for (a read replica may be a moment behind).
    @discardableResult
    func refresh(holding seq: Int? = nil) throws -> PublishedDistrict {
        refreshing.lock()
        defer { refreshing.unlock() }
        let before = current
        var next = try before.workspace.next()
        if let seq {
            var waited = 0.0
            while Self.lastChange(next) < seq, waited < Self.replicaWaitSeconds {
                Thread.sleep(forTimeInterval: Self.replicaPollSeconds)
                waited += Self.replicaPollSeconds
                next = try before.workspace.next()
            }
        }
        guard Self.lastChange(next) != Self.lastChange(before.workspace) else { return before }
        let district =
            try Self.carriersOnly(since: before.workspace, to: next)
            ? PublishedDistrict(before, carriersUpdatedIn: next)
            : PublishedDistrict(next, renewal: renewal, maxFeaturesInView: options.maxFeaturesInView, maxPointsInView: options.maxPointsInView)
        lock.withLock { published = district }
        return district
    }
}

extension LiveDistrict {
    /// Whether every change between two snapshots updated carriers' figures (the same carriers,
    /// the same buildings): then only what shows carriers' figures is published again.
    static func carriersOnly(since before: Workspace, to next: Workspace) throws -> Bool {
        guard let source = before.source as? StoreSource else { return false }
        let changes = try source.store.changes(afterSeq: lastChange(before)).filter { $0.seq <= lastChange(next) }
        guard changes.allSatisfy({ $0.layer == StoreLayer.carriers.name && $0.change == "update" }) else { return false }
        let ids = Set(changes.map(\.recordID))
        let old = Dictionary(before.data.carriers.map { ($0.id, $0.buildingIDs) }, uniquingKeysWith: { a, _ in a })
        return next.data.carriers.allSatisfy { !ids.contains($0.id) || old[$0.id] == $0.buildingIDs }
    }
}

/// Looks for edits made elsewhere while the server runs: on PostGIS it is told of each commit
/// (LISTEN/NOTIFY) and refreshes at once; on a GeoPackage, which cannot tell, it looks every
/// `seconds`. Either way it also looks every `seconds`, so a lost notice costs one interval.
struct LiveRefresh: Service {
    let live: LiveDistrict
    let seconds: Double

    func run() async throws {
        let live = live, seconds = seconds
        let listener = (live.current.workspace.source as? StoreSource).flatMap { $0.store as? PostGISStore }.flatMap { try? $0.changeListener() }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if let listener {
                // Waiting blocks a thread: off the server's own, in slices short enough to stop promptly.
                _ = try? await offThePool { try listener.wait(seconds: seconds) }
            } else {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            }
            // The refresh reads the store and rebuilds the published layers: off the server's threads.
            _ = try? await offThePool { try live.refresh() }
        }
    }
}
