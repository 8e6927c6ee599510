import Testing
import DeconflictCore
@testable import DeconflictFormats

// MARK: - Helpers

/// Bytes from hex text: whitespace is ignored, and so is everything after `//` on a line.
private func hex(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var pending: UInt8? = nil
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var chars = Array(line.utf8)
        if let c = chars.indices.first(where: { i in
            i + 1 < chars.count && chars[i] == UInt8(ascii: "/") && chars[i + 1] == UInt8(ascii: "/")
        }) { chars = Array(chars[..<c]) }
        for ch in chars {
            let v: UInt8
            switch ch {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = ch - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = ch - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = ch - UInt8(ascii: "a") + 10
            default: continue
            }
            if let hi = pending { out.append(hi << 4 | v); pending = nil } else { pending = v }
        }
    }
    precondition(pending == nil, "odd number of hex digits")
    return out
}

/// A data block around hand-built records (the header written out too, LEN computed).
private func block(_ category: UInt8, _ records: [UInt8]...) -> [UInt8] {
    let body = records.flatMap { $0 }
    let len = body.count + 3
    return [category, UInt8(len >> 8), UInt8(len & 0xFF)] + body
}

/// The core's seeded generator (DeconflictCore.SeededRandom).
private typealias SplitMix64 = SeededRandom

/// 2024-07-06 00:00:00 UTC.
private let day0 = 1_720_224_000.0
/// A reference time on that day, 12:30:00.
private let noonRef = day0 + 45_000.0
/// 12:34:56.25 on that day.
private let t123456 = day0 + 45_296.25

private func angleDiff(_ a: Double, _ b: Double) -> Double {
    let d = (a - b).truncatingRemainder(dividingBy: 360)
    return min(abs(d), 360 - abs(d))
}

private func randomCallsign(_ g: inout SplitMix64) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
    let n = Int.random(in: 1...8, using: &g)
    var out: [UInt8] = (0..<n).map { _ in alphabet.randomElement(using: &g)! }
    if n >= 4, Bool.random(using: &g) { out[n / 2] = UInt8(ascii: " ") }   // an interior space
    return String(decoding: out, as: UTF8.self)
}

private func randomSquawk(_ g: inout SplitMix64) -> String {
    String((0..<4).map { _ in Character(String(Int.random(in: 0...7, using: &g))) })
}

/// A time of day on the 1/128 s grid, and a reference within ±6 h of it (the day may differ).
private func randomTime(_ g: inout SplitMix64) -> (tod: Double, reference: Double, expected: Double) {
    let tod = Double(Int.random(in: 0..<11_059_200, using: &g)) / 128.0
    let dayStart = day0 + Double(Int.random(in: -400...400, using: &g)) * 86_400
    let reference = dayStart + tod + Double.random(in: -21_600...21_600, using: &g)
    return (tod, reference, dayStart + tod)
}

@Suite struct AsterixTests {

    // MARK: Hand-built records, byte by byte from the item layouts

    @Test func cat021HandBuiltRecord() {
        let record = hex("""
            E5 19 4B 29 80    // FSPEC: FRN 1 2 3 6 | 11 12 | 16 19 21 | 24 26 | 29
            19 C9             // I021/010 SAC 25, SIC 201
            09 08             // I021/040 ATP 0 (ICAO), ARC 1, FX; ext: GBS 0, SAA 1
            01 23             // I021/161 track number 0x123
            22 38 9C FE 38 E4 // I021/130 lat 48.123456 (0x22389C), lon -2.5 (0xFE38E4), 180/2^23
            39 33 22          // I021/080 target address
            58 78 20          // I021/073 12:34:56.25 = 5797920/128 s
            16 80             // I021/140 geometric height 5760 × 6.25 = 36000 ft
            0E 00             // I021/070 Mode 3/A 7000 (octal)
            05 78             // I021/145 FL 1400/4 = 350
            7F 10             // I021/155 RE 0, -240 × 6.25 = -1500 ft/min (15-bit two's complement)
            08 00 C0 ED       // I021/160 GS 2048 × 2^-14 NM/s = 450 kt, TA 0xC0ED × 360/2^16
            04 64 B3 D1 A1 E0 // I021/170 "AFR34ZG " (6-bit characters)
            """)
        var d = AsterixDecoder()
        let reports = d.decode(block(21, record), referenceTime: noonRef)
        #expect(reports.count == 1)
        #expect(d.rejects.isEmpty)
        #expect(d.blocks == 1 && d.records == 1 && d.reports == 1)
        guard let r = reports.first else { return }
        #expect(r.format == .asterix021)
        #expect(r.address == 0x393322 && r.addressIsICAO)
        #expect(r.trackNumber == 0x123)
        #expect(r.time == t123456)
        #expect(abs(r.lat! - 48.123456) < 2.4e-5)
        #expect(abs(r.lon! - -2.5) < 2.4e-5)
        #expect(r.altFt == 35_000)
        #expect(r.geoAltFt == 36_000)
        #expect(r.vsFpm == -1_500)
        #expect(abs(r.gsKt! - 450) <= 0.25)
        #expect(abs(r.trkDeg! - 271.3) <= 0.01)
        #expect(r.callsign == "AFR34ZG")
        #expect(r.squawk == "7000")
        #expect(r.onGround == false)
    }

