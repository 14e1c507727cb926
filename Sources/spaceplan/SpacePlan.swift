import ArgumentParser
import SpacePlanKit

@main
struct SpacePlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spaceplan",
        abstract: "Plan a district's industrial and tech-cultivation space.",
        discussion: """
            spaceplan joins parcels, buildings, carriers (incubators, maker spaces, parks…) and \
            enterprises into an industrial-space map, and converts coordinates between the CRSs \
            planners meet: EPSG codes, WGS84 and the Chinese web-map systems GCJ-02 and BD-09.

            Start with the shipped (synthetic) sample district:
              spaceplan spacemap --data GIS/sample --out out/sample
              spaceplan map --data GIS/sample --out out/sample/maps --theme all
              spaceplan crs transform --from GCJ-02 --to EPSG:4547 114.0579 22.5431
              spaceplan serve --data GIS/sample          (the workbench in a browser)
            """,
        subcommands: [
            SpaceMapCommand.self, MapCommand.self, ValidateCommand.self, RenewalCommand.self, SupplyCommand.self, CapacityCommand.self,
            TargetCommand.self, AllocateCommand.self, GenerateCommand.self, GenerateDemandCommand.self, InspectCommand.self, CRSCommand.self,
            ServeCommand.self, StoreCommand.self, UsersCommand.self, ProgressCommand.self, GenerateHistoryCommand.self, SimulateCommand.self,
        ]
    )

    /// Runs the command, saying the workspace's errors in the words of the command line's options.
    static func main() async {
        HeapGrowth.inLargeSteps()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: inCommandLineWords(error))
        }
    }
}
