import Testing
import DeconflictCore
@testable import DeconflictCLI

@Suite struct AlertsCommandTests {
    @Test func parsesOptions() throws {
        let c = try AlertsCommand.parse(["--input", "H1.daa", "--alerter", "phase2", "--format", "jsonl",
                                         "--ownship", "Ownship"])
        #expect(c.input == "H1.daa" && c.alerter == "phase2" && c.format == .jsonl && c.ownship == "Ownship")
        #expect(c.stepS == 1 && c.staleS == 10)
        #expect(throws: (any Error).self) { try AlertsCommand.parse(["--input", "x.csv", "--step-s", "0"]) }
    }

    @Test func resolvesBuiltInAlerters() throws {
        #expect(try AlerterOption.resolve("phase1") == Alerter.phase1)
        #expect(try AlerterOption.resolve("NONCOOP") == Alerter.nonCooperative)
        #expect(throws: AlertsError.self) { try AlerterOption.resolve("no-such-alerter-or-file") }
    }

    @Test func formatsNumbersCompactly() {
        #expect(Cell.fixed(112, 3) == "112.0")
        #expect(Cell.fixed(53.0683424, 3) == "53.068")
        #expect(Cell.fixed(-0.0000001, 3) == "0.0")
        #expect(Cell.fixed(0.141330, 6) == "0.14133")
    }

    @Test func rowHasTheDocumentedColumns() {
        #expect(AlertRow.columns == ["time", "ownship", "intruder", "alert_level", "time_to_level1_s",
                                     "time_to_level2_s", "time_to_level3_s", "hsep_nm", "vsep_ft", "tcpa_s",
                                     "dcpa_nm", "tau_mod_s"])
    }
}
