import Foundation
import ServiceLifecycle
import SpaceCore
import SpacePlanKit
import SpaceStore

/// The district the workbench publishes, kept current when it was opened from a store: after an
/// edit this server made, and every few seconds for edits made elsewhere (another `serve`
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

    /// The store's last change the published snapshot holds (0 for a data folder).
    var lastChange: Int { Self.lastChange(current.workspace) }

    static func lastChange(_ workspace: Workspace) -> Int { (workspace.source as? StoreSource)?.snapshot.lastChange ?? 0 }

    /// Publishes the store's newest state if it has changed since; returns what is published.
    @discardableResult
    func refresh() throws -> PublishedDistrict {
        refreshing.lock()
        defer { refreshing.unlock() }
        let before = current
        let next = try before.workspace.next()
        guard Self.lastChange(next) != Self.lastChange(before.workspace) else { return before }
        let district = try PublishedDistrict(
            next, renewal: renewal, maxFeaturesInView: options.maxFeaturesInView, maxPointsInView: options.maxPointsInView)
        lock.withLock { published = district }
        return district
    }
}

/// Looks for edits made elsewhere every `seconds` while the server runs.
struct LiveRefresh: Service {
    let live: LiveDistrict
    let seconds: Double

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            // The refresh reads the store and rebuilds the published layers: off the server's threads.
            let live = live
            _ = try? await offThePool { try live.refresh() }
        }
    }
}
