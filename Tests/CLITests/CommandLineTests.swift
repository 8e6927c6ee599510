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

    @Test func serveOptionsFallBackToTheEnvironment() throws {
        let serve = try #require(try DeconflictCommand.parseAsRoot(["serve", "--port", "9000"]) as? ServeCommand)
        let env = ["DECONFLICT_PORT": "7000", "DECONFLICT_HOST": "0.0.0.0", "DECONFLICT_STORE": "sqlite:/tmp/x",
                   "DECONFLICT_CYCLE_MS": "250", "DECONFLICT_STREAM_TRACKS": "false", "DECONFLICT_LOG_FORMAT": "text",
                   "DECONFLICT_LOG_LEVEL": "debug", "DECONFLICT_VICINITY_NM": "20", "DECONFLICT_ALERTER": "phase2"]
        let s = try serve.settings(env)
        #expect(s.port == 9000, "the flag wins over the environment")
        #expect(s.host == "0.0.0.0" && s.store == "sqlite:/tmp/x" && s.cycleMs == 250 && !s.streamTracks)
        #expect(s.logFormat == .text && s.logLevel == .debug && s.vicinityNM == 20 && s.vicinityFt == 5000 && s.alerter == "phase2")
        let defaults = try serve.settings([:])
        #expect(defaults.host == "127.0.0.1" && defaults.store == "sqlite" && defaults.cycleMs == 1000 && defaults.streamTracks)
        #expect(throws: (any Error).self) { try serve.settings(["DECONFLICT_CYCLE_MS": "soon"]) }
        #expect(throws: (any Error).self) { try serve.settings(["DECONFLICT_LOG_FORMAT": "xml"]) }
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
