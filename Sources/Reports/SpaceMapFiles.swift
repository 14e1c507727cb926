import Foundation
import SpaceCore
import SpaceData
import SpaceGeometry
import SpaceMap

/// A space map's files (GIS/README.md lists them). The summaries are small and made whole;
/// the per-record files stream in blocks made on all cores when they are written.
public enum SpaceMapFiles {
    public static func artifacts(_ map: SpaceMap) -> [Artifact] {
        [
            Artifact("summary.json", stream: { try $0.write(SummaryFormats.json(map)) }),
            Artifact("summary.csv", stream: { try $0.write(SummaryFormats.csv(map)) }),
            Artifact("joins/building_parcel.csv", stream: { try buildingParcelCSV(map, $0) }),
            Artifact("joins/enterprise_building.csv", stream: { try enterpriseBuildingCSV(map, $0) }),
            Artifact("space-map.geojson", stream: { try spaceMapGeoJSON(map, $0) }),
            SpaceMapLayers.geoPackage(map),
            Artifact("validation.json", text: ValidationFormats.json(map.report)),
            Artifact("validation.txt", text: ValidationFormats.text(map.report)),
            Artifact("report.md", stream: { try $0.write(SpaceMapReport.markdown(map)) }),
        ]
    }

    /// Makes lines for `count` records on all cores, 1,024 records to a block, and writes the
    /// blocks in order: the sequential part only moves large blocks of bytes.
    static func streamLines(
        _ count: Int, to sink: any ArtifactSink, separator: StaticString = "",
        _ line: (Int, inout TextBuffer) throws -> Void
    ) throws {
        try streamLines(count, to: sink, separator: separator, scratch: ()) { i, text, _ in try line(i, &text) }
    }

    /// The same, with a scratch value of each block's own that lines may reuse (a feature's values).
    static func streamLines<Scratch>(
        _ count: Int, to sink: any ArtifactSink, separator: StaticString = "", scratch: Scratch,
        _ line: (Int, inout TextBuffer, inout Scratch) throws -> Void
    ) throws {
        let block = 1_024, batch = 64
        var first = 0
        while first < count {
            let blocks = min(batch, (count - first + block - 1) / block)
            let texts = try ParallelMap.map(0..<blocks, chunk: 1) { k -> TextBuffer in
                let start = first + k * block
                var text = TextBuffer(capacity: 256 * block)
                var own = scratch
                for i in start..<min(start + block, count) {
                    if i > 0 { text.append(separator) }
                    try line(i, &text, &own)
                }
                return text
            }
            for text in texts { try sink.write(text) }
            first += blocks * block
        }
    }

    static func buildingParcelCSV(_ map: SpaceMap, _ sink: any ArtifactSink) throws {
        try sink.write("building_id,parcel_id,overlap_m2\n")
        try streamLines(map.buildingParcel.count, to: sink) { b, text in
            let match = map.buildingParcel[b]
            text.appendCSVField(map.data.buildings[b].id)
            text.append(",")
            if let parcel = match.parcel { text.appendCSVField(map.data.parcels[parcel].id) }
            text.append(",")
            text.appendFixed(match.overlapM2, 3)
            text.append("\n")
        }
    }

    static func enterpriseBuildingCSV(_ map: SpaceMap, _ sink: any ArtifactSink) throws {
        try sink.write("enterprise_id,building_id,method,distance_m\n")
        try streamLines(map.enterpriseBuilding.count, to: sink) { e, text in
            let match = map.enterpriseBuilding[e]
            text.appendCSVField(map.data.enterprises[e].id)
            text.append(",")
            if let building = match.building { text.appendCSVField(map.data.buildings[building].id) }
            text.append(",")
            text.append(match.method.rawValue)
            text.append(",")
            text.appendFixed(match.distanceM, 3)
            text.append("\n")
        }
    }

    /// Buildings in WGS84 (for web maps) with everything the joins found about them.
    static func spaceMapGeoJSON(_ map: SpaceMap, _ sink: any ArtifactSink) throws {
        let buildings = SpaceMapLayers(map).buildings
        try sink.write("{\"type\":\"FeatureCollection\",\"name\":\"space-map\",\"features\":[\n")
        try streamLines(map.data.buildings.count, to: sink, separator: ",\n", scratch: [FieldValue]()) { b, text, values in
            try buildings.appendGeoJSON(b, to: &text, scratch: &values)
        }
        try sink.write("\n]}\n")
    }
}

public enum ValidationFormats {
    public static func json(_ report: ValidationReport) -> String {
        var counts = JSONObject()
        for kind in ValidationReport.Kind.allCases { counts[kind.rawValue] = .number(Double(report.count(kind))) }
        let sources: [JSONValue] = report.sources.map { source in
            var o = JSONObject()
            o["layer"] = .string(source.layer)
            o["file"] = .string(source.file)
            o["read"] = .string(source.note)
            return .object(o)
        }
        let rules: [JSONValue] = report.ruleCounts.map { c in
            var o = JSONObject()
            o["rule"] = .string(c.rule)
            o["layer"] = .string(c.layer)
            o["summary"] = .string(c.summary)
            o["count"] = .number(Double(c.count))
            return .object(o)
        }
        var out =
            "{\"counts\":" + serializedJSON(.object(counts)) + ",\"rules\":" + serializedJSON(.array(rules))
            + ",\"sources\":" + serializedJSON(.array(sources)) + ",\"entries\":[\n"
        for (i, entry) in report.entries.enumerated() {
            var o = JSONObject()
            o["kind"] = .string(entry.kind.rawValue)
            o["layer"] = .string(entry.layer)
            o["file"] = .string(entry.file)
            o["record"] = entry.record.map { .number(Double($0)) } ?? .null
            o["id"] = entry.recordID.map(JSONValue.string) ?? .null
            o["problem"] = .string(entry.problem)
            if let rule = entry.rule { o["rule"] = .string(rule) }
            out += serializedJSON(.object(o)) + (i + 1 < report.entries.count ? ",\n" : "\n")
        }
        return out + "]}\n"
    }

    public static func text(_ report: ValidationReport) -> String {
        "Validation report: \(report.countsLine)\n\n"
            + (report.ruleCounts.isEmpty
                ? "" : "Warnings by rule (each record is listed below):\n" + report.ruleCounts.map { "  \($0.line)\n" }.joined() + "\n")
            + report.sources.map { "[read] \($0.file) (\($0.layer)): \($0.note)\n" }.joined()
            + (report.sources.isEmpty ? "" : "\n")
            + report.entries.map { $0.line + "\n" }.joined()
    }
}
