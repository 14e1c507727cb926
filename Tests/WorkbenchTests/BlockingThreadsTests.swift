import Foundation
import Testing

@testable import Workbench

@Suite("Blocking work: threads kept for the next job, never a job waiting for another")
struct BlockingThreadsTests {
    /// The thread a job ran on.
    static func threadID(_ threads: BlockingThreads) async -> UInt {
        await withCheckedContinuation { continuation in
            threads.run { continuation.resume(returning: UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(Unmanaged.passUnretained(Thread.current).toOpaque())))) }
        }
    }

    /// Waits (up to 10 s) until `count` threads are idle; how many 10 ms steps it took.
    @discardableResult
    static func untilIdle(_ threads: BlockingThreads, _ count: Int) async throws -> Int {
        var steps = 0
        while threads.idleCount != count, steps < 1_000 { try await Task.sleep(for: .milliseconds(10)); steps += 1 }
        return steps
    }

    @Test("a job after another has ended runs on the same thread")
    func reused() async throws {
        let threads = BlockingThreads(idleSeconds: 60)
        let first = await Self.threadID(threads)
        try await Self.untilIdle(threads, 1)  // the job has answered; the thread goes idle just after
        let second = await Self.threadID(threads)
        #expect(first == second && threads.idleCount <= 1)
    }

    @Test("a thread idle for its idle time ends")
    func ends() async throws {
        let threads = BlockingThreads(idleSeconds: 2)
        _ = await Self.threadID(threads)
        try await Self.untilIdle(threads, 1)
        let wasIdle = threads.idleCount == 1
        try await Self.untilIdle(threads, 0)
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
