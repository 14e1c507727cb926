import CFuzzDriver
import Foundation

/// What every fuzz target shares: a scratch folder of its own (inputs that the readers take as
/// files are written there), and the shipped configuration, found from SPACEPLAN_ROOT.
public enum Fuzzing {
    public static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spaceplan-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The repository (scripts/fuzz.sh sets SPACEPLAN_ROOT; else the current folder).
    public static let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["SPACEPLAN_ROOT"] ?? FileManager.default.currentDirectoryPath)
    public static func config(_ name: String) -> URL { root.appendingPathComponent("GIS/config/\(name)") }

    /// Runs libFuzzer on `test` with the command line's options (each target's entry point calls it).
    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var argc = argc, argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, test)
    }

    /// Runs `body` on a thread with a 1 MB stack and waits for it. The readers run on worker
    /// threads whose stacks are smaller than the main thread's; a small stack here makes
    /// unbounded recursion crash at input sizes the fuzzer reaches, not only at 100,000 brackets.
    public static func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        // A pthread, not a Foundation Thread: on Linux a Thread keeps its closure, and with it
        // the input, alive after it ends, which LeakSanitizer rightly reports.
        final class Work { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 1 << 20)
        var thread = pthread_t()
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        let started = pthread_create(
            &thread, &attributes,
            { raw in
                Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue().body()
                return nil
            }, work)
        precondition(started == 0, "cannot start the fuzzing thread")
        pthread_join(thread, nil)
    }

    /// Writes the input as `name` in the scratch folder (an empty input as an empty file).
    public static func file(_ name: String, _ data: Data) -> URL {
        let url = scratch.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: data)
        return url
    }
}
