import Foundation
import SpacePlanKit
import SpaceCore
import SpaceData
import Testing
import TestSupport

@Suite("spaceplan renewal evaluate")
struct RenewalCommandTests {
    @Test("renewal evaluate on the sample: a ranked report, two maps per unit, the over-the-cap proposal last")
    func sampleCommand() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("renewal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try SpacePlanCLI.run([
            "renewal", "evaluate", "--data", "GIS/sample", "--proposals", "GIS/sample/proposals.geojson", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.error)")
        let json = try parseJSON(try Data(contentsOf: out.appendingPathComponent("renewal.json")))
        let ranking = json["ranking"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(ranking.count == 5 && ranking.last == "HQB-04")
        let proposals = json["proposals"]?.arrayValue ?? []
        let hqb = proposals.first { $0["id"]?.stringValue == "HQB-04" }
        #expect(hqb?["passes_all_checks"] == .bool(false))
        let far = hqb?["units"]?.arrayValue?.first?["checks"]?.arrayValue?.first { $0["rule"]?.stringValue == "far_cap" }
        #expect(far?["value"]?.numberValue == 6.5 && far?["limit"]?.numberValue == 5 && far?["outcome"]?.stringValue == "fail")
        let maps = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("maps").path)
        #expect(maps.count == 14 && maps.contains("CGM-02-A-after.svg"))
        let md = try String(contentsOf: out.appendingPathComponent("renewal.md"), encoding: .utf8)
        #expect(md.contains("| 5 | HQB-04 华强北 tower over the cap |"))
    }

    @Test("a bad proposal file: a non-zero exit naming file and unit, and no output written")
    func badProposalCommand() throws {
        var p = TinyProposals()
        p.add((0, 0, 100, 100), #""id":"Q","mode":"micro_renewal","land_use":"M1","handover_share":-1,"start_year":2022,"completion_year":2023"#)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let data = try TinyDistrict().write(), proposals = try p.write()
        defer { for url in [data, proposals] { try? FileManager.default.removeItem(at: url) } }
        let r = try SpacePlanCLI.run([
            "renewal", "evaluate", "--data", data.path, "--proposals", proposals.path,
            "--out", out.path, "--config", "GIS/config/policy.json", "--rules", "GIS/config/renewal.json",
            "--positive-lists", "GIS/config/positive_lists.json",
        ])
        #expect(r.status != 0)
        #expect(r.error.contains("record 0 (id Q): handover_share must be a non-negative number up to 1"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

}
