import Foundation
import Hummingbird
import HummingbirdTesting
import SpacePlanKit
import TestSupport
import Testing
@testable import Workbench

/// Jobs run on threads of their own, one at a time here, the rest queued in order: reading the
/// map stays fast while analyses run, the queue is visible, and a queued job can be cancelled.
@Suite("The job runner", .serialized)
struct JobRunnerTests {
    /// A workbench of its own, so that its queue holds only this suite's jobs.
    static let workbench: Workbench = Sample.removedAtExit(try! Workbench(workspace: Sample.workspace))

    @Test("with four target programmes submitted at once, one runs and three wait in order, the map is still read, and queued jobs cancel")
    func fourTargetProgrammes() async throws {
        var ids: [String] = []
        for _ in 0..<4 {
            let started = try await ask(Self.workbench, [("/api/target", .post, nil, [:])])[0]
            #expect(started.status == .accepted)
            ids.append(started.json["id"]!.string)
        }
        let runs = try await get("/api/runs", on: Self.workbench).json
        let running = runs["running"]!.array.map(\.string), queued = runs["queued"]!.array.map(\.string)
        // One runs and the rest wait, in the order submitted. On a slow machine (a sanitizer) the
        // first may have ended before the look: those left are then the last ones, still in order.
        #expect(running.count == 1 || (running.isEmpty && queued.isEmpty))
        #expect(running + queued == Array(ids.suffix(running.count + queued.count)))
        #expect(running.count + queued.count >= 2, "four long jobs do not nearly all end while they are submitted")
        // Each waits at its place in the queue; a job ending between the looks moves those behind
        // it up (two looks may then see the same place), so the places never fall, and each is
        // from 1 to at most the place seen in the list.
        var places: [Double] = []
        for (k, id) in queued.enumerated() {
            let run = try await get("/api/runs/\(id)", on: Self.workbench).json
            guard run["status"]!.string == "queued" else { continue }
            let place = run["queue_position"]!.double
            #expect(place >= 1 && place <= Double(k + 1), "\(id): place \(place), seen \(k + 1)")
            places.append(place)
        }
        #expect(places == places.sorted(), "\(places)")

        // The map is read as usual meanwhile; how fast is measured on an idle machine by
        // scripts/job-latency.sh, not here, where other suites run at once.
        #expect(try await get("/conformance", on: Self.workbench).status == .ok)
        #expect(try await get("/api/layers/buildings?bbox=114.03,22.52,114.04,22.53&mpp=1", on: Self.workbench).status == .ok)

        // Cancelling each: a job still queued or running is cancelled; one that has ended meanwhile
        // (a slow machine, a sanitizer) says so with a 409. Either way nothing is left queued.
        for id in ids.reversed() {
            let cancelled = try await ask(Self.workbench, [("/api/runs/\(id)", .delete, nil, [:])])[0]
            if cancelled.status == .ok {
                #expect(cancelled.json["status"]!.string == "cancelled")
            } else {
                #expect(cancelled.status == .conflict && cancelled.error.contains("already ended"), "\(id): \(cancelled.status)")
            }
        }
        #expect(try await get("/api/runs", on: Self.workbench).json["queued"]!.array.isEmpty)
    }