    /// Items the decoder skips (extended, compound, repetitive, explicit) in one record, then a
    /// second record in the same block: it only decodes right if every length was right.
    @Test func cat021SkippedItemsThenNextRecord() {
        let first = hex("""
            CB 11 23 01 25 13 06  // FSPEC: FRN 1 2 5 7 | 11 | 17 21 | - | 31 34 | 39 42 | 48 49
            00 01                 // I021/010
            01 40                 // I021/040 FX; ext: GBS 1 (on ground)
            A8 BF C0              // I021/071 23:59:59.5 (time of applicability; no 073)
            F3 EE 26 48 35 C0 7C 98  // I021/131 lat -33.946111, lon 151.177222, 180/2^30
            7C 12 34              // I021/080 target address
            F5 2A                 // I021/090 (extended, skipped): FX, then last octet
            FF F6                 // I021/145 FL -10/4 = -2.5 → -250 ft
            F0 00 0A 01 0E 00 50 12  // I021/220 (compound, skipped): WS WD TMP TRB
            C0 80 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
                                  // I021/110 (compound, skipped): TIS, TID REP 1 × 15
            02 10 20 30 40 50 60 70 05 A1 A2 A3 A4 A5 A6 A7 60
                                  // I021/250 (repetitive, skipped): REP 2 × 8
            81 81 01 40 0A 0B 0C  // I021/295 (compound, skipped): AOS, FL, SCC ages
            04 AA BB CC           // RE (explicit, skipped): LEN 4
            03 01 02              // SP (explicit, skipped): LEN 3
            """)
        let second = hex("""
            C1 19 02              // FSPEC: FRN 1 2 | 11 12 | 21
            00 01                 // I021/010
            00                    // I021/040 (one octet: GBS unknown)
            AB CD EF              // I021/080
            58 7A 00              // I021/073 12:35:00
            01 90                 // I021/145 FL 100
            """)
        var d = AsterixDecoder()
        let reports = d.decode(block(21, first, second), referenceTime: noonRef)
        #expect(d.rejects.isEmpty)
        #expect(reports.count == 2)
        guard reports.count == 2 else { return }
        let a = reports[0], b = reports[1]
        #expect(a.address == 0x7C1234)
        #expect(abs(a.lat! - -33.946111) < 1e-7)
        #expect(abs(a.lon! - 151.177222) < 1e-7)
        #expect(a.altFt == -250)
        #expect(a.onGround == true)
        #expect(a.time == day0 + 86_399.5)
        #expect(a.callsign == nil && a.squawk == nil && a.gsKt == nil)
        #expect(b.address == 0xABCDEF)
        #expect(b.time == day0 + 45_300)
        #expect(b.altFt == 10_000)
        #expect(b.onGround == nil)
        #expect(b.lat == nil && b.lon == nil)
    }

    @Test func cat062HandBuiltRecordWithSkippedCompounds() {
        let first = hex("""
            9B 7F 77 0F 06        // FSPEC: FRN 1 4 5 7 | 9-14 | 16 17 18 20 21 | 26 27 28 | 34 35
            19 04                 // I062/010
            58 78 20              // I062/070 12:34:56.25
            00 92 6C C6 FF FE B0 07  // I062/105 lat 51.4775, lon -0.461389, 180/2^25
            FC 62 00 15           // I062/185 Vx -926 × 0.25, Vy 21 × 0.25 m/s
            02 9C                 // I062/060 Mode 3/A 1234 (octal)
            00 08 15 F1 CB 38 20  // I062/245 STI 0, "BAW123  "
            E1 49 01 10           // I062/380 primary: ADR ID MHG | TID ACS | - | MB
            4C A2 B1              //   ADR target address
            14 93 B5 2C D8 20     //   ID "EIN5KM"
            40 00                 //   MHG (skipped)
            01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
                                  //   TID REP 1 × 15 (skipped)
            E2 00 00 00 00 00 00  //   ACS 7 octets (skipped)
            01 30 00 00 00 00 00 00 00  // MB REP 1 × 8 (skipped)
            00 5C                 // I062/040 track number 92
            01 01 01 01 01 00     // I062/080 six octets, SFC 0
            89 20 05 00 10 07     // I062/290 (compound, skipped): TRK, ADS (2 octets), MLT
            81 01 01 01 20 03 04  // I062/295 (compound, skipped): MFL, BPS
            05 78                 // I062/136 measured FL 350
            16 30                 // I062/130 geometric altitude 5680 × 6.25 = 35500 ft
            FF 10                 // I062/220 -240 × 6.25 = -1500 ft/min
            C1 09 10 19 04 42 41 57 31 32 33 20 01 00 00 00 00
            42 41 57 31 32 33 20  // I062/390 (compound, skipped): TAG CSN | TOD REP 1 × 4 | PEC
            00 00 03 00 00 04     // I062/510 (3-octet parts, skipped): two parts
            81 80 00 10 00 20 05  // I062/500 (compound, skipped): APC, ARC
            84 19 04 A0           // I062/340 (compound, skipped): SID, TYP
            02 FF                 // RE (explicit, skipped)
            01                    // SP (explicit, length octet only)
            """)
        let second = hex("""
            91 0D 08              // FSPEC: FRN 1 4 | 12 13 | 19
            19 04                 // I062/010
            58 7A 00              // I062/070 12:35:00
            01 A4                 // I062/040 track number 420
            00                    // I062/080 one octet
            81 E0                 // I062/135 QNH 1, 480/4 = FL 120
            """)
        var d = AsterixDecoder()
        let reports = d.decode(block(62, first, second), referenceTime: noonRef)
        #expect(d.rejects.isEmpty)
        #expect(reports.count == 2)
        guard reports.count == 2 else { return }
        let a = reports[0], b = reports[1]
        #expect(a.format == .asterix062)
        #expect(a.address == 0x4CA2B1 && a.addressIsICAO)
        #expect(a.trackNumber == 92)
        #expect(a.time == t123456)
        #expect(abs(a.lat! - 51.4775) < 2.7e-6)
        #expect(abs(a.lon! - -0.461389) < 2.7e-6)
        // The components are exact multiples of 0.25 m/s, so gs and track follow exactly.
        let vx = -926 * 0.25, vy = 21 * 0.25
        #expect(abs(a.gsKt! - (vx * vx + vy * vy).squareRoot() * 3600 / 1852) < 1e-9)
        #expect(abs(a.trkDeg! - (atan2(vx, vy) * 180 / Double.pi + 360)) < 1e-9)
        #expect(abs(a.gsKt! - 450) < 0.5 && abs(a.trkDeg! - 271.3) < 0.05)
        #expect(a.squawk == "1234")
        #expect(a.callsign == "BAW123")          // I062/245 preferred over the 380 ID
        #expect(a.altFt == 35_000)
        #expect(a.geoAltFt == 35_500)
        #expect(a.vsFpm == -1_500)
        #expect(a.onGround == false)
        // No 380 ADR: the track number stands in; no 136: the barometric altitude is used.
        #expect(b.address == 420 && !b.addressIsICAO && b.trackNumber == 420)
        #expect(b.time == day0 + 45_300)
        #expect(b.altFt == 12_000)
        #expect(b.onGround == nil && b.lat == nil && b.gsKt == nil)
    }

