import Foundation

/// Stage-by-stage progress on standard error, shown only on a terminal (quiet when piped or in CI).
final class Progress {
    private let enabled: Bool
    private let start = Date()
    private var last: String?

    init() { enabled = isatty(STDERR_FILENO) == 1 || ProcessInfo.processInfo.environment["SPACEPLAN_PROGRESS"] == "1" }

    func stage(_ name: String) {
        guard enabled else { return }
        finishLine()
        FileHandle.standardError.write(Data("  \(name)…".utf8))
        last = name
    }

    func finish() { finishLine() }

    private func finishLine() {
        guard enabled, last != nil else { return }
        FileHandle.standardError.write(Data(String(format: " (%.1f s)\n", Date().timeIntervalSince(start)).utf8))
        last = nil
    }
}
