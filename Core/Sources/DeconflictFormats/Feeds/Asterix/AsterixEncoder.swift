import DeconflictCore

/// One data item already laid out on the wire, placed at `frn` of a UAP (or, inside
/// ``AsterixEncoder/compound(_:)``, at subfield number `frn` of a compound item).
public struct AsterixRawItem: Sendable, Equatable {
    public var frn: Int
    public var bytes: [UInt8]
    public init(frn: Int, bytes: [UInt8]) { self.frn = frn; self.bytes = bytes }
}

/// Builds ASTERIX records and data blocks (CAT021 ed. 2.6, CAT062 ed. 1.18, CAT048 ed. 1.21)
/// from field values, for tests, simulators and benchmarks. Pure. The FSPEC is built from the
/// items present; values are rounded to the item's LSB and clamped to its range.
public enum AsterixEncoder {
    /// The fields of one CAT021 ADS-B target report. Times are seconds since midnight UTC.
    public struct Cat021Report: Sendable, Equatable {
        public var sac: UInt8 = 0, sic: UInt8 = 0
        /// I021/080.
        public var address: UInt32?
        /// ATP of I021/040 (0 = 24-bit ICAO address).
        public var addressType: UInt8 = 0
        /// GBS of I021/040 (writes the first extension when non-nil).
        public var onGround: Bool?
        /// I021/161 (12 bits).
        public var trackNumber: UInt16?
        /// I021/071, I021/073, I021/075, I021/077.
        public var timeOfApplicabilityPosition: Double?
        public var timeOfReceptionPosition: Double?
        public var timeOfReceptionVelocity: Double?
        public var timeOfTransmission: Double?
        /// Position, degrees: I021/131 when `highResolution`, else I021/130.
        public var lat: Double?, lon: Double?
        public var highResolution = false
        /// I021/145 (pressure altitude, ft; sent as ¼ FL).
        public var altitudeFt: Double?
        /// I021/140 (6.25 ft).
        public var geoHeightFt: Double?
        /// I021/155 and I021/157 (6.25 ft/min).
        public var baroVerticalRateFpm: Double?
        public var geoVerticalRateFpm: Double?
        /// I021/160 (both needed): ground speed, kt; track angle, degrees.
        public var groundSpeedKt: Double?, trackDeg: Double?
        /// I021/170 (up to 8 characters).
        public var callsign: String?
        /// I021/070 as four octal digits.
        public var squawk: String?
        /// Items laid out by the caller (e.g. compound or repetitive items the decoder skips).
        public var extraItems: [AsterixRawItem] = []
        public init() {}
    }

    /// The fields of one CAT062 system track. Times are seconds since midnight UTC.
    public struct Cat062Track: Sendable, Equatable {
        public var sac: UInt8 = 0, sic: UInt8 = 0
        /// I062/015.
        public var serviceID: UInt8?
        /// I062/070.
        public var timeOfTrack: Double = 0
        /// I062/040.
        public var trackNumber: UInt16 = 0
        /// I062/105, degrees.
        public var lat: Double?, lon: Double?
        /// I062/185, m/s (x east, y north).
        public var vx: Double?, vy: Double?
        /// I062/060 as four octal digits.
        public var squawk: String?
        /// I062/245 (STI 0).
        public var callsign: String?
        /// I062/380 ADR and ID.
        public var address: UInt32?
        public var derivedCallsign: String?
        /// SFC of I062/080 (writes six octets when non-nil, one otherwise).
        public var surface: Bool?
        /// I062/136 measured FL, I062/135 barometric altitude (ft, sent as ¼ FL) and its QNH flag.
        public var measuredAltitudeFt: Double?
        public var baroAltitudeFt: Double?
        public var qnhCorrected = false
        /// I062/130 (6.25 ft).
        public var geoAltitudeFt: Double?
        /// I062/220 (6.25 ft/min).
        public var verticalRateFpm: Double?
        /// Items laid out by the caller.
        public var extraItems: [AsterixRawItem] = []
        public init() {}
    }

    /// The fields of one CAT048 monoradar target report. Times are seconds since midnight UTC.
    public struct Cat048Report: Sendable, Equatable {
        public var sac: UInt8 = 0, sic: UInt8 = 0
        /// I048/140.
        public var timeOfDay: Double = 0
        /// I048/020 first octet (default: single Mode S roll-call, TYP 5).
        public var descriptor: UInt8 = 0xA0
        /// I048/040: slant range, NM, and azimuth, degrees (both needed).
        public var rangeNM: Double?, azimuthDeg: Double?
        /// I048/070 as four octal digits.
        public var squawk: String?
        /// I048/090 (ft, sent as ¼ FL).
        public var altitudeFt: Double?
        /// I048/220.
        public var address: UInt32?
        /// I048/240.
        public var callsign: String?
        /// I048/161 (12 bits).
        public var trackNumber: UInt16?
        /// I048/200: ground speed, kt; heading, degrees (both needed).
        public var groundSpeedKt: Double?, headingDeg: Double?
        /// STAT of I048/230 (0 airborne, 1 on ground, …).
        public var flightStatus: UInt8?
        /// Items laid out by the caller.
        public var extraItems: [AsterixRawItem] = []
        public init() {}
    }

