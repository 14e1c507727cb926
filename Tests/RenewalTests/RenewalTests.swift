import SpaceCore
import Foundation
import Testing
import TestSupport
import SpaceData
import SpaceGeometry
import SpaceMap
@testable import Renewal

/// Renewal units drawn on the tiny district (metres relative to its origin), evaluated by hand.
@Suite("Renewal proposals on the tiny district")
struct RenewalTests {
    /// The shipped renewal.json: its renewal rules, and its density zones and FAR caps.
    static let shipped = try! DevelopmentControls.read(
        TestPaths.repositoryRoot.appendingPathComponent("GIS/config/renewal.json"),
        alongside: RenewalRules.self)
    static var rules: RenewalRules { shipped.rules }
    static var controls: DevelopmentControls { shipped.controls }
    static let allSectors = PositiveLists(lists: [:], source: "test: no lists")

    static func evaluate(
        _ proposals: TinyProposals, district: TinyDistrict = TinyDistrict(), lists: PositiveLists = allSectors,
        asOf: Int = 2021
    ) throws -> (RenewalEvaluation, SpaceMap) {
        let map = try TinyDistrict.spaceMap(district)
        let d = map.data.zones.first { $0.kind == .district }!
        let file = try proposals.write()
        defer { try? FileManager.default.removeItem(at: file) }
        let (read, report) = try ProposalReader.read(file, district: d, workingCRS: map.data.policy.workingCRS, asOfYear: asOf)
        return (
            try RenewalEvaluation.evaluate(
                read, map: map, rules: rules, controls: controls, positiveLists: lists, asOfYear: asOf, file: "test", report: report), map
        )
    }

    static func problems(_ proposals: TinyProposals) throws -> String {
        do { _ = try evaluate(proposals); return "" } catch let e as DataErrors { return e.description } catch let e as DataError {
            return e.description
        }
    }

