import DeconflictCLI

// Parse and run by hand: the root is async (the server commands are), most
// subcommands are synchronous.
await DeconflictCommand.runFromCommandLine()