    // MARK: Records

    /// One CAT021 record.
    public static func record(_ r: Cat021Report) -> [UInt8] {
        var items: [AsterixRawItem] = [AsterixRawItem(frn: 1, bytes: [r.sac, r.sic])]
        var trd: [UInt8] = [(r.addressType & 7) << 5]
        if let g = r.onGround { trd[0] |= 1; trd.append(g ? 0x40 : 0) }
        items.append(AsterixRawItem(frn: 2, bytes: trd))
        if let tn = r.trackNumber { items.append(AsterixRawItem(frn: 3, bytes: be16(tn & 0x0FFF))) }
        if let t = r.timeOfApplicabilityPosition { items.append(AsterixRawItem(frn: 5, bytes: timeOfDay(t))) }
        if let lat = r.lat, let lon = r.lon {
            if r.highResolution {
                let k: Double = 1_073_741_824.0 / 180.0           // 2^30 / 180
                items.append(AsterixRawItem(frn: 7, bytes:
                    be32(quantize(lat * k, bits: 32)) + be32(lonRaw(lon * k, bits: 32))))
            } else {
                let k: Double = 8_388_608.0 / 180.0               // 2^23 / 180
                items.append(AsterixRawItem(frn: 6, bytes:
                    be24(quantize(lat * k, bits: 24)) + be24(lonRaw(lon * k, bits: 24))))
            }
        }
        if let a = r.address { items.append(AsterixRawItem(frn: 11, bytes: be24(a))) }
        if let t = r.timeOfReceptionPosition { items.append(AsterixRawItem(frn: 12, bytes: timeOfDay(t))) }
        if let t = r.timeOfReceptionVelocity { items.append(AsterixRawItem(frn: 14, bytes: timeOfDay(t))) }
        if let h = r.geoHeightFt { items.append(AsterixRawItem(frn: 16, bytes: be16(quantize(h / 6.25, bits: 16)))) }
        if let s = r.squawk, let code = octalCode(s) { items.append(AsterixRawItem(frn: 19, bytes: be16(code))) }
        if let alt = r.altitudeFt { items.append(AsterixRawItem(frn: 21, bytes: be16(quantize(alt / 25.0, bits: 16)))) }
        if let v = r.baroVerticalRateFpm { items.append(AsterixRawItem(frn: 24, bytes: rate15(v / 6.25))) }
        if let v = r.geoVerticalRateFpm { items.append(AsterixRawItem(frn: 25, bytes: rate15(v / 6.25))) }
        if let gs = r.groundSpeedKt, let trk = r.trackDeg {
            items.append(AsterixRawItem(frn: 26, bytes: speed15(gs / 3600.0 * 16384.0) + angle16(trk)))
        }
        if let t = r.timeOfTransmission { items.append(AsterixRawItem(frn: 28, bytes: timeOfDay(t))) }
        if let c = r.callsign { items.append(AsterixRawItem(frn: 29, bytes: sixBitChars(c))) }
        return record(items: items + r.extraItems)
    }

