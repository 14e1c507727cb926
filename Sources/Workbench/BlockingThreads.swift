import Dispatch
import Foundation

/// Runs blocking work (an analysis, a store read, a large response) on a thread of its own, so
/// the few threads that answer requests stay free. Not on Dispatch's global queues: on Linux
/// Swift's tasks run on those same few threads (about one per core), so blocking work there
/// held up every cheap request behind it.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        BlockingThreads.shared.run { continuation.resume(with: Result { try body() }) }
    }
}

/// Threads for blocking work, each kept after its job for the next one: a thread keeps what it
/// set up (its PROJ context and transformers, about 30 ms to make), so a page of features does
/// not pay for them on every request. A job never waits for another: with no thread idle, a new
/// one starts; a thread idle for `idleSeconds` ends.
final class BlockingThreads: @unchecked Sendable {  // safe: `idle` is read and written under `lock`; a worker's job is handed over through its semaphore
    static let shared = BlockingThreads(idleSeconds: 60)

    private final class Worker: @unchecked Sendable {  // safe: `job` is set before `wake` is signalled and read after the wait
        let wake = DispatchSemaphore(value: 0)
        var job: (() -> Void)?
    }

    let idleSeconds: Double
    private let lock = NSLock()
    private var idle: [Worker] = []

    init(idleSeconds: Double) { self.idleSeconds = idleSeconds }

    /// Threads waiting for a job now.
    var idleCount: Int { lock.withLock { idle.count } }

    func run(_ job: @escaping () -> Void) {
        if let worker = lock.withLock({ idle.popLast() }) {
            worker.job = job
            worker.wake.signal()
            return
        }
        let worker = Worker()
        worker.job = job
        let thread = Thread { [self] in serve(worker) }
        thread.stackSize = 8 << 20  // as the main thread's: GEOS recurses on complex polygons
        thread.start()
    }

    private func serve(_ me: Worker) {
        while true {
            me.job?()
            me.job = nil
            lock.withLock { idle.append(me) }
            if me.wake.wait(timeout: .now() + idleSeconds) == .timedOut {
                let ended = lock.withLock { () -> Bool in
                    guard let k = idle.firstIndex(where: { $0 === me }) else { return false }
                    idle.remove(at: k)
                    return true
                }
                if ended { return }
                me.wake.wait()  // a job was handed over just as the wait ran out
            }
        }
    }
}
