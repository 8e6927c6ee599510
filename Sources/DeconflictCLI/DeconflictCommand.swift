import ArgumentParser

/// `deconflict`: the root command. Each subcommand lives in its own file under Commands/.
public struct DeconflictCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "deconflict",
        abstract: "A deconfliction channel for independent air operators.",
        discussion: """
        Detect conflicts in traffic files, replay recorded traffic, benchmark the engine.
        Run `deconflict help <command>` for the details of one command.
        """,
        subcommands: [ServeCommand.self, PartyCommand.self, LoadCommand.self, DemoCommand.self]
    )
    public init() {}
}