    /// One CAT062 record.
    public static func record(_ t: Cat062Track) -> [UInt8] {
        var items: [AsterixRawItem] = [AsterixRawItem(frn: 1, bytes: [t.sac, t.sic])]
        if let s = t.serviceID { items.append(AsterixRawItem(frn: 3, bytes: [s])) }
        items.append(AsterixRawItem(frn: 4, bytes: timeOfDay(t.timeOfTrack)))
        if let lat = t.lat, let lon = t.lon {
            let k: Double = 33_554_432.0 / 180.0                  // 2^25 / 180
            items.append(AsterixRawItem(frn: 5, bytes:
                be32(quantize(lat * k, bits: 32)) + be32(lonRaw(lon * k, bits: 32))))
        }
        if let vx = t.vx, let vy = t.vy {
            items.append(AsterixRawItem(frn: 7, bytes:
                be16(quantize(vx / 0.25, bits: 16)) + be16(quantize(vy / 0.25, bits: 16))))
        }
        if let s = t.squawk, let code = octalCode(s) { items.append(AsterixRawItem(frn: 9, bytes: be16(code))) }
        if let c = t.callsign { items.append(AsterixRawItem(frn: 10, bytes: [0] + sixBitChars(c))) }
        var derived: [AsterixRawItem] = []
        if let a = t.address { derived.append(AsterixRawItem(frn: 1, bytes: be24(a))) }
        if let c = t.derivedCallsign { derived.append(AsterixRawItem(frn: 2, bytes: sixBitChars(c))) }
        if !derived.isEmpty { items.append(AsterixRawItem(frn: 11, bytes: compound(derived))) }
        items.append(AsterixRawItem(frn: 12, bytes: be16(t.trackNumber)))
        if let sfc = t.surface {
            items.append(AsterixRawItem(frn: 13, bytes: [0x01, 0x01, 0x01, 0x01, 0x01, sfc ? 0x10 : 0x00]))
        } else {
            items.append(AsterixRawItem(frn: 13, bytes: [0x00]))
        }
        if let a = t.measuredAltitudeFt { items.append(AsterixRawItem(frn: 17, bytes: be16(quantize(a / 25.0, bits: 16)))) }
        if let h = t.geoAltitudeFt { items.append(AsterixRawItem(frn: 18, bytes: be16(quantize(h / 6.25, bits: 16)))) }
        if let a = t.baroAltitudeFt {
            var raw = UInt16(truncatingIfNeeded: quantize(a / 25.0, bits: 15)) & 0x7FFF
            if t.qnhCorrected { raw |= 0x8000 }
            items.append(AsterixRawItem(frn: 19, bytes: be16(raw)))
        }
        if let v = t.verticalRateFpm { items.append(AsterixRawItem(frn: 20, bytes: be16(quantize(v / 6.25, bits: 16)))) }
        return record(items: items + t.extraItems)
    }

    /// One CAT048 record.
    public static func record(_ r: Cat048Report) -> [UInt8] {
        var items: [AsterixRawItem] = [
            AsterixRawItem(frn: 1, bytes: [r.sac, r.sic]),
            AsterixRawItem(frn: 2, bytes: timeOfDay(r.timeOfDay)),
            AsterixRawItem(frn: 3, bytes: [r.descriptor & 0xFE]),
        ]
        if let rho = r.rangeNM, let theta = r.azimuthDeg {
            let rhoRaw = UInt16(clamping: Int((rho * 256.0).rounded()))
            items.append(AsterixRawItem(frn: 4, bytes: be16(rhoRaw) + angle16(theta)))
        }
        if let s = r.squawk, let code = octalCode(s) { items.append(AsterixRawItem(frn: 5, bytes: be16(code))) }
        if let alt = r.altitudeFt {
            let raw = UInt16(truncatingIfNeeded: quantize(alt / 25.0, bits: 14)) & 0x3FFF
            items.append(AsterixRawItem(frn: 6, bytes: be16(raw)))
        }
        if let a = r.address { items.append(AsterixRawItem(frn: 8, bytes: be24(a))) }
        if let c = r.callsign { items.append(AsterixRawItem(frn: 9, bytes: sixBitChars(c))) }
        if let tn = r.trackNumber { items.append(AsterixRawItem(frn: 11, bytes: be16(tn & 0x0FFF))) }
        if let gs = r.groundSpeedKt, let hdg = r.headingDeg {
            let raw = UInt16(clamping: Int((gs / 3600.0 * 16384.0).rounded()))
            items.append(AsterixRawItem(frn: 13, bytes: be16(raw) + angle16(hdg)))
        }
        if let s = r.flightStatus { items.append(AsterixRawItem(frn: 21, bytes: be16(UInt16(s & 7) << 10))) }
        return record(items: items + r.extraItems)
    }

    // MARK: Layout

    /// A record from items laid out by the caller: the FSPEC, then the items in FRN order.
    /// Each FRN may appear once.
    public static func record(items: [AsterixRawItem]) -> [UInt8] {
        let sorted = items.sorted { $0.frn < $1.frn }
        var out = fspec(sorted.map(\.frn))
        for (i, item) in sorted.enumerated() {
            precondition(item.frn >= 1 && (i == 0 || sorted[i - 1].frn != item.frn),
                         "FRN \(item.frn) given twice or out of range")
            out += item.bytes
        }
        return out
    }

    /// A compound item: the primary subfield announcing the subfields given (`frn` = subfield
    /// number, 1 for the first), then the subfields in order.
    public static func compound(_ subfields: [AsterixRawItem]) -> [UInt8] {
        record(items: subfields)
    }

