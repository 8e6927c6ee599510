@testable import DeconflictCLI
import Testing

@Suite("deconflict load")
struct LoadCommandTests {
    @Test("Refuses non-loopback URLs", arguments: ["http://10.0.0.1:8080", "http://192.168.1.2", "http://example.com:8080",
                                                     "http://8.8.8.8", "https://127.0.0.1:8080", "http://127.0.0.1.evil.com"])
    func refusesNonLoopback(url: String) {
        #expect(throws: (any Error).self) { _ = try LoopbackURL(url) }
    }

    @Test("Accepts loopback URLs", arguments: ["http://127.0.0.1:8080", "http://localhost:9000", "http://[::1]:8080", "http://127.1.2.3:80"])
    func acceptsLoopback(url: String) throws {
        _ = try LoopbackURL(url)
    }

    @Test("Report JSON numbers are written exactly")
    func fixedDecimals() {
        #expect(ReportJSON.fmt(-0.5, 1) == "-0.5")
        #expect(ReportJSON.fmt(12.345678, 6) == "12.345678")
        #expect(ReportJSON.fmt(-0.04, 1) == "-0.0" || ReportJSON.fmt(-0.04, 1) == "0.0")
        #expect(ReportJSON.fmt(359.999, 2) == "360.00")
    }
}
