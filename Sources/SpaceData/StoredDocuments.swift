import Foundation
import SpaceCore

/// The documents a store holds (configuration, proposals, scenarios, demand), read by the same
/// readers as files. Each sits at a path inside the store's own name
/// (`district.gpkg/config/renewal.json`), so a message about one names the store and the document.
public enum StoredDocuments {
    private static let lock = Mutex()
    // Plain byte arrays, not `Data`: a `Data` keeps its storage behind a tagged enum pointer that
    // LeakSanitizer cannot follow from a global, so every stored document read as a leak.
    nonisolated(unsafe) private static var shelf: [String: [UInt8]] = [:]  // safe: only under `lock`

    /// Makes documents readable at their paths; a path placed again takes the new bytes.
    public static func place(_ documents: [String: Data]) {
        let bytes = documents.mapValues { [UInt8]($0) }
        lock.locked { shelf.merge(bytes) { _, new in new } }
    }

    /// Forgets the documents whose paths start with `prefix` (those placed to check one edit).
    public static func remove(under prefix: String) {
        lock.locked { shelf = shelf.filter { !$0.key.hasPrefix(prefix) } }
    }

    /// The bytes of the document at `path`, if a store placed one there.
    public static func bytes(at path: String) -> Data? {
        lock.locked { shelf[path] }.map { Data($0) }
    }
}