    @Test func cat048HandBuiltRecordWithSkippedItems() {
        let first = hex("""
            FF F7 07 06           // FSPEC: FRN 1-7 | 8 9 10 11 13 14 | 20 21 | 27 28
            19 0A                 // I048/010
            58 78 20              // I048/140 12:34:56.25
            A1 40                 // I048/020 TYP 5, FX; extension (skipped)
            2A 80 57 C0           // I048/040 RHO 42.5 NM, THETA (skipped: polar)
            0E 00                 // I048/070 Mode 3/A 7000
            05 78                 // I048/090 FL 350
            A2 10 20 30           // I048/130 (compound, skipped): SRL SAM APD
            39 33 22              // I048/220 aircraft address
            04 64 B3 D1 A1 E0     // I048/240 "AFR34ZG"
            01 00 00 00 00 00 00 00 40  // I048/250 (repetitive, skipped): REP 1 × 8
            0A BC                 // I048/161 track number 0xABC
            08 00 C0 ED           // I048/200 GS 450 kt, heading 271.3
            41 00                 // I048/170 (extended, skipped)
            C0 00 05 02 00 01 00 02 00 03 00 04 00 05 00 06
                                  // I048/120 (compound, skipped): CAL, RDS REP 2 × 6
            20 00                 // I048/230 COM 1, STAT 0 (airborne)
            02 EE                 // SP (explicit, skipped)
            03 DD DD              // RE (explicit, skipped)
            """)
        let second = hex("""
            E5 11 02              // FSPEC: FRN 1 2 3 6 | 11 | 21
            19 0A                 // I048/010
            58 7A 00              // I048/140 12:35:00
            20                    // I048/020 TYP 1 (PSR)
            3F F5                 // I048/090 -11/4 = FL -2.75
            00 07                 // I048/161 track number 7
            04 00                 // I048/230 STAT 1 (on ground)
            """)
        var d = AsterixDecoder()
        let reports = d.decode(block(48, first, second), referenceTime: noonRef)
        #expect(d.rejects.isEmpty)
        #expect(reports.count == 2)
        guard reports.count == 2 else { return }
        let a = reports[0], b = reports[1]
        #expect(a.format == .asterix048)
        #expect(a.address == 0x393322 && a.addressIsICAO)
        #expect(a.trackNumber == 0xABC)
        #expect(a.time == t123456)
        #expect(a.lat == nil && a.lon == nil)
        #expect(a.altFt == 35_000)
        #expect(abs(a.gsKt! - 450) <= 0.25)
        #expect(abs(a.trkDeg! - 271.3) <= 0.01)
        #expect(a.callsign == "AFR34ZG")
        #expect(a.squawk == "7000")
        #expect(a.onGround == false)
        #expect(b.address == 7 && !b.addressIsICAO)
        #expect(b.altFt == -275)
        #expect(b.onGround == true)
        #expect(b.time == day0 + 45_300)
    }

    // MARK: Encoder

    @Test func encoderLaysOutTheHandBuiltCat021Record() {
        var r = AsterixEncoder.Cat021Report()
        r.sac = 0x19; r.sic = 0xC9
        r.address = 0x393322
        r.trackNumber = 0x123
        r.onGround = false
        r.timeOfReceptionPosition = 45_296.25
        r.lat = 48.123456; r.lon = -2.5
        r.geoHeightFt = 36_000
        r.squawk = "7000"
        r.altitudeFt = 35_000
        r.baroVerticalRateFpm = -1_500
        r.groundSpeedKt = 450; r.trackDeg = 271.3
        r.callsign = "AFR34ZG"
        let bytes = AsterixEncoder.record(r)
        // Same items as the hand-built record, but SAA clear in the 040 extension, ARC 0.
        let expected = hex("""
            E5 19 4B 29 80 19 C9 01 00 01 23 22 38 9C FE 38 E4 39 33 22 58 78 20
            16 80 0E 00 05 78 7F 10 08 00 C0 ED 04 64 B3 D1 A1 E0
            """)
        #expect(bytes == expected)
    }

