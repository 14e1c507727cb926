import Foundation
import FuzzSupport
import SpaceCore

// The bytes as WKB (what GDAL hands the GDAL sources) and as GBK text (a .dbf's fields).
// Any error is fine; a trap, a crash or a WKB that does not read back as itself is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWKB(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    Fuzzing.onSmallStack { readWKB(bytes) }
    return 0
}

func readWKB(_ bytes: [UInt8]) {
    if let shape = try? Shape(wkb: bytes) {
        let written = shape.wkb
        guard let again = try? Shape(wkb: written), again.wkb == written else {
            fatalError("WKB written from a parsed shape does not read back as itself")
        }
    }
    for encoding in ["GBK", "GB18030", "UTF-8"] {
        _ = try? TextDecoder(encoding: encoding).decode(bytes)
    }
}

/// The executable's entry point (SwiftPM aliases main to it): libFuzzer's driver over `fuzzWKB`.
@_cdecl("fuzz_wkb_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzing.run(argc, argv, fuzzWKB)
}
