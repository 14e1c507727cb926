import Foundation
import Hummingbird
import HummingbirdTesting
import SpacePlanKit
import SpaceCore
import SpaceData
import Cartography
import Reports
import BuildOut
import TestSupport
import Testing
@testable import Workbench

/// The sample district opened once for every router test (opening it is most of their time).
enum Sample {
    static let workspace: Workspace = {
        let configuration = Configuration.find(in: [TestPaths.repositoryRoot.appendingPathComponent("GIS/config")])
        return try! Workspace(source: DataFolder(TestPaths.sample), configuration: configuration)
    }()

    static let workbench: Workbench = removedAtExit(try! Workbench(workspace: workspace))

    /// The same district with small limits: a 1 KiB upload limit, 100 features in view.
    static let tight: Workbench = {
        var options = WorkbenchOptions()
        options.uploadLimitBytes = 1_024
        options.maxFeaturesInView = 100
        options.maxPointsInView = 100
        return removedAtExit(try! Workbench(workspace: workspace, options: options))
    }()

    /// These workbenches live as long as the test process (a static is never deinitialised, so
    /// the upload folder's own removal never runs): their upload folders go when it exits.
    static func removedAtExit(_ workbench: Workbench) -> Workbench {
        RemovedAtExit.register(workbench.uploads.root)
        return workbench
    }
}

/// A value shared between test threads, behind a lock.
final class Locked<Value>: @unchecked Sendable {  // safe: `value` is only touched under `lock`
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func locked<T>(_ body: (inout Value) -> T) -> T { lock.lock(); defer { lock.unlock() }; return body(&value) }
}

/// A response read whole: status, headers, body as text and as JSON (when it is JSON).
struct Answer {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String
    var json: JSONValue { (try? parseJSON(text)) ?? .null }
    var error: String { json["error"]?.stringValue ?? "" }
}

/// Calls the workbench's router in process, as HummingbirdTesting's router tests do.
func ask(_ workbench: Workbench = Sample.workbench, _ requests: [(String, HTTPRequest.Method, [UInt8]?, HTTPFields)]) async throws -> [Answer] {
    let app = Application(router: workbench.router())
    return try await app.test(.router) { client in
        var answers: [Answer] = []
        for (uri, method, body, headers) in requests {
            answers.append(
                try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { r in
                    Answer(status: r.status, headers: r.headers, text: String(buffer: r.body))
                })
            checkAgainstDocument(method: method, uri: uri, answers.last!)
        }
        return answers
    }
}

func get(_ uri: String, on workbench: Workbench = Sample.workbench, headers: HTTPFields = [:]) async throws -> Answer {
    try await ask(workbench, [(uri, .get, nil, headers)])[0]
}

func post(_ uri: String, _ body: [UInt8], on workbench: Workbench = Sample.workbench, type: String = "application/json") async throws -> Answer {
    try await ask(workbench, [(uri, .post, body, [.contentType: type])])[0]
}

func post(_ uri: String, json: String, on workbench: Workbench = Sample.workbench) async throws -> Answer {
    try await post(uri, Array(json.utf8), on: workbench)
}

func sampleFile(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: TestPaths.sample.appendingPathComponent(name))) }

/// What the command line says about a file: the workspace's error for it, with its path taken
/// out as the server takes out its temporary folder.
func commandLineError(writing bytes: [UInt8], as name: String, _ question: (URL) throws -> Void) throws -> String {
    let folder = TestPaths.temporaryFolder("workbench-cli")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent(name)
    try Data(bytes).write(to: file)
    do { try question(file) } catch { return "\(error)".replacingOccurrences(of: folder.path + "/", with: "") }
    return ""
}