    @Test func fspecAndLayoutHelpers() {
        #expect(AsterixEncoder.fspec([1]) == [0x80])
        #expect(AsterixEncoder.fspec([7]) == [0x02])
        #expect(AsterixEncoder.fspec([8]) == [0x01, 0x80])
        #expect(AsterixEncoder.fspec([1, 7, 8, 14, 15]) == [0x83, 0x83, 0x80])
        #expect(AsterixEncoder.fspec([49]) == [0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02])
        #expect(AsterixEncoder.timeOfDay(45_296.25) == [0x58, 0x78, 0x20])
        #expect(AsterixEncoder.timeOfDay(86_400) == [0, 0, 0])
        #expect(AsterixEncoder.sixBitChars("AFR34ZG") == [0x04, 0x64, 0xB3, 0xD1, 0xA1, 0xE0])
        #expect(AsterixEncoder.explicit([1, 2]) == [3, 1, 2])
        #expect(AsterixEncoder.repetitive([[1, 2], [3, 4]]) == [2, 1, 2, 3, 4])
        #expect(AsterixEncoder.dataBlock(category: 21, records: [[0x80, 1, 2]]) == [21, 0, 6, 0x80, 1, 2])
        #expect(AsterixEncoder.compound([AsterixRawItem(frn: 2, bytes: [9])]) == [0x40, 9])
    }

    @Test func itemLengthRules() {
        func len(_ rule: AsterixItemRule, _ bytes: [UInt8]) -> Int? {
            bytes.withUnsafeBufferPointer { AsterixUAP.itemLength(rule, $0, at: 0, end: $0.count) }
        }
        #expect(len(.fixed(3), [1, 2, 3]) == 3)
        #expect(len(.fixed(3), [1, 2]) == nil)
        #expect(len(.extended(1), [0x01, 0x01, 0x00, 9]) == 3)
        #expect(len(.extended(1), [0x01, 0x01]) == nil)
        #expect(len(.extended(3), [0, 0, 1, 0, 0, 0]) == 6)       // I062/510
        #expect(len(.extended(3), [0, 0, 1, 0, 0]) == nil)
        #expect(len(.repetitive(8), [0]) == 1)
        #expect(len(.repetitive(2), [2, 1, 2, 3, 4]) == 5)
        #expect(len(.repetitive(2), [3, 1, 2, 3, 4]) == nil)
        #expect(len(.explicit, [3, 1, 2, 7]) == 3)
        #expect(len(.explicit, [0]) == nil)
        #expect(len(.explicit, [5, 1]) == nil)
        #expect(len(.none, [0]) == nil)
        #expect(len(.compound(.i021_220), [0x90, 0, 1, 7]) == 4)           // WS, TRB
        #expect(len(.compound(.i021_220), [0x08, 0]) == nil)               // subfield 5 unknown
        #expect(len(.compound(.i021_110), [0xC0, 0x80, 0]) == 3)          // TIS, TID REP 0
        #expect(len(.compound(.i062_380), [0x01, 0x01, 0x01, 0x10, 0x00]) == 5)  // MB, REP 0
        #expect(len(.compound(.i062_380), [0x01, 0x01, 0x01, 0x08, 0, 0]) == 6)  // IAR
        #expect(len(.compound(.i062_380), [0x01, 0x01, 0x01, 0x01, 0x80]) == nil) // no subfield 29
        #expect(len(.compound(.i062_290), [0x08, 0, 1]) == 3)              // ADS is 2 octets
        #expect(len(.compound(.i062_290), [0x08, 0]) == nil)
        #expect(len(.compound(.i062_290), [0x09, 0x80, 0, 1, 2]) == 5)     // ADS, UAT
        #expect(AsterixUAP.cat021.count == 49)
        #expect(AsterixUAP.cat062.count == 35)
        #expect(AsterixUAP.cat048.count == 28)
        #expect(AsterixCompound.i062_380.subfields.count == 28)
        #expect(AsterixCompound.i062_295.subfields.count == 31)
        #expect(AsterixCompound.i021_295.subfields.count == 23)
    }

    // MARK: Round trips

    @Test func cat021RoundTripRandom() {
        var g = SplitMix64(seed: 21)
        var d = AsterixDecoder()
        for i in 0..<3_000 {
            var r = AsterixEncoder.Cat021Report()
            r.sac = UInt8.random(in: 0...255, using: &g)
            r.address = UInt32.random(in: 0...0xFF_FFFF, using: &g)
            r.trackNumber = Bool.random(using: &g) ? UInt16.random(in: 0...4095, using: &g) : nil
            let time = randomTime(&g)
            switch i % 4 {
            case 0: r.timeOfReceptionPosition = time.tod
            case 1: r.timeOfApplicabilityPosition = time.tod
            case 2: r.timeOfReceptionVelocity = time.tod
            default: r.timeOfTransmission = time.tod
            }
            r.highResolution = Bool.random(using: &g)
            r.lat = Double.random(in: -90...90, using: &g)
            r.lon = Double.random(in: -180..<180, using: &g)
            r.altitudeFt = Double.random(in: -1_000...50_000, using: &g)
            r.geoHeightFt = Double.random(in: -1_000...50_000, using: &g)
            let vs = Double.random(in: -8_000...8_000, using: &g)
            if Bool.random(using: &g) { r.baroVerticalRateFpm = vs } else { r.geoVerticalRateFpm = vs }
            r.groundSpeedKt = Double.random(in: 0...1_200, using: &g)
            r.trackDeg = Double.random(in: 0..<360, using: &g)
            r.callsign = randomCallsign(&g)
            r.squawk = randomSquawk(&g)
            r.onGround = [nil, true, false].randomElement(using: &g)!
            let out = d.decode(AsterixEncoder.dataBlock(category: 21, records: [AsterixEncoder.record(r)]),
                               referenceTime: time.reference)
            #expect(out.count == 1)
            guard let x = out.first else { continue }
            let latTol = r.highResolution ? 180.0 / 2_147_483_648.0 : 180.0 / 16_777_216.0
            #expect(x.address == r.address! && x.addressIsICAO)
            #expect(x.trackNumber == r.trackNumber)
            #expect(x.time == time.expected)
            #expect(abs(x.lat! - r.lat!) <= latTol * 1.0001)
            #expect(abs(x.lon! - r.lon!) <= latTol * 1.0001 || abs(abs(x.lon! - r.lon!) - 360) <= latTol * 1.0001)
            #expect(abs(x.altFt! - r.altitudeFt!) <= 12.5)
            #expect(abs(x.geoAltFt! - r.geoHeightFt!) <= 3.125)
            #expect(abs(x.vsFpm! - vs) <= 3.125)
            #expect(abs(x.gsKt! - r.groundSpeedKt!) <= 0.11)
            #expect(angleDiff(x.trkDeg!, r.trackDeg!) <= 0.0028)
            #expect(x.trkDeg! >= 0 && x.trkDeg! < 360)
            #expect(x.callsign == r.callsign)
            #expect(x.squawk == r.squawk)
            #expect(x.onGround == r.onGround)
        }
        #expect(d.rejects.isEmpty)
        #expect(d.reports == 3_000)
    }

