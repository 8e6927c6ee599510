import Foundation
import Testing
@testable import DeconflictCore
@testable import DeconflictFormats

/// Our detector against BlueSky 1.1.1 CStateBased on the peer's own traffic
/// (`gen_traffic.py`, seed 42, at hpz 999 ft): the same unordered pairs, the same LoS
/// flags, and the same tcpa / dcpa / time to LoS within the fixture's rounding.
@Suite struct BlueSkyComparisonTests {
    struct Pair { let a, b: String; let tcpa, dcpa, tlos: Double; let los: Bool }

    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/bluesky/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func traffic(_ n: Int) throws -> [AircraftState] {
        let lines = try fixture("traffic_\(n).csv").split(whereSeparator: \.isNewline)
        let header = try TrafficCSVHeader(lines[0])
        return try lines.dropFirst().enumerated().map { k, line in
            guard case .state(let s, _) = try header.parse(line, lineNumber: k + 2) else {
                throw InputError(line: k + 2, message: "incomplete row in fixture")
            }
            return s
        }
    }

    static func pairs(_ n: Int) throws -> [Pair] {
        try fixture("pairs_\(n).csv").split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            return Pair(a: f[0], b: f[1], tcpa: Double(f[2])!, dcpa: Double(f[3])!, tlos: Double(f[4])!, los: f[5] == "true")
        }
    }

    @Test(arguments: [1000, 5000])
    func samePairsAsBlueSky(n: Int) throws {
        let states = try Self.traffic(n)
        #expect(states.count == n)
        let picture = TrafficPicture(states)
        let mine = ConflictDetector(parameters: DetectionParameters(rpzNM: 5, hpzFt: 999, lookaheadS: 300)).detect(picture)
        let theirs = try Self.pairs(n)
        #expect(mine.count == theirs.count)
        let byKey = Dictionary(uniqueKeysWithValues: theirs.map { ("\($0.a)|\($0.b)", $0) })
        var matched = 0
        for c in mine {
            let key = "\(picture.ids[c.a])|\(picture.ids[c.b])"
            guard let t = byKey[key] else { Issue.record("extra pair \(key)"); continue }
            matched += 1
            #expect(abs(c.tcpa - t.tcpa) < 2e-3, "\(key) tcpa")
            #expect(abs(Units.toNM(c.dcpa) - t.dcpa) < 2e-4, "\(key) dcpa")
            #expect(abs(c.tin - t.tlos) < 2e-3, "\(key) tin")
            #expect(c.los == t.los, "\(key) los")
        }
        #expect(matched == theirs.count)
    }
}