    @Test("queued jobs start in order, one at a time; a cancelled one never starts and the one behind it moves up")
    func queueOrderAndCancellation() async throws {
        let runner = JobRunner(maxRunning: 1) { error in ("\(error)", []) }
        let gate = DispatchSemaphore(value: 0)
        let ran = Locked<[String]>([])
        let runs = ["a", "b", "c"].map { Run(id: $0, kind: "test") }
        runner.submit(runs[0]) { run in ran.locked { $0.append(run.id) }; gate.wait(); return (.null, []) }
        for run in runs.dropFirst() { runner.submit(run) { run in ran.locked { $0.append(run.id) }; return (.null, []) } }
        #expect(runner.snapshot.running == ["a"] && runner.snapshot.queued == ["b", "c"])
        #expect(runs[1].json(base: "")["queue_position"] == .number(1) && runs[2].json(base: "")["queue_position"] == .number(2))
        #expect(runner.cancel(runs[1]) && runs[1].status == .cancelled)
        #expect(runs[2].json(base: "")["queue_position"] == .number(1))
        gate.signal()
        for _ in 0..<3000 where runs[2].status != .done { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(runs[0].status == .done && runs[2].status == .done && runs[1].status == .cancelled)
        #expect(ran.locked { $0 } == ["a", "c"])
    }

    @Test("a job's upload is removed when the job is cancelled before it starts")
    func cancelledUploadIsRemoved() async throws {
        let runner = JobRunner(maxRunning: 1) { error in ("\(error)", []) }
        let gate = DispatchSemaphore(value: 0)
        let first = Run(id: "first", kind: "test"), second = Run(id: "second", kind: "test")
        let removed = Locked(false)
        runner.submit(first) { _ in
            gate.wait(); return (.null, [])
        }
        runner.submit(second, cleanUp: { removed.locked { $0 = true } }) { _ in (.null, []) }
        #expect(second.status == .queued)
        #expect(runner.cancel(second) && second.status == .cancelled)
        #expect(removed.locked { $0 })
        gate.signal()
        for _ in 0..<3000 where first.status != .done { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(first.status == .done && second.status == .cancelled)
        #expect(!runner.cancel(first))
    }
}

/// HTTP as clients expect it: HEAD wherever GET works, 405 with Allow for a wrong method,
/// datetime refused rather than ignored, the server's own bad data a 500.
@Suite("HTTP methods and errors")
struct HTTPMethodTests {
    @Test("HEAD answers like GET without a body")
    func head() async throws {
        for uri in ["/conformance", "/collections/buildings/items?limit=2", "/api/config"] {
            let (got, head) = try await (get(uri), ask(Sample.workbench, [(uri, .head, nil, [:])])[0])
            #expect(head.status == .ok && head.text.isEmpty, "\(uri)")
            #expect(head.headers[.contentType] == got.headers[.contentType], "\(uri)")
        }
    }

    @Test("a wrong method on a known path is 405 with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let post = try await ask(Sample.workbench, [("/conformance", .post, nil, [:])])[0]
        #expect(post.status == .methodNotAllowed)
        #expect(post.headers[.allow] == "GET, HEAD")
        #expect(post.error.contains("POST is not allowed on /conformance"))
        let put = try await ask(Sample.workbench, [("/api/target", .put, nil, [:])])[0]
        #expect(put.status == .methodNotAllowed && put.headers[.allow] == "POST")
        let runs = try await ask(Sample.workbench, [("/api/runs/some-run", .patch, nil, [:])])[0]
        #expect(runs.status == .methodNotAllowed && runs.headers[.allow] == "DELETE, GET, HEAD")
        let nowhere = try await ask(Sample.workbench, [("/nowhere", .post, nil, [:])])[0]
        #expect(nowhere.status == .notFound && nowhere.error.contains("/nowhere"))
    }

    @Test("datetime on items is refused with the reason, whatever its value")
    func datetime() async throws {
        for value in ["2024-01-01T00:00:00Z", "garbage", ".."] {
            let answer = try await get("/collections/buildings/items?datetime=\(value)")
            #expect(answer.status == .badRequest && answer.error.contains("datetime is not supported"), "\(value)")
        }
    }

    @Test("a data error in a file the client sent is 400; one in the server's own files is 500")
    func whoseFault() {
        let middleware = JSONErrorMiddleware<WorkbenchContext>(uploads: Sample.workbench.uploads, routes: RouteTable())
        let sent = Sample.workbench.uploads.root.appendingPathComponent("x/demand.csv").path
        #expect(middleware.classify(DataError(file: sent, record: 2, problem: "bad sector")).0 == .badRequest)
        let own = middleware.classify(DataError(file: "/srv/district/allocation.json", problem: "cannot read the allocation rules"))
        #expect(own.0 == .internalServerError && own.1.contains("the server's own data"))
        // `serve --data GIS/sample` names its own files relative to where it started: still its own.
        #expect(middleware.classify(DataError(file: "GIS/sample/buildings.geojson", record: 3, problem: "bad floors")).0 == .internalServerError)
    }
}
