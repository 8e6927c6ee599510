import ArgumentParser

/// `deconflict bench`: measure the engine on generated or recorded traffic.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (build with -c release for real numbers).",
        subcommands: [BenchDetectCommand.self, BenchAlertsCommand.self, BenchIntentsCommand.self,
                      BenchDecodeCommand.self, BenchFeedCommand.self, BenchLedgerCommand.self]
    )
}
