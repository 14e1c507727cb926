import SpaceCore
import Foundation
import Testing
import TestSupport
import SpaceData
import SpaceGeometry
import SpaceMap
@testable import Allocation

/// `spaceplan allocate` as a planner runs it on the shipped sample: every file written, the
/// assignments keep every rule (checked from the raw records by the independent validator),
/// the files agree with each other, the same input gives the same bytes, bad demand writes nothing.
@Suite("spaceplan allocate on the sample")
struct AllocateCommandTests {
    static let sample = TestPaths.sample

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) { try SpacePlanCLI.run(arguments) }

    static func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    }

    /// A CSV file as rows of named fields (the files spaceplan writes have no quoted commas in these columns).
    static func rows(_ url: URL) throws -> [[String: String]] {
        let table = try CSV.read(try Data(contentsOf: url))
        return (0..<table.count).map { k in Dictionary(uniqueKeysWithValues: zip(table.header, table.fields(ofRow: k))) }
    }

    @Test("the heuristic on the sample's 400 firms: valid, consistent, deterministic")
    func heuristicOnTheSample() throws {
        let first = Self.temporaryFolder("allocate"), second = Self.temporaryFolder("allocate")
        defer { for folder in [first, second] { try? FileManager.default.removeItem(at: folder) } }
        let args = [
            "allocate", "--data", Self.sample.path, "--demand", Self.sample.appendingPathComponent("demand.csv").path, "--solver", "heuristic",
        ]
        let r = try Self.run(args + ["--out", first.path])
        #expect(r.status == 0, "\(r.error)")
        let files = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(
            files == [
                ".spaceplan-output", "allocation.json", "allocation.md", "allocation.svg", "assignments.csv", "carriers.csv", "unplaced.csv",
                "zones.csv",
            ])

        // Every firm is either assigned or unplaced with a reason, once.
        let assignments = try Self.rows(first.appendingPathComponent("assignments.csv"))
        let unplaced = try Self.rows(first.appendingPathComponent("unplaced.csv"))
        #expect(assignments.count + unplaced.count == 400)
        #expect(Set(assignments.map { $0["firm_id"]! }).isDisjoint(with: unplaced.map { $0["firm_id"]! }))
        #expect(unplaced.allSatisfy { UnplacedReason(rawValue: $0["reason"]!) != nil })
        #expect(r.output.contains("Placed \(assignments.count) of 400 firms"))
        #expect(r.output.contains("heuristic: objective ") && r.output.contains(" priority-weighted m², gap "))

        // The assignments keep every rule, checked from the raw records, and are worth what the report says.
        let map = try SpaceMap.build(
            try DistrictData.load(
                directory: Self.sample, policy: try Policy.load(TestPaths.repositoryRoot.appendingPathComponent("GIS/config/policy.json"))))
        let carriers = CarrierSupply.from(map)
        let firms = try DemandLoader.load(Self.sample.appendingPathComponent("demand.csv"), knownZoneIDs: Set(map.data.zones.map(\.id)))
        let lists = try PositiveLists.load(TestPaths.repositoryRoot.appendingPathComponent("GIS/config/positive_lists.json"))
        let validator = IndependentValidator(
            firms: firms, carriers: carriers, rules: try readConfig(AllocationRules.self, from: TestPaths.config("allocation.json")),
            lists: lists.lists)
        let firmIndex = Dictionary(uniqueKeysWithValues: firms.enumerated().map { ($1.id, $0) })
        let carrierIndex = Dictionary(uniqueKeysWithValues: carriers.enumerated().map { ($1.id, $0) })
        let triples = assignments.map {
            (firm: firmIndex[$0["firm_id"]!]!, carrier: carrierIndex[$0["carrier_id"]!]!, areaM2: Double($0["area_m2"]!)!)
        }
        #expect(validator.violations(triples) == [])
        let json = try parseJSON(try Data(contentsOf: first.appendingPathComponent("allocation.json")))
        let worth = validator.worth(triples)
        #expect(abs(json["objective"]!.numberValue! - worth) < 0.01, "report \(json["objective"]!.numberValue!) vs validator \(worth)")
        #expect(json["bound"]!.numberValue! >= worth)
        #expect(json["gap"]!.numberValue! < 0.01)

        // Per carrier and per zone, the space let adds up to the assignments.
        var letPerCarrier: [String: Double] = [:]
        for a in assignments { letPerCarrier[a["carrier_id"]!, default: 0] += Double(a["area_m2"]!)! }
        let carrierRows = try Self.rows(first.appendingPathComponent("carriers.csv"))
        #expect(carrierRows.count == carriers.count)
        for row in carrierRows {
            #expect(abs(Double(row["allocated_m2"]!)! - (letPerCarrier[row["carrier_id"]!] ?? 0)) < 0.1, "\(row["carrier_id"]!)")
            #expect(Double(row["vacant_after_m2"]!)! >= -0.05)
        }
        let total = assignments.reduce(0) { $0 + Double($1["area_m2"]!)! }
        let district = try Self.rows(first.appendingPathComponent("zones.csv")).first { $0["kind"] == "district" }!
        #expect(abs(Double(district["allocated_m2"]!)! - total) < 0.1)
        #expect(abs(json["occupied_after_m2"]!.numberValue! - json["occupied_before_m2"]!.numberValue! - total) < 0.1)

        // The same input gives the same files.
        #expect(try Self.run(args + ["--out", second.path]).status == 0)
        for name in ["assignments.csv", "unplaced.csv", "carriers.csv"] {
            #expect(try Data(contentsOf: first.appendingPathComponent(name)) == Data(contentsOf: second.appendingPathComponent(name)), "\(name)")
        }
    }

    @Test("the exact solver proves the optimum of the sample's first 40 firms, at least the heuristic's worth")
    func exactOnASmallDemand() throws {
        let text = try String(contentsOf: Self.sample.appendingPathComponent("demand.csv"), encoding: .utf8)
        let small = Self.temporaryFolder("demand40").appendingPathExtension("csv")
        defer { try? FileManager.default.removeItem(at: small) }
        try text.split(separator: "\n").prefix(41).joined(separator: "\n").appending("\n").write(to: small, atomically: true, encoding: .utf8)
        var worth: [String: Double] = [:]
        for solver in ["exact", "heuristic"] {
            let out = Self.temporaryFolder("allocate-\(solver)")
            defer { try? FileManager.default.removeItem(at: out) }
            let r = try Self.run(["allocate", "--data", Self.sample.path, "--demand", small.path, "--solver", solver, "--no-map", "--out", out.path])
            #expect(r.status == 0, "\(r.error)")
            let json = try parseJSON(try Data(contentsOf: out.appendingPathComponent("allocation.json")))
            worth[solver] = json["objective"]!.numberValue!
            if solver == "exact" {
                #expect(json["proven_optimal"]!.boolValue == true)
                #expect(r.output.contains("proven optimal"))
            }
        }
        #expect(worth["exact"]! >= worth["heuristic"]! - 1e-6)
    }

    @Test("bad demand: a non-zero exit, a message naming file, record and problem, and nothing written")
    func badDemand() throws {
        let bad = Self.temporaryFolder("bad-demand").appendingPathExtension("csv")
        defer { try? FileManager.default.removeItem(at: bad) }
        try "id,sector,stage,min_m2,preferred_m2,move_in_year\nF1,ai,growth,-5,10,2024\nF1,ai,growth,5,10,2024\n".write(
            to: bad, atomically: true, encoding: .utf8)
        let out = Self.temporaryFolder("never")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Self.run(["allocate", "--data", Self.sample.path, "--demand", bad.path, "--out", out.path])
        #expect(r.status != 0)
        #expect(
            r.error.contains("\(bad.lastPathComponent), record 0 (id F1): line 2: min_m2 is -5: a firm needs a positive floor area"), "\(r.error)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
