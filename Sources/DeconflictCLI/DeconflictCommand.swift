import ArgumentParser

/// `deconflict`: the root command. Each subcommand lives in its own file under Commands/.
// The availability attribute lets `await DeconflictCommand.main()` pick the async entry point.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct DeconflictCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "deconflict",
        abstract: "A deconfliction channel for independent air operators.",
        discussion: """
        Detect conflicts and alert levels in traffic files, replay recordings, check filed \
        intents, run the deconfliction service, and benchmark each part.
        Run `deconflict help <command>` for the details of one command.
        """,
        version: DeconflictVersion.string,
        subcommands: [DetectCommand.self, ScanCommand.self, AlertsCommand.self, IntentsCommand.self,
                      ServeCommand.self, PartyCommand.self, LedgerCommand.self, DemoCommand.self, LoadCommand.self, FeedCommand.self,
                      DecodeCommand.self, BenchCommand.self]
    )
    public init() {}
}
