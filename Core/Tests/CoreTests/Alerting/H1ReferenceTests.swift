import Testing
import DeconflictCore
@testable import DeconflictFormats

/// NASA scenario H1 through the Phase I alerter, compared step by step with DAIDALUS's own
/// output (DO-365B without SUM). Tolerances: alert level exact; times 1e-3 s; distances
/// 1e-5 NM; vertical separation 1e-6 ft.
@Suite struct H1ReferenceTests {
    struct Expected {
        var time: Double, level: Int, ttv: [Double], hsep: Double, vsep: Double
        var tcpa: Double, dcpa: Double, tauMod: Double?
    }

    static func expected() throws -> [Expected] {
        let lines = try Fixture.text("daidalus/H1-expected-alerting-DO_365B_no_SUM.csv")
            .split(separator: "\n").dropFirst(2)
        return lines.map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            func d(_ s: String) -> Double { s == "infty" ? .infinity : Double(s)! }
            return Expected(time: d(f[0]), level: Int(f[4])!, ttv: [d(f[5]), d(f[6]), d(f[7])],
                            hsep: d(f[8]), vsep: d(f[9]), tcpa: d(f[14]), dcpa: d(f[15]),
                            tauMod: f[17].isEmpty ? nil : d(f[17]))
        }
    }

    static func run() throws -> [(time: Double, a: PairAssessment)] {
        let scenario = try DaaReader.parse(try Fixture.text("daidalus/H1.daa"))
        var alerting = OwnshipAlerting(alerter: .phase1)
        return scenario.steps.map { step in
            let out = alerting.step(ownship: step.aircraft[0], intruders: Array(step.aircraft.dropFirst()), time: step.time)
            #expect(out.count == 1)
            return (step.time, out[0].assessment)
        }
    }

    @Test func matchesDaidalusEveryStep() throws {
        let exp = try Self.expected()
        let got = try Self.run()
        #expect(exp.count == 230)
        #expect(got.count == exp.count)
        for (e, g) in zip(exp, got) {
            #expect(g.time == e.time)
            #expect(g.a.level == e.level, "level at t=\(e.time)")
            for k in 0..<3 {
                if e.ttv[k].isInfinite {
                    #expect(g.a.timeToLevel[k].isInfinite, "time to level \(k + 1) at t=\(e.time)")
                } else {
                    #expect(abs(g.a.timeToLevel[k] - e.ttv[k]) < 1e-3, "time to level \(k + 1) at t=\(e.time): \(g.a.timeToLevel[k]) vs \(e.ttv[k])")
                }
            }
            #expect(abs(g.a.horizontalSeparation / 1852 - e.hsep) < 1e-5, "hsep at t=\(e.time)")
            #expect(abs(g.a.verticalSeparationFt - e.vsep) < 1e-6)
            #expect(abs(g.a.tcpa - e.tcpa) < 1e-3, "tcpa at t=\(e.time): \(g.a.tcpa) vs \(e.tcpa)")
            #expect(abs(g.a.dcpa / 1852 - e.dcpa) < 1e-5, "dcpa at t=\(e.time)")
            if let t = e.tauMod {
                #expect(g.a.tauMod != nil && abs(g.a.tauMod! - t) < 1e-3, "tau_mod at t=\(e.time)")
            } else {
                #expect(g.a.tauMod == nil, "tau_mod should be undefined at t=\(e.time)")
            }
        }
    }

    @Test func alertSequenceIsL2At112L3At142L0From206() throws {
        let got = try Self.run()
        let level = { (t: Double) in got.first { $0.time == t }!.a.level }
        #expect(got.filter { $0.time <= 111 }.allSatisfy { $0.a.level == 0 })
        #expect(level(112) == 2)
        #expect(got.filter { $0.time >= 112 && $0.time < 142 }.allSatisfy { $0.a.level == 2 })
        #expect(got.filter { $0.time >= 142 && $0.time < 206 }.allSatisfy { $0.a.level == 3 })
        #expect(got.filter { $0.time >= 206 }.allSatisfy { $0.a.level == 0 })
    }
}
