import Testing
@testable import DeconflictCore
@testable import DeconflictFormats

/// The CSV reader's fast path must decide every row exactly as the general path does: the
/// same state when it takes a row, nothing (general path) otherwise.
@Suite struct TrafficCSVFastPathTests {
    static let recorded = try! TrafficCSVHeader("time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm,party", lineNumber: 1)

    @Test func fastPathAgreesWithTheGeneralPathOnGeneratedRows() throws {
        var rng = SeededRandom(seed: 11)
        var taken = 0
        let numbers = ["0", "-0", "+5", "5.", ".5", "12.3456789012345", "1234567890123456", "1e3", "0.000001",
                       "48.3634", "-122.25", "90", "90.0000001", "-180", "180.5", " 7 ", "\t3.25", "00012", "-", "", "nan",
                       "inf", "1,5", "385.0", "-2560", "0x10", "1_000"]
        for _ in 0..<20_000 {
            func pick() -> String {
                rng.uniform(0, 1) < 0.5 ? numbers[Int(rng.uniform(0, Double(numbers.count)))]
                    : String((rng.uniform(-200, 200) * 1e5).rounded() / 1e5)
            }
            let time = rng.uniform(0, 1) < 0.1 ? "2021-10-07T12:00:01Z" : pick()
            let line = [time, "AC\(Int(rng.uniform(0, 99)))", pick(), pick(), pick(), pick(), pick(), pick(), "blue"]
                .joined(separator: ",") + (rng.uniform(0, 1) < 0.2 ? "\r" : "")
            let h = Self.recorded
            let general = Result { () throws(InputError) in try h.parseGeneral(Substring(line), lineNumber: 2) }
            if let fast = h.parseFast(Substring(line)) {
                taken += 1
                #expect(try general.get() == fast, "\(line)")
            }
        }
        #expect(taken > 100, "the fast path should take plain rows")
    }

    @Test func plainRowsTakeTheFastPathQuotedOnesDoNot() throws {
        let h = Self.recorded
        let row = h.parseFast("1633608001,398564,48.3634,1.41348,20250,385.0,16.27,-2560,blue")
        guard case let .state(s, party)? = row else { Issue.record("fast path refused a plain row"); return }
        #expect(s.id == "398564" && s.time == 1633608001 && s.lat == 48.3634 && s.lon == 1.41348)
        #expect(s.altFt == 20250 && party == "blue")
        #expect(h.parseFast("1633608001,\"398564\",48.3634,1.41348,20250,385.0,16.27,-2560,blue") == nil)
        #expect(h.parseFast("1633608001,398564,48.3634,1.41348,,385.0,16.27,-2560,blue") == nil)
    }
}
