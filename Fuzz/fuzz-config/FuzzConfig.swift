import Allocation
import Foundation
import FuzzSupport
import LandSupply
import Renewal
import SpaceCore
import SpaceData

// One JSON text decoded as each of the six configuration files (policy, positive lists,
// renewal rules, land-supply settings, allocation rules, a scenario). Any error is fine; a
// trap or a crash is a bug.
let settings = try! readConfig(SupplySettings.self, from: Fuzzing.config("land_supply.json"))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    Fuzzing.onSmallStack { decodeEveryConfig(data) }
    return 0
}

func decodeEveryConfig(_ data: Data) {
    let url = Fuzzing.file("config.json", data)
    _ = try? Policy.load(url)
    _ = try? PositiveLists.load(url, knownZoneIDs: ["440304001", "cluster-hetao-futian-bonded"])
    _ = try? DevelopmentControls.read(url, alongside: RenewalRules.self)
    _ = try? readConfig(SupplySettings.self, from: url)
    _ = try? readConfig(AllocationRules.self, from: url)
    _ = try? Scenario.decode(readConfigJSON(url, what: Scenario.what), file: url.path, settings: settings, asOfYear: 2021)
}

/// The executable's entry point (SwiftPM aliases main to it): libFuzzer's driver over `fuzzConfig`.
@_cdecl("fuzz_config_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzing.run(argc, argv, fuzzConfig)
}
