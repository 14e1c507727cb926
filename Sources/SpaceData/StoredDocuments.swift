import Foundation
import SpaceCore

/// The documents a store holds (configuration, proposals, scenarios, demand), read by the same
/// readers as files. Each sits at a path inside the store's own name
/// (`district.gpkg/config/renewal.json`), so a message about one names the store and the document.
public enum StoredDocuments {
    private static let lock = Mutex()
    nonisolated(unsafe) private static var shelf: [String: Data] = [:]  // safe: only under `lock`

    /// Makes documents readable at their paths; a path placed again takes the new bytes.
    public static func place(_ documents: [String: Data]) {
        lock.locked { shelf.merge(documents) { _, new in new } }
    }

    /// The bytes of the document at `path`, if a store placed one there.
    public static func bytes(at path: String) -> Data? {
        lock.locked { shelf[path] }
    }
}
