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
        // The processor time beside the wall time shows how well a stage uses the cores.
        FileHandle.standardError.write(Data(String(format: " (%.1f s, CPU %.1f s)\n", Date().timeIntervalSince(start), Self.processorSeconds()).utf8))
        last = nil
    }

    /// User and system time of the whole process so far.
    private static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
