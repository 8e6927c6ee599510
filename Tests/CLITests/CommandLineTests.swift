import ArgumentParser
import Testing
@testable import DeconflictCLI

/// The command line the way ArgumentParser intends: typed options refuse what they do not
/// list, and `--version` prints the version.
@Suite struct CommandLineTests {
    @Test func logOptionsAreTyped() throws {
        #expect(throws: (any Error).self) { try DeconflictCommand.parseAsRoot(["serve", "--log-format", "xml"]) }
        #expect(throws: (any Error).self) { try DeconflictCommand.parseAsRoot(["serve", "--log-level", "loud"]) }
        let serve = try #require(try DeconflictCommand.parseAsRoot(["serve", "--log-format", "text", "--log-level", "debug"]) as? ServeCommand)
        #expect(serve.logFormat == .text && serve.logLevel == .debug)
    }

    @Test func versionIsPrinted() {
        #expect(DeconflictCommand.configuration.version == DeconflictVersion.string)
        #expect(!DeconflictVersion.string.isEmpty)
        // --version is handled by ArgumentParser as a clean exit carrying the version text.
        do {
            _ = try DeconflictCommand.parseAsRoot(["--version"])
            Issue.record("--version should stop parsing")
        } catch {
            #expect(DeconflictCommand.message(for: error) == DeconflictVersion.string)
            #expect(DeconflictCommand.exitCode(for: error) == .success)
        }
    }
}
