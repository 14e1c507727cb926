import Allocation
import Cartography
import Foundation
import Reports
import SpaceData

// Each question's answer as one JSON document, the same figures its files hold, for a front end
// that answers with them (the workbench's JSON API), and the headlines a front end prints.

extension Workspace {
    /// The space map's headline figures.
    public var headlines: [String] { Headlines.spaceMap(spaceMap) }

    /// The plan's path of tech-cultivation space and where the data stand on it.
    public var trajectory: JSONValue {
        let policy = data.policy, map = spaceMap
        func point(_ m: Policy.Milestone) -> JSONValue {
            .object(
                JSONObject([
                    ("year", .number(Double(m.year))), ("floor_area_m2", .number(m.floorAreaM2)), ("label", m.label.map(JSONValue.string) ?? .null),
                ]))
        }
        return .object(
            JSONObject([
                ("as_of_year", .number(Double(dataYear))), ("stock_m2", .number(map.total.techSpaceM2, decimals: 2)),
                ("occupied_m2", .number(map.total.techOccupiedM2, decimals: 2)),
                ("baseline", point(policy.baseline)), ("alternative_baselines", .array(policy.alternativeBaselines.map(point))),
                (
                    "milestones",
                    .array(
                        map.progress.map { p in
                            .object(
                                JSONObject([
                                    ("year", .number(Double(p.year))), ("target_m2", .number(p.targetM2)), ("stock_m2", .number(p.stockM2, decimals: 2)),
                                    ("share", .number(p.share, decimals: 4)), ("gap_m2", .number(p.gapM2, decimals: 2)),
                                ]))
                        })
                ),
                ("source", .string(policy.source)),
            ]))
    }

    /// Checks a demand file as `allocate` will read it, so that a bad upload is refused at once.
    public func checkDemand(_ file: URL) throws {
        _ = try DemandLoader.load(file, knownZoneIDs: Set(data.zones.map(\.id)))
    }
}

extension Workspace.RenewalRun {
    public var headlines: [String] { Headlines.renewal(evaluation, asOfYear: asOfYear) }
}

extension Workspace {
    /// {headlines, renewal: renewal.json's document}.
    public func answer(_ run: RenewalRun) -> JSONValue {
        .object(
            JSONObject([
                ("headlines", .array(run.headlines.map(JSONValue.string))), ("renewal", RenewalReport.document(run.evaluation, map: spaceMap)),
            ]))
    }

    /// Supply's headline figures, with the run's warnings when asked.
    public func headlines(_ run: SupplyRun, warnings: Bool = false) -> [String] {
        Headlines.supply(run.results, map: spaceMap, asOfYear: run.asOfYear, warnings: warnings ? run.warnings : [])
    }

    /// {headlines, supply: supply.json's document}.
    public func answer(_ run: SupplyRun) -> JSONValue {
        .object(JSONObject([("headlines", .array(headlines(run).map(JSONValue.string))), ("supply", run.document)]))
    }

    /// {headlines, target: target.json's document, modes: the rules' modes with their labels and
    /// the colours target-sites.svg gives them}.
    public func answer(_ run: TargetRun) -> JSONValue {
        let modes = run.analysis.programme.problem.rules.modes.enumerated().map { k, mode in
            JSONValue.object(
                JSONObject([
                    ("id", .string(mode.id)), ("label", .string(mode.label)),
                    ("colour", .string(Palette.categorical[k % Palette.categorical.count])),
                ]))
        }
        return .object(
            JSONObject([
                ("headlines", .array(run.headlines.map(JSONValue.string))),
                ("target", TargetFiles.document(run.analysis, map: spaceMap)), ("modes", .array(modes)),
            ]))
    }
}

