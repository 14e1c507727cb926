import Foundation
import FuzzSupport
import SpaceCore
import SpaceData

// GeoJSON as the layers and proposals are read: the whole-document reader, the parallel layer
// reader (outline scan, fast feature path, generic fallback) and the checked polygon loader
// (coordinate checks, projection, make-valid). Any error is fine; a trap or a crash is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeoJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    Fuzzing.onSmallStack { readGeoJSON(data) }
    return 0
}

func readGeoJSON(_ data: Data) {
    _ = try? parseJSON(data)
    _ = try? GeoJSON.read(data)
    if let reader = try? GeoJSONLayerReader(data) {
        _ = try? reader.mapFeatures(setup: {}) { _, feature in feature.shape?.polygons.count ?? 0 }
    }
    let url = Fuzzing.file("layer.geojson", data)
    _ = try? loadCheckedPolygons(url, layerName: "fuzz", crs: nil, workingCRS: .cgcs2000GK114)
    _ = try? loadCheckedPolygons(url, layerName: "fuzz", crs: .cgcs2000GK114, workingCRS: .cgcs2000GK114)
}

/// The executable's entry point (SwiftPM aliases main to it): libFuzzer's driver over `fuzzGeoJSON`.
@_cdecl("fuzz_geojson_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzing.run(argc, argv, fuzzGeoJSON)
}
