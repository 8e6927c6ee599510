import Testing
@testable import DeconflictCLI

@Suite struct AlertsCommandTests {
    @Test func rootCommandIsNamedDeconflict() {
        #expect(DeconflictCommand.configuration.commandName == "deconflict")
    }
}
