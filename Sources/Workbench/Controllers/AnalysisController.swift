import Foundation
import Hummingbird
import HummingbirdCore
import SpacePlanKit

/// Renewal, supply, allocation and the target programme in the JSON API (mounted at /api),
/// and the runs they make. Each route reads its input (a shipped file or an upload written to
/// the request's own folder), makes one call into the workspace and keeps the result as a run
/// whose files are fetched by URL; allocations and target programmes are jobs of the job runner.
struct AnalysisController: WorkbenchController {
    let live: LiveDistrict
    var workspace: Workspace { live.current.workspace }
    let options: WorkbenchOptions
    let shipped: ShippedInputs
    /// The shipped proposals evaluated once, or why they could not be.
    let shippedRenewal: Result<Workspace.RenewalRun, any Error>?
    let uploads: UploadFolder
    let runs: RunStore
    let jobs: JobRunner

    /// The routes, mounted by the server at their path.
    var endpoints: RouteCollection<WorkbenchContext> {
        let router = RouteCollection(context: WorkbenchContext.self)
        // The runs kept, with the jobs running and waiting in order.
        router.get("runs") { request, _ in
            let base = self.base(request), (running, queued) = self.jobs.snapshot
            return Reply.json([
                ("running", .array(running.map(JSONValue.string))), ("queued", .array(queued.map(JSONValue.string))),
                ("max_running", .number(Double(self.jobs.maxRunning))),
                ("runs", .array(self.runs.all.reversed().map { $0.json(base: base) })),
            ])
        }
        router.get("runs/:id") { request, context in Reply.json(try self.run(context).json(base: self.base(request))) }
        // Cancelling: a queued job never starts; a running one's result is dropped when it ends.
        router.delete("runs/:id") { request, context in
            let run = try self.run(context)
            guard self.jobs.cancel(run) else {
                throw WorkbenchError(.conflict, "run \(run.id) has already ended (\(run.status.rawValue)): there is nothing to cancel")
            }
            return Reply.json(run.json(base: self.base(request)))
        }
        router.get("runs/:id/files/**") { request, context in
            let run = try self.run(context)
            // A client that follows the OpenAPI document sends joins/x.csv as joins%2Fx.csv: one parameter.
            let path = filePath(context.parameters.getCatchAll())
            guard let artifact = run.artifact(path) else {
                throw WorkbenchError.notFound("run \(run.id) has no file \(path); its files are \(run.filePaths.joined(separator: ", "))")
            }
            let download = request.uri.queryParameters.get("download") != nil
            return Reply.bytes(try artifact.bytes(), type: artifact.mediaType, download: download ? (path as NSString).lastPathComponent : nil)
        }

        // Renewal: the proposals shipped beside the data, or an uploaded proposal file (GeoJSON).
        router.get("renewal") { request, _ in
            guard let shipped = self.shippedRenewal else {
                throw WorkbenchError.notFound(
                    "no proposals.geojson beside the data in \(self.workspace.source.name): upload a proposal file with POST /api/renewal")
            }
            if let kept = self.runs["renewal-shipped"] { return Reply.json(kept.json(base: self.base(request))) }
            let run = self.finishedRun("renewal", id: "renewal-shipped", try self.renewalResult(try shipped.get()))
            return Reply.json(run.json(base: self.base(request)))
        }
        router.post("renewal") { request, _ in
            let body = try await self.uploads.body(of: request)
            guard !body.isEmpty else {
                throw WorkbenchError.badRequest("send a proposal file (GeoJSON, one feature per renewal unit; GIS/README.md) as the request body")
            }
            let result = try await self.uploads.withFolder { folder in
                let file = folder.appendingPathComponent("proposals.geojson")
                try Data(body).write(to: file)
                return try await offThePool { try self.renewalResult(try self.workspace.evaluateRenewal(proposals: file)) }
            }
            return Reply.json(self.finishedRun("renewal", result).json(base: self.base(request)))
        }

        // Supply: the shipped scenarios, and runs of any of them or of edited copies.
        router.get("supply/scenarios") { _, _ in Reply.json([("scenarios", .array(try self.shippedScenarios().map(\.json)))]) }
        router.post("supply") { request, _ in
            let body = try await self.uploads.body(of: request)
            let posted = try JSONValue(parsing: Data(body))
            let result = try await self.uploads.withFolder { folder in
                let files = try self.scenarioFiles(posted, folder: folder)
                let reference =
                    try Self.positive(posted["reference_floor_area_m2"], name: "reference_floor_area_m2") ?? self.options.referenceFloorAreaM2
                return try await offThePool { try self.supplyResult(try self.workspace.runSupply(scenarios: files, referenceFloorAreaM2: reference)) }
            }
            return Reply.json(self.finishedRun("supply", result).json(base: self.base(request)))
        }

        // Allocation: a job (it may run for a minute with CBC); poll /api/runs/{id} for its stages and result.
        router.get("allocation/demand") { _, _ in Reply.json([("files", .array(self.shippedDemandFiles().map { .string($0.lastPathComponent) }))]) }
        router.post("allocation") { request, _ in
            let parameters = request.uri.queryParameters
            for (key, _) in parameters where !["solver", "demand", "until", "format"].contains(String(key)) {
                throw WorkbenchError.badRequest("unknown query parameter '\(key)'; allocation takes solver, demand, until, format")
            }
            let solverName = parameters.get("solver") ?? SolverChoice.auto.rawValue
            guard let solver = SolverChoice(rawValue: solverName) else {
                throw WorkbenchError.badRequest(
                    "unknown solver '\(solverName)'; use \(SolverChoice.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var until: Int?
            if let text = parameters.get("until") {
                guard let year = Int(text) else { throw WorkbenchError.badRequest("until must be a year, found '\(text)'") }
                until = year
            }
            let body = try await self.uploads.body(of: request)
            let job = try self.allocationInput(body, parameters: parameters, contentType: request.headers[.contentType])
            let run = self.runs.start("allocation")
            self.startAllocation(run, demand: job.file, solver: solver, until: until, folder: job.folder)
            return self.accepted(run, request)
        }
        return router
    }

    /// The path to the target: a job like the allocation (the programme and its re-solves take
    /// about a minute on the sample); `budget` overrides the yearly budget in yuan.

    var targetEndpoints: RouteCollection<WorkbenchContext> {
        let router = RouteCollection(context: WorkbenchContext.self)
        router.post("target") { request, _ in
            let parameters = request.uri.queryParameters
            for (key, _) in parameters where String(key) != "budget" {
                throw WorkbenchError.badRequest("unknown query parameter '\(key)'; the target programme takes budget")
            }
            var budget: Double?
            if let text = parameters.get("budget") {
                guard let value = Double(text), value.isFinite, value >= 0 else {
                    throw WorkbenchError.badRequest("budget must be a non-negative number of yuan a year, found '\(text)'")
                }
                budget = value
            }
            let run = self.runs.start("target"), yearlyBudget = budget
            self.jobs.submit(run) { run in
                let result = try self.workspace.targetProgramme(budgetYuanPerYear: yearlyBudget, progress: run.heard)
                return (self.scrubbed(self.workspace.answer(result)), try self.scrubbed(result.artifacts))
            }
            return self.accepted(run, request)
        }
        return router
    }

    /// The incubation-ladder simulation: a job (hundreds of runs take seconds to minutes);
    /// `to` the last year, `runs`, `seed`, and `scenario`, a shipped supply scenario whose space
    /// is added.
    var simulationEndpoints: RouteCollection<WorkbenchContext> {
        let router = RouteCollection(context: WorkbenchContext.self)
        router.post("simulate") { request, _ in
            let parameters = request.uri.queryParameters
            let known = ["to", "runs", "seed", "scenario"]
            for (key, _) in parameters where !known.contains(String(key)) {
                throw WorkbenchError.badRequest("unknown query parameter '\(key)'; the simulation takes \(known.joined(separator: ", "))")
            }
            func whole(_ name: String, _ fallback: Int?, _ range: ClosedRange<Int>) throws -> Int {
                guard let text = parameters.get(name) else {
                    guard let fallback else { throw WorkbenchError.badRequest("\(name) is required: the last year simulated") }
                    return fallback
                }
                guard let n = Int(text), range.contains(n) else {
                    throw WorkbenchError.badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
                }
                return n
            }
            let to = try whole("to", nil, 1900...2200), runs = try whole("runs", 100, 1...self.options.maxSimulationRuns)
            let seed = UInt64(try whole("seed", 1, 0...Int(Int32.max)))
            var scenario: URL?
            if let name = parameters.get("scenario"), !name.isEmpty {
                guard let file = self.shipped.scenarios.first(where: { $0.lastPathComponent == name }) else {
                    throw WorkbenchError.badRequest(
                        "no shipped scenario \(name) (\(self.shipped.scenarios.map(\.lastPathComponent).joined(separator: ", ")))")
                }
                scenario = file
            }
            let run = self.runs.start("simulate"), workspace = self.workspace, supply = scenario
            self.jobs.submit(run) { run in
                let result = try workspace.simulate(toYear: to, runs: runs, seed: seed, scenario: supply, progress: run.heard)
                return (self.scrubbed(workspace.answer(result)), try self.scrubbed(result.artifacts))
            }
            return self.accepted(run, request)
        }
        return router
    }

    /// A job's answer: 202 with the run, its Location the run's URL to poll.
    func accepted(_ run: Run, _ request: Request) -> Response {
        var response = Reply.json(run.json(base: base(request)), status: .accepted)
        response.headers[.location] = "/api/runs/\(run.id)"
        return response
    }

    func run(_ context: WorkbenchContext) throws -> Run {
        let id = context.parameters.get("id") ?? ""
        guard let run = runs[id] else { throw WorkbenchError.notFound("no run \(id) (the server keeps the latest \(options.keptRuns))") }
        return run
    }

    /// A run made of a finished result: its JSON and its files, with no temporary path left in them.
    func finishedRun(_ kind: String, id: String? = nil, _ result: (JSONValue, [Artifact])) -> Run {
        let run = runs.start(kind, id: id)
        run.finish(result: result.0, artifacts: result.1)
        return run
    }

    /// Materialises artifacts as text with the request folders' paths taken out; binary files
    /// (a GeoPackage) are left as they are: they hold no request path, and text would break them.
    func scrubbed(_ artifacts: [Artifact]) throws -> [Artifact] {
        try artifacts.map { a in
            if a.fileWriter != nil { return a }
            return a.path.hasSuffix(".svg") ? Artifact(a.path, text: try a.text()) : Artifact(a.path, text: uploads.scrub(try a.text()))
        }
    }

    /// A typed answer as the JSON it is served as, with the request folders' paths taken out.
    func scrubbed<Answer: Encodable>(_ answer: Answer) -> JSONValue { scrubbed(answer.jsonDocument) }

    /// A document with the request folders' paths taken out of its text.
    func scrubbed(_ value: JSONValue) -> JSONValue {
        switch value {
        case let .string(text): return .string(uploads.scrub(text))
        case let .array(items): return .array(items.map(scrubbed))
        case let .object(o): return .object(JSONObject(o.members.map { ($0.key, scrubbed($0.value)) }))
        default: return value
        }
    }

    // MARK: Renewal

    func renewalResult(_ run: Workspace.RenewalRun) throws -> (JSONValue, [Artifact]) {
        (scrubbed(workspace.answer(run)), try scrubbed(run.artifacts))
    }

    // MARK: Supply

    struct ShippedScenario {
        let file: URL
        let content: JSONValue
        var json: JSONValue {
            .object(
                JSONObject([
                    ("file", .string(file.lastPathComponent)), ("name", content["name"] ?? .null),
                    ("description", content["description"] ?? .null), ("scenario", content),
                ]))
        }
    }

    var scenariosFolder: URL { URL(fileURLWithPath: workspace.source.name).appendingPathComponent("scenarios") }

    /// The scenario files the data folder ships, by name.
    func shippedScenarios() throws -> [ShippedScenario] {
        try shipped.scenarios.map { ShippedScenario(file: $0, content: try workspace.scenarioDocument($0)) }
    }

    /// The posted list as files: a shipped scenario by name, or an edited copy written to the
    /// request's folder. An edited copy's proposal file is read only from the data folder.
    func scenarioFiles(_ posted: JSONValue, folder: URL) throws -> [URL] {
        guard let list = posted["scenarios"]?.arrayValue, !list.isEmpty else {
            throw WorkbenchError.badRequest("post {\"scenarios\": [NAME or {\"file\": NAME, \"scenario\": {...}}, ...]} with at least one scenario")
        }
        let shipped = try shippedScenarios()
        return try list.enumerated().map { k, item in
            if let name = item.stringValue {
                guard let found = shipped.first(where: { $0.file.lastPathComponent == name }) else {
                    throw WorkbenchError.badRequest(
                        "no shipped scenario \(name); scenarios are \(shipped.map { $0.file.lastPathComponent }.joined(separator: ", "))")
                }
                return found.file
            }
            guard case var .object(scenario)? = item["scenario"] else {
                throw WorkbenchError.badRequest("scenarios[\(k)] is neither a shipped scenario's name nor {\"file\": NAME, \"scenario\": {...}}")
            }
            if case var .object(renewal)? = scenario["renewal"], let proposals = renewal["proposals"]?.stringValue {
                renewal["proposals"] = .string(try dataFile(proposals, relativeTo: scenariosFolder, what: "scenarios[\(k)].renewal.proposals").path)
                scenario["renewal"] = .object(renewal)
            }
            let name = Self.safeName(item["file"]?.stringValue ?? "scenario-\(k + 1).json")
            let file = folder.appendingPathComponent("edited-\(k + 1)-\(name)")
            try Data(JSONValue.object(scenario).serialized.utf8).write(to: file)
            return file
        }
    }

    /// A file named relative to a folder of the data, refused if it lies outside the data folder.
    func dataFile(_ path: String, relativeTo folder: URL, what: String) throws -> URL {
        let root = URL(fileURLWithPath: workspace.source.name).standardizedFileURL.resolvingSymlinksInPath().path
        let url = URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL.resolvingSymlinksInPath()
        guard url.path.hasPrefix(root + "/") else {
            throw WorkbenchError(
                .forbidden, "\(what) names \(path), which is outside the data folder: the server reads only the data and its uploads")
        }
        return url
    }

    static func safeName(_ name: String) -> String {
        let cleaned = String((name as NSString).lastPathComponent.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return cleaned.hasSuffix(".json") ? cleaned : cleaned + ".json"
    }

    static func positive(_ value: JSONValue?, name: String) throws -> Double? {
        guard let value, !value.isNull else { return nil }
        guard let x = value.numberValue, x.isFinite, x > 0 else {
            throw WorkbenchError.badRequest("\(name) must be a positive number of m², found \(value.serialized)")
        }
        return x
    }

    func supplyResult(_ run: Workspace.SupplyRun) throws -> (JSONValue, [Artifact]) {
        (scrubbed(workspace.answer(run)), try scrubbed(run.artifacts))
    }

    // MARK: Allocation

    func shippedDemandFiles() -> [URL] { shipped.demand }

    /// The demand file of an allocation: the upload (written to a folder of its own, kept until
    /// the job ends) or a shipped file by name.
    func allocationInput(_ body: [UInt8], parameters: FlatDictionary<Substring, Substring>, contentType: String?) throws -> (file: URL, folder: URL?)
    {
        if body.isEmpty {
            let shipped = shippedDemandFiles()
            let name = parameters.get("demand") ?? "demand.csv"
            guard let file = shipped.first(where: { $0.lastPathComponent == name }) else {
                throw WorkbenchError.badRequest(
                    "no shipped demand file \(name) in the data folder (\(shipped.map(\.lastPathComponent).joined(separator: ", "))); upload one as the request body"
                )
            }
            return (file, nil)
        }
        let format = parameters.get("format") ?? ((contentType ?? "").contains("json") ? "json" : "csv")
        guard ["csv", "json"].contains(format) else { throw WorkbenchError.badRequest("format must be csv or json, found '\(format)'") }
        let folder = try uploads.makeFolder()
        let file = folder.appendingPathComponent("demand.\(format)")
        do {
            try Data(body).write(to: file)
            // A malformed upload is refused now, in the loader's words, not found later by the job.
            try workspace.checkDemand(file)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        return (file, folder)
    }

    func startAllocation(_ run: Run, demand: URL, solver: SolverChoice, until: Int?, folder: URL?) {
        // The upload goes before the run says it has ended: whoever sees that sees no folder left.
        jobs.submit(run, cleanUp: { if let folder { try? FileManager.default.removeItem(at: folder) } }) { run in
            try self.allocationResult(try self.workspace.allocate(demand: demand, solver: solver, until: until, map: true, progress: run.heard))
        }
    }

    func allocationResult(_ run: Workspace.AllocationRun) throws -> (JSONValue, [Artifact]) {
        (scrubbed(run.answer), try scrubbed(run.artifacts))
    }
}
