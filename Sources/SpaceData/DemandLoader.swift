import Foundation
import SpaceCore
import SpaceGeometry

/// Reads a demand file of incoming firms: CSV (lists separated by `;`) or JSON (an array of
/// objects, or `{"firms": [...]}`), with the columns GIS/README.md documents. Every problem of
/// every record is reported at once, by file, record, id and line.
public enum DemandLoader {
    public static let requiredFields = ["id", "sector", "stage", "min_m2", "preferred_m2", "move_in_year"]

    /// `knownZoneIDs`: the zones a firm may name as preferred.
    public static func load(_ url: URL, knownZoneIDs: Set<String>) throws -> [FirmDemand] {
        try read(try readLayerFile(url), file: url.path, isJSON: url.pathExtension.lowercased() == "json", knownZoneIDs: knownZoneIDs)
    }

    /// The same from the file's bytes (`file` names it in messages).
    public static func read(_ data: Data, file: String, isJSON: Bool, knownZoneIDs: Set<String>) throws -> [FirmDemand] {
        var records: [(source: FieldReader.Source, line: Int?)] = []
        /// The header's width: a row with more or fewer fields has lost or gained a separator.
        var width: Int?
        if isJSON {
            let json: JSONValue
            do { json = try parseJSON(data) } catch { throw DataError(file: file, problem: "not valid JSON: \(error)") }
            guard let list = json.arrayValue ?? json["firms"]?.arrayValue else {
                throw DataError(file: file, problem: "needs an array of firms, or an object with a \"firms\" array")
            }
            for (k, item) in list.enumerated() {
                guard let object = item.objectValue else { throw DataError(file: file, record: k, problem: "is not an object") }
                records.append((.properties(object), nil))
            }
        } else {
            let table: CSVTable
            do { table = try CSV.read(data) } catch let error as CSVError { throw DataError(file: file, problem: error.description) }
            let missing = requiredFields.filter { table.column($0) == nil }
            if !missing.isEmpty {
                throw DataError(
                    file: file,
                    problem:
                        "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (header: \(table.header.joined(separator: ",")))"
                )
            }
            var columns: [String: Int] = [:]
            for (i, name) in table.header.enumerated() where columns[name] == nil { columns[name] = i }
            for k in 0..<table.count {
                let row = table.fields(ofRow: k)
                records.append((.csv(columns: columns, row: row), table.lines[k]))
            }
            width = table.header.count
        }
        if records.isEmpty { throw DataError(file: file, problem: "lists no firms") }

        let sectors = Set(Vocabulary.sectors), flagSet = Set(Vocabulary.enterpriseFlags)
        let stages = Set(FirmStage.allCases.map(\.rawValue))
        var firms: [FirmDemand] = []
        var errors: [DataError] = []
        var ids: [(index: Int, id: String)] = []
        for (k, record) in records.enumerated() {
            var fields = FieldReader(record.source)
            let id = fields.string("id", required: true) ?? ""
            if !id.isEmpty { ids.append((k, id)) }
            let sector = fields.oneOf("sector", sectors, required: true)
            let stage = fields.oneOf("stage", stages, required: true)
            let flags = fields.list("flags")
            for flag in flags where !flagSet.contains(flag) {
                fields.problem("flag '\(flag)' is not one of \(Vocabulary.enterpriseFlags.joined(separator: ", "))")
            }
            let minArea = fields.number("min_m2", required: true, .signed)
            let preferred = fields.number("preferred_m2", required: true, .signed)
            if let minArea, minArea <= 0 { fields.problem("min_m2 is \(formatJSONNumber(minArea)): a firm needs a positive floor area") }
            if let preferred, preferred <= 0 { fields.problem("preferred_m2 is \(formatJSONNumber(preferred)): a firm needs a positive floor area") }
            if let minArea, let preferred, minArea > 0, preferred > 0, preferred < minArea {
                fields.problem("preferred_m2 \(formatJSONNumber(preferred)) is below min_m2 \(formatJSONNumber(minArea))")
            }
            let zones = fields.list("preferred_zones")
            for zone in zones where !knownZoneIDs.contains(zone) {
                fields.problem("preferred zone '\(zone)' is not a zone of the data (zones layer ids)")
            }
            let year = fields.integer("move_in_year", required: true, .year)
            // A priority multiplies the firm's worth: past the weight bound, one firm outweighs all others.
            let priority = fields.number("priority", .weight)
            if let priority, priority == 0 {
                fields.problem("priority is 0: such a firm is worth nothing to place; leave it empty to weigh its flags")
            }
            let maxRent = fields.number("max_rent_yuan_m2_month", .quantity)
            if let maxRent, maxRent == 0 { fields.problem("max_rent_yuan_m2_month is 0: leave it empty when the firm states no limit") }
            let employees = fields.integer("employees", .count)
            if case let .csv(_, row) = record.source, let width, row.count != width {
                fields.problem("has \(row.count) fields, the header has \(width) [demand.row_width]")
            }
            if !fields.numbersAsText.isEmpty {
                // A JSON demand file is written by a program: numbers in quotes are a slip in it, and refused.
                fields.problem(
                    "\(fields.numbersAsText.joined(separator: ", ")) \(fields.numbersAsText.count == 1 ? "is" : "are") written as text (\"…\"), not as \(fields.numbersAsText.count == 1 ? "a number" : "numbers"): write numbers without quotes in a JSON file [field.number_as_text]"
                )
            }
            if !fields.problems.isEmpty {
                let at = record.line.map { "line \($0): " } ?? ""
                errors += fields.problems.map { DataError(file: file, record: k, recordID: id, problem: at + $0) }
                continue
            }
            firms.append(
                FirmDemand(
                    index: k, id: id, name: fields.string("name") ?? "", sector: sector!, stage: FirmStage(rawValue: stage!)!,
                    flags: flags, minM2: minArea!, preferredM2: preferred!, preferredZoneIDs: zones,
                    moveInYear: year!, priority: priority, maxRentYuanPerM2Month: maxRent, employees: employees))
        }
        // Ids are compared across every record, those with problems too: one run reports all.
        errors += duplicateIDs(ids, file: file)
        if !errors.isEmpty { throw DataErrors(errors: errors.inRecordOrder()) }
        return firms
    }
}
