import Testing
import DeconflictCore
@testable import DeconflictFormats


@Suite struct ModeSParityTests {
    /// A published DF17 identification frame (the example of "The 1090 MHz Riddle",
    /// KLM1023): parity 0, address 4840D6, callsign KLM1023.
    @Test func publishedIdentificationFrame() {
        var dec = ModeSDecoder()
        let m = dec.decode(hexBytes("8D4840D6202CC371C32CE0576098"))
        #expect(m?.address == 0x4840D6)
        #expect(m?.content == .identification(callsign: "KLM1023", category: 0x10))
    }

    /// Published airborne position pair (same source): even 8D40621D58C382D690C8AC2863A7,
    /// odd 8D40621D58C386435CC412692AD6 → 52.2572° N, 3.9194° E, 38,000 ft.
    @Test func publishedPositionPair() {
        var dec = ModeSDecoder()
        guard case let .airbornePosition(even, altE, _, _)? = dec.decode(hexBytes("8D40621D58C382D690C8AC2863A7"))?.content,
              case let .airbornePosition(odd, _, _, _)? = dec.decode(hexBytes("8D40621D58C386435CC412692AD6"))?.content
        else { Issue.record("did not decode"); return }
        #expect(altE == 38_000)
        let p = CPR.globalAirborne(even: even, odd: odd, latestIsOdd: false)
        #expect(abs(p!.lat - 52.25720) < 1e-4)
        #expect(abs(p!.lon - 3.91937) < 1e-4)
    }

    /// Every single-bit error of a real DF17 frame (outside the DF field) is repaired to the
    /// original; every two-bit error is refused (never "repaired" into another frame).
    @Test func bitFlipsAreCorrectedOrRefused() throws {
        let frames = try RealFrame.load().filter { $0.df == 17 }
        var rng = SeededRandom(seed: 17)
        var dec = ModeSDecoder()
        var repaired = 0, refused = 0
        for f in frames.prefix(400) {
            let original = dec.decode(f.bytes)!
            for bit in 5..<112 {
                var b = f.bytes
                b[bit >> 3] ^= 0x80 >> UInt8(bit & 7)
                let m = dec.decode(b)
                #expect(m?.bitsCorrected == 1)
                var fixed = m; fixed?.bitsCorrected = 0
                #expect(fixed == original, "bit \(bit)")
                repaired += 1
            }
            for _ in 0..<50 {
                var b = f.bytes
                let i = Int.random(in: 0..<112, using: &rng)
                var j = Int.random(in: 0..<112, using: &rng)
                while j == i { j = Int.random(in: 0..<112, using: &rng) }
                b[i >> 3] ^= 0x80 >> UInt8(i & 7)
                b[j >> 3] ^= 0x80 >> UInt8(j & 7)
                let m = dec.decode(b)
                // A flip in the DF field can turn the frame into another format; such a
                // frame still never yields an ADS-B position.
                if let m, m.df == 17 || m.df == 18 { Issue.record("2-bit error accepted: \(i), \(j)") }
                if m == nil || (m!.df != 17 && m!.df != 18) { refused += 1 }
            }
        }
        #expect(repaired == 400 * 107 && refused == 400 * 50)
    }

    /// A corrupted AP reply decodes to a wrong address, which the assembler refuses as
    /// unconfirmed; a repaired DF17 of an aircraft never heard cleanly is refused too.
    @Test func corruptedRepliesNeverMakeAPosition() throws {
        var dec = ModeSDecoder()
        var asm = TrackAssembler()
        let df4 = ModeSEncoder.altitudeReply(address: 0x393322, altFt: 35_000)
        var bad = df4; bad[3] ^= 0x04
        let dm = dec.decode(bad)
        let m = try #require(dm)
        #expect(m.address != 0x393322)
        #expect(asm.add(m, time: 0) == nil)
        #expect(asm.rejects[.unconfirmedAddress] == 1)
        // Repaired DF17 from an unknown aircraft: refused.
        var pos = ModeSEncoder.airbornePosition(address: 0xABCDEF, lat: 48, lon: 2, altFt: 30_000, odd: false)
        pos[9] ^= 0x01
        let dr = dec.decode(pos)
        let r = try #require(dr)
        #expect(r.bitsCorrected == 1)
        #expect(asm.add(r, time: 0) == nil)
        #expect(asm.rejects[.unconfirmedAddress] == 2)
        #expect(asm.count == 0)
    }

