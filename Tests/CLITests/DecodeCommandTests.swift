import Foundation
import Testing
import DeconflictFormats
@testable import DeconflictCLI
import DeconflictCore

@Suite struct DecodeCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Core/Tests/FormatsTests/Fixtures").standardized

    /// `deconflict decode` on the real-frames file writes the state CSV `detect` reads: one
    /// row per assembled state, the documented columns, values in aviation units.
    @Test func decodesTheRealFramesToStateCSV() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("decode-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: out) }
        let input = Self.fixtures.appendingPathComponent("adsb_frames_afr34zg_2024-07-06.csv").path
        let cmd = try DecodeCommand.parse([input, "--receiver", "49.0097,2.5479", "-o", out.path])
        try cmd.run()
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm")
        #expect(lines.count == 1 + 8_324)
        let cruise = lines.dropFirst().map { $0.split(separator: ",") }.filter { Double($0[4])! >= 30_000 }
        #expect(cruise.count > 1_000)
        let row = try #require(cruise.first)
        #expect(row[1] == "393322")
        #expect(Double(row[5])! > 300 && Double(row[5])! < 600)     // kt
        // The same CSV loads as a traffic picture (the last state of the one aircraft).
        let picture = try TrafficLoader.picture(path: out.path, at: nil, maxAge: 60, skipBad: false)
        #expect(picture.states.count == 1)
    }

    @Test func detectsFormatsAndRefusesUnknownOnes() throws {
        let bin = Self.fixtures.appendingPathComponent("sample_dump1090.bin").path
        #expect(try FeedSourceSpec.fileInput(path: bin, format: nil, tz: nil) == .beast)
        #expect(try FeedSourceSpec.fileInput(path: bin, format: "sbs", tz: "+02:00") == .sbs(utcOffsetSeconds: 7200))
        #expect(throws: CLIError.self) { try FeedSourceSpec.fileInput(path: bin, format: "nope", tz: nil) }
        #expect(throws: CLIError.self) { try FeedSourceSpec.parse("sbs://127.0.0.1:30003") }   // no tz
        #expect(try FeedSourceSpec.parseTimeZone("-05:30") == -(5 * 3600 + 1800))
        #expect(try FeedSourceSpec.parseTimeZone("UTC") == 0)
        #expect(throws: CLIError.self) { try FeedSourceSpec.parseTimeZone("Europe/Paris") }
        let s = try FeedSourceSpec.parse("beast://127.0.0.1")
        if case let .tcp(host, port) = s.kind { #expect(host == "127.0.0.1" && port == 30005) } else { Issue.record("not tcp") }
    }

    @Test func csvNumbers() {
        var c = StateCSV()
        c.fixed(0.5, 6); c.bytes.append(44)
        c.fixed(-12.25, 2); c.bytes.append(44)
        c.fixed(35000.4, 0); c.bytes.append(44)
        c.fixed(-0.0000001, 3)
        #expect(String(decoding: c.bytes, as: UTF8.self) == "0.500000,-12.25,35000,0.000")
    }
}

@Suite struct OwnAircraftFilterTests {
    func state(_ id: String, _ callsign: String?) -> AssembledState {
        AssembledState(state: .init(id: id, lat: 0, lon: 0, alt: 0, gs: 0, trk: 0, vs: 0), callsign: callsign, squawk: nil,
                       onGround: false, provenance: .init(format: .beast, positionPath: .global, bitsCorrected: 0,
                                                          positionTypeCode: 11, messages: 1))
    }

    @Test func blocksAndPrefixes() throws {
        let f = try OwnAircraftFilter(addresses: "3c0000-3fffff, ae1234", callsigns: "blu,CTM")
        #expect(f.contains(state("3c6444", nil)))
        #expect(f.contains(state("ae1234", nil)))
        #expect(!f.contains(state("ae1235", nil)))
        #expect(f.contains(state("000001", "BLU42")))
        #expect(!f.contains(state("000001", "AFR34ZG")))
        #expect(!f.contains(state("trk17", nil)))
        #expect(OwnAircraftFilter().isEmpty)
        #expect(throws: (any Error).self) { try OwnAircraftFilter(addresses: "zz0000", callsigns: nil) }
        #expect(throws: (any Error).self) { try OwnAircraftFilter(addresses: "3fffff-3c0000", callsigns: nil) }
    }
}
