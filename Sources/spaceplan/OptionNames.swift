import ArgumentParser
import Foundation
import SpacePlanKit

/// The command line's own names for what the workspace asks: each configuration file's option,
/// and each argument's flag, so that an error names the flag a planner typed.
extension Configuration.File {
    /// The command-line option that names the file.
    var flag: String {
        switch self {
        case .policy: return "--config"
        case .positiveLists: return "--positive-lists"
        case .renewalRules: return "--rules"
        case .landSupply: return "--land-supply"
        case .allocationRules: return "--allocation-rules"
        case .buildOut: return "--buildout"
        case .simulation: return "--simulation"
        }
    }
}

extension WorkspaceArgument {
    var flag: String {
        switch self {
        case .asOfYear: return "--as-of"
        case .shapefileEncoding: return "--shapefile-encoding"
        case .mapClasses: return "--classes"
        case .referenceFloorArea: return "--reference-floor-area"
        case .untilYear: return "--until"
        case .syntheticFirms: return "--firms"
        case .demandOverVacant: return "--demand-over-vacant"
        case .budget: return "--budget"
        case .syntheticBuildings: return "--buildings"
        case .store: return "--store"
        case .asOfDate: return "--as-of-date"
        case .author: return "--author"
        case .reason: return "--reason"
        case .since: return "--since"
        case .fromDate, .fromYear: return "--from"
        case .toDate, .toYear: return "--to"
        case .runs: return "--runs"
        case .scenario: return "--scenario"
        }
    }
}

/// An error as the command line says it: the workspace's, in the words of its options.
func inCommandLineWords(_ error: any Error) -> any Error {
    switch error {
    case let e as ArgumentError: return e.named(e.argument.flag)
    case let e as MissingConfiguration: return e.named(e.file.flag)
    default: return error
    }
}
