import Foundation
import Testing
import DeconflictCore
@testable import DeconflictFormats

/// One row of the shared real-frames file (57,793 frames of AFR34ZG, 2024-07-06), with the
/// values the rs1090 decoder stored beside each frame.
struct RealFrame {
    var time: Double
    var bytes: [UInt8]
    var df: Int
    var bds: String
    var altFt: Double?, lat: Double?, lon: Double?, gsKt: Double?, trkDeg: Double?, vsFpm: Double?
    var callsign: String?, squawk: String?

    static func load() throws -> [RealFrame] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/adsb_frames_afr34zg_2024-07-06", withExtension: "csv"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var out: [RealFrame] = []
        for (n, line) in text.split(separator: "\n").enumerated() where n > 0 {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func d(_ i: Int) -> Double? { f[i].isEmpty ? nil : Double(f[i]) }
            let df = Int(f[2])!
            // Short replies are padded to 28 hex digits in this file: keep the first 14.
            let hex = df < 16 ? String(f[1].prefix(14)) : f[1]
            out.append(RealFrame(time: Double(f[0])!, bytes: hexBytes(hex), df: df, bds: f[4],
                                 altFt: d(5), lat: d(6), lon: d(7), gsKt: d(8), trkDeg: d(9), vsFpm: d(10),
                                 callsign: f[11].isEmpty ? nil : f[11], squawk: f[12].isEmpty ? nil : f[12]))
        }
        return out
    }
}

func hexBytes(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var it = s.utf8.makeIterator()
    while let a = it.next(), let b = it.next() {
        out.append(AVRDecoder.hex(a)! << 4 | AVRDecoder.hex(b)!)
    }
    return out
}

/// Metres between two positions.
func metres(_ la1: Double, _ lo1: Double, _ la2: Double, _ lo2: Double) -> Double {
    TrackAssembler.distance(la1, lo1, la2, lo2)
}

@Suite struct RealFramesTests {
    static let cdg = (lat: 49.0097, lon: 2.5479)

    /// Every frame decodes with its address and the reference's values — except noise:
    /// the file holds every frame whose AP-recovered address is 393322, so a few corrupted
    /// replies of other aircraft are in it by chance (1 in 2^24 per frame over a large
    /// capture). Each of those must be refused: by the decoder (invalid flight status) or by
    /// the assembler (an altitude no aircraft can reach in that time).
    @Test func everyFrameDecodesWithTheRightAddressAndFields() throws {
        let frames = try RealFrame.load()
        #expect(frames.count == 57_793)
        var dec = ModeSDecoder()
        var asm = TrackAssembler(receiver: Self.cdg)
        var altChecked = 0, sqChecked = 0, csChecked = 0, velChecked = 0
        var refusedNoise: [Int] = []
        for (n, f) in frames.enumerated() {
            let decoded = dec.decode(f.bytes)
            guard let m = decoded else { refusedNoise.append(n); continue }
            #expect(Int(m.df) == f.df)
            #expect(m.address == 0x393322, "DF\(f.df) address \(String(m.address, radix: 16))")
            #expect(m.bitsCorrected == 0)
            let before = asm.rejects.values.reduce(0, +)
            _ = asm.add(m, time: f.time)
            let refused = asm.rejects.values.reduce(0, +) > before
            if refused { refusedNoise.append(n); continue }
            switch m.content {
            case let .altitude(ft):
                if let ref = f.altFt, let ft { #expect(ft == ref, "frame \(n)"); altChecked += 1 }
            case let .airbornePosition(_, ft, gnss, _):
                #expect(!gnss)
                if let ref = f.altFt { #expect(ft == ref); altChecked += 1 }
            case let .identity(sq):
                if let ref = f.squawk { #expect(ModeSCodes.squawkString(sq) == ref, "frame \(n)"); sqChecked += 1 }
            case let .identification(cs, _):
                #expect(cs == f.callsign); csChecked += 1
            case let .commBIdentification(cs):
                if let ref = f.callsign { #expect(cs == ref); csChecked += 1 }
            case let .velocity(gs, trk, vs, _, _):
                if let ref = f.gsKt { #expect(abs(gs! - ref) < 0.01) }
                if let ref = f.trkDeg { #expect(abs(trk! - ref) < 0.01) }
                if let ref = f.vsFpm { #expect(vs == ref) }
                velChecked += 1
            default: break
            }
        }
        // The noise frames, each looked at by hand: a DF4 at 16,800 ft amid 34,900 ft
        // replies (29,897), a DF20 at 39,150 ft amid 5,600 ft ones (34,454), DF4/DF21 with
        // flight status 7 (45,675, 50,728), a DF4 Gillham code of −100 ft amid 475 ft (56,724).
        #expect(refusedNoise == [29_897, 34_454, 45_675, 50_728, 56_724], "\(refusedNoise)")
        #expect(dec.rejects == [.malformed: 2])
        #expect(altChecked > 30_000 && sqChecked > 10_000 && csChecked >= 865 && velChecked == 6_384)
    }

    @Test func positionsWithinTenMetresOfTheReference() throws {
        let frames = try RealFrame.load()
        var dec = ModeSDecoder()
        var asm = TrackAssembler(receiver: Self.cdg)
        var compared = 0, missing = 0, worst = 0.0
        for f in frames {
            guard let m = dec.decode(f.bytes) else { continue }
            _ = asm.add(m, time: f.time)
            guard let refLat = f.lat, let refLon = f.lon, f.df == 17 else { continue }
            guard let p = asm.lastPosition(address: 0x393322), p.time == f.time else { missing += 1; continue }
            let d = metres(p.lat, p.lon, refLat, refLon)
            worst = max(worst, d)
            compared += 1
        }
        // Every airborne and surface position the reference has, we have too, within 10 m.
        #expect(missing == 0)
        #expect(compared == 6_457 + 1_867)
        #expect(worst <= 10, "worst \(worst) m")
        // No position was refused; the three refusals are the noise altitudes above.
        #expect(asm.rejects[.implausible, default: 0] == 3)
    }

    @Test func assembledStatesFollowTheFlight() throws {
        let frames = try RealFrame.load()
        var dec = ModeSDecoder()
        var asm = TrackAssembler(receiver: Self.cdg)
        var states: [AssembledState] = []
        for f in frames {
            guard let m = dec.decode(f.bytes) else { continue }
            if let s = asm.add(m, time: f.time) { states.append(s) }
        }
        #expect(states.count > 8_000)
        let airborne = states.filter { !$0.onGround }
        #expect(airborne.count > 6_000)
        let last = try #require(states.last)
        #expect(last.state.id == "393322")
        #expect(last.callsign == "AFR34ZG")
        // The flight ends near Toulouse.
        #expect(abs(last.state.lat - 43.6) < 1.0 && abs(last.state.lon - 1.4) < 1.0)
        // States are SI: a cruise altitude above 10 km, speeds in m/s.
        #expect(airborne.map(\.state.alt).max()! > 10_000)
        #expect(airborne.allSatisfy { $0.state.gs < 300 })
    }
}