    @Test func gillhamAndTwentyFiveFootCodes() {
        // The 100 ft cycle of the Gillham code with the 500 ft bits all zero, in the order
        // C4, C2 C4, C2, C1 C2, C1 (C1 = 0x1000, C2 = 0x400, C4 = 0x100 in the AC field):
        // −1,200 … −800 ft; then with B4 set (500 ft count 1) the cycle runs backwards.
        #expect(ModeSCodes.altitudeAC13(0x0100) == -1200)
        #expect(ModeSCodes.altitudeAC13(0x0500) == -1100)
        #expect(ModeSCodes.altitudeAC13(0x0400) == -1000)
        #expect(ModeSCodes.altitudeAC13(0x1400) == -900)
        #expect(ModeSCodes.altitudeAC13(0x1000) == -800)
        #expect(ModeSCodes.altitudeAC13(0x1000 | 0x02) == -700)
        #expect(ModeSCodes.altitudeAC13(0x0100 | 0x02) == -300)
        #expect(ModeSCodes.altitudeAC13(0x0002) == nil)              // no C bit: invalid
        // 25 ft codes round-trip through the encoder over the whole range.
        for ft in stride(from: -1000.0, through: 50_175, by: 25) {
            #expect(ModeSCodes.altitudeAC13(ModeSEncoder.altitude13(ft)) == ft)
            #expect(ModeSCodes.altitudeAC12(ModeSEncoder.altitude12(ft)) == ft)
        }
        #expect(ModeSCodes.altitudeAC13(0) == nil)
        #expect(ModeSCodes.altitudeAC13(0x40) == nil)              // metric
    }

    @Test func encodedFramesDecodeToWhatWasEncoded() {
        var dec = ModeSDecoder()
        #expect(dec.decode(ModeSEncoder.identification(address: 0x3C6444, callsign: "DLH9U"))?.content
                == .identification(callsign: "DLH9U", category: 0x13))
        guard case let .velocity(gs, trk, vs, baro, _)? = dec.decode(ModeSEncoder.velocity(address: 1, gsKt: 450, trkDeg: 271.3, vsFpm: -1500))?.content
        else { Issue.record("no velocity"); return }
        #expect(abs(gs! - 450) < 1 && abs(trk! - 271.3) < 0.2 && vs == -1472 && baro)
        #expect(dec.decode(ModeSEncoder.identityReply(address: 0x123456, squawk: 0x7615))?.content == .identity(squawk: 0x7615))
        #expect(dec.decode(ModeSEncoder.identityReply(address: 0x123456, squawk: 0x7615))?.address == 0x123456)
        let ac = dec.decode(ModeSEncoder.allCall(address: 0x123456))
        #expect(ac?.address == 0x123456 && ac?.addressInClear == true && ac?.content == .allCall)
        #expect(dec.rejects.isEmpty)
    }
}

@Suite struct CPRTests {
    /// Round trip through encode → global decode (both orders) and local decode, all over
    /// the globe, including the NL transition latitudes, the poles and the antimeridian.
    @Test func globalAndLocalDecodeEverywhere() {
        var lats: [Double] = [-89.9, -87.0001, -87, -86.9999, -60, -10.47047, 0, 10.47047, 45, 86.99, 87, 87.5, 89.99]
        for t in CPR.transitions { lats += [t - 1e-4, t + 1e-4] }
        let lons: [Double] = [-180, -179.9999, -120.5, -0.0001, 0, 0.0001, 45.7, 179.9999]
        var worst = 0.0, checked = 0
        for lat in lats {
            for lon in lons {
                let e = CPR.encode(lat: lat, lon: lon, odd: false)
                let o = CPR.encode(lat: lat, lon: lon, odd: true)
                for latestOdd in [false, true] {
                    guard let p = CPR.globalAirborne(even: e, odd: o, latestIsOdd: latestOdd) else {
                        Issue.record("no global decode at \(lat), \(lon)"); continue
                    }
                    worst = max(worst, metres(p.lat, p.lon, lat, lon)); checked += 1
                }
                for f in [e, o] {
                    // A reference 50 NM away still decodes to the same point.
                    let ref = AircraftState(id: "r", lat: lat, lon: lon, alt: 0, gs: 0, trk: 45, vs: 0).projected(by: 50 * 1852)
                    let refLat = min(max(lat + 0.6, -89.99), 89.99)
                    _ = ref
                    guard let p = CPR.local(f, refLat: refLat, refLon: lon, surface: false) else {
                        Issue.record("no local decode at \(lat), \(lon)"); continue
                    }
                    worst = max(worst, metres(p.lat, p.lon, lat, lon)); checked += 1
                }
            }
        }
        // 17-bit CPR resolves ~5 m in latitude; a little more in longitude near the poles.
        #expect(worst < 10, "worst \(worst) m")
        #expect(checked == lats.count * lons.count * 4)
    }

