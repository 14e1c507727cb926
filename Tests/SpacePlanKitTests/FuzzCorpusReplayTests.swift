import Foundation
@testable import SpaceData
import SpacePlanKit
import SpaceCore
import Renewal
import LandSupply
import Allocation
import Testing
import TestSupport

/// Every input of the fuzz corpora (Fuzz/corpus: the seeds; Fuzz/regressions: each input that
/// once crashed, trapped or leaked in a reader) read again as the fuzz targets read it, in the
/// ordinary test build: a regression shows here without a fuzzing toolchain. Errors are fine;
/// a trap would end the test process.
@Suite("Fuzz corpora replayed through the readers")
struct FuzzCorpusReplayTests {
    static func inputs(_ target: String) -> [URL] {
        ["Fuzz/corpus", "Fuzz/regressions"].flatMap { folder -> [URL] in
            let url = TestPaths.repositoryRoot.appendingPathComponent("\(folder)/\(target)")
            return ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted().map { url.appendingPathComponent($0) }
        }
    }

    /// Runs `body` on a copy of `input` named `name` in a folder of its own (removed afterwards), as
    /// the fuzz targets hand files to the readers.
    static func withCopy(_ input: URL, as name: String, _ body: (URL) throws -> Void) throws {
        try withTemporaryFolder("fuzz-replay") { folder in
            let url = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: input, to: url)
            try body(url)
        }
    }

    @Test("GeoJSON: the document reader, the layer reader and the checked polygon loader")
    func geojson() throws {
        let inputs = Self.inputs("geojson")
        #expect(!inputs.isEmpty)
        for input in inputs {
            let data = try Data(contentsOf: input)
            _ = try? GeoJSON.read(data)
            if let reader = try? GeoJSONLayerReader(data) { _ = try? reader.mapFeatures(setup: {}) { _, f in f.shape?.polygons.count ?? 0 } }
            try Self.withCopy(input, as: "layer.geojson") { url in
                _ = try? loadCheckedPolygons(url, layerName: "replay", crs: nil, workingCRS: .cgcs2000GK114)
            }
        }
    }

    @Test("CSV: the row finder, both splitters, carriers, enterprises and demand")
    func csv() throws {
        let inputs = Self.inputs("csv")
        #expect(!inputs.isEmpty)
        let policy = try Policy.load(TestPaths.config("policy.json"))
        for input in inputs {
            let data = try Data(contentsOf: input)
            if let table = try? CSV.read(data) {
                for k in 0..<table.count {
                    let fields = table.fields(ofRow: k)
                    let plain: Int? = table.withPlainFields(ofRow: k) { _, ranges in ranges.count }
                    if let plain { #expect(plain == fields.count, "\(input.lastPathComponent) row \(k)") }
                }
            }
            _ = try? DemandLoader.read(data, file: input.path, isJSON: input.pathExtension == "json", knownZoneIDs: ["A"])
            try Self.withCopy(input, as: "layer.csv") { url in
                _ = try? LayerLoaders.carriers(Manifest.Layer(name: "carriers", file: url, crs: nil, format: .csv))
                _ = try? LayerLoaders.enterprises(Manifest.Layer(name: "enterprises", file: url, crs: .gcj02, format: .csv), policy: policy)
            }
        }
    }

    @Test("WKB and the GBK decoder: what parses writes back and reads again as itself")
    func wkb() throws {
        let inputs = Self.inputs("wkb")
        #expect(inputs.count >= 4)
        var parsed = 0
        for input in inputs {
            let bytes = [UInt8](try Data(contentsOf: input))
            if let shape = try? Shape(wkb: bytes) {
                parsed += 1
                #expect(try Shape(wkb: shape.wkb).wkb == shape.wkb, "\(input.lastPathComponent)")
            }
            _ = try? TextDecoder(encoding: "GBK").decode(bytes)
        }
        #expect(parsed >= 4, "the seeds are valid WKB")
    }

    @Test("layers.json and the six configuration decoders")
    func manifestAndConfig() throws {
        #expect(!Self.inputs("manifest").isEmpty && !Self.inputs("config").isEmpty)
        for input in Self.inputs("manifest") {
            try Self.withCopy(input, as: "layers.json") { url in _ = try? Manifest.load(directory: url.deletingLastPathComponent()) }
        }
        let settings = try readConfig(SupplySettings.self, from: TestPaths.config("land_supply.json"))
        for input in Self.inputs("config") {
            try Self.withCopy(input, as: "config.json") { url in
                _ = try? Policy.load(url)
                _ = try? PositiveLists.load(url, knownZoneIDs: ["440304001"])
                _ = try? DevelopmentControls.read(url, alongside: RenewalRules.self)
                _ = try? readConfig(SupplySettings.self, from: url)
                _ = try? readConfig(AllocationRules.self, from: url)
                _ = try? Scenario.decode(readConfigJSON(url, what: Scenario.what), file: url.path, settings: settings, asOfYear: 2021)
            }
        }
    }
}