    @Test("a warehouse kept and converted adds exactly its floor area in its completion year")
    func warehouseConversion() throws {
        var p = TinyProposals()
        p.add(
            (600, 0, 800, 200),
            #""id":"W","mode":"function_change","land_use":"W1","new_use":"rnd","carrier":{"type":"incubator"},"sectors":["ai"],"start_year":2022,"completion_year":2023"#
        )
        let (e, map) = try Self.evaluate(p)
        let warehouse = map.data.buildings.first { $0.id == "B4" }!
        #expect(warehouse.gfaM2 == 2_500)  // the repaired bow-tie: 2 floors × 1,250 m²
        let u = e.proposals[0].units[0]
        #expect(
            u.timeline == [
                {
                    var c = YearChange(year: 2023); c.techAddedM2 = 2_500; return c
                }()
            ])
        #expect(u.kept == ["warehouse": 2_500] && u.after == ["rnd": 2_500] && u.demolished.isEmpty)
        #expect(u.netIndustrialM2 == 0)  // warehouse and R&D are both industrial floor area
        #expect(u.displacedFirms.isEmpty)
        #expect(e.proposals[0].score == 2_500.0 / 1_000.0)  // (1 × 2,500 + 0.5 × 0) / (0 + 1,000)
    }

    @Test("a parcel the unit only grazes (0.5 % of it, under the 1 % tolerance) is reported, not touched")
    func sliverParcel() throws {
        var p = TinyProposals()
        // P3 whole, and 600–800 × 300–301 of P4 (200 m² of its 40,000 m²).
        p.add((600, 0, 800, 301), #""id":"S","mode":"function_change","land_use":"W1","new_use":"rnd","start_year":2022,"completion_year":2023"#)
        let (e, map) = try Self.evaluate(p)
        let u = e.proposals[0].units[0]
        #expect(u.footprint.parcels.map { map.data.parcels[$0.parcel].id } == ["P3"])
        #expect(u.footprint.sliverParcels.map { map.data.parcels[$0].id } == ["P4"])
        #expect(
            e.report.entries.contains {
                $0.recordID == "S" && $0.problem.contains("parcel P4 only grazes the unit (under 1 % of its area); not counted")
            })
    }

    @Test("demolition and rebuild at FAR 4.0 on 10,000 m² with a 20 % hand-over: 40,000 m², 8,000 m² government housing")
    func demolitionRebuild() throws {
        var p = TinyProposals()
        p.add(
            (0, 0, 100, 100),
            #""id":"D","mode":"demolition_rebuild","land_use":"M1","far":4.0,"use_shares":{"industrial":1.0},"handover_share":0.2,"carrier":{"type":"incubator","floor_area_m2":12000},"sectors":["ai"],"start_year":2022,"phases":[{"completion_year":2024,"share":0.5},{"completion_year":2025,"share":0.5}]"#
        )
        let (e, map) = try Self.evaluate(p)
        let u = e.proposals[0].units[0]
        #expect(u.unit.landAreaM2 == 10_000)
        #expect(u.built == ["industrial": 40_000])
        #expect(u.governmentHousingM2 == 8_000)
        #expect(u.demolished == ["industrial": 10_000])  // B1 lies wholly in the unit
        #expect(u.techLostM2 == 5_000)  // incubator K1 sits in B1
        #expect(u.timeline.map(\.year) == [2022, 2024, 2025])
        #expect(u.timeline[0].techLostM2 == 5_000 && u.timeline[0].industrialLostM2 == 10_000)
        #expect(u.timeline[1].techAddedM2 == 6_000 && u.timeline[1].governmentHousingM2 == 4_000 && u.timeline[1].industrialAddedM2 == 20_000)
        #expect(e.proposals[0].netTechByTargetYearM2 == 7_000)
        #expect(u.displacedFirms.map { map.data.enterprises[$0].id } == ["E1", "E2"])  // E1 inside B1, E2 matched to it 10 m away
        #expect(u.checks.first { $0.rule == "far_cap" }?.outcome == .pass)
        #expect(u.checks.first { $0.rule == "minimum_handover_share" }?.outcome == .pass)
    }

    @Test("over the FAR cap: the check fails and says by how much")
    func farCap() throws {
        var p = TinyProposals()
        p.add(
            (0, 0, 100, 100),
            #""id":"X","mode":"demolition_rebuild","land_use":"M1","far":6.0,"handover_share":0.05,"start_year":2022,"completion_year":2025"#)
        let (e, _) = try Self.evaluate(p)
        let checks = e.proposals[0].units[0].checks
        let far = checks.first { $0.rule == "far_cap" }!
        // Density zone "2" (the default: the tiny zones are unmapped) caps M land at FAR 5.0.
        #expect(far.outcome == .fail && far.value == 6.0 && far.limit == 5.0)
        #expect(far.detail.contains("over the cap 5 for M in density zone 2 by 1: 10,000 m² too much floor area"))
        let handover = checks.first { $0.rule == "minimum_handover_share" }!
        #expect(handover.outcome == .fail && handover.detail.contains("4,200 m² short"))  // (12 % − 5 %) × 60,000
        #expect(!e.proposals[0].passes)
    }

    @Test("a firm whose building spans two units is displaced once, by the unit holding most of the building")
    func displacedOnce() throws {
        var district = TinyDistrict()
        district.enterprises.append(("E7", "ai", 12, 400, (215, 30), nil))  // inside B2, which spans x 180–230
        var p = TinyProposals()
        p.add(
            (150, 0, 200, 100),
            #""id":"U1","proposal":"TWO","mode":"demolition_rebuild","land_use":"M1","far":2.0,"handover_share":0.2,"start_year":2022,"completion_year":2025"#
        )
        p.add(
            (200, 0, 250, 100),
            #""id":"U2","proposal":"TWO","mode":"demolition_rebuild","land_use":"M1","far":2.0,"handover_share":0.2,"start_year":2022,"completion_year":2025"#
        )
        let (e, map) = try Self.evaluate(p, district: district)
        #expect(e.proposals.count == 1 && e.proposals[0].units.count == 2)
        let (u1, u2) = (e.proposals[0].units[0], e.proposals[0].units[1])
        #expect(abs(u1.demolished["rnd"]! - 8_000) < 1e-6 && abs(u2.demolished["rnd"]! - 12_000) < 1e-6)  // B2: 20,000 m² split 40/60
        #expect(u1.displacedFirms.isEmpty)
        #expect(u2.displacedFirms.map { map.data.enterprises[$0].id } == ["E7"])
        #expect(e.proposals[0].displacement.firms.count == 1 && e.displacedFirms.count == 1)
        #expect(e.proposals[0].displacement.floorAreaM2 == 400 && e.proposals[0].displacement.employees == 12)
    }

    @Test("re-housing: vacant tech space within the radius takes displaced firms whose sector the zone admits")
    func rehousing() throws {
        var p = TinyProposals()
        // Demolishes B3 (office, maker space K2 full) and displaces E6 (ai, 160 m²); K1 in B1 has 1,000 m² vacant nearby.
        p.add(
            (185, 95, 215, 125),
            #""id":"R","mode":"demolition_rebuild","land_use":"C1","far":2.0,"use_shares":{"office":1.0},"start_year":2022,"completion_year":2024"#)
        let (e, map) = try Self.evaluate(p)
        let d = e.proposals[0].displacement
        #expect(d.firms.map { map.data.enterprises[$0].id } == ["E6"])
        #expect(d.nearbyCarriers.map { map.data.carriers[$0].id } == ["K1"] && d.nearbyVacantM2 == 1_000)
        #expect(d.rehousedFirms == 1 && d.canRehouseAll)
        // Cluster C (where K1 is) admits only biomedicine: E6 cannot move there.
        let (refused, _) = try Self.evaluate(p, lists: PositiveLists(lists: ["C": ["biomedicine"]], source: "test"))
        #expect(refused.proposals[0].displacement.rehousedFirms == 0)
    }

    @Test("positive list: a sector off a zone's list fails the check and names the zone")
    func positiveList() throws {
        var p = TinyProposals()
        p.add(
            (0, 0, 100, 100),
            #""id":"P","mode":"comprehensive_remediation","land_use":"M1","carrier":{"type":"incubator"},"sectors":["ai","fintech"],"start_year":2022,"completion_year":2023"#
        )
        let (e, _) = try Self.evaluate(p, lists: PositiveLists(lists: ["C": ["ai"], "A": ["ai", "fintech"]], source: "lists.json"))
        let check = e.proposals[0].units[0].checks.first { $0.rule == "positive_list" }!
        #expect(check.outcome == .fail && check.value == 1 && check.limit == 2)
        #expect(check.detail == "1 of 2 sectors not admitted: fintech is off the list of C")
        // Kept building B1 already holds 5,000 m² of tech space: the carrier adds only what is beyond it.
        #expect(e.proposals[0].units[0].techGainedM2 == 5_000)  // carrier = 10,000 m² industrial kept
        // Remediation keeps the building and its firms: E1 and E2 are in the unit, none displaced.
        #expect(e.proposals[0].units[0].firmsInUnit.count == 2 && e.proposals[0].units[0].displacedFirms.isEmpty)
    }

    @Test("ranking: compliant first, then by score; the score is the configured formula")
    func ranking() throws {
        var p = TinyProposals()
        p.add(
            (600, 0, 800, 200),
            #""id":"GOOD","mode":"function_change","land_use":"W1","new_use":"rnd","carrier":{"type":"incubator"},"sectors":["ai"],"start_year":2022,"completion_year":2023"#
        )
        p.add(
            (0, 0, 100, 100),
            #""id":"BIG","mode":"demolition_rebuild","land_use":"M1","far":6.0,"handover_share":0.2,"carrier":{"type":"park","floor_area_m2":50000},"sectors":["ai"],"start_year":2022,"completion_year":2024"#
        )
        let (e, _) = try Self.evaluate(p)
        let big = e.proposals.first { $0.proposal.id == "BIG" }!
        // (1 × (50,000 − 5,000) + 0.5 × 12,000) / (200 + 300 m² of E1 and E2 + 1,000)
        #expect(abs(big.score - (45_000 + 6_000) / 1_500) < 1e-9)
        #expect(big.score > e.proposals.first { $0.proposal.id == "GOOD" }!.score)
        #expect(e.ranking.map { e.proposals[$0].proposal.id } == ["GOOD", "BIG"])  // BIG breaks the FAR cap
    }

    @Test("bad proposals: outside the district, overlapping, phases in the past, shares over 100 %")
    func badProposals() throws {
        var p = TinyProposals()
        p.add((900, 900, 1100, 1000), #""id":"OUT","mode":"micro_renewal","land_use":"M1","start_year":2022,"completion_year":2023"#)
        p.add((0, 0, 100, 100), #""id":"A1","mode":"micro_renewal","land_use":"M1","start_year":2022,"completion_year":2023"#)
        p.add((50, 50, 150, 150), #""id":"A2","mode":"micro_renewal","land_use":"M1","start_year":2022,"completion_year":2023"#)
        p.add((300, 300, 400, 400), #""id":"OLD","mode":"micro_renewal","land_use":"M1","start_year":2018,"completion_year":2019"#)
        p.add(
            (300, 500, 400, 600),
            #""id":"SH","mode":"demolition_rebuild","land_use":"M1","far":3,"use_shares":{"industrial":0.9,"office":0.4},"handover_share":1.2,"start_year":2022,"phases":[{"completion_year":2023,"share":0.7},{"completion_year":2024,"share":0.5}]"#
        )
        p.add((300, 700, 400, 800), #""id":"ODD","mode":"rebuild","land_use":"X9","start_year":2022,"completion_year":2023"#)
        let message = try Self.problems(p)
        #expect(message.contains("record 0 (id OUT): the unit lies outside the district Zone D: 10,000 m² of its 20,000 m² are outside"))
        #expect(message.contains("(id A1): overlaps unit A2 by 2,500 m²"))
        #expect(message.contains("(id OLD): start_year 2018 is in the past: the data describe 2021"))
        #expect(message.contains("(id OLD): completion_year 2019 is in the past"))
        #expect(message.contains("(id SH): use_shares add to 130 %, over 100 %"))
        #expect(message.contains("(id SH): handover_share is 120 %, over 100 %"))
        #expect(message.contains("(id SH): phase shares add to 120 %, over 100 %"))
        #expect(message.contains("(id ODD): mode must be one of"))
    }

    @Test("positive lists: the shipped file loads, zones missing from the data are noted, an unknown sector is an error")
    func positiveListFile() throws {
        let shipped = try PositiveLists.load(
            TestPaths.repositoryRoot.appendingPathComponent("GIS/config/positive_lists.json"),
            knownZoneIDs: ["440304", "cluster-bagualing"])
        #expect(shipped.admits("smart_devices", inZones: ["440304", "cluster-bagualing"]))
        #expect(!shipped.admits("fintech", inZones: ["440304", "cluster-bagualing"]))
        #expect(!shipped.admits("other", inZones: ["440304"]))  // the district list holds the plan's priority sectors only
        #expect(
            shipped.unknownZoneIDs == [
                "cluster-chegongmiao-tianan", "cluster-hetao-futian-bonded", "cluster-huaqiangbei-shangbu", "cluster-meilin-caitian",
            ])
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("lists-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: bad) }
        try #"{"lists": {"Z1": {"sectors": ["ai", "robots"]}}}"#.write(to: bad, atomically: true, encoding: .utf8)
        #expect { try PositiveLists.load(bad) } throws: { "\($0)".contains("(id Z1): unknown sector \"robots\"") }
    }

    @Test("the sample's units against geopandas/shapely: land area, parcels, building shares, floor area before by use")
    func sampleAgainstShapely() throws {
        let root = TestPaths.repositoryRoot
        let fixture = try parseJSON(try Data(contentsOf: root.appendingPathComponent("Tests/RenewalTests/Fixtures/renewal_reference.json")))
        let folder = root.appendingPathComponent("GIS/sample")
        let map = try SpaceMap.build(try DistrictData.load(directory: folder, policy: try TinyDistrict.policy))
        let district = map.data.zones.first { $0.kind == .district }!
        let (proposals, _) = try ProposalReader.read(
            folder.appendingPathComponent("proposals.geojson"), district: district,
            workingCRS: map.data.policy.workingCRS, asOfYear: 2021)
        let e = try RenewalEvaluation.evaluate(
            proposals, map: map, rules: Self.rules, controls: Self.controls, positiveLists: Self.allSectors, asOfYear: 2021, file: "sample")
        let units = Dictionary(uniqueKeysWithValues: e.proposals.flatMap(\.units).map { ($0.unit.id, $0) })
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(b)) }
        let reference = fixture["units"]?.arrayValue ?? []
        #expect(reference.count == 7 && units.count == 7)
        for ref in reference {
            let id = ref["id"]!.stringValue!
            guard let u = units[id] else { Issue.record("unit \(id) missing"); continue }
            #expect(close(u.unit.landAreaM2, ref["land_area_m2"]!.numberValue!), "\(id) land area")
            let parcels = Dictionary(uniqueKeysWithValues: u.footprint.parcels.map { (map.data.parcels[$0.parcel].id, $0.overlapM2) })
            let refParcels = ref["parcels"]!.objectValue!.members
            #expect(Set(parcels.keys) == Set(refParcels.map(\.key)), "\(id) parcels")
            for (pid, area) in refParcels { #expect(parcels[pid].map { close($0, area.numberValue!) } == true, "\(id) overlap with \(pid)") }
            let shares = Dictionary(uniqueKeysWithValues: u.footprint.buildings.map { (map.data.buildings[$0.building].id, $0.share) })
            let refShares = ref["building_shares"]!.objectValue!.members
            #expect(Set(shares.keys) == Set(refShares.map(\.key)), "\(id) buildings")
            for (bid, share) in refShares { #expect(shares[bid].map { abs($0 - share.numberValue!) < 1e-9 } == true, "\(id) share of \(bid)") }
            let refBefore = ref["before_m2"]!.objectValue!.members
            #expect(Set(u.before.keys) == Set(refBefore.map(\.key)), "\(id) uses")
            for (use, m2) in refBefore { #expect(u.before[use].map { close($0, m2.numberValue!) } == true, "\(id) \(use) floor area") }
        }
    }
}
