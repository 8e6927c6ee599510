import DeconflictCLI

// Inside an async function the async `AsyncParsableCommand.main()` is chosen; as a bare
// top-level `await DeconflictCommand.main()` the synchronous `ParsableCommand.main()` was,
// which refuses async subcommands ("Asynchronous root command needs availability annotation").
func runDeconflict() async { await DeconflictCommand.main() }
await runDeconflict()
