import ArgumentParser

/// The program's entry: parses the command line and runs the chosen command, awaiting
/// async commands. (A bare `await DeconflictCommand.main()` in main.swift's top-level
/// code resolves to ParsableCommand's synchronous `main()`, which refuses async
/// subcommands.)
public enum DeconflictMain {
    public static func run() async {
        do {
            var command = try DeconflictCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            DeconflictCommand.exit(withError: error)
        }
    }
}
