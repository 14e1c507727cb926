import Foundation
import SpaceCore
import SpaceData
import SpaceMap

/// A project that could add tech-cultivation space: where, by which mode, how much, how soon,
/// at what public cost, and whom it displaces.
public struct Candidate: Sendable {
    public let id: String
    public let mode: String
    /// The parcel it stands on, and the buildings it uses (no two chosen projects share one).
    public let parcel: Int?
    public let buildings: [Int]
    public let techM2: Double
    public let constructionYears: Int
    /// Public cost paid in the start year, and every year from the start to the last target year.
    public let oneOffCostYuan: Double
    public let annualCostYuan: Double
    public let displacedM2: Double
    public let displacedFirms: Int
    /// Innovation clusters it lies in (zone ids).
    public let clusters: [String]
    /// Sectors the project is for (file candidates), and the first year it may start.
    public let sectors: [String]
    public let earliestStart: Int?
    public let fromFile: Bool
}

extension Candidate {
    /// Every project the capacity allows: each eligible building under each building mode, each
    /// industrial parcel rebuilt, each office's vacant floors bought or leased. A mode whose id is
    /// in `modesDisplacingFirms` (the renewal rules say which) counts the firms inside as displaced.
    public static func generated(_ capacity: CapacityAnalysis, map: SpaceMap, modesDisplacingFirms: Set<String>) -> [Candidate] {
        let data = map.data
        let firms = map.firmsByBuilding
        let carrierBuildings = Set(map.carrierBuildings.flatMap { $0 })
        func clusters(_ zones: [Int]) -> [String] { zones.filter { data.zones[$0].kind == .cluster }.map { data.zones[$0].id } }
        func displaced(_ buildings: [Int], _ mode: BuildOutMode) -> (m2: Double, firms: Int) {
            guard modesDisplacingFirms.contains(mode.id) else { return (0, 0) }
            let moved = buildings.flatMap { firms[$0] }
            return (moved.reduce(0) { $0 + data.enterprises[$1].floorAreaM2 }, moved.count)
        }
        var candidates: [Candidate] = []
        for c in capacity.parcels {
            for mode in capacity.rules.modes {
                switch mode.scope {
                case .parcel:
                    guard let tech = c.techByMode[mode.id] else { continue }
                    let d = displaced(c.buildings, mode)
                    candidates.append(
                        Candidate(
                            id: "\(data.parcels[c.parcel].id)-\(mode.id)", mode: mode.id, parcel: c.parcel, buildings: c.buildings,
                            techM2: tech, constructionYears: mode.constructionYears, oneOffCostYuan: mode.oneOffCostPerM2 * tech,
                            annualCostYuan: mode.annualCostPerM2 * tech, displacedM2: d.m2, displacedFirms: d.firms,
                            clusters: clusters(map.parcelZones[c.parcel]), sectors: [], earliestStart: nil, fromFile: false))
                case .building, .vacantFloors:
                    for b in c.buildings where !carrierBuildings.contains(b) && mode.admits(data.buildings[b]) {
                        let area = mode.scope == .building ? data.buildings[b].gfaM2 : data.buildings[b].vacantM2
                        let tech = mode.techYield * area
                        guard tech > 0 else { continue }
                        let d = displaced([b], mode)
                        candidates.append(
                            Candidate(
                                id: "\(data.buildings[b].id)-\(mode.id)", mode: mode.id, parcel: c.parcel, buildings: [b],
                                techM2: tech, constructionYears: mode.constructionYears, oneOffCostYuan: mode.oneOffCostPerM2 * tech,
                                annualCostYuan: mode.annualCostPerM2 * tech, displacedM2: d.m2, displacedFirms: d.firms,
                                clusters: clusters(map.buildingZones[b]), sectors: [], earliestStart: nil, fromFile: false))
                    }
                }
            }
        }
        return candidates
    }