extension Workspace.AllocationRun {
    public var headlines: [String] { Headlines.allocation(outcome) }
    /// {headlines, allocation: allocation.json's document, placed, carriers (those let to), unplaced with their reasons}.
    public var answer: JSONValue {
        let result = outcome.result, instance = result.instance
        func m2(_ x: Double) -> JSONValue { .number(x, decimals: 1) }
        return .object(
            JSONObject([
                ("headlines", .array(headlines.map(JSONValue.string))),
                ("allocation", AllocationReport(outcome).document),
                (
                    "placed",
                    .array(
                        result.assignments.map { a in
                            .object(
                                JSONObject([
                                    ("firm_id", .string(instance.firms[a.firm].id)), ("firm_name", .string(instance.firms[a.firm].name)),
                                    ("sector", .string(instance.firms[a.firm].sector)), ("stage", .string(instance.firms[a.firm].stage.rawValue)),
                                    ("carrier_id", .string(instance.carriers[a.carrier].id)), ("area_m2", m2(a.areaM2)),
                                    ("in_preferred_zone", .bool(a.inPreferredZone)),
                                ]))
                        })
                ),
                (
                    "carriers",
                    .array(
                        result.carrierUse.filter { $0.allocatedM2 > 0 }.map { u in
                            .object(
                                JSONObject([
                                    ("carrier_id", .string(instance.carriers[u.carrier].id)), ("name", .string(instance.carriers[u.carrier].name)),
                                    ("allocated_m2", m2(u.allocatedM2)), ("firms", .number(Double(u.firms))),
                                    ("vacant_before_m2", m2(u.vacantBeforeM2)), ("vacant_after_m2", m2(u.vacantAfterM2)),
                                ]))
                        })
                ),
                (
                    "unplaced",
                    .array(
                        result.unplaced.map { u in
                            .object(
                                JSONObject([
                                    ("firm_id", .string(instance.firms[u.firm].id)), ("firm_name", .string(instance.firms[u.firm].name)),
                                    ("sector", .string(instance.firms[u.firm].sector)), ("stage", .string(instance.firms[u.firm].stage.rawValue)),
                                    ("min_m2", m2(instance.firms[u.firm].minM2)), ("reason", .string(u.reason.rawValue)),
                                    ("detail", .string(u.detail.isEmpty ? u.reason.label : "\(u.reason.label): \(u.detail)")),
                                ]))
                        })
                ),
            ]))
    }
}

extension Workspace.TargetRun {
    public var headlines: [String] { Headlines.target(analysis) }
}

extension Workspace.CapacityRun {
    public var headlines: [String] { Headlines.capacity(capacity) }
}

/// What `inspect` finds in a folder of bureau files: a table to print, a draft layers.json and the files read.
public enum BureauFiles {
    public static func inspect(_ urls: [URL], name: String, folder: URL) throws -> (table: String, draft: String, files: [URL]) {
        let layers = try Inspection.inspect(urls)
        return (DraftManifest.table(layers), DraftManifest.json(layers, name: name, folder: folder), layers.map(\.file))
    }
}

/// The inputs a data folder ships beside its layers: renewal proposals, supply scenarios and demand files.
public struct ShippedInputs: Sendable {
    public let proposals: URL?
    public let scenarios: [URL]
    public let demand: [URL]
}

extension Workspace {
    /// What the data folder ships: proposals.geojson, scenarios/*.json, demand*.csv|json.
    public var shippedInputs: ShippedInputs {
        let folder = URL(fileURLWithPath: source.name)
        let files = FileManager.default
        let proposals = folder.appendingPathComponent("proposals.geojson")
        let scenarios = folder.appendingPathComponent("scenarios")
        let names = (try? files.contentsOfDirectory(atPath: folder.path)) ?? []
        return ShippedInputs(
            proposals: files.fileExists(atPath: proposals.path) ? proposals : nil,
            scenarios: ((try? files.contentsOfDirectory(atPath: scenarios.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
                .map { scenarios.appendingPathComponent($0) },
            demand: names.filter { $0.hasPrefix("demand") && ($0.hasSuffix(".csv") || $0.hasSuffix(".json")) }.sorted()
                .map { folder.appendingPathComponent($0) })
    }

    /// A shipped scenario's document, or an error naming the file.
    public func scenarioDocument(_ file: URL) throws -> JSONValue {
        try readConfigJSON(file, what: "scenario")
    }
}
