import Foundation
import SpacePlanKit

/// One analysis the workbench ran (or is running): its stages heard so far, then its result
/// and its files, or the error that stopped it. A failed run leaves nothing but its error.
final class Run: @unchecked Sendable {  // safe: every mutable member is read and written under `lock`
    enum Status: String { case queued, running, done, failed, cancelled }

    let id: String
    let kind: String
    private let lock = Mutex()
    private var _status = Status.running
    private var _position: Int?
    private var _stages: [String] = []
    private var _result: JSONValue = .null
    private var _artifacts: [String: Artifact] = [:]
    private var _error: (message: String, details: [String])?

    init(id: String, kind: String) { self.id = id; self.kind = kind }

    func heard(_ stage: String) { lock.locked { _stages.append(stage) } }

    /// Waiting for a free slot, `position`-th in the queue (1 is next).
    func queued(at position: Int) { lock.locked { if _status != .cancelled { _status = .queued; _position = position } } }
    func started() { lock.locked { if _status == .queued { _status = .running; _position = nil } } }
    /// Cancelled: whatever the job still produces is dropped.
    func cancel(_ why: String) {
        lock.locked { if _status == .queued || _status == .running { _status = .cancelled; _position = nil; _error = (why, []) } }
    }

    func finish(result: JSONValue, artifacts: [Artifact]) {
        lock.locked {
            guard _status != .cancelled else { return }
            _result = result
            _artifacts = Dictionary(artifacts.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            _status = .done
        }
    }

    func fail(_ message: String, details: [String]) {
        lock.locked { if _status != .cancelled { _error = (message, details); _status = .failed } }
    }

    var status: Status { lock.locked { _status } }
    func artifact(_ path: String) -> Artifact? { lock.locked { _artifacts[path] } }
    var filePaths: [String] { lock.locked { _artifacts.keys.sorted() } }

    /// {id, kind, status, stages, files, result | error}.
    func json(base: String) -> JSONValue {
        lock.locked {
            var o = JSONObject([
                ("id", .string(id)), ("kind", .string(kind)), ("status", .string(_status.rawValue)),
                ("stages", .array(_stages.map(JSONValue.string))),
            ])
            if let position = _position { o["queue_position"] = .number(Double(position)) }
            o["files"] = .object(JSONObject(_artifacts.keys.sorted().map { ($0, .string("\(base)/api/runs/\(id)/files/\($0)")) }))
            if _status == .done { o["result"] = _result }
            if let error = _error {
                o["error"] = .string(error.message)
                if !error.details.isEmpty { o["errors"] = .array(error.details.map(JSONValue.string)) }
            }
            return .object(o)
        }
    }
}

/// The runs a server keeps: the latest `keep`, so memory stays bounded however long it runs.
final class RunStore: @unchecked Sendable {  // safe: `runs` and `order` only change under `lock`
    private let lock = Mutex()
    private var runs: [String: Run] = [:]
    private var order: [String] = []
    private let keep: Int

    init(keep: Int) { self.keep = keep }

    func start(_ kind: String, id: String? = nil) -> Run {
        let run = Run(id: id ?? "\(kind)-\(UUID().uuidString.prefix(8).lowercased())", kind: kind)
        lock.locked {
            runs[run.id] = run
            order.removeAll { $0 == run.id }
            order.append(run.id)
            while order.count > keep { runs[order.removeFirst()] = nil }
        }
        return run
    }

    subscript(id: String) -> Run? { lock.locked { runs[id] } }

    /// The runs kept, oldest first.
    var all: [Run] { lock.locked { order.compactMap { runs[$0] } } }
}