    @Test func cat062RoundTripRandom() {
        var g = SplitMix64(seed: 62)
        var d = AsterixDecoder()
        for _ in 0..<3_000 {
            var t = AsterixEncoder.Cat062Track()
            t.trackNumber = UInt16.random(in: 0...0xFFFF, using: &g)
            let time = randomTime(&g)
            t.timeOfTrack = time.tod
            t.lat = Double.random(in: -90...90, using: &g)
            t.lon = Double.random(in: -180..<180, using: &g)
            let vxRaw = Int.random(in: -2_000...2_000, using: &g), vyRaw = Int.random(in: -2_000...2_000, using: &g)
            t.vx = Double(vxRaw) * 0.25; t.vy = Double(vyRaw) * 0.25
            t.squawk = randomSquawk(&g)
            let hasAddress = Bool.random(using: &g)
            if hasAddress { t.address = UInt32.random(in: 0...0xFF_FFFF, using: &g) }
            if Bool.random(using: &g) { t.callsign = randomCallsign(&g) } else { t.derivedCallsign = randomCallsign(&g) }
            t.surface = [nil, true, false].randomElement(using: &g)!
            let useMeasured = Bool.random(using: &g)
            let alt = Double.random(in: -1_000...50_000, using: &g)
            if useMeasured { t.measuredAltitudeFt = alt } else { t.baroAltitudeFt = alt }
            t.geoAltitudeFt = Double.random(in: -1_000...50_000, using: &g)
            t.verticalRateFpm = Double.random(in: -8_000...8_000, using: &g)
            let out = d.decode(AsterixEncoder.dataBlock(category: 62, records: [AsterixEncoder.record(t)]),
                               referenceTime: time.reference)
            #expect(out.count == 1)
            guard let x = out.first else { continue }
            if hasAddress {
                #expect(x.address == t.address! && x.addressIsICAO)
            } else {
                #expect(x.address == UInt32(t.trackNumber) && !x.addressIsICAO)
            }
            #expect(x.trackNumber == t.trackNumber)
            #expect(x.time == time.expected)
            #expect(abs(x.lat! - t.lat!) <= 180.0 / 67_108_864.0 * 1.0001)
            #expect(abs(x.lon! - t.lon!) <= 180.0 / 67_108_864.0 * 1.0001)
            let speed = (t.vx! * t.vx! + t.vy! * t.vy!).squareRoot()
            #expect(abs(x.gsKt! - speed * 3600 / 1852) < 1e-9)
            if speed > 0 {
                #expect(angleDiff(x.trkDeg!, atan2(t.vx!, t.vy!) * 180 / Double.pi) < 1e-9)
                #expect(x.trkDeg! >= 0 && x.trkDeg! < 360)
            } else {
                #expect(x.trkDeg == nil)
            }
            #expect(x.squawk == t.squawk)
            #expect(x.callsign == (t.callsign ?? t.derivedCallsign))
            #expect(x.onGround == t.surface)
            #expect(abs(x.altFt! - alt) <= 12.5)
            #expect(abs(x.geoAltFt! - t.geoAltitudeFt!) <= 3.125)
            #expect(abs(x.vsFpm! - t.verticalRateFpm!) <= 3.125)
        }
        #expect(d.rejects.isEmpty)
    }

    @Test func cat048RoundTripRandom() {
        var g = SplitMix64(seed: 48)
        var d = AsterixDecoder()
        for _ in 0..<3_000 {
            var r = AsterixEncoder.Cat048Report()
            let time = randomTime(&g)
            r.timeOfDay = time.tod
            r.rangeNM = Double.random(in: 0...250, using: &g)
            r.azimuthDeg = Double.random(in: 0..<360, using: &g)
            r.squawk = randomSquawk(&g)
            r.altitudeFt = Double.random(in: -1_000...60_000, using: &g)
            let hasAddress = Bool.random(using: &g)
            if hasAddress { r.address = UInt32.random(in: 0...0xFF_FFFF, using: &g) }
            r.trackNumber = UInt16.random(in: 0...4095, using: &g)
            r.callsign = randomCallsign(&g)
            r.groundSpeedKt = Double.random(in: 0...1_000, using: &g)
            r.headingDeg = Double.random(in: 0..<360, using: &g)
            r.flightStatus = UInt8.random(in: 0...7, using: &g)
            let out = d.decode(AsterixEncoder.dataBlock(category: 48, records: [AsterixEncoder.record(r)]),
                               referenceTime: time.reference)
            #expect(out.count == 1)
            guard let x = out.first else { continue }
            #expect(x.address == (hasAddress ? r.address! : UInt32(r.trackNumber!)))
            #expect(x.addressIsICAO == hasAddress)
            #expect(x.time == time.expected)
            #expect(abs(x.altFt! - r.altitudeFt!) <= 12.5)
            #expect(abs(x.gsKt! - r.groundSpeedKt!) <= 0.11)
            #expect(angleDiff(x.trkDeg!, r.headingDeg!) <= 0.0028)
            #expect(x.callsign == r.callsign)
            #expect(x.squawk == r.squawk)
            let expectedGround: Bool? = switch r.flightStatus! {
                case 0, 2: false
                case 1, 3: true
                default: nil
            }
            #expect(x.onGround == expectedGround)
            #expect(x.lat == nil && x.lon == nil)
        }
        #expect(d.rejects.isEmpty)
    }

