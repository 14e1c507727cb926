import Foundation
import Renewal
import Reports
import SpaceCore
import SpaceData
import SpaceMap
import Testing
import TestSupport

/// What a planner reads: counts in the right number, gaps that add up, every kind of data issue.
@Suite("Report wording")
struct WordingTests {
    @Test("counts take the noun's number")
    func plurals() {
        #expect(counted(1, "parcel") == "1 parcel")
        #expect(counted(0, "parcel") == "0 parcels")
        #expect(counted(1_204, "firm") == "1,204 firms")
        #expect(counted(2, "SVG file") == "2 SVG files")
    }

    @Test("a printed stock and its printed gap add up to the target", arguments: [437_347.5, 406_550.5, 469_451.6, 1_000_000.4])
    func gapsAddUp(stock: Double) {
        let target = 1_000_000.0
        let sum =
            Double(grouped(stock).replacingOccurrences(of: ",", with: ""))! + Double(
                groupedGap(target: target, stock: stock).replacingOccurrences(of: ",", with: ""))!
        #expect(sum == max(target, Double(grouped(stock).replacingOccurrences(of: ",", with: ""))!))
    }

    @Test("report.md lists unmatched records beside the other kinds of data issue")
    func unmatchedListed() throws {
        let md = SpaceMapReport.markdown(try TinyDistrict.spaceMap())
        // K3 names building B99, which the data lack; E5 lies far from every building.
        #expect(md.contains("| unmatched | carriers | K3 |"))
        #expect(md.contains("| repaired |"))
    }

    @Test("a unit holding no firms says so, and does not say that they stay")
    func unitWithoutFirms() throws {
        let map = try TinyDistrict.spaceMap()
        let folder = TestPaths.temporaryFolder("proposal")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("p.geojson")
        // An empty block of the district (0–200 × 600–800): no parcel, no building, no firm.
        try """
        {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4547"}},"features":[
        {"type":"Feature","properties":{"id":"N","mode":"micro_renewal","land_use":"M1","start_year":2022,"completion_year":2023},
         "geometry":{"type":"Polygon","coordinates":[[[500000,2490600],[500200,2490600],[500200,2490800],[500000,2490800],[500000,2490600]]]}}]}
        """.write(to: url, atomically: true, encoding: .utf8)
        let district = map.data.zones.first { $0.kind == .district }!
        let (proposals, report) = try ProposalReader.read(url, district: district, workingCRS: map.data.policy.workingCRS, asOfYear: 2021)
        let (controls, rules) = try DevelopmentControls.read(TestPaths.config("renewal.json"), alongside: RenewalRules.self)
        let e = try RenewalEvaluation.evaluate(
            proposals, map: map, rules: rules, controls: controls, positiveLists: PositiveLists(lists: [:], source: "none"),
            asOfYear: 2021, file: url.path, report: report)
        let md = RenewalReport.markdown(e, map: map, mapFiles: [:])
        #expect(md.contains("Touches 0 parcels and 0 buildings with 0 firms. Works start 2022"))
        #expect(!md.contains("they stay"))
    }
}
