import Foundation

/// Ends a successful run without freeing the district object by object: at 500,000 buildings
/// and 1.5 million firms that took most of a second, and the system reclaims the memory at once.
/// Call it only when every file is written and closed.
func exitWithoutTeardown() -> Never {
    fflush(nil)  // every output stream (naming `stdout` is not concurrency-safe in Swift 6)
    exit(0)
}
