import Foundation
import SpacePlanKit
import Testing
import TestSupport

/// The application core as a second front end uses it: opened once with explicit files, asked
/// several questions, two of them at once.
@Suite("The workspace")
struct WorkspaceTests {
    static func sample() throws -> Workspace {
        let configuration = Configuration.find(in: [TestPaths.repositoryRoot.appendingPathComponent("GIS/config")])
        return try Workspace(source: DataFolder(TestPaths.sample), configuration: configuration)
    }

    @Test("opened from a data folder and explicit configuration, it gives the sample's headline figures")
    func opens() throws {
        let workspace = try Self.sample()
        #expect(workspace.data.buildings.count == 3_000)
        #expect(abs(workspace.spaceMap.total.techSpaceM2 - 406_551) < 1)
        #expect(workspace.inputs.contains { $0.lastPathComponent == "buildings.geojson" })
        #expect(workspace.inputs.contains { $0.lastPathComponent == "policy.json" })
        #expect(try workspace.asOfYear() == 2021)
    }

    @Test("no configuration found is an error naming the file it lacks and no front end's option; a front end adds its own")
    func missingConfiguration() throws {
        let error = #expect(throws: MissingConfiguration.self) { try Workspace(source: DataFolder(TestPaths.sample), configuration: Configuration()) }
        #expect(error?.file == .policy)
        #expect(error?.description == "\(TestPaths.sample.path): no policy configuration found (e.g. GIS/config/policy.json)")
        #expect(
            error?.named("--config").description
                == "\(TestPaths.sample.path): no policy configuration found: pass it with --config (e.g. GIS/config/policy.json)")
    }

    @Test("a bad argument names the argument, not a command-line flag")
    func badArgument() throws {
        let workspace = try Workspace(
            source: DataFolder(TestPaths.sample),
            configuration: Configuration.find(in: [TestPaths.repositoryRoot.appendingPathComponent("GIS/config")]))
        let error = #expect(throws: ArgumentError.self) { try workspace.asOfYear(1700) }
        #expect(error?.argument == .asOfYear)
        #expect(error?.description == "as-of year: must be a year from 1900 to 2200, found 1700")
    }

    @Test("two questions at once on one workspace give the answers each gives alone")
    func concurrentQuestions() async throws {
        let workspace = try Self.sample()
        let proposals = TestPaths.sample.appendingPathComponent("proposals.geojson")
        let demand = TestPaths.sample.appendingPathComponent("demand.csv")
        let renewalAlone = try workspace.evaluateRenewal(proposals: proposals, maps: false).artifacts.map { try $0.text() }
        let allocationAlone = try workspace.allocate(demand: demand, solver: .heuristic, map: false).artifacts.map { try $0.text() }
        async let renewal = Task.detached { try workspace.evaluateRenewal(proposals: proposals, maps: false).artifacts.map { try $0.text() } }.value
        async let allocation = Task.detached {
            try workspace.allocate(demand: demand, solver: .heuristic, map: false).artifacts.map { try $0.text() }
        }.value
        let (r, a) = try await (renewal, allocation)
        #expect(r == renewalAlone)
        // The solver's seconds differ from run to run; everything else must not.
        let withoutTimes = { (files: [String]) in
            files.map { $0.split(separator: "\n").filter { !$0.contains("seconds") && !$0.contains(" s.") }.joined(separator: "\n") }
        }
        #expect(withoutTimes(a) == withoutTimes(allocationAlone))
    }

    @Test("a scenario's renewal events and renewal evaluate read proposals the same way")
    func oneProposalReader() throws {
        let workspace = try Self.sample()
        let scenario = TestPaths.sample.appendingPathComponent("scenarios/renewal-only.json")
        let supply = try workspace.runSupply(scenarios: [scenario], referenceFloorAreaM2: 10_000)
        let renewal = try #require(supply.results.first?.renewal)
        // The scenario includes four of the five proposals (renewal-only.json's "include"); they are
        // read and evaluated as `renewal evaluate` reads and evaluates them, in its order.
        let included: Set<String> = ["HT-01", "CGM-02", "BGL-03", "ML-05"]
        let alone = try workspace.evaluateRenewal(proposals: TestPaths.sample.appendingPathComponent("proposals.geojson"), maps: false).evaluation
        #expect(alone.proposals.count == 5)
        let expected = alone.proposals.filter { included.contains($0.proposal.id) }
        #expect(Set(renewal.proposals.map(\.proposal.id)) == included)
        #expect(renewal.proposals.map(\.proposal.id) == expected.map(\.proposal.id))
        #expect(renewal.proposals.map(\.units.count) == expected.map(\.units.count))
        #expect(renewal.proposals.map(\.netTechByTargetYearM2) == expected.map(\.netTechByTargetYearM2))
        #expect(supply.inputs.contains { $0.lastPathComponent == "proposals.geojson" })
    }
}