    /// The candidates of a file (the bureau's own proposals, purchase offers, leases it is
    /// negotiating): one with a generated candidate's id replaces it; the others are added.
    /// JSON: `{"candidates": [{"id", "mode", "tech_m2", ...}]}`; GIS/README.md documents the fields.
    /// `json` is the file as read (`path` names it in messages); the workspace reads it.
    public static func merged(
        _ generated: [Candidate], with json: JSONValue, file path: String, map: SpaceMap, rules: BuildOutRules,
        positiveLists: PositiveLists
    ) throws -> (candidates: [Candidate], report: ValidationReport) {
        let file = try decodeConfig(CandidateFile.self, from: json, file: path)
        let data = map.data
        let buildingIndex = Dictionary(data.buildings.indices.map { (data.buildings[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let clusterIDs = Set(data.zones.filter { $0.kind == .cluster }.map(\.id))
        var byID = Dictionary(generated.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var candidates = generated, report = ValidationReport(), errors: [DataError] = []
        var seen = Set<String>()
        for (k, entry) in file.candidates.elements.enumerated() {
            func fail(_ problem: String) { errors.append(DataError(file: path, record: k, recordID: entry.id, problem: problem)) }
            if !seen.insert(entry.id).inserted { fail("duplicate id"); continue }
            let mode = rules.mode(entry.mode)
            guard let years = entry.constructionYears?.value ?? mode?.constructionYears else {
                fail(
                    "mode \"\(entry.mode)\" is not in the build-out rules (\(rules.modes.map(\.id).joined(separator: ", "))): give construction_years"
                ); continue
            }
            var buildings: [Int] = []
            for id in entry.buildingIDs ?? [] {
                guard let b = buildingIndex[id] else { fail("building_ids names \(id), which the buildings layer does not have"); continue }
                buildings.append(b)
            }
            for cluster in entry.clusters ?? [] where !clusterIDs.contains(cluster) {
                fail("cluster \(cluster) is not a cluster zone of this data (\(clusterIDs.sorted().joined(separator: ", ")))")
            }
            let tech = entry.techM2.value
            let clusters =
                entry.clusters
                ?? Array(Set(buildings.flatMap { b in map.buildingZones[b].filter { data.zones[$0].kind == .cluster }.map { data.zones[$0].id } }))
                .sorted()
            let zones = buildings.flatMap { map.buildingZones[$0].map { data.zones[$0].id } }
            let refused = (entry.sectors ?? []).filter { !positiveLists.admits($0, inZones: zones) }
            if !refused.isEmpty {
                report.add(
                    .warning, layer: "candidates", file: path, record: k, id: entry.id,
                    "sectors \(refused.joined(separator: ", ")) are off the positive list of the zones it lies in: left out of the programme")
                if let g = byID[entry.id] { candidates[g] = candidates[g].without() }
                continue
            }
            let candidate = Candidate(
                id: entry.id, mode: entry.mode, parcel: buildings.first.flatMap { map.buildingParcel[$0].parcel }, buildings: buildings,
                techM2: tech, constructionYears: years,
                oneOffCostYuan: entry.oneOffCost?.value ?? (mode?.oneOffCostPerM2 ?? 0) * tech,
                annualCostYuan: entry.annualCost?.value ?? (mode?.annualCostPerM2 ?? 0) * tech,
                displacedM2: entry.displacedM2?.value ?? 0, displacedFirms: entry.displacedFirms?.value ?? 0,
                clusters: clusters, sectors: entry.sectors ?? [], earliestStart: entry.earliestStart?.value, fromFile: true)
            if let g = byID[entry.id] { candidates[g] = candidate } else { byID[entry.id] = candidates.count; candidates.append(candidate) }
        }
        if !errors.isEmpty { throw DataErrors(errors: errors) }
        return (candidates.filter { $0.techM2 > 0 }, report)
    }

    /// The same project with nothing to add (a refused file entry takes its generated twin out).
    func without() -> Candidate {
        Candidate(
            id: id, mode: mode, parcel: parcel, buildings: buildings, techM2: 0, constructionYears: constructionYears,
            oneOffCostYuan: 0, annualCostYuan: 0, displacedM2: 0, displacedFirms: 0, clusters: clusters, sectors: sectors,
            earliestStart: earliestStart, fromFile: fromFile)
    }
}

/// The candidates file as written.
private struct CandidateFile: Decodable {
    let candidates: ConfigRecords<Entry>

    struct Entry: Decodable {
        let id: String
        let mode: String
        let techM2: Config.Positive
        let constructionYears: Config.YearSpan?
        let earliestStart: Config.Year?
        let oneOffCost: Config.NonNegative?
        let annualCost: Config.NonNegative?
        let displacedM2: Config.NonNegative?
        let displacedFirms: Config.Count?
        let buildingIDs: [String]?
        let clusters: [String]?
        let sectors: [String]?

        enum CodingKeys: String, CodingKey {
            case id, mode, clusters, sectors
            case techM2 = "tech_m2"
            case constructionYears = "construction_years"
            case earliestStart = "earliest_start"
            case oneOffCost = "one_off_cost_yuan"
            case annualCost = "annual_cost_yuan"
            case displacedM2 = "displaced_m2"
            case displacedFirms = "displaced_firms"
            case buildingIDs = "building_ids"
        }
    }
}
