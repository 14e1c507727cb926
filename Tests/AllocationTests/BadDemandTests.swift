import Foundation
import Testing
import TestSupport
import SpaceData

/// A planner's demand file with mistakes: every problem is named with file, record, id and
/// line, all at once, and nothing is loaded.
@Suite("Bad demand files: clear errors naming file, record and problem")
struct BadDemandTests {
    static let header = "id,name,sector,stage,flags,employees,min_m2,preferred_m2,preferred_zones,move_in_year,priority,max_rent_yuan_m2_month\n"
    static let zones: Set<String> = ["440304", "cluster-hetao"]

    /// Writes `body` to a fresh file with the given extension and loads it; the error text, or nil.
    static func errorText(_ body: String, ext: String = "csv") throws -> String? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demand-\(UUID().uuidString).\(ext)")
        defer { try? FileManager.default.removeItem(at: url) }
        try body.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try DemandLoader.load(url, knownZoneIDs: zones)
            return nil
        } catch {
            return "\(error)".replacingOccurrences(of: url.path, with: "demand.\(ext)")
        }
    }

    @Test("a good file loads, with priorities and rent limits left empty as nil")
    func goodFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demand-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try (Self.header + "F1,甲,ai,growth,high_growth;quasi_unicorn,12,100,150,cluster-hetao,2024,,\nF2,乙,fintech,start_up,,,20,20,,2023,2.5,80\n")
            .write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let firms = try DemandLoader.load(url, knownZoneIDs: Self.zones)
        #expect(firms.map(\.id) == ["F1", "F2"])
        #expect(firms[0].flags == ["high_growth", "quasi_unicorn"] && firms[0].preferredZoneIDs == ["cluster-hetao"])
        #expect(firms[0].priority == nil && firms[0].maxRentYuanPerM2Month == nil && firms[0].employees == 12)
        #expect(firms[1].stage == .startUp && firms[1].priority == 2.5 && firms[1].maxRentYuanPerM2Month == 80)
    }

    @Test("negative and zero areas, and a preferred area below the minimum")
    func badAreas() throws {
        let text = try Self.errorText(
            Self.header + "F1,,ai,growth,,,-50,100,,2024,,\nF2,,ai,growth,,,0,100,,2024,,\nF3,,ai,growth,,,100,60,,2024,,\n")
        #expect(
            text?.contains("demand.csv, record 0 (id F1): line 2: min_m2 is -50: a firm needs a positive floor area") == true, "\(text ?? "no error")"
        )
        #expect(text?.contains("demand.csv, record 1 (id F2): line 3: min_m2 is 0: a firm needs a positive floor area") == true)
        #expect(text?.contains("demand.csv, record 2 (id F3): line 4: preferred_m2 60 is below min_m2 100") == true)
        #expect(text?.contains("the input has 3 problems") == true)
    }

    @Test("unknown sector, stage, flag and zone")
    func unknownCodes() throws {
        let text = try Self.errorText(
            Self.header
                + "F1,,robots,growth,,,10,10,,2024,,\nF2,,ai,teenager,,,10,10,,2024,,\nF3,,ai,growth,famous,,10,10,,2024,,\nF4,,ai,growth,,,10,10,cluster-nowhere,2024,,\n"
        )
        #expect(text?.contains("record 0 (id F1): line 2: sector 'robots' is not one of") == true, "\(text ?? "no error")")
        #expect(text?.contains("record 1 (id F2): line 3: stage 'teenager' is not one of growth, mature, scale_up, start_up") == true)
        #expect(text?.contains("record 2 (id F3): line 4: flag 'famous' is not one of") == true)
        #expect(text?.contains("record 3 (id F4): line 5: preferred zone 'cluster-nowhere' is not a zone of the data") == true)
    }

    @Test("a duplicate id")
    func duplicateID() throws {
        let text = try Self.errorText(Self.header + "F1,,ai,growth,,,10,10,,2024,,\nF1,,ai,growth,,,10,10,,2024,,\n")
        #expect(text?.contains("demand.csv, record 1 (id F1): duplicate id (also record 0)") == true, "\(text ?? "no error")")
    }

    @Test("missing columns, an empty list, a zero priority and a zero rent limit")
    func missingAndZero() throws {
        let missing = try Self.errorText("id,sector,stage,min_m2\nF1,ai,growth,10\n")
        #expect(missing?.contains("demand.csv: missing columns preferred_m2, move_in_year") == true, "\(missing ?? "no error")")
        let empty = try Self.errorText(Self.header)
        #expect(empty?.contains("demand.csv") == true && empty != nil, "\(empty ?? "no error")")
        let zeros = try Self.errorText(Self.header + "F1,,ai,growth,,,10,10,,2024,0,\nF2,,ai,growth,,,10,10,,2024,,0\n")
        #expect(zeros?.contains("record 0 (id F1): line 2: priority is 0") == true, "\(zeros ?? "no error")")
        #expect(zeros?.contains("record 1 (id F2): line 3: max_rent_yuan_m2_month is 0") == true)
    }

    @Test("JSON: a list of firms, and a record that is not an object")
    func json() throws {
        let bad = try Self.errorText(
            #"{"firms": [{"id": "F1", "sector": "ai", "stage": "growth", "min_m2": 10, "preferred_m2": 5, "move_in_year": 2024}, 7]}"#, ext: "json")
        #expect(bad?.contains("demand.json, record 1: is not an object") == true, "\(bad ?? "no error")")
        let areas = try Self.errorText(
            #"[{"id": "F1", "sector": "ai", "stage": "growth", "min_m2": 10, "preferred_m2": 5, "move_in_year": 2024}]"#, ext: "json")
        #expect(areas?.contains("demand.json, record 0 (id F1): preferred_m2 5 is below min_m2 10") == true, "\(areas ?? "no error")")
        let notJSON = try Self.errorText("{firms", ext: "json")
        #expect(notJSON?.contains("demand.json: not valid JSON") == true, "\(notJSON ?? "no error")")
    }
}
