import Foundation
import Testing
import TestSupport

/// Issue 21's cases outside the data folders: a point outside China given as BD-09, an output
/// folder whose lock cannot be made, and the shipped data still running without a new error.
@Suite("Plausibility at the command line")
struct PlausibilityCommandTests {
    @Test("crs transform refuses a BD-09 point far outside China: no offset applies there")
    func bd09OutsideChina() throws {
        let r = try SpacePlanCLI.launch(["crs", "transform", "--from", "BD-09", "--to", "WGS84", "-120", "-60"])
        #expect(r.status != 0, "accepted: \(r.output)")
        #expect(r.error.contains("-120 -60 is outside China, where BD-09 applies no offset"), "\(r.error)")
        // Inside China it still answers.
        let inside = try SpacePlanCLI.launch(["crs", "transform", "--from", "BD-09", "--to", "GCJ-02", "114.0644", "22.5490"])
        #expect(inside.status == 0, "\(inside.error)")
    }

    @Test("an --out whose lock file cannot be made is named as the user gave it, not by the lock file")
    func lockFileMessageNamesTheFolder() throws {
        let folder = TestPaths.temporaryFolder("lock-message")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        // A folder where the lock file goes: it cannot be opened as a file.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".out.spaceplan-lock"), withIntermediateDirectories: true)
        let r = try SpacePlanCLI.launch(["spacemap", "--data", TestPaths.sample.path, "--out", out.path, "--no-maps"])
        #expect(r.status != 0)
        #expect(r.error.contains("\(out.path): cannot be written: the lock file .out.spaceplan-lock cannot be created beside it"), "\(r.error)")
    }

    @Test("the sample and the real layers run with no new error; the sample's figures are unchanged", arguments: ["sample", "futian-real"])
    func shippedDataStillRun(_ name: String) throws {
        let folder = TestPaths.temporaryFolder("plausible-shipped")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = TestPaths.repositoryRoot.appendingPathComponent("GIS").appendingPathComponent(name)
        let r = try SpacePlanCLI.launch(["spacemap", "--data", data.path, "--out", folder.path, "--no-maps"])
        #expect(r.status == 0, "\(r.error)")
        if name == "sample" {
            // The figures of the run before the rules (warnings change no figure).
            #expect(r.output.contains("3,000 buildings, 9,000 enterprises, 406,551 m² tech-cultivation space (76.6 % occupied)"), "\(r.output)")
            #expect(r.output.contains("enterprises: firm with more floor area than its building [enterprise.area_beyond_building]"), "\(r.output)")
        }
    }
}
