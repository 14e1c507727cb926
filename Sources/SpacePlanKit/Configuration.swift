import Foundation
import SpaceData

/// The configuration files a workspace reads, each given explicitly. Nothing here looks in the
/// working directory: a front end decides where to look (`find(in:)`) and may override any file.
public struct Configuration: Sendable {
    public enum File: String, CaseIterable, Sendable {
        case policy = "policy.json"
        case positiveLists = "positive_lists.json"
        case renewalRules = "renewal.json"
        case landSupply = "land_supply.json"
        case allocationRules = "allocation.json"
        case buildOut = "buildout.json"
        case simulation = "simulation.json"

        /// What the file holds, for messages.
        public var what: String {
            switch self {
            case .policy: return "policy configuration"
            case .positiveLists: return "positive lists"
            case .renewalRules: return "renewal rules"
            case .landSupply: return "land-supply settings"
            case .allocationRules: return "allocation rules"
            case .buildOut: return "build-out rules"
            case .simulation: return "simulation settings"
            }
        }
    }

    public var files: [File: URL]

    public init(_ files: [File: URL] = [:]) { self.files = files }

    /// Each file from the first of `folders` that holds it.
    public static func find(in folders: [URL]) -> Configuration {
        var found: [File: URL] = [:]
        for file in File.allCases {
            found[file] = folders.map { $0.appendingPathComponent(file.rawValue) }.first { FileManager.default.fileExists(atPath: $0.path) }
        }
        return Configuration(found)
    }

    /// Where a data folder's configuration usually is: beside the layers, or in the sibling
    /// `config` folder (as GIS/sample and GIS/config).
    public static func usualFolders(of data: URL) -> [URL] {
        [data, data.deletingLastPathComponent().appendingPathComponent("config")]
    }

    /// The file, or an error saying none was found (each front end says how to name one).
    public func url(_ file: File, near data: URL) throws -> URL {
        guard let url = files[file] else { throw MissingConfiguration(file: file, near: data.path) }
        return url
    }
}
