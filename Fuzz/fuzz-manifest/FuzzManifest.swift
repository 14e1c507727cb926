import Foundation
import FuzzSupport
import SpaceCore
import SpaceData

// layers.json as a data folder is opened: every layer entry, CRS, field map, default,
// optional flag and the year. Any error is fine; a trap or a crash is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    Fuzzing.onSmallStack { readManifest(data) }
    return 0
}

func readManifest(_ data: Data) {
    _ = Fuzzing.file("layers.json", data)
    _ = try? Manifest.load(directory: Fuzzing.scratch)
    _ = try? DataFolder(Fuzzing.scratch).checkReadable()
}

/// The executable's entry point (SwiftPM aliases main to it): libFuzzer's driver over `fuzzManifest`.
@_cdecl("fuzz_manifest_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzing.run(argc, argv, fuzzManifest)
}
