import Foundation
import FuzzSupport
import SpaceCore
@testable import SpaceData

// CSV as the carriers, enterprises and demand files are read: the row finder and its UTF-8
// check, both field splitters, the firm-row fast path and the record readers with their
// number rules. Any error is fine; a trap or a crash is a bug.
let policy = try! Policy.load(Fuzzing.config("policy.json"))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    Fuzzing.onSmallStack { readCSV(data) }
    return 0
}

func readCSV(_ data: Data) {
    if let table = try? CSV.read(data) {
        for k in 0..<table.count {
            let fields = table.fields(ofRow: k)
            let plain: Int? = table.withPlainFields(ofRow: k) { row, ranges in ranges.reduce(0) { $0 + $1.count } + row.count }
            if let plain { precondition(plain >= 0 && fields.count == table.header.count, "the fast split disagrees with the general one") }
        }
    }
    _ = try? DemandLoader.read(data, file: "demand.csv", isJSON: false, knownZoneIDs: ["A", "B"])
    _ = try? DemandLoader.read(data, file: "demand.json", isJSON: true, knownZoneIDs: ["A", "B"])
    let url = Fuzzing.file("layer.csv", data)
    _ = try? LayerLoaders.carriers(Manifest.Layer(name: "carriers", file: url, crs: nil, format: .csv))
    _ = try? LayerLoaders.enterprises(Manifest.Layer(name: "enterprises", file: url, crs: .gcj02, format: .csv), policy: policy)
    _ = try? LayerLoaders.enterprises(Manifest.Layer(name: "enterprises", file: url, crs: .cgcs2000GK114, format: .csv), policy: policy)
}

/// The executable's entry point (SwiftPM aliases main to it): libFuzzer's driver over `fuzzCSV`.
@_cdecl("fuzz_csv_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzing.run(argc, argv, fuzzCSV)
}