    @Test func pairAcrossALatitudeZoneBoundaryIsRefused() {
        // Even frame just south of a transition, odd just north: NL differs → no fix.
        let t = CPR.transitions[20]
        let e = CPR.encode(lat: t - 0.01, lon: 10, odd: false)
        let o = CPR.encode(lat: t + 0.01, lon: 10, odd: true)
        #expect(CPR.globalAirborne(even: e, odd: o, latestIsOdd: true) == nil)
    }

    @Test func nlFunction() {
        #expect(CPR.nl(0) == 59)
        #expect(CPR.nl(10.47) == 59)
        #expect(CPR.nl(10.48) == 58)
        #expect(CPR.nl(86.99) == 2)
        #expect(CPR.nl(87) == 2)
        #expect(CPR.nl(87.01) == 1)
        #expect(CPR.nl(-45) == CPR.nl(45))
        // Monotone, and each transition value agrees with the closed formula on both sides.
        for (k, t) in CPR.transitions.enumerated() {
            #expect(CPR.nl(t - 1e-6) == 59 - k)
            #expect(CPR.nl(t + 1e-6) == 58 - k)
        }
    }

    /// Surface positions: a 90° grid resolved by a reference, in every quadrant of the world.
    @Test func surfaceDecodeInEveryQuadrant() {
        let places: [(Double, Double)] = [(49.0097, 2.5479), (-33.9461, 151.1772), (40.6413, -73.7781),
                                          (-54.8433, -68.2958), (64.1300, -21.9406), (0.0, 179.99), (71.29, -156.77)]
        for (lat, lon) in places {
            let e = CPR.encode(lat: lat, lon: lon, odd: false, surface: true)
            let o = CPR.encode(lat: lat, lon: lon, odd: true, surface: true)
            let p = CPR.globalSurface(even: e, odd: o, latestIsOdd: true, refLat: lat + 0.3, refLon: lon - 0.3)
            #expect(p != nil && metres(p!.lat, p!.lon, lat, lon) < 3, "\(lat), \(lon): \(String(describing: p))")
            let l = CPR.local(e, refLat: lat - 0.2, refLon: lon + 0.2, surface: true)
            #expect(l != nil && metres(l!.lat, l!.lon, lat, lon) < 3)
        }
    }

    /// An aircraft crossing the antimeridian keeps a continuous track in the assembler.
    @Test func assemblerAcrossTheAntimeridian() {
        var dec = ModeSDecoder()
        var asm = TrackAssembler()
        var t = 0.0
        var lon = 179.97
        var lastLon: Double?
        _ = asm.add(dec.decode(ModeSEncoder.velocity(address: 0xA1, gsKt: 480, trkDeg: 90, vsFpm: 0))!, time: 0)
        for k in 0..<60 {
            let f = ModeSEncoder.airbornePosition(address: 0xA1, lat: 10, lon: lon, altFt: 35_000, odd: k % 2 == 1)
            if let s = asm.add(dec.decode(f)!, time: t) {
                #expect(metres(s.state.lat, s.state.lon, 10, lon) < 10)
                lastLon = s.state.lon
            }
            if k % 4 == 0 { _ = asm.add(dec.decode(ModeSEncoder.velocity(address: 0xA1, gsKt: 480, trkDeg: 90, vsFpm: 0))!, time: t) }
            t += 0.5
            lon += 480 * 1852 / 3600 * 0.5 / (111_195 * cos(10 * Double.pi / 180))
            if lon >= 180 { lon -= 360 }
        }
        #expect(lastLon != nil && lastLon! < 0 && lastLon! > -179.99)
        #expect(asm.rejects.isEmpty)
    }
}