    /// An explicit-length item (RE or SP): the length octet, then `payload` (at most 254 octets).
    public static func explicit(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count < 255, "explicit item too long")
        return [UInt8(payload.count + 1)] + payload
    }

    /// A repetitive item: the REP octet, then the repetitions laid end to end.
    public static func repetitive(_ elements: [[UInt8]]) -> [UInt8] {
        precondition(elements.count < 256, "too many repetitions")
        return [UInt8(elements.count)] + elements.flatMap { $0 }
    }

    /// A data block: CAT, LEN (big-endian, the 3 header octets included), the records.
    public static func dataBlock(category: UInt8, records: [[UInt8]]) -> [UInt8] {
        let body = records.flatMap { $0 }
        let length = body.count + 3
        precondition(length <= 0xFFFF, "data block too long")
        return [category, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }

    /// A field specification announcing `frns`.
    public static func fspec(_ frns: [Int]) -> [UInt8] {
        guard let last = frns.max() else { return [0] }
        var out = [UInt8](repeating: 0, count: (last + 6) / 7)
        for frn in frns { out[(frn - 1) / 7] |= 0x80 >> UInt8((frn - 1) % 7) }
        for i in 0..<(out.count - 1) { out[i] |= 1 }
        return out
    }

    /// A time of day (seconds since midnight) in 1/128 s, three octets.
    public static func timeOfDay(_ seconds: Double) -> [UInt8] {
        let raw = Int((seconds * 128.0).rounded())
        return be24(UInt32(((raw % 11_059_200) + 11_059_200) % 11_059_200))   // 86 400 × 128
    }

    /// Eight 6-bit characters (ICAO charset), space padded; unknown characters become spaces.
    public static func sixBitChars(_ text: String) -> [UInt8] {
        var codes = [UInt8](repeating: 32, count: 8)
        for (i, c) in text.utf8.prefix(8).enumerated() {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): codes[i] = c - 64
            case UInt8(ascii: "a")...UInt8(ascii: "z"): codes[i] = c - 96
            case UInt8(ascii: "0")...UInt8(ascii: "9"): codes[i] = c
            default: codes[i] = 32
            }
        }
        var bits: UInt64 = 0
        for code in codes { bits = bits << 6 | UInt64(code) }
        return (0..<6).map { UInt8(truncatingIfNeeded: bits >> UInt64(40 - 8 * $0)) }
    }

    /// Four octal digits → 12-bit code; nil when not four octal digits.
    static func octalCode(_ s: String) -> UInt16? {
        var code: UInt16 = 0
        var n = 0
        for c in s.utf8 {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "7"), n < 4 else { return nil }
            code = code << 3 | UInt16(c - UInt8(ascii: "0"))
            n += 1
        }
        return n == 4 ? code : nil
    }

    /// Rounds and clamps to a signed field of `bits` bits.
    static func quantize(_ x: Double, bits: Int) -> Int32 {
        let hi: Double = Double((Int64(1) << (bits - 1)) - 1), lo: Double = -hi - 1
        let v: Double = x.rounded()
        return Int32(v.isNaN ? 0 : min(max(v, lo), hi))
    }

    /// A longitude already scaled to LSBs (`scaled` = lon × 2^(bits-1) / 180), folded into
    /// [-180°, 180°) so that 180° E goes out as 180° W (the field's positive end is 180° − 1 LSB).
    static func lonRaw(_ scaled: Double, bits: Int) -> Int32 {
        let half: Double = Double(Int64(1) << (bits - 1))
        var v: Double = scaled.rounded().truncatingRemainder(dividingBy: 2 * half)
        if v >= half { v -= 2 * half } else if v < -half { v += 2 * half }
        return quantize(v, bits: bits)
    }

    /// RE bit + 15-bit signed value (vertical rates), RE set when clamped.
    static func rate15(_ x: Double) -> [UInt8] {
        let v = quantize(x, bits: 15)
        var raw = UInt16(truncatingIfNeeded: v) & 0x7FFF
        if Double(v) != x.rounded() && !x.isNaN { raw |= 0x8000 }
        return be16(raw)
    }

    /// RE bit + 15-bit unsigned value (ground speed), RE set when clamped.
    static func speed15(_ x: Double) -> [UInt8] {
        let v: Double = max(0, x.rounded())
        return v > 32767 ? be16(UInt16(0xFFFF)) : be16(UInt16(v))
    }

    /// An angle in degrees, 360/2^16, two octets.
    static func angle16(_ deg: Double) -> [UInt8] {
        let raw = Int((deg * 65536.0 / 360.0).rounded())
        return be16(UInt16(((raw % 65536) + 65536) % 65536))
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be16(_ v: Int32) -> [UInt8] { be16(UInt16(truncatingIfNeeded: v)) }
    static func be24(_ v: UInt32) -> [UInt8] { [UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func be24(_ v: Int32) -> [UInt8] { be24(UInt32(bitPattern: v)) }
    static func be32(_ v: Int32) -> [UInt8] {
        let u = UInt32(bitPattern: v)
        return [UInt8(u >> 24), UInt8((u >> 16) & 0xFF), UInt8((u >> 8) & 0xFF), UInt8(u & 0xFF)]
    }
}
