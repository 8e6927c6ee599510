import Foundation
import Testing
@testable import DeconflictCLI
@testable import DeconflictCore
@testable import DeconflictFormats

/// What real files hold (issue 12 item 3, issue 19 "the CLI on real files"): a UTF-8 byte
/// order mark, CRLF line ends, RFC 4180 quoted fields, the column names of the `traffic`
/// library and OpenSky with ISO 8601 times, and files that are not text at all.
@Suite struct RealFileTests {
    func temp(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deconflict-real-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
    func temp(_ name: String, _ text: String) throws -> String { try temp(name, Array(text.utf8)) }

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A BOM used to turn the header's first name into "\u{FEFF}time_s": the file was read
    /// as a snapshot (no time column) instead of a recording.
    @Test func byteOrderMarkAndCRLFKeepARecordingARecording() throws {
        let text = "time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm\r\n100,A,50,5,30000,400,90,0\r\n101,A,50,5.002,30000,400,90,0\r\n"
        let path = try temp("bom.csv", Self.bom + Array(text.utf8))
        let l = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false)
        #expect(l.time == 101)
        #expect(l.states.map(\.id) == ["A"])
        #expect(l.states[0].lon == 5.002)
    }

    @Test func quotedFieldsFollowRFC4180() {
        let f = TrafficCSVHeader.split(#"100,"A, the ""first""",50,5,"30000",400,90,0"#)
        #expect(f == ["100", #"A, the "first""#, "50", "5", "30000", "400", "90", "0"])
        #expect(TrafficCSVHeader.split(#""",x"#) == ["", "x"])
        #expect(TrafficCSVHeader.split("a, b ,c\r") == ["a", "b", "c"])
    }

    @Test func trafficLibraryAndOpenSkyHeadersWithISOTimes() throws {
        let text = """
        timestamp,icao24,callsign,latitude,longitude,altitude,geoaltitude,groundspeed,track,vertical_rate
        2021-10-07 13:00:00+00:00,39856e,"AFR, 1",48.9,2.4,3000,3100,180,270,-700
        2021-10-07T13:00:01Z,39856e,"AFR, 1",48.9,2.39,2990,3090,180,270,-700
        2021-10-07 13:00:01+00:00,4ca7b5,RYR2,49.1,2.6,11000,11200,300,90,0

        """
        let path = try temp("traffic.csv", text)
        let l = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false)
        #expect(l.time == 1_633_611_601)
        #expect(l.states.map(\.id).sorted() == ["39856e", "4ca7b5"])
        let a = try #require(l.states.first { $0.id == "39856e" })
        #expect(a.altFt == 2990)                         // `altitude` (baro, ft) before `geoaltitude`
        #expect(abs(a.gs - 180 * 1852 / 3600) < 1e-9)
        #expect(abs(a.vs - Units.fpm(-700)) < 1e-12)
    }

    @Test func crlfDaaFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Core/Tests/CoreTests/Fixtures/daidalus/H1.daa").standardized
        let lf = try String(contentsOf: url, encoding: .utf8)
        let crlf = lf.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let a = try TrafficLoader.daaPicture(path: url.path, at: nil)
        let b = try TrafficLoader.daaPicture(path: try temp("h1.daa", crlf), at: nil)
        #expect(a.states == b.states)
        #expect(!b.states.isEmpty)
    }

    /// A 1 GiB sparse file (all zero bytes, no line end) used to be read whole into memory
    /// (2 GB resident) by getline; it is refused at line 1 after one bounded read.
    @Test func sparseGigabyteFileIsRefusedLineByLine() throws {
        let path = try temp("sparse.csv", [])
        let h = try #require(FileHandle(forWritingAtPath: path))
        try h.truncate(atOffset: 1 << 30)
        try h.close()
        let before = Clock.peakRSSMB()
        #expect(throws: CLIError.self) { _ = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false) }
        do { _ = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false) } catch {
            #expect("\(error)".contains("line 1 is longer than"))
        }
        #expect(Clock.peakRSSMB() - before < 64, "memory stays bounded")
        try? FileManager.default.removeItem(atPath: path)
    }
}
