import SpaceCore
import Foundation
import Hummingbird
import Testing

/// Every answer a router test gets is checked against the OpenAPI document: a response the
/// document does not describe is an issue of the test that asked for it.
/// OPENAPI_VALIDATION_LOG=FILE lists each response checked, one a line.
func checkAgainstDocument(method: HTTPRequest.Method, uri: String, _ answer: Answer) {
    let problems = OpenAPIValidator.shipped.problems(
        method: method.rawValue, uri: uri, status: answer.status.code,
        contentType: answer.headers[.contentType], body: answer.text)
    for problem in problems { Issue.record("the response is not as openapi.json documents it: \(problem)") }
    if let log = ProcessInfo.processInfo.environment["OPENAPI_VALIDATION_LOG"] {
        validationLog.locked { _ in
            let line = "\(method.rawValue) \(uri) \(answer.status.code) \(problems.isEmpty ? "ok" : "FAIL")\n"
            if let handle = FileHandle(forWritingAtPath: log)
                ?? {
                    FileManager.default.createFile(atPath: log, contents: nil); return FileHandle(forWritingAtPath: log)
                }()
            {
                handle.seekToEndOfFile(); handle.write(Data(line.utf8)); handle.closeFile()
            }
        }
    }
}

let validationLog = Locked<Int>(0)
