import Foundation
import Hummingbird
import SpacePlanKit

/// A request the workbench refuses, with the status to answer and the words to say.
struct WorkbenchError: Error, CustomStringConvertible {
    let status: HTTPResponse.Status
    let description: String
    init(_ status: HTTPResponse.Status, _ description: String) { self.status = status; self.description = description }
    static func notFound(_ what: String) -> WorkbenchError { WorkbenchError(.notFound, what) }
    static func badRequest(_ what: String) -> WorkbenchError { WorkbenchError(.badRequest, what) }
}

/// Responses of the JSON API and the OGC API: bodies are bytes made by the reporting layer or
/// by `serializedJSON`, never re-encoded.
enum Reply {
    static func bytes(_ bytes: [UInt8], type: String, status: HTTPResponse.Status = .ok, download: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: type]
        if let download { headers[.contentDisposition] = "attachment; filename=\"\(download)\"" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, type: String = "application/json") -> Response {
        bytes(Array(serializedJSON(value).utf8), type: type, status: status)
    }

    static func json(_ pairs: [(String, JSONValue)], status: HTTPResponse.Status = .ok) -> Response {
        json(.object(JSONObject(pairs)), status: status)
    }

    static func text(_ buffer: TextBuffer, type: String) -> Response { bytes(buffer.bytes, type: type) }

    /// {"error": "..."}: the words the command line prints for the same problem, with the
    /// server's temporary folders taken out of file names.
    static func error(_ status: HTTPResponse.Status, _ message: String, details: [String] = []) -> Response {
        var pairs: [(String, JSONValue)] = [("error", .string(message))]
        if !details.isEmpty { pairs.append(("errors", .array(details.map(JSONValue.string)))) }
        return json(pairs, status: status)
    }
}

/// Answers every failed request with a JSON body: the analyses' own errors (a bad file, a bad
/// value) are the client's fault (4xx); anything else is the server's (500).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let uploads: UploadFolder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (status, message, details) = Self.classify(error)
            return Reply.error(status, uploads.scrub(message), details: details.map(uploads.scrub))
        }
    }

    static func classify(_ error: any Error) -> (HTTPResponse.Status, String, [String]) {
        switch error {
        case let e as WorkbenchError: return (e.status, e.description, [])
        case let e as DataErrors: return (.badRequest, e.description, e.errors.map(\.description))
        case let e as DataError: return (.badRequest, e.description, [])
        case let e as MapError: return (.badRequest, e.description, [])
        case let e as JSONParseError: return (.badRequest, "the request body is not valid JSON: \(e)", [])
        case let e as HTTPError:
            let message = e.body ?? (e.status == .notFound ? "no such resource" : e.status.reasonPhrase)
            return (e.status, message, [])
        default:
            return (.internalServerError, "\(error)", [])
        }
    }
}
