import DeconflictCLI

await DeconflictCommand.main()
