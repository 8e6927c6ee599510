import ArgumentParser
import DeconflictCLI

/// The executable: ArgumentParser runs the tree (`AsyncParsableCommand.main()`), awaiting the
/// async commands (the server's) and running the others.
@main
struct Entry {
    static func main() async { await run(DeconflictCommand.self) }

    /// Generic over the root so that the async `main()` of `AsyncParsableCommand` is the one called.
    static func run<Root: AsyncParsableCommand>(_ root: Root.Type) async { await root.main() }
}
