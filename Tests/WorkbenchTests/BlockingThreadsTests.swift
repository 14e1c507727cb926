import Foundation
import Testing

@testable import Workbench

@Suite("Blocking work: threads kept for the next job, never a job waiting for another")
struct BlockingThreadsTests {
    /// The thread a job ran on. The tests wait on their own thread, not by suspending: with
    /// long tests holding the few threads Swift's tasks run on, a suspended test can sleep past
    /// any idle time.
    static func threadID(_ threads: BlockingThreads) -> UInt {
        final class Box: @unchecked Sendable { var id: UInt = 0 }  // safe: written by the job before the signal, read after the wait
        let box = Box(), done = DispatchSemaphore(value: 0)
        threads.run {
            box.id = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(Unmanaged.passUnretained(Thread.current).toOpaque())))
            done.signal()
        }
        done.wait()
        return box.id
    }

    /// Waits (up to 10 s) until `count` threads are idle.
    static func untilIdle(_ threads: BlockingThreads, _ count: Int) {
        var steps = 0
        while threads.idleCount != count, steps < 1_000 { usleep(10_000); steps += 1 }
    }

    @Test("a job after another has ended runs on the same thread")
    func reused() {
        let threads = BlockingThreads(idleSeconds: 60)
        let first = Self.threadID(threads)
        Self.untilIdle(threads, 1)  // the job has answered; the thread goes idle just after
        let second = Self.threadID(threads)
        #expect(first == second && threads.idleCount <= 1)
    }

    @Test("a thread idle for its idle time ends")
    func ends() {
        let threads = BlockingThreads(idleSeconds: 2)
        _ = Self.threadID(threads)
        Self.untilIdle(threads, 1)
        let wasIdle = threads.idleCount == 1
        Self.untilIdle(threads, 0)
        #expect(wasIdle && threads.idleCount == 0)
    }

    @Test("a job blocked on another still running gets a thread of its own")
    func noWaiting() async throws {
        let threads = BlockingThreads(idleSeconds: 5)
        let gate = DispatchSemaphore(value: 0)
        let released = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            // The first job waits for the second: with one shared thread this would never end.
            threads.run { continuation.resume(returning: gate.wait(timeout: .now() + 30) == .success) }
            threads.run { gate.signal() }
        }
        #expect(released)
    }
}
