// The allocation benchmark (bench/allocation.sh runs it): for each demand file, the heuristic's
// time, worth and gap to its own bound; the LP relaxation solved by CBC's LP solver (CLP), so
// the heuristic's gap can be stated against the true LP optimum; and, with --exact, CBC's
// optimum. One markdown row per demand file on stdout.
import Foundation
import Allocation
import SpaceCore
import SpaceData
import SpacePlanKit

struct Arguments {
    var data = ""
    var demands: [String] = []
    var exact = false
    var lp = true

    init(_ args: [String]) throws {
        var rest = args.dropFirst()
        while let a = rest.popFirst() {
            switch a {
            case "--data": data = rest.popFirst() ?? ""
            case "--demand": demands.append(rest.popFirst() ?? "")
            case "--exact": exact = true
            case "--no-lp": lp = false
            default:
                throw DataError(
                    file: a, problem: "unknown argument (usage: allocation-bench --data DIR --demand FILE [--demand FILE…] [--exact] [--no-lp])")
            }
        }
        if data.isEmpty || demands.isEmpty { throw DataError(file: "allocation-bench", problem: "needs --data DIR and at least one --demand FILE") }
    }
}

func seconds(since start: Date) -> Double { Date().timeIntervalSince(start) }
func pct(_ x: Double) -> String { formatFixed(x * 100, 3) + " %" }

do {
    let args = try Arguments(CommandLine.arguments)
    let dataURL = URL(fileURLWithPath: args.data)
    // Run from the repository root: the configuration is beside the data or in GIS/config.
    let folders = Configuration.usualFolders(of: dataURL) + [URL(fileURLWithPath: "GIS/config")]
    let workspace = try Workspace(source: DataFolder(dataURL), configuration: Configuration.find(in: folders))
    let map = workspace.spaceMap
    let rules = try readConfig(AllocationRules.self, from: try workspace.file(.allocationRules))
    let lists = try workspace.positiveLists()
    let carriers = CarrierSupply.from(map)
    print(
        "| demand | firms | carriers | options | heuristic s | heuristic worth | its bound | gap to its bound | LP optimum (CLP) | LP s | gap to LP | exact worth (CBC) | CBC bound | exact s | heuristic below exact |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for demand in args.demands {
        let firms = try DemandLoader.load(URL(fileURLWithPath: demand), knownZoneIDs: Set(map.data.zones.map(\.id)))
        let instance = AllocationInstance(firms: firms, carriers: carriers, rules: rules, positiveLists: lists)
        let problem = instance.problem
        let heuristic = try HeuristicSolver(rules).solve(problem)
        var row = [
            URL(fileURLWithPath: demand).lastPathComponent, "\(firms.count)", "\(carriers.count)", "\(problem.options.count)",
            formatFixed(heuristic.seconds, 2), formatFixed(heuristic.objective, 1), formatFixed(heuristic.bound, 1), pct(heuristic.gap),
        ]
        if args.lp {
            let start = Date()
            let lp = try ExactSolver.linearRelaxation(problem)
            row += [formatFixed(lp, 1), formatFixed(seconds(since: start), 2), pct(max(0, lp - heuristic.objective) / lp)]
        } else {
            row += ["", "", ""]
        }
        if args.exact {
            let exact = try ExactSolver(rules, start: HeuristicSolver(rules)).solve(problem)
            row += [
                formatFixed(exact.objective, 1) + (exact.provenOptimal ? " (optimal)" : ""), formatFixed(exact.bound, 1),
                formatFixed(exact.seconds, 2),
                pct(max(0, exact.objective - heuristic.objective) / exact.objective),
            ]
        } else {
            row += ["", "", "", ""]
        }
        print("| " + row.joined(separator: " | ") + " |")
    }
} catch {
    FileHandle.standardError.write(Data("allocation-bench: \(error)\n".utf8))
    exit(1)
}
