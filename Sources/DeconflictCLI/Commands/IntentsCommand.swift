import ArgumentParser

/// `deconflict intents`: strategic deconfliction of operational intents (docs/strategic.md).
public struct IntentsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "intents",
        abstract: "Work with operational intents (4D volumes).",
        subcommands: [IntentsCheckCommand.self, IntentsImportCommand.self, IntentsExportCommand.self]
    )
    public init() {}
}
