import Foundation
import Testing
@testable import DeconflictCLI
@testable import DeconflictCore
import DeconflictFormats

/// Reading real files from disk: formats, --at selection, warnings and errors.
@Suite struct TrafficLoaderTests {
    func temp(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deconflict-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func snapshotWithCRLF() throws {
        let path = try temp("s.csv", "id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm\r\nA,35,38,30000,400,90,0\r\nB,35,38.1,30000,400,270,0\r\n")
        let l = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false)
        #expect(l.states.map(\.id) == ["A", "B"])
        #expect(l.time == nil)
        #expect(abs(l.states[0].gs - 400 * 1852 / 3600) < 1e-9)
    }

    @Test func recordedPicksLatestAtOrBeforeAndProjects() throws {
        let path = try temp("r.csv", """
        time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm
        100,A,0,0,10000,360,0,600
        105,A,0.01,0,10050,360,0,600
        105,B,1,1,20000,300,90,0
        111,A,0.02,0,10100,360,0,600
        130,C,2,2,20000,300,90,0

        """)
        let l = try TrafficLoader.picture(path: path, at: 110, maxAge: 10, skipBad: false)
        #expect(l.states.map(\.id) == ["A", "B"])   // C is later than --at
        let a = l.states[0]
        #expect(a.time == 110)
        // 5 s at 360 kt north: 926 m, i.e. 926 / (R·π/180) degrees; 5 s at 600 fpm: 50 ft.
        #expect(abs(a.lat - (0.01 + 926 / (Units.earthRadius * .pi / 180))) < 1e-9)
        #expect(abs(Units.toFt(a.alt) - 10100) < 1e-6)
        // With a 4 s age limit, B (5 s old) and A (5 s old) are both out.
        let strict = try TrafficLoader.picture(path: path, at: 110, maxAge: 4, skipBad: false)
        #expect(strict.states.isEmpty)
        // Default --at: the last time in the file.
        #expect(try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false).time == 130)
    }

    @Test func emptyFieldsAreCountedNotFatal() throws {
        let path = try temp("e.csv", """
        time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm
        1,A,48,2,,250,90,0
        1,B,48,2.1,3000,,,
        1,C,48,2.2,3000,250,90,0
        """)
        let l = try TrafficLoader.picture(path: path, at: 1, maxAge: 10, skipBad: false)
        #expect(l.states.map(\.id) == ["C"])
        #expect(l.warnings.incomplete == ["alt_ft": 1, "gs_kt": 1])
        #expect(l.warnings.lines.first?.contains("2 rows with empty fields") == true)
    }

    @Test func malformedLineNamesFileLineAndField() throws {
        let path = try temp("bad.csv", "id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm\nA,35,38,30000,400,90,0\nB,95,38,30000,400,90,0\n")
        do {
            _ = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false)
            Issue.record("accepted a latitude of 95")
        } catch let e as InputError {
            #expect(e.line == 3 && e.field == "lat" && e.file == path)
            #expect(e.description.hasPrefix("\(path):3: field 'lat'"))
        }
        let skipped = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: true)
        #expect(skipped.states.map(\.id) == ["A"])
        #expect(skipped.warnings.skipped == 1)
    }

    @Test(arguments: [
        ("A,35,38,30000,-1,90,0", "gs_kt"), ("A,35,nan,30000,400,90,0", "lon"),
        ("A,35,38,abc,400,90,0", "alt_ft"), ("A,35,38,30000,400,90,inf", "vs_fpm"),
        ("A,35,181,30000,400,90,0", "lon"), ("A,35,38,30000,400,90", nil),
    ] as [(String, String?)])
    func rejectsBadValues(row: String, field: String?) throws {
        let path = try temp("v.csv", "id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm\n\(row)\n")
        #expect(throws: InputError.self) { try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false) }
        do { _ = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false) } catch let e as InputError {
            #expect(e.field == field && e.line == 2)
        }
    }

    @Test func missingColumnAndMissingFile() throws {
        let path = try temp("h.csv", "id,lat,lon,alt_ft,gs_kt,trk_deg\nA,1,2,3,4,5\n")
        do { _ = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false); Issue.record("no error") }
        catch let e as InputError { #expect(e.field == "vs_fpm" && e.line == 1) }
        #expect(throws: CLIError.self) { try TrafficLoader.picture(path: "/nonexistent/x.csv", at: nil, maxAge: 10, skipBad: false) }
    }
}

@Suite struct DaaDetectTests {
    @Test func daaStepIsAPicture() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deconflict-daa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("h.daa").path
        // Head-on at 17,000 ft, 10 NM apart at t = 1: 200 kt north vs 600 kt south.
        try """
        # comment
        NAME lat lon alt trk gs vs time
        [none] [deg] [deg] [ft] [deg] [knot] [fpm] [s]
        own, 0.0, 0.0, 17000, 0, 200, 0, 0
        int, 0.2, 0.0, 17000, 180, 600, 0, 0
        own, 0.0, 0.0, 17000, 0, 200, 0, 1
        int, \(Units.deg(Units.nm(10) / Units.earthRadius)), 0.0, 17000, 180, 600, 0, 1
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let last = try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false)
        #expect(last.time == 1 && last.states.map(\.id) == ["own", "int"])
        let c = ConflictDetector().detect(last.states)
        #expect(c.count == 1)
        // 5 NM to close at 800 kt: 22.5 s.
        #expect(abs(c[0].tin - 22.5) < 1e-6)
        #expect(try TrafficLoader.picture(path: path, at: 0.5, maxAge: 10, skipBad: false).time == 0)
        try "NAME lat lon alt trk gs vs time\nown, 0, x, 1, 2, 3, 4, 5\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try TrafficLoader.picture(path: path, at: nil, maxAge: 10, skipBad: false) }
    }
}