@Suite struct BeastAVRTests {
    /// Real frames in a Beast stream with garbage between them (stray 0x1a, unknown types,
    /// random bytes) and counters that contain 0x1a: every frame after each burst is
    /// recovered in order, whatever the chunking.
    @Test func resynchronisesAfterGarbageInAnyChunking() throws {
        let frames = try RealFrame.load().prefix(3000).map(\.bytes)
        var rng = SeededRandom(seed: 5)
        var stream: [UInt8] = []
        var expected: [[UInt8]] = []
        for (i, f) in frames.enumerated() {
            if i % 50 == 7 {
                // Garbage: random bytes, a lone 0x1a followed by a non-type byte, a 0x1a 0x1a pair.
                for _ in 0..<Int.random(in: 1...40, using: &rng) { stream.append(UInt8.random(in: 0...255, using: &rng) & 0xEF) }
                stream += [0x1A, 0x99, 0x1A, 0x1A]
            }
            let counter = UInt64(0x1A1A_1A00_0000) + UInt64(i) * 12_000
            stream += BeastDecoder.encode(type: f.count == 7 ? 0x32 : 0x33, counter: counter, signal: 0x1A, payload: f)
            expected.append(f)
        }
        for chunk in [1, 7, 64, 4096] {
            var d = BeastDecoder()
            var got: [[UInt8]] = []
            var counters: [UInt64] = []
            var i = 0
            while i < stream.count {
                let end = min(stream.count, i + chunk)
                d.feed(Array(stream[i..<end])) { fr in got.append(Array(fr.payload)); counters.append(fr.counter) }
                i = end
            }
            #expect(got == expected, "chunk \(chunk)")
            #expect(counters.first == 0x1A1A_1A00_0000)
            #expect(d.garbageBytes > 0)
        }
    }

    @Test func frameCutByANewStartIsDroppedAndTheNextKept() {
        let a = ModeSEncoder.allCall(address: 0x111111)
        let b = ModeSEncoder.allCall(address: 0x222222)
        var s = BeastDecoder.encode(type: 0x32, counter: 1, signal: 9, payload: a)
        s.removeLast(3)                                   // cut short
        s += BeastDecoder.encode(type: 0x32, counter: 2, signal: 9, payload: b)
        var d = BeastDecoder()
        var got: [[UInt8]] = []
        d.feed(s) { got.append(Array($0.payload)) }
        #expect(got == [b])
        #expect(d.brokenFrames == 1)
    }

    @Test func avrLines() {
        var d = AVRDecoder()
        var got: [(UInt64, [UInt8])] = []
        let text = "*8D4840D6202CC371C32CE0576098;\r\n*0000;\n@0000001A2B3C8D4840D6202CC371C32CE0576098;\n*5D4840D6;\n*ZZ;\n*02E1963C7A1105;\n"
        d.feed(Array(text.utf8)) { c, p in got.append((c, Array(p))) }
        #expect(got.count == 2 + 1)
        #expect(got[1].0 == 0x1A2B3C)
        #expect(got[0].1 == hexBytes("8D4840D6202CC371C32CE0576098"))
        #expect(got[2].1.count == 7)
        #expect(d.malformed == 2)                           // *5D4840D6; (8 digits) and *ZZ;
    }

    @Test func receiverClockMapsAndReanchors() {
        var c = ReceiverClock()
        #expect(c.utc(counter: 12_000_000, now: 1000) == 1000)
        #expect(c.utc(counter: 24_000_000, now: 1001.2) == 1001)
        // Wrap at 2^48.
        var w = ReceiverClock()
        let top: UInt64 = (1 << 48) - 6_000_000
        #expect(w.utc(counter: top, now: 500) == 500)
        #expect(abs(w.utc(counter: 6_000_000, now: 501) - 501) < 1e-9)
        // A receiver restart (counter jumps back far): re-anchored on the wall clock.
        #expect(c.utc(counter: 100, now: 1003) == 1003)
        #expect(c.reanchors == 1)
    }
}
