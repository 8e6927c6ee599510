import Testing
@testable import DeconflictFormats

/// 2024-07-06 00:00:00 UTC.
private let day0 = 1_720_224_000.0

/// Decodes one line that must give a report (outside `#require`, which cannot call a
/// mutating method).
private func req(_ d: inout SBSDecoder, _ line: String,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> TargetReport {
    let r = d.decode(line: line)
    return try #require(r, sourceLocation: sourceLocation)
}

private func decodeAll(_ text: String, _ decoder: inout SBSDecoder) -> [TargetReport] {
    var out: [TargetReport] = []
    decoder.feed(Array(text.utf8), into: &out)
    return out
}

@Suite struct SBSTests {
    // MARK: dump1090-fa: local time (here UTC+2), 3 or 5 decimals

    @Test func dump1090faEachMessageType() throws {
        var d = SBSDecoder(utcOffsetSeconds: 7200)
        let t = day0 + 6 * 3600 + 43 * 60 + 9      // 08:43:09 local = 06:43:09 UTC

        let m1 = try req(&d, "MSG,1,1,1,4CA2D6,1,2024/07/06,08:43:09.525,2024/07/06,08:43:09.530,RYR4GX  ,,,,,,,,0,0,0,0\r\n")
        #expect(m1.address == 0x4CA2D6 && m1.addressIsICAO && m1.format == .sbs)
        #expect(m1.time == t + 0.525)
        #expect(m1.callsign == "RYR4GX")
        #expect(m1.onGround == false)
        #expect(m1.altFt == nil && m1.lat == nil && m1.squawk == nil)

        let m2 = try req(&d, "MSG,2,1,1,3C6DD4,1,2024/07/06,08:43:09.60712,2024/07/06,08:43:09.61000,,,12,271,50.03291,8.55987,,,,,,-1\r\n")
        #expect(m2.address == 0x3C6DD4)
        #expect(m2.time == t + 0.60712)
        #expect(m2.gsKt == 12 && m2.trkDeg == 271)
        #expect(m2.lat == 50.03291 && m2.lon == 8.55987)
        #expect(m2.onGround == true)

        let m3 = try req(&d, "MSG,3,1,1,4CA2D6,1,2024/07/06,08:43:09.525,2024/07/06,08:43:09.525,,35000,,,48.12345,2.54321,,,0,0,0,0\r\n")
        #expect(m3.altFt == 35000 && m3.geoAltFt == nil)
        #expect(m3.lat == 48.12345 && m3.lon == 2.54321)
        #expect(m3.onGround == false && m3.gsKt == nil && m3.callsign == nil)

        let m4 = try req(&d, "MSG,4,1,1,4CA2D6,1,2024/07/06,08:43:10.001,2024/07/06,08:43:10.002,,,451,87,,,-1024,,,,,0\r\n")
        #expect(m4.time == t + 1 + 0.001)
        #expect(m4.gsKt == 451 && m4.trkDeg == 87 && m4.vsFpm == -1024)
        #expect(m4.lat == nil && m4.altFt == nil)

        let m5 = try req(&d, "MSG,5,1,1,4CA2D6,1,2024/07/06,08:43:10.250,2024/07/06,08:43:10.251,,36000,,,,,,,0,,0,0\r\n")
        #expect(m5.altFt == 36000 && m5.onGround == false && m5.squawk == nil)

        let m6 = try req(&d, "MSG,6,1,1,4CA2D6,1,2024/07/06,08:43:10.500,2024/07/06,08:43:10.501,,,,,,,,7000,0,0,0,0\r\n")
        #expect(m6.squawk == "7000" && m6.onGround == false)

        let m7 = try req(&d, "MSG,7,1,1,4CA2D6,1,2024/07/06,08:43:11.000,2024/07/06,08:43:11.001,,23000,,,,,,,,,,0\r\n")
        #expect(m7.altFt == 23000 && m7.time == t + 2)

        let m8 = try req(&d, "MSG,8,1,1,4CA2D6,1,2024/07/06,08:43:11.750,2024/07/06,08:43:11.751,,,,,,,,,,,,0\r\n")
        #expect(m8.onGround == false && m8.altFt == nil && m8.lat == nil)
        // An all-call line with no flag at all still says the aircraft is there.
        let bare = try req(&d, "MSG,8,1,1,4CA2D6,1,2024/07/06,08:43:12.000,2024/07/06,08:43:12.000,,,,,,,,,,,,\r\n")
        #expect(bare.onGround == nil)

        #expect(d.lines == 9 && d.accepted == 9 && d.skipped == 0 && d.rejects.isEmpty)
    }

    // MARK: readsb: UTC, 6 decimals, `~` addresses, MLAT fields, GNSS suffix, extra fields

    @Test func readsbEachMessageType() throws {
        var d = SBSDecoder()                         // UTC
        let t = day0 + 6 * 3600 + 43 * 60 + 9

        let m1 = try req(&d, "MSG,1,1,1,4CA2D6,1,2024/07/06,06:43:09.525000,2024/07/06,06:43:09.531000,RYR4GX,,,,,,,,,,,\r\n")
        #expect(m1.time == t + 0.525 && m1.callsign == "RYR4GX" && m1.onGround == nil)

        let m2 = try req(&d, "MSG,2,1,1,3C6DD4,1,2024/07/06,06:43:09.607120,2024/07/06,06:43:09.610000,,,12,271,50.032910,8.559870,,,,,,-1\r\n")
        #expect(m2.lat == 50.03291 && m2.lon == 8.55987 && m2.gsKt == 12 && m2.trkDeg == 271 && m2.onGround == true)

        // A non-ICAO (TIS-B) address: decoded, flagged.
        let m3 = try req(&d, "MSG,3,1,1,~2B9A41,1,2024/07/06,06:43:09.800000,2024/07/06,06:43:09.800000,,2500,,,47.500000,8.500000,,,,,,0\r\n")
        #expect(m3.address == 0x2B9A41 && !m3.addressIsICAO)
        #expect(m3.altFt == 2500 && m3.lat == 47.5 && m3.lon == 8.5)

        // MLAT: field 19 = receiver count, field 20 = EPU — not flags, ignored.
        let m3mlat = try req(&d, "MSG,3,1,1,4D2407,1,2024/07/06,06:43:10.000000,2024/07/06,06:43:10.000000,,37000,,,45.123456,5.654321,,,5,27,,0\r\n")
        #expect(m3mlat.lat == 45.123456 && m3mlat.lon == 5.654321 && m3mlat.onGround == false)

        let m4 = try req(&d, "MSG,4,1,1,4CA2D6,1,2024/07/06,06:43:10.001000,2024/07/06,06:43:10.002000,,,451,87,,,-1024,,,,,0\r\n")
        #expect(m4.gsKt == 451 && m4.trkDeg == 87 && m4.vsFpm == -1024)

        // --sbs-use-gnss: 'H' marks a geometric height (and a geometric rate).
        let m4h = try req(&d, "MSG,4,1,1,4CA2D6,1,2024/07/06,06:43:10.101000,2024/07/06,06:43:10.102000,,,451,87,,,512H,,,,,0\r\n")
        #expect(m4h.vsFpm == 512)
        let m3h = try req(&d, "MSG,3,1,1,4CA2D6,1,2024/07/06,06:43:10.201000,2024/07/06,06:43:10.202000,,35675H,,,48.123456,2.543210,,,,,,0\r\n")
        #expect(m3h.geoAltFt == 35675 && m3h.altFt == nil)

        let m5 = try req(&d, "MSG,5,1,1,4CA2D6,1,2024/07/06,06:43:10.250000,2024/07/06,06:43:10.251000,,36000,,,,,,,0,,0,0\r\n")
        #expect(m5.altFt == 36000)

        let m6 = try req(&d, "MSG,6,1,1,4CA2D6,1,2024/07/06,06:43:10.500000,2024/07/06,06:43:10.501000,,,,,,,,7700,0,-1,0,0\r\n")
        #expect(m6.squawk == "7700" && m6.onGround == false)

        let m7 = try req(&d, "MSG,7,1,1,4CA2D6,1,2024/07/06,06:43:11.000000,2024/07/06,06:43:11.001000,,23000,,,,,,,,,,0\r\n")
        #expect(m7.altFt == 23000 && m7.time == t + 2)

        // "1" as on-ground appears in the wild and means true.
        let m8 = try req(&d, "MSG,8,1,1,4CA2D6,1,2024/07/06,06:43:11.750000,2024/07/06,06:43:11.751000,,,,,,,,,,,,1\r\n")
        #expect(m8.onGround == true)

        // --sbs-extra-fields: RSSI and category after field 22, ignored.
        let extra = try req(&d, "MSG,3,1,1,4CA2D6,1,2024/07/06,06:43:12.000000,2024/07/06,06:43:12.000000,,35000,,,48.123456,2.543210,,,,,,0,-12.3,A3\r\n")
        #expect(extra.altFt == 35000 && extra.onGround == false)

        #expect(d.lines == 12 && d.accepted == 12 && d.rejects.isEmpty)
    }

    // MARK: Time

    @Test func localAndUTCFeedsGiveTheSameInstant() throws {
        var local = SBSDecoder(utcOffsetSeconds: 2 * 3600)
        var utc = SBSDecoder(utcOffsetSeconds: 0)
        let a = try req(&local, "MSG,3,1,1,4CA2D6,1,2024/07/06,08:43:09.525,2024/07/06,08:43:09.525,,35000,,,48.12345,2.54321,,,0,0,0,0")
        let b = try req(&utc, "MSG,3,1,1,4CA2D6,1,2024/07/06,06:43:09.525000,2024/07/06,06:43:09.525000,,35000,,,48.123450,2.543210,,,,,,0")
        let c = try req(&local, "MSG,3,1,1,4CA2D6,1,2024/07/06,08:43:09.52500,2024/07/06,08:43:09.52500,,35000,,,48.12345,2.54321,,,0,0,0,0")
        #expect(a.time == b.time && a.time == c.time)
        #expect(a.time == day0 + 24_189 + 0.525)
        #expect(a.lat == b.lat && a.lon == b.lon)
    }

    @Test func acrossMidnight() throws {
        // Local (UTC+2) is already the 7th; UTC is still the 6th.
        var east = SBSDecoder(utcOffsetSeconds: 7200)
        let r = try req(&east, "MSG,4,1,1,4CA2D6,1,2024/07/07,01:15:00.250,2024/07/07,01:15:00.251,,,451,87,,,0,,,,,0")
        #expect(r.time == day0 + 23 * 3600 + 15 * 60 + 0.25)
        // West of Greenwich (UTC−5): the 6th at 21:00 local is the 7th at 02:00 UTC.
        var west = SBSDecoder(utcOffsetSeconds: -5 * 3600)
        let w = try req(&west, "MSG,4,1,1,4CA2D6,1,2024/07/06,21:00:00.000,2024/07/06,21:00:00.000,,,451,87,,,0,,,,,0")
        #expect(w.time == day0 + 86_400 + 2 * 3600)
        // And a year end / leap day in UTC.
        var utc = SBSDecoder()
        let ny = try req(&utc, "MSG,8,1,1,4CA2D6,1,2024/12/31,23:59:59.999999,2024/12/31,23:59:59.999999,,,,,,,,,,,,0")
        #expect(ny.time == 1_735_689_599 + 0.999999)
        let leap = try req(&utc, "MSG,8,1,1,4CA2D6,1,2024/02/29,12:00:00,2024/02/29,12:00:00,,,,,,,,,,,,0")
        #expect(leap.time == 1_709_208_000)
    }

    @Test func loggedTimeAndFallback() throws {
        var logged = SBSDecoder(timeSource: .logged)
        let r = try req(&logged, "MSG,3,1,1,4CA2D6,1,2024/07/06,06:43:09.525,2024/07/06,06:43:10.125,,35000,,,48.12345,2.54321,,,,,,0")
        #expect(r.time == day0 + 24_190 + 0.125)
        // The chosen pair empty: the other one is used.
        var generated = SBSDecoder()
        let f = try req(&generated, "MSG,3,1,1,4CA2D6,1,,,2024/07/06,06:43:10.125,,35000,,,48.12345,2.54321,,,,,,0")
        #expect(f.time == day0 + 24_190 + 0.125)
        // Neither pair, or half a pair: malformed.
        let none = generated.decode(line: "MSG,3,1,1,4CA2D6,1,,,,,,35000,,,,,,,,,,0")
        let half = generated.decode(line: "MSG,3,1,1,4CA2D6,1,2024/07/06,,2024/07/06,06:43:10.125,,35000,,,,,,,,,,0")
        #expect(none == nil && half == nil)
        #expect(generated.rejects[.malformed] == 2)
    }

    @Test func civilDates() {
        #expect(daysSinceEpoch(year: 1970, month: 1, day: 1) == 0)
        #expect(daysSinceEpoch(year: 1969, month: 12, day: 31) == -1)
        #expect(daysSinceEpoch(year: 2000, month: 3, day: 1) == 11_017)
        #expect(daysSinceEpoch(year: 2024, month: 2, day: 29) == 19_782)
        #expect(daysSinceEpoch(year: 2024, month: 7, day: 6) == 19_910)
        // 2100 is not a leap year, 2000 was.
        #expect(daysSinceEpoch(year: 2100, month: 3, day: 1) - daysSinceEpoch(year: 2100, month: 2, day: 28) == 1)
        #expect(daysSinceEpoch(year: 2000, month: 3, day: 1) - daysSinceEpoch(year: 2000, month: 2, day: 28) == 2)
        // Consecutive across a whole 400-year cycle.
        var prev = daysSinceEpoch(year: 1999, month: 12, day: 31)
        for y in 2000..<2400 {
            for m in 1...12 {
                for dd in 1...daysInMonth(year: y, month: m) {
                    let n = daysSinceEpoch(year: y, month: m, day: dd)
                    if n != prev + 1 { Issue.record("\(y)-\(m)-\(dd): \(n) after \(prev)") }
                    prev = n
                }
            }
        }
        #expect(prev - daysSinceEpoch(year: 1999, month: 12, day: 31) == 146_097)
    }

    @Test func decimals() {
        func p(_ s: String) -> Double? { Array(s.utf8).withUnsafeBufferPointer { parseDecimal($0, 0..<$0.count) } }
        #expect(p("35000") == 35000)
        #expect(p("-1024") == -1024)
        #expect(p("+3") == 3)
        #expect(p("48.12345") == 48.12345)
        #expect(p("-0.000001") == -0.000001)
        #expect(p("12.") == 12)
        #expect(p(".5") == 0.5)
        #expect(p("") == nil)
        #expect(p("-") == nil)
        #expect(p(".") == nil)
        #expect(p("1e5") == nil)
        #expect(p("1.2.3") == nil)
        #expect(p("12a") == nil)
        #expect(p("1234567890123456789") == nil)
    }

    // MARK: Streaming

    @Test func crlfAndLF() {
        var d = SBSDecoder()
        let out = decodeAll(
            "MSG,8,1,1,4CA2D6,1,2024/07/06,06:43:11.000000,2024/07/06,06:43:11.000000,,,,,,,,,,,,0\r\n" +
            "MSG,8,1,1,3C6DD4,1,2024/07/06,06:43:12.000000,2024/07/06,06:43:12.000000,,,,,,,,,,,,-1\n" +
            "\r\n\n" +
            "MSG,8,1,1,4D2407,1,2024/07/06,06:43:13.000000,2024/07/06,06:43:13.000000,,,,,,,,,,,,0\r\n", &d)
        #expect(out.map(\.address) == [0x4CA2D6, 0x3C6DD4, 0x4D2407])
        #expect(out.map(\.onGround) == [false, true, false])
        #expect(d.lines == 3 && d.accepted == 3)       // blank lines are not counted
        #expect(d.pendingByteCount == 0)
    }

    @Test func lineSplitAcrossCalls() {
        let line = Array("MSG,3,1,1,4CA2D6,1,2024/07/06,06:43:09.525000,2024/07/06,06:43:09.525000,,35000,,,48.123450,2.543210,,,,,,0\r\n".utf8)
        // Every split point, including between CR and LF.
        for cut in 1..<line.count {
            var d = SBSDecoder()
            var out: [TargetReport] = []
            d.feed(Array(line[0..<cut]), into: &out)
            #expect(out.isEmpty)
            d.feed(Array(line[cut...]), into: &out)
            #expect(out.count == 1, "cut at \(cut)")
            #expect(out.first?.altFt == 35000 && out.first?.lon == 2.54321)
            #expect(d.lines == 1 && d.pendingByteCount == 0)
        }
        // Byte by byte.
        var d = SBSDecoder()
        var out: [TargetReport] = []
        for b in line + line { d.feed([b], into: &out) }
        #expect(out.count == 2 && d.accepted == 2)
    }

    @Test func partialTrailingLineIsKept() {
        var d = SBSDecoder()
        var out: [TargetReport] = []
        let first = "MSG,8,1,1,4CA2D6,1,2024/07/06,06:43:11.000000,2024/07/06,06:43:11.000000,,,,,,,,,,,,0\r\n"
        let partial = "MSG,5,1,1,3C6DD4,1,2024/07/06,06:43:12.000000,2024/07/06,06:43:12.000000,,36000"
        d.feed(Array((first + partial).utf8), into: &out)
        #expect(out.count == 1)
        #expect(d.pendingByteCount == partial.utf8.count)
        #expect(d.lines == 1)
        d.feed(Array(",,,,,,,0,,0,0\r\n".utf8), into: &out)
        #expect(out.count == 2 && out[1].address == 0x3C6DD4 && out[1].altFt == 36000)

        // End of a file without a final newline.
        d.feed(Array((partial + ",,,,,,,0,,0,0").utf8), into: &out)
        #expect(out.count == 2)
        d.finish(into: &out)
        #expect(out.count == 3 && d.pendingByteCount == 0 && d.accepted == 3)
    }

    @Test func overLongLineDroppedNextLineKept() {
        let good = "MSG,8,1,1,4CA2D6,1,2024/07/06,06:43:11.000000,2024/07/06,06:43:11.000000,,,,,,,,,,,,0\r\n"
        let long = "MSG,1,1,1,4CA2D6,1,2024/07/06,06:43:11.000000,2024/07/06,06:43:11.000000," +
            String(repeating: "X", count: 2000) + ",,,,,,,,,,,\r\n"
        // In one chunk.
        var d = SBSDecoder()
        let out = decodeAll(long + good, &d)
        #expect(out.count == 1 && out[0].address == 0x4CA2D6)
        #expect(d.rejects[.malformed] == 1 && d.lines == 2 && d.accepted == 1)

        // In small chunks: the kept part overflows, the rest up to LF is dropped.
        var s = SBSDecoder()
        var out2: [TargetReport] = []
        let bytes = Array((good + long + good).utf8)
        var i = 0
        while i < bytes.count {
            let j = min(i + 100, bytes.count)
            s.feed(Array(bytes[i..<j]), into: &out2)
            #expect(s.pendingByteCount <= s.maxLineLength + 1)
            i = j
        }
        #expect(out2.count == 2)
        #expect(s.rejects[.malformed] == 1 && s.lines == 3 && s.accepted == 2)

        // A line of exactly the bound is taken; one byte more is not.
        var e = SBSDecoder(maxLineLength: good.utf8.count - 2)
        let atBound = e.decode(line: good)
        #expect(atBound != nil)
        e.maxLineLength -= 1
        let over = e.decode(line: good)
        #expect(over == nil && e.rejects[.malformed] == 1)
    }

    // MARK: Skips and rejects

    @Test func nonMSGRecordsSkipped() {
        var d = SBSDecoder()
        let out = decodeAll(
            "SEL,,496,2286,4CA4E5,27215,2024/07/06,18:06:07.710,2024/07/06,18:06:07.710,RYR1427\r\n" +
            "ID,,496,7162,405637,27928,2024/07/06,18:06:07.710,2024/07/06,18:06:07.710,EZY691A\r\n" +
            "AIR,,496,5906,400F01,27931,2024/07/06,18:06:07.710,2024/07/06,18:06:07.710\r\n" +
            "STA,,5,179,400AE7,10103,2024/07/06,14:58:51.153,2024/07/06,14:58:51.153,RM\r\n" +
            "CLK,,496,-1,,-1,2024/07/06,18:18:19.036,2024/07/06,18:18:19.036\r\n" +
            "MSG,8,1,1,4CA2D6,1,2024/07/06,06:43:11.000000,2024/07/06,06:43:11.000000,,,,,,,,,,,,0\r\n", &d)
        #expect(out.count == 1)
        #expect(d.skipped == 5 && d.accepted == 1 && d.lines == 6 && d.rejects.isEmpty)
    }

    @Test func badLinesRejectedAndCounted() {
        let t = "2024/07/06,06:43:11.000000,2024/07/06,06:43:11.000000"
        let malformed = [
            "MSG,3,1,1,4CA2D6,1,\(t),,35000,,,48.1,2.5,,,,,",           // 21 fields
            "MSG,3,1,1,4CA2D6,1,\(t)",                                   // far too few
            "MSG,3,1,1,4CA2DZ,1,\(t),,35000,,,48.1,2.5,,,,,,0",          // bad hex
            "MSG,3,1,1,4CA2D,1,\(t),,35000,,,48.1,2.5,,,,,,0",           // 5 hex digits
            "MSG,3,1,1,,1,\(t),,35000,,,48.1,2.5,,,,,,0",                // no address
            "MSG,3,1,1,4CA2D6,1,\(t),,35k00,,,48.1,2.5,,,,,,0",          // bad altitude
            "MSG,3,1,1,4CA2D6,1,\(t),,35000,,,48.1.2,2.5,,,,,,0",        // bad latitude
            "MSG,4,1,1,4CA2D6,1,\(t),,,fast,87,,,-1024,,,,,0",           // bad speed
            "MSG,4,1,1,4CA2D6,1,\(t),,,451,87,,,1e3,,,,,0",              // exponent
            "MSG,3,1,1,4CA2D6,1,\(t),,35000,,,48.1,,,,,,,0",             // lat without lon
            "MSG,6,1,1,4CA2D6,1,\(t),,,,,,,,7800,0,0,0,0",               // squawk not octal
            "MSG,6,1,1,4CA2D6,1,\(t),,,,,,,,700,0,0,0,0",                // squawk 3 digits
            "MSG,8,1,1,4CA2D6,1,\(t),,,,,,,,,,,,2",                      // on-ground not a flag
            "MSG,9,1,1,4CA2D6,1,\(t),,,,,,,,,,,,0",                      // MSG type 9
            "MSG,,1,1,4CA2D6,1,\(t),,,,,,,,,,,,0",                       // no MSG type
            "MSG,8,1,1,4CA2D6,1,2024/13/06,06:43:11.0,2024/13/06,06:43:11.0,,,,,,,,,,,,0",   // month 13
            "MSG,8,1,1,4CA2D6,1,2024/02/30,06:43:11.0,2024/02/30,06:43:11.0,,,,,,,,,,,,0",   // Feb 30
            "MSG,8,1,1,4CA2D6,1,2024/07/06,24:00:00.0,2024/07/06,24:00:00.0,,,,,,,,,,,,0",   // hour 24
            "MSG,8,1,1,4CA2D6,1,2024/07/06,06:43:11.,2024/07/06,06:43:11.,,,,,,,,,,,,0",     // '.' without digits
            "MSG,8,1,1,4CA2D6,1,2024-07-06,06:43:11.0,2024-07-06,06:43:11.0,,,,,,,,,,,,0",   // ISO date
            "FOO,8,1,1,4CA2D6,1,\(t),,,,,,,,,,,,0",                      // unknown record
            "\u{1}\u{2}\u{3}garbage",
        ]
        let implausible = [
            "MSG,3,1,1,4CA2D6,1,\(t),,35000,,,95.0,2.5,,,,,,0",          // lat 95
            "MSG,3,1,1,4CA2D6,1,\(t),,35000,,,-90.5,2.5,,,,,,0",
            "MSG,3,1,1,4CA2D6,1,\(t),,35000,,,48.1,181,,,,,,0",          // lon 181
        ]
        let good = "MSG,3,1,1,4CA2D6,1,\(t),,35000,,,48.1,2.5,,,,,,0\r\n"
        var d = SBSDecoder()
        var text = ""
        for l in malformed + implausible { text += l + "\r\n" + good }
        let out = decodeAll(text, &d)
        let n = malformed.count + implausible.count
        #expect(out.count == n)                        // every good line after a bad one decoded
        #expect(out.allSatisfy { $0.lat == 48.1 && $0.lon == 2.5 && $0.altFt == 35000 })
        #expect(d.rejects[.malformed] == malformed.count)
        #expect(d.rejects[.implausible] == implausible.count)
        #expect(d.lines == 2 * n && d.accepted == n && d.rejected == n)
        #expect(d.lines == d.accepted + d.skipped + d.rejected)

        // Edges that are fine: lat ±90, lon ±180, lowercase hex, spaces around a number.
        var e = SBSDecoder()
        let south = e.decode(line: "MSG,3,1,1,4ca2d6,1,\(t),,35000,,,-90,180,,,,,,0")
        let spaced = e.decode(line: "MSG,3,1,1,4CA2D6,1,\(t),, 35000 ,,,90,-180,,,,,,0")
        #expect(south?.lat == -90 && south?.lon == 180 && south?.address == 0x4CA2D6)
        #expect(spaced?.altFt == 35000 && spaced?.lat == 90 && spaced?.lon == -180)
        #expect(e.accepted == 2)
    }
}
