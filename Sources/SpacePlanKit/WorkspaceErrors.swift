import SpaceData

/// The arguments a question takes besides its files. A front end names them its own way (the
/// command line `--as-of`, the server `as_of`), so the workspace's errors name the argument,
/// not an option of one front end.
public enum WorkspaceArgument: String, Sendable, CaseIterable {
    case asOfYear = "as-of year"
    case shapefileEncoding = "Shapefile encoding"
    case mapClasses = "number of classes"
    case referenceFloorArea = "reference floor area"
    case untilYear = "until year"
    case syntheticFirms = "number of firms"
    case demandOverVacant = "demand over vacant"
    case budget = "yearly budget"
    case syntheticBuildings = "number of buildings"
    case store = "store"
    case asOfDate = "as-of date"
    case author = "author"
    case reason = "reason"
    case since = "since date"
    case fromDate = "from date"
    case toDate = "to date"
    case fromYear = "from year"
    case toYear = "to year"
    case runs = "number of runs"
    case scenario = "scenario"
}

/// A question's argument that cannot be used: which, and what is wrong with it.
public struct ArgumentError: Error, CustomStringConvertible, Sendable {
    public let argument: WorkspaceArgument
    public let problem: String
    public var description: String { "\(argument.rawValue): \(problem)" }

    /// The same error as a data error naming the front end's own name for the argument.
    public func named(_ name: String) -> DataError { DataError(file: name, problem: problem) }

    /// Runs a check written for a named option and gives its failure as this argument's.
    static func checking<T>(_ argument: WorkspaceArgument, _ check: (String) throws -> T) throws -> T {
        do { return try check(argument.rawValue) } catch let error as DataError where error.file == argument.rawValue {
            throw ArgumentError(argument: argument, problem: error.problem)
        }
    }
}

/// No configuration file of a kind was found or named: the front end says how to name one.
public struct MissingConfiguration: Error, CustomStringConvertible, Sendable {
    public let file: Configuration.File
    /// The data folder it was looked for beside.
    public let near: String
    public var description: String { "\(near): no \(file.what) found (e.g. GIS/config/\(file.rawValue))" }

    /// The error as the command line says it, naming its option.
    public func named(_ option: String) -> DataError {
        DataError(file: near, problem: "no \(file.what) found: pass it with \(option) (e.g. GIS/config/\(file.rawValue))")
    }
}
