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
        bytes(Array(value.serialized.utf8), type: type, status: status)
    }

    static func json(_ pairs: [(String, JSONValue)], status: HTTPResponse.Status = .ok) -> Response {
        json(.object(JSONObject(pairs)), status: status)
    }

    /// {"error": "..."}: the words the command line prints for the same problem, with the
    /// server's temporary folders taken out of file names.
    static func error(_ status: HTTPResponse.Status, _ message: String, details: [String] = []) -> Response {
        var pairs: [(String, JSONValue)] = [("error", .string(message))]
        if !details.isEmpty { pairs.append(("errors", .array(details.map(JSONValue.string)))) }
        return json(pairs, status: status)
    }
}

/// Answers every failed request with a JSON body, the one place errors become statuses: the
/// client's mistakes (a bad query, a bad upload) are 4xx; a problem in the server's own data or
/// configuration, or anything unforeseen, is the server's (500). A path that exists for other
/// methods is 405 with `Allow`.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let uploads: UploadFolder
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty else { return Reply.error(.notFound, "no such resource: \(request.uri.path)") }
            var response = Reply.error(
                .methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))")
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        } catch {
            let (status, message, details) = classify(error)
            return Reply.error(status, uploads.scrub(message), details: details.map(uploads.scrub))
        }
    }

    /// A data error is the client's when every file it names is one the client sent (an upload).
    func classify(_ error: any Error) -> (HTTPResponse.Status, String, [String]) {
        let files: [String]
        switch error {
        case let e as DataErrors: files = e.errors.map(\.file)
        case let e as DataError: files = [e.file]
        default: return Self.classify(error)
        }
        let (status, message, details) = Self.classify(error)
        let sent = files.allSatisfy { $0.hasPrefix(uploads.root.path + "/") }
        return sent
            ? (status, message, details) : (.internalServerError, "the server's own data or configuration cannot be used: \(message)", details)
    }

    static func classify(_ error: any Error) -> (HTTPResponse.Status, String, [String]) {
        switch error {
        case let e as WorkbenchError: return (e.status, e.description, [])
        case let e as ArgumentError: return (.badRequest, "\(e.argument.parameter): \(e.problem)", [])
        case let e as MissingConfiguration: return (.internalServerError, "the server has no \(e.file.what) configured: \(e)", [])
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

/// The router's paths and their methods, for the 405's `Allow` (filled once the routes are added).
final class RouteTable: @unchecked Sendable {  // safe: written once, before the server answers anything
    private var routes: [(parts: [Substring], method: String)] = []

    func fill(_ list: [(path: String, method: HTTPRequest.Method)]) {
        routes = list.map { (Self.parts($0.path), $0.method.rawValue) }
    }

    /// The methods the paths matching `path` take, GET with HEAD.
    func methods(for path: String) -> [String] {
        let given = Self.parts(path)
        var found = Set(routes.filter { Self.matches($0.parts, given) }.map(\.method))
        if found.contains("GET") { found.insert("HEAD") }
        return found.sorted()
    }

    static func parts(_ path: String) -> [Substring] { path.split(separator: "/") }

    /// ":name" (or "{name}", as the router describes it) and "*" match one part, "**" the rest.
    static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        for (k, part) in pattern.enumerated() {
            if part == "**" { return path.count > k }
            guard k < path.count, part.hasPrefix(":") || part.hasPrefix("{") || part == "*" || part == path[k] else { return false }
        }
        return pattern.count == path.count
    }
}

extension WorkspaceArgument {
    /// The request's own name for the argument (a query parameter or a posted key).
    var parameter: String {
        switch self {
        case .asOfYear: return "as_of"
        case .mapClasses: return "classes"
        case .referenceFloorArea: return "reference_floor_area_m2"
        case .untilYear: return "until"
        case .budget: return "budget"
        case .shapefileEncoding, .syntheticFirms, .demandOverVacant, .syntheticBuildings, .store, .author, .reason, .since, .fromDate, .toDate,
            .fromYear, .toYear, .runs, .scenario:
            return rawValue
        case .asOfDate: return "as_of_date"
        }
    }
}
