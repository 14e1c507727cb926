import Foundation
import Hummingbird
import ServiceLifecycle
import SpacePlanKit

/// The analyses the server runs for its clients (allocations, target programmes): at most
/// `maxRunning` at once, each on a thread of its own, never on the threads that answer
/// requests; the others wait in order, visible in `/api/runs`. A queued job can be cancelled
/// and never starts; a running one is marked cancelled and its result is dropped when it ends
/// (the solvers cannot be stopped part-way). When the server stops, every job left is cancelled.
final class JobRunner: Service, @unchecked Sendable {  // safe: `queue` and `running` only change under `lock`
    typealias Work = @Sendable (Run) throws -> (JSONValue, [Artifact])
    typealias Failure = @Sendable (any Error) -> (message: String, details: [String])

    let maxRunning: Int
    private let lock = Mutex()
    private var queue: [Job] = []
    private var running: [String: Run] = [:]
    private var stopped = false
    private let failure: Failure

    /// A job: its run, its work, and what to do once it has ended however it ended (remove its upload).
    struct Job {
        let run: Run
        let work: Work
        let cleanUp: @Sendable () -> Void
    }

    init(maxRunning: Int, failure: @escaping Failure) {
        self.maxRunning = max(1, maxRunning)
        self.failure = failure
    }

    /// Queues a job; it starts at once when fewer than `maxRunning` run. `cleanUp` runs once the
    /// job has ended, before its run says so: whoever sees it ended sees its upload gone.
    func submit(_ run: Run, cleanUp: @escaping @Sendable () -> Void = {}, _ work: @escaping Work) {
        let job = Job(run: run, work: work, cleanUp: cleanUp)
        let refused = lock.locked { () -> Bool in
            if stopped { return true }
            queue.append(job)
            run.queued(at: queue.count)
            return false
        }
        if refused { cleanUp(); run.cancel("the server is stopping"); return }
        startWhatFits()
    }

    /// Cancels a job: a queued one never starts, a running one's result is dropped. False when it had ended.
    func cancel(_ run: Run) -> Bool {
        let dropped = lock.locked { () -> Job? in
            guard let k = queue.firstIndex(where: { $0.run === run }) else { return nil }
            let job = queue.remove(at: k)
            renumber()
            return job
        }
        guard dropped != nil || run.status == .running else { return false }
        dropped?.cleanUp()
        run.cancel("cancelled by a client")
        return true
    }

    /// The ids of the jobs running and queued, in order.
    var snapshot: (running: [String], queued: [String]) {
        lock.locked { (running.keys.sorted(), queue.map(\.run.id)) }
    }

    private func renumber() { for (k, job) in queue.enumerated() { job.run.queued(at: k + 1) } }

    private func startWhatFits() {
        let starting = lock.locked { () -> [Job] in
            var jobs: [Job] = []
            while !stopped, running.count < maxRunning, !queue.isEmpty {
                let job = queue.removeFirst()
                running[job.run.id] = job.run
                jobs.append(job)
            }
            renumber()
            return jobs
        }
        for job in starting {
            job.run.started()
            let thread = Thread { [self] in
                let outcome = Result { try job.work(job.run) }
                job.cleanUp()
                switch outcome {
                case let .success((json, files)): job.run.finish(result: json, artifacts: files)
                case let .failure(error):
                    let (message, details) = failure(error)
                    job.run.fail(message, details: details)
                }
                lock.locked { running[job.run.id] = nil }
                startWhatFits()
            }
            thread.name = "spaceplan job \(job.run.id)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Runs with the server; when it stops, the queue is cancelled and running jobs are marked so.
    func run() async throws {
        try? await gracefulShutdown()
        let (left, busy) = lock.locked { () -> ([Job], [Run]) in
            stopped = true
            let left = queue
            queue.removeAll()
            return (left, Array(running.values))
        }
        for job in left { job.cleanUp(); job.run.cancel("the server stopped") }
        for run in busy { run.cancel("the server stopped") }
    }
}