    /// Several records per block and several blocks (of all three categories) per buffer.
    @Test func severalRecordsPerBlockAndBlocksPerBuffer() {
        var g = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var buffer: [UInt8] = []
            var expected: [(UInt32, FeedFormat)] = []
            for _ in 0..<Int.random(in: 1...6, using: &g) {
                let category: UInt8 = [21, 62, 48].randomElement(using: &g)!
                var records: [[UInt8]] = []
                for _ in 0..<Int.random(in: 1...10, using: &g) {
                    let address = UInt32.random(in: 0...0xFF_FFFF, using: &g)
                    switch category {
                    case 21:
                        var r = AsterixEncoder.Cat021Report()
                        r.address = address; r.timeOfReceptionPosition = 100
                        r.lat = 1; r.lon = 2; r.callsign = randomCallsign(&g)
                        records.append(AsterixEncoder.record(r))
                        expected.append((address, .asterix021))
                    case 62:
                        var t = AsterixEncoder.Cat062Track()
                        t.address = address; t.timeOfTrack = 100; t.lat = 1; t.lon = 2
                        records.append(AsterixEncoder.record(t))
                        expected.append((address, .asterix062))
                    default:
                        var r = AsterixEncoder.Cat048Report()
                        r.address = address; r.timeOfDay = 100; r.altitudeFt = 1_000
                        records.append(AsterixEncoder.record(r))
                        expected.append((address, .asterix048))
                    }
                }
                buffer += AsterixEncoder.dataBlock(category: category, records: records)
            }
            var d = AsterixDecoder()
            var out: [TargetReport] = []
            buffer.withUnsafeBufferPointer { d.decode($0, referenceTime: day0 + 50, into: &out) }
            #expect(out.map(\.address) == expected.map(\.0))
            #expect(out.map(\.format) == expected.map(\.1))
            #expect(out.allSatisfy { $0.time == day0 + 100 })
            #expect(d.rejects.isEmpty && d.records == expected.count)
        }
    }

    // MARK: Time, position edge cases

    @Test func midnightUnwrapping() {
        var d = AsterixDecoder()
        // 23:59:59.5 read just after midnight belongs to the previous day.
        var r = AsterixEncoder.Cat021Report()
        r.address = 1; r.timeOfReceptionPosition = 86_399.5
        let late = d.decode(AsterixEncoder.dataBlock(category: 21, records: [AsterixEncoder.record(r)]),
                            referenceTime: day0 + 1.0)
        #expect(late.first?.time == day0 - 0.5)
        // 00:00:00.5 read at 23:59:59 belongs to the next day.
        r.timeOfReceptionPosition = 0.5
        let early = d.decode(AsterixEncoder.dataBlock(category: 21, records: [AsterixEncoder.record(r)]),
                             referenceTime: day0 - 1.0)
        #expect(early.first?.time == day0 + 0.5)
        // The same for CAT062 time of track and CAT048 time of day.
        var t = AsterixEncoder.Cat062Track()
        t.timeOfTrack = 86_399.5
        #expect(d.decode(AsterixEncoder.dataBlock(category: 62, records: [AsterixEncoder.record(t)]),
                         referenceTime: day0 + 1.0).first?.time == day0 - 0.5)
        var p = AsterixEncoder.Cat048Report()
        p.trackNumber = 5; p.timeOfDay = 0.5
        #expect(d.decode(AsterixEncoder.dataBlock(category: 48, records: [AsterixEncoder.record(p)]),
                         referenceTime: day0 - 1.0).first?.time == day0 + 0.5)
        #expect(d.rejects.isEmpty)
    }

    @Test func negativeCoordinatesAndAntimeridian() {
        var d = AsterixDecoder()
        let cases: [(Double, Double)] = [(-45.5, -179.99), (-45.5, 179.99), (0, -180), (-90, 0), (90, 179.999),
                                         (-0.000_01, -0.000_01)]
        for (lat, lon) in cases {
            for high in [false, true] {
                var r = AsterixEncoder.Cat021Report()
                r.address = 0xABCDEF; r.timeOfReceptionPosition = 10
                r.lat = lat; r.lon = lon; r.highResolution = high
                let x = d.decode(AsterixEncoder.dataBlock(category: 21, records: [AsterixEncoder.record(r)]),
                                 referenceTime: day0).first
                let tol = high ? 1e-7 : 1.1e-5
                #expect(abs(x!.lat! - lat) <= tol)
                #expect(abs(x!.lon! - lon) <= tol)
            }
            var t = AsterixEncoder.Cat062Track()
            t.trackNumber = 1; t.lat = lat; t.lon = lon
            let y = d.decode(AsterixEncoder.dataBlock(category: 62, records: [AsterixEncoder.record(t)]),
                             referenceTime: day0).first
            #expect(abs(y!.lat! - lat) <= 2.7e-6)
            #expect(abs(y!.lon! - lon) <= 2.7e-6)
        }
        // 180° east is the same meridian as 180° west, which is what the wire can carry.
        var r = AsterixEncoder.Cat021Report()
        r.address = 1; r.timeOfReceptionPosition = 10; r.lat = 10; r.lon = 180
        let x = d.decode(AsterixEncoder.dataBlock(category: 21, records: [AsterixEncoder.record(r)]),
                         referenceTime: day0).first
        #expect(x?.lon == -180)
        #expect(d.rejects.isEmpty)
    }

    // MARK: Bad input

    private func goodCat021Block(address: UInt32 = 0x123456) -> [UInt8] {
        var r = AsterixEncoder.Cat021Report()
        r.address = address; r.timeOfReceptionPosition = 100; r.lat = 1; r.lon = 1
        return AsterixEncoder.dataBlock(category: 21, records: [AsterixEncoder.record(r)])
    }

    @Test func lengthBeyondBufferAndTruncatedBlocks() {
        let good = goodCat021Block()
        // LEN larger than the buffer: the block is dropped, the earlier good block kept.
        var d = AsterixDecoder()
        var bad = good
        bad[2] &+= 10
        #expect(d.decode(good + bad, referenceTime: day0).count == 1)
        #expect(d.rejects[.malformed] == 1)
        // Every truncation of a good block: nothing decoded, one malformed each, no trap.
        for cut in 0..<good.count {
            var e = AsterixDecoder()
            #expect(e.decode(Array(good[..<cut]), referenceTime: day0).isEmpty)
            #expect(e.rejects[.malformed] == (cut == 0 ? nil : 1))
        }
        // LEN below 3 cannot advance: the rest of the buffer is dropped.
        var e = AsterixDecoder()
        #expect(e.decode([21, 0, 2] + good, referenceTime: day0).isEmpty)
        #expect(e.rejects[.malformed] == 1)
        // Trailing bytes too short for a header.
        var f = AsterixDecoder()
        #expect(f.decode(good + [21, 0], referenceTime: day0).count == 1)
        #expect(f.rejects[.malformed] == 1)
        // An empty block is fine.
        var h = AsterixDecoder()
        #expect(h.decode([21, 0, 3] + good, referenceTime: day0).count == 1)
        #expect(h.rejects.isEmpty && h.blocks == 2)
    }

    @Test func malformedRecordsDropTheRestOfTheirBlockOnly() {
        let good = goodCat021Block(address: 0xAAAAAA)
        var r = AsterixEncoder.Cat021Report()
        r.address = 0xBBBBBB; r.timeOfReceptionPosition = 100
        let rec = AsterixEncoder.record(r)
        let cases: [[UInt8]] = [
            // An FSPEC that runs past the end of the block.
            [0xFF, 0xFF, 0xFF],
            // An item that runs past the end of the block (I021/131 needs 8 octets).
            [0x02, 1, 2, 3],
            // An FRN the UAP does not have (CAT021 FRN 43).
            [0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x80, 0, 0],
            // An empty FSPEC.
            [0x00],
            // A repetitive item whose REP count runs past the end (I021/250, FRN 39).
            AsterixEncoder.fspec([39]) + [5, 0, 0, 0],
            // An explicit item of length 0 (SP).
            AsterixEncoder.fspec([49]) + [0],
            // An explicit item longer than what is left (RE).
            AsterixEncoder.fspec([48]) + [9, 0],
            // A compound item announcing a subfield it does not have (I021/220 subfield 5).
            AsterixEncoder.fspec([31]) + [0x08, 0],
            // An extended item whose FX never clears (I021/090).
            AsterixEncoder.fspec([17]) + [0x01, 0x01],
        ]
        for garbage in cases {
            // The good record before the bad one decodes; the next block decodes too.
            let badBlock = AsterixEncoder.dataBlock(category: 21, records: [rec, garbage])
            var d = AsterixDecoder()
            let out = d.decode(badBlock + good, referenceTime: day0)
            #expect(out.map(\.address) == [0xBBBBBB, 0xAAAAAA])
            #expect(d.rejects[.malformed] == 1)
            #expect(d.blocks == 2 && d.records == 2)
        }
        // A bad record in the middle of a block drops the records after it.
        var m = AsterixDecoder()
        let unknownFRN: [UInt8] = [0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x80, 0, 0]
        let mid = m.decode(AsterixEncoder.dataBlock(category: 21, records: [rec, unknownFRN, rec]) + good,
                           referenceTime: day0)
        #expect(mid.map(\.address) == [0xBBBBBB, 0xAAAAAA])
        #expect(m.rejects[.malformed] == 1)
        // CAT062 FRN 2 is spare.
        var t = AsterixEncoder.Cat062Track()
        t.trackNumber = 3
        var d = AsterixDecoder()
        let spare = AsterixEncoder.record(items: [AsterixRawItem(frn: 1, bytes: [0, 0]),
                                                  AsterixRawItem(frn: 2, bytes: [])])
        let out = d.decode(AsterixEncoder.dataBlock(category: 62, records: [AsterixEncoder.record(t), spare]),
                           referenceTime: day0)
        #expect(out.count == 1 && d.rejects[.malformed] == 1)
    }

    @Test func recordsWithoutTimeOrIdentity() {
        var noTime = AsterixEncoder.Cat021Report()
        noTime.address = 1
        var noIdentity = AsterixEncoder.Cat021Report()
        noIdentity.timeOfReceptionPosition = 5
        var ok = AsterixEncoder.Cat021Report()
        ok.address = 2; ok.timeOfReceptionPosition = 5
        var byTrack = AsterixEncoder.Cat021Report()
        byTrack.trackNumber = 77; byTrack.timeOfApplicabilityPosition = 5
        var d = AsterixDecoder()
        let out = d.decode(AsterixEncoder.dataBlock(category: 21, records: [
            AsterixEncoder.record(noTime), AsterixEncoder.record(noIdentity),
            AsterixEncoder.record(ok), AsterixEncoder.record(byTrack)]), referenceTime: day0)
        #expect(out.map(\.address) == [2, 77])
        #expect(out.map(\.addressIsICAO) == [true, false])
        #expect(d.rejects[.malformed] == 1 && d.rejects[.unsupported] == 1)
        #expect(d.records == 4 && d.reports == 2)
        // A CAT048 plot with neither address nor track number.
        var plot = AsterixEncoder.Cat048Report()
        plot.timeOfDay = 5; plot.squawk = "1200"
        #expect(d.decode(AsterixEncoder.dataBlock(category: 48, records: [AsterixEncoder.record(plot)]),
                         referenceTime: day0).isEmpty)
        #expect(d.rejects[.unsupported] == 2)
        // A time of day past 24 h (the 24-bit field can hold up to 36.4 h).
        var late = AsterixEncoder.Cat021Report()
        late.address = 3
        late.extraItems = [AsterixRawItem(frn: 12, bytes: [0xFF, 0xFF, 0xFF])]
        #expect(d.decode(AsterixEncoder.dataBlock(category: 21, records: [AsterixEncoder.record(late)]),
                         referenceTime: day0).isEmpty)
        #expect(d.rejects[.malformed] == 2)
    }

    @Test func unknownCategoriesAreSkipped() {
        let good = goodCat021Block()
        let cat034 = hex("22 00 0A  C0 19 0A 02 00 00 00")        // a CAT034 north marker, say
        let cat065 = hex("41 00 06  80 19 0A")
        var d = AsterixDecoder()
        let out = d.decode(cat034 + good + cat065 + good, referenceTime: day0)
        #expect(out.count == 2)
        #expect(d.unknownCategoryBlocks == 2 && d.blocks == 4)
        #expect(d.rejects.isEmpty)
    }

    /// 10,000 seeded random buffers: pure garbage, garbage behind a plausible header, and
    /// mutated good blocks. Nothing may trap (the buffer pointer is bounds-checked in debug
    /// builds), every report must be consistent, and bad input must be counted.
    @Test func fuzzRandomBuffers() {
        var g = SplitMix64(seed: 0xA57E_81C5)
        var d = AsterixDecoder()
        var template: [[UInt8]] = []
        do {
            var r = AsterixEncoder.Cat021Report()
            r.address = 0x393322; r.timeOfReceptionPosition = 1; r.lat = 1; r.lon = 2
            r.callsign = "AFR34ZG"; r.squawk = "7000"; r.altitudeFt = 1_000
            r.extraItems = [AsterixRawItem(frn: 31, bytes: [0xF0, 0, 1, 0, 2, 0, 3, 4]),
                            AsterixRawItem(frn: 39, bytes: [1, 1, 2, 3, 4, 5, 6, 7, 8]),
                            AsterixRawItem(frn: 48, bytes: [2, 0])]
            template.append(AsterixEncoder.dataBlock(category: 21, records: [AsterixEncoder.record(r),
                                                                            AsterixEncoder.record(r)]))
            var t = AsterixEncoder.Cat062Track()
            t.address = 0x4CA2B1; t.derivedCallsign = "EIN5KM"; t.lat = 3; t.lon = 4; t.surface = true
            t.extraItems = [AsterixRawItem(frn: 14, bytes: [0x89, 0x20, 5, 0, 16, 7])]
            template.append(AsterixEncoder.dataBlock(category: 62, records: [AsterixEncoder.record(t)]))
            var p = AsterixEncoder.Cat048Report()
            p.address = 1; p.callsign = "X"; p.groundSpeedKt = 100; p.headingDeg = 10
            p.extraItems = [AsterixRawItem(frn: 7, bytes: [0xA2, 1, 2, 3])]
            template.append(AsterixEncoder.dataBlock(category: 48, records: [AsterixEncoder.record(p)]))
        }
        var total = 0
        for i in 0..<10_000 {
            var buf: [UInt8]
            switch i % 3 {
            case 0:
                buf = (0..<Int.random(in: 0...300, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            case 1:
                let body = (0..<Int.random(in: 0...120, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
                let cat: UInt8 = [21, 62, 48].randomElement(using: &g)!
                buf = AsterixEncoder.dataBlock(category: cat, records: [body])
                if Bool.random(using: &g) { buf += template.randomElement(using: &g)! }
            default:
                buf = template.randomElement(using: &g)! + template.randomElement(using: &g)!
                for _ in 0..<Int.random(in: 1...4, using: &g) {
                    let k = Int.random(in: 0..<buf.count, using: &g)
                    buf[k] ^= UInt8(1) << UInt8.random(in: 0...7, using: &g)
                }
                if Bool.random(using: &g) { buf.removeLast(Int.random(in: 0..<buf.count, using: &g)) }
            }
            let out = d.decode(buf, referenceTime: day0)
            total += out.count
            for r in out {
                #expect(abs(r.time - day0) <= 43_200)
                if let lat = r.lat { #expect(lat >= -90 && lat <= 90) }
                if let lon = r.lon { #expect(lon >= -180 && lon <= 180) }
                if let trk = r.trkDeg { #expect(trk >= 0 && trk < 360) }
                if r.addressIsICAO { #expect(r.address <= 0xFF_FFFF) }
                if let s = r.squawk { #expect(s.utf8.count == 4) }
            }
        }
        #expect(d.reports == total)
        #expect(d.records >= d.reports)
        #expect((d.rejects[.malformed] ?? 0) > 1_000)
    }
}
