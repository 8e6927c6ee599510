import DeconflictCLI

await DeconflictMain.run()
