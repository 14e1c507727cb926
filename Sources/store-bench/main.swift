// The store benchmark (bench/store.sh runs it), in process, so that what is timed is the
// workspace and the store, not the process starting:
//   store-bench open --data DIR | --store STORE     opening a workspace: read, check, join, sum
//   store-bench edit --store STORE [--edits N]      a carrier's vacancy changed N times: the edit
//                                                  applied (checked, written), then the next
//                                                  snapshot's district figures
// With SPACEPLAN_PROGRESS=1, an opening's stages and their milliseconds go to standard error.
// One line per measurement: name, then milliseconds.
import Foundation
import SpaceCore
import SpaceData
import SpacePlanKit

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

/// With SPACEPLAN_PROGRESS=1, each stage of an opening and its milliseconds on standard error.
final class Stages {
    let enabled = ProcessInfo.processInfo.environment["SPACEPLAN_PROGRESS"] == "1"
    var name = "starting"
    var start = DispatchTime.now().uptimeNanoseconds

    func stage(_ next: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        FileHandle.standardError.write(Data("  \(name)\t\(formatFixed(Double(now - start) / 1e6, 0)) ms\n".utf8))
        name = next
        start = now
    }
}

func open(_ args: [String]) throws -> Workspace {
    guard args.count == 2 else { throw DataError(file: "store-bench", problem: "give --data DIR or --store STORE") }
    let stages = Stages()
    defer { stages.stage("") }
    if args[0] == "--store" {
        stages.stage("reading the snapshot")
        let source = try DistrictStores.source(args[1])
        return try Workspace(source: source, configuration: DistrictStores.configuration(of: source), progress: stages.stage)
    }
    let data = URL(fileURLWithPath: args[1])
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("GIS/config")
    return try Workspace(
        source: DataFolder(data), configuration: Configuration.find(in: Configuration.usualFolders(of: data) + [cwd]), progress: stages.stage)
}

func run() throws {
    let args = Array(CommandLine.arguments.dropFirst())
    switch args.first {
    case "open":
        var workspace: Workspace?
        let ms = try milliseconds { workspace = try open(Array(args.dropFirst())) }
        print("open\t\(formatFixed(ms, 0))\t\(workspace!.data.buildings.count) buildings, \(workspace!.data.enterprises.count) firms")
    case "edit":
        guard args.count >= 3, args[1] == "--store" else { throw DataError(file: "store-bench", problem: "edit --store STORE [--edits N]") }
        let store = args[2]
        let rounds = args.count >= 5 && args[3] == "--edits" ? Int(args[4]) ?? 5 : 5
        var workspace = try open(["--store", store])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let carrier = workspace.data.carriers[0]
        for round in 1...rounds {
            let file = folder.appendingPathComponent("edit.json")
            guard let version = try DistrictStores.carrierVersion(carrier.id, in: store) else {
                throw DataError(file: store, problem: "has no carrier \(carrier.id)")
            }
            let vacant = carrier.floorAreaM2 * Double(round) / Double(rounds + 1)
            try #"{"edits": [{"edit": "carrier", "id": "\#(carrier.id)", "version": \#(version), "set": {"vacant_m2": \#(vacant)}}]}"#
                .write(to: file, atomically: true, encoding: .utf8)
            let apply = try milliseconds { _ = try DistrictStores.apply(store: store, edits: file, author: "store-bench", reason: "benchmark") }
            var next = workspace
            let figures = try milliseconds { next = try workspace.next() }
            guard abs(next.data.carriers[0].vacantM2 - vacant) < 1e-6 else {
                throw DataError(file: store, problem: "the next snapshot does not show the edit")
            }
            workspace = next
            print("apply\t\(formatFixed(apply, 1))\nfigures\t\(formatFixed(figures, 1))")
        }
    default:
        throw DataError(file: "store-bench", problem: "usage: store-bench open --data DIR | --store STORE; store-bench edit --store STORE [--edits N]")
    }
}

HeapGrowth.inLargeSteps()
do { try run() } catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n".utf8))
    exit(1)
}
