import DeconflictCore

/// Decodes ASTERIX data blocks (CAT021 ed. 2.6, CAT062 ed. 1.18, CAT048 ed. 1.21) into
/// ``TargetReport``s. Pure: bytes and a reference time in, values and counters out.
///
/// Input is one or more concatenated data blocks (CAT, 2-octet big-endian LEN counting the
/// 3 header octets, then records), e.g. one UDP datagram. Every item of each UAP is skipped
/// by its length rule (``AsterixUAP``) when it is not interpreted. Bad input never traps and is
/// never read past its end:
/// - a truncated header or a LEN below 3 or beyond the buffer drops the rest of the buffer;
/// - a record that runs past its block, sets an FRN its UAP does not have, or has an empty
///   FSPEC drops the rest of that block;
/// each counted once as `.malformed`. A well-formed record without a time item (or with a time
/// of day past 24 h) is counted `.malformed`, one without any identity (address or track number) `.unsupported`; decoding
/// goes on with the next record. Blocks of other categories are skipped and counted in
/// ``unknownCategoryBlocks`` (not a reject: CAT062 feeds carry CAT065 service messages).
public struct AsterixDecoder: Sendable {
    /// Data blocks whose header and LEN were sound (any category).
    public var blocks = 0
    /// Records walked to their end (whether or not they gave a report).
    public var records = 0
    /// Reports returned.
    public var reports = 0
    /// Blocks of a category the decoder does not take, skipped whole.
    public var unknownCategoryBlocks = 0
    /// Refused inputs per reason (see the type's documentation for which reason is which).
    public var rejects: [FeedReject: Int] = [:]

    public init() {}

    /// Decodes every data block of `bytes`; times of day are mapped to UTC near
    /// `referenceTime` (UTC seconds since 1970, e.g. the receive time).
    public mutating func decode(_ bytes: [UInt8], referenceTime: Double) -> [TargetReport] {
        bytes.withUnsafeBufferPointer { decode($0, referenceTime: referenceTime) }
    }

    /// Decodes every data block of `bytes` (see ``decode(_:referenceTime:into:)``).
    public mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>,
                                referenceTime: Double) -> [TargetReport] {
        var out: [TargetReport] = []
        decode(bytes, referenceTime: referenceTime, into: &out)
        return out
    }

    /// Decodes every data block of `bytes`, appending the reports to `out` (so a caller can
    /// reuse one array across datagrams).
    public mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, referenceTime: Double,
                                into out: inout [TargetReport]) {
        let count = bytes.count
        var offset = 0
        while offset < count {
            guard count - offset >= 3 else { reject(.malformed); return }
            let category = bytes[offset]
            let length = Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
            guard length >= 3, length <= count - offset else { reject(.malformed); return }
            blocks += 1
            let start = offset + 3, end = offset + length
            switch category {
            case 21:
                decodeRecords(Cat021Record.self, AsterixUAP.cat021, bytes, start, end,
                              referenceTime, &out)
            case 62:
                decodeRecords(Cat062Record.self, AsterixUAP.cat062, bytes, start, end,
                              referenceTime, &out)
            case 48:
                decodeRecords(Cat048Record.self, AsterixUAP.cat048, bytes, start, end,
                              referenceTime, &out)
            default:
                unknownCategoryBlocks += 1
            }
            offset = end
        }
    }

    private mutating func reject(_ why: FeedReject) {
        rejects[why, default: 0] += 1
    }

    /// Walks the records of one block body `[start, end)`.
    private mutating func decodeRecords<R: AsterixRecordSink>(
        _: R.Type, _ uap: [AsterixItemRule], _ bytes: UnsafeBufferPointer<UInt8>,
        _ start: Int, _ end: Int, _ referenceTime: Double, _ out: inout [TargetReport]
    ) {
        var pos = start
        while pos < end {
            var record = R()
            guard let next = Self.walkRecord(uap, bytes, at: pos, end: end, into: &record) else {
                reject(.malformed)
                return
            }
            records += 1
            switch record.outcome(bytes, referenceTime: referenceTime) {
            case .report(let r):
                out.append(r)
                reports += 1
            case .reject(let why):
                reject(why)
            }
            pos = next
        }
    }

    /// Reads one record's FSPEC and hands every present item to `record`; returns the offset
    /// just past the record, or nil when it is malformed.
    static func walkRecord<R: AsterixRecordSink>(
        _ uap: [AsterixItemRule], _ bytes: UnsafeBufferPointer<UInt8>, at: Int, end: Int,
        into record: inout R
    ) -> Int? {
        var fspecEnd = at
        repeat {
            guard fspecEnd < end else { return nil }
            fspecEnd += 1
        } while bytes[fspecEnd - 1] & 1 != 0
        var q = fspecEnd
        var frn = 1
        var any = false
        for k in at..<fspecEnd {
            let octet = bytes[k]
            var mask: UInt8 = 0x80
            while mask > 1 {
                if octet & mask != 0 {
                    guard frn <= uap.count,
                          let n = AsterixUAP.itemLength(uap[frn - 1], bytes, at: q, end: end)
                    else { return nil }
                    record.item(frn, bytes, q, n)
                    q += n
                    any = true
                }
                frn += 1
                mask >>= 1
            }
        }
        return any ? q : nil
    }
}

// MARK: - Per-category record accumulators

/// What became of one well-formed record.
enum AsterixOutcome {
    case report(TargetReport)
    case reject(FeedReject)
}

/// Collects the interpreted items of one record (raw values and offsets, no allocation) and
/// builds the report once the whole record has been walked.
protocol AsterixRecordSink {
    init()
    /// Item `frn` occupies `bytes[at..<at+length]` (length already checked by its rule).
    mutating func item(_ frn: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ length: Int)
    func outcome(_ bytes: UnsafeBufferPointer<UInt8>, referenceTime: Double) -> AsterixOutcome
}

@inline(__always) func asxU16(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt16 {
    UInt16(b[i]) << 8 | UInt16(b[i + 1])
}

@inline(__always) func asxU24(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32 {
    UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
}

@inline(__always) func asxI24(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int32 {
    Int32(bitPattern: asxU24(b, i) << 8) >> 8
}

@inline(__always) func asxI32(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int32 {
    Int32(bitPattern: UInt32(asxU16(b, i)) << 16 | UInt32(asxU16(b, i + 2)))
}

/// The low 15 bits of `raw` as a signed value.
@inline(__always) func asxSigned15(_ raw: UInt16) -> Int16 {
    Int16(bitPattern: raw << 1) >> 1
}

/// The low 14 bits of `raw` as a signed value.
@inline(__always) func asxSigned14(_ raw: UInt16) -> Int16 {
    Int16(bitPattern: raw << 2) >> 2
}

/// A 12-bit Mode A code as four octal digits ("7000").
func asterixSquawk(_ code: UInt16) -> String {
    String(unsafeUninitializedCapacity: 4) { buf in
        buf[0] = UInt8(ascii: "0") + UInt8((code >> 9) & 7)
        buf[1] = UInt8(ascii: "0") + UInt8((code >> 6) & 7)
        buf[2] = UInt8(ascii: "0") + UInt8((code >> 3) & 7)
        buf[3] = UInt8(ascii: "0") + UInt8(code & 7)
        return 4
    }
}

/// Eight 6-bit characters starting at octet `at`; nil when they are all blank.
func asterixCallsign(_ b: UnsafeBufferPointer<UInt8>, at: Int) -> String? {
    let s = decodeSixBitChars(b, bitOffset: at * 8, count: 8)
    return s.isEmpty ? nil : s
}

/// Time of day in 1/128 s → UTC near the reference; nil past 24 h (a 24-bit field can say
/// up to 36.4 h).
@inline(__always) func asterixTime(_ raw: UInt32, near reference: Double) -> Double? {
    raw < 11_059_200 ? utcFromTimeOfDay(Double(raw) / 128.0, near: reference) : nil   // 86 400 × 128
}

/// A position only when both coordinates are in range.
@inline(__always) func asterixPosition(_ lat: Double, _ lon: Double) -> (Double, Double)? {
    (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) ? (lat, lon) : nil
}

/// Track angle in degrees folded into [0, 360).
@inline(__always) func asterixAngle(_ raw: UInt16) -> Double {
    Double(raw) * (360.0 / 65536.0)
}

/// Knots per NM/s.
let asterixKtPerNMps = 3600.0

/// CAT021 ed. 2.6.
struct Cat021Record: AsterixRecordSink {
    var trd: UInt8? = nil            // I021/040 first octet
    var trdExt: UInt8? = nil         // I021/040 first extension (DCR GBS SIM TST SAA CL)
    var trackNumber: UInt16? = nil   // I021/161
    var t071: UInt32? = nil, t073: UInt32? = nil, t075: UInt32? = nil, t077: UInt32? = nil
    var lat130: Int32 = 0, lon130: Int32 = 0, has130 = false
    var lat131: Int32 = 0, lon131: Int32 = 0, has131 = false
    var address: UInt32? = nil       // I021/080
    var geoHeight: Int16? = nil      // I021/140
    var mode3A: UInt16? = nil        // I021/070
    var flightLevel: Int16? = nil    // I021/145
    var baroRate: Int16? = nil       // I021/155
    var geoRate: Int16? = nil        // I021/157
    var groundSpeed: UInt16 = 0, trackAngle: UInt16 = 0, has160 = false
    var callsignAt: Int? = nil       // I021/170

    init() {}

    mutating func item(_ frn: Int, _ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ length: Int) {
        switch frn {
        case 2:
            trd = b[at]
            if length >= 2 { trdExt = b[at + 1] }
        case 3: trackNumber = asxU16(b, at) & 0x0FFF
        case 5: t071 = asxU24(b, at)
        case 6: lat130 = asxI24(b, at); lon130 = asxI24(b, at + 3); has130 = true
        case 7: lat131 = asxI32(b, at); lon131 = asxI32(b, at + 4); has131 = true
        case 11: address = asxU24(b, at)
        case 12: t073 = asxU24(b, at)
        case 14: t075 = asxU24(b, at)
        case 16: geoHeight = Int16(bitPattern: asxU16(b, at))
        case 19: mode3A = asxU16(b, at) & 0x0FFF
        case 21: flightLevel = Int16(bitPattern: asxU16(b, at))
        case 24: baroRate = asxSigned15(asxU16(b, at))
        case 25: geoRate = asxSigned15(asxU16(b, at))
        case 26:
            groundSpeed = asxU16(b, at) & 0x7FFF
            trackAngle = asxU16(b, at + 2)
            has160 = true
        case 28: t077 = asxU24(b, at)
        case 29: callsignAt = at
        default: break
        }
    }

    func outcome(_ b: UnsafeBufferPointer<UInt8>, referenceTime: Double) -> AsterixOutcome {
        guard let tod = t073 ?? t071 ?? t075 ?? t077,
              let time = asterixTime(tod, near: referenceTime) else { return .reject(.malformed) }
        let addr: UInt32, isICAO: Bool
        if let a = address { addr = a; isICAO = true }
        else if let tn = trackNumber { addr = UInt32(tn); isICAO = false }
        else { return .reject(.unsupported) }
        var r = TargetReport(address: addr, addressIsICAO: isICAO,
                             time: time, format: .asterix021)
        let pos: (Double, Double)?
        if has131 {
            let k: Double = 180.0 / 1_073_741_824.0          // 180 / 2^30
            pos = asterixPosition(Double(lat131) * k, Double(lon131) * k)
        } else if has130 {
            let k: Double = 180.0 / 8_388_608.0              // 180 / 2^23
            pos = asterixPosition(Double(lat130) * k, Double(lon130) * k)
        } else {
            pos = nil
        }
        if let (lat, lon) = pos { r.lat = lat; r.lon = lon }
        if let fl = flightLevel { r.altFt = Double(fl) * 25.0 }
        if let h = geoHeight { r.geoAltFt = Double(h) * 6.25 }
        if let vr = baroRate ?? geoRate { r.vsFpm = Double(vr) * 6.25 }
        if has160 {
            let nmps: Double = Double(groundSpeed) / 16384.0
            r.gsKt = nmps * asterixKtPerNMps
            r.trkDeg = asterixAngle(trackAngle)
        }
        if let at = callsignAt { r.callsign = asterixCallsign(b, at: at) }
        if let m = mode3A { r.squawk = asterixSquawk(m) }
        if let ext = trdExt { r.onGround = ext & 0x40 != 0 }     // GBS
        r.trackNumber = trackNumber
        return .report(r)
    }
}

/// CAT062 ed. 1.18.
struct Cat062Record: AsterixRecordSink {
    var tod: UInt32? = nil           // I062/070
    var lat: Int32 = 0, lon: Int32 = 0, has105 = false
    var vx: Int16 = 0, vy: Int16 = 0, has185 = false
    var mode3A: UInt16? = nil        // I062/060 raw
    var callsignAt: Int? = nil       // I062/245 characters
    var adr: UInt32? = nil           // I062/380 ADR
    var idAt: Int? = nil             // I062/380 ID
    var trackNumber: UInt16? = nil   // I062/040
    var surface: Bool? = nil         // I062/080 SFC
    var measuredFL: Int16? = nil     // I062/136
    var geoAlt: Int16? = nil         // I062/130
    var baroAlt: Int16? = nil        // I062/135 CTB
    var rate: Int16? = nil           // I062/220

    init() {}

    mutating func item(_ frn: Int, _ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ length: Int) {
        switch frn {
        case 4: tod = asxU24(b, at)
        case 5: lat = asxI32(b, at); lon = asxI32(b, at + 4); has105 = true
        case 7:
            vx = Int16(bitPattern: asxU16(b, at))
            vy = Int16(bitPattern: asxU16(b, at + 2))
            has185 = true
        case 9: mode3A = asxU16(b, at)
        case 10: callsignAt = at + 1
        case 11:
            // ADR and ID are subfields 1 and 2: they follow the primary subfield directly.
            var primaryEnd = at
            repeat { primaryEnd += 1 } while b[primaryEnd - 1] & 1 != 0 && primaryEnd < at + length
            var q = primaryEnd
            if b[at] & 0x80 != 0 { adr = asxU24(b, q); q += 3 }
            if b[at] & 0x40 != 0 { idAt = q }
        case 12: trackNumber = asxU16(b, at)
        case 13: if length >= 6 { surface = b[at + 5] & 0x10 != 0 }
        case 17: measuredFL = Int16(bitPattern: asxU16(b, at))
        case 18: geoAlt = Int16(bitPattern: asxU16(b, at))
        case 19: baroAlt = asxSigned15(asxU16(b, at))
        case 20: rate = Int16(bitPattern: asxU16(b, at))
        default: break
        }
    }

    func outcome(_ b: UnsafeBufferPointer<UInt8>, referenceTime: Double) -> AsterixOutcome {
        guard let tod, let time = asterixTime(tod, near: referenceTime) else { return .reject(.malformed) }
        let addr: UInt32, isICAO: Bool
        if let a = adr { addr = a; isICAO = true }
        else if let tn = trackNumber { addr = UInt32(tn); isICAO = false }
        else { return .reject(.unsupported) }
        var r = TargetReport(address: addr, addressIsICAO: isICAO,
                             time: time, format: .asterix062)
        if has105 {
            let k: Double = 180.0 / 33_554_432.0             // 180 / 2^25
            if let (la, lo) = asterixPosition(Double(lat) * k, Double(lon) * k) {
                r.lat = la; r.lon = lo
            }
        }
        if has185 {
            let ex: Double = Double(vx) * 0.25, ny: Double = Double(vy) * 0.25   // m/s
            let speed: Double = (ex * ex + ny * ny).squareRoot()
            r.gsKt = speed * 3600.0 / 1852.0
            if speed > 0 {
                var deg: Double = atan2(ex, ny) * 180.0 / Double.pi
                if deg < 0 { deg += 360 }
                if deg >= 360 { deg -= 360 }
                r.trkDeg = deg
            }
        }
        if let fl = measuredFL ?? baroAlt { r.altFt = Double(fl) * 25.0 }
        if let h = geoAlt { r.geoAltFt = Double(h) * 6.25 }
        if let v = rate { r.vsFpm = Double(v) * 6.25 }
        if let at = callsignAt { r.callsign = asterixCallsign(b, at: at) }
        if r.callsign == nil, let at = idAt { r.callsign = asterixCallsign(b, at: at) }
        if let m = mode3A, m & 0x4000 == 0 { r.squawk = asterixSquawk(m & 0x0FFF) }  // not garbled
        r.onGround = surface
        r.trackNumber = trackNumber
        return .report(r)
    }
}

/// CAT048 ed. 1.21.
struct Cat048Record: AsterixRecordSink {
    var tod: UInt32? = nil           // I048/140
    var mode3A: UInt16? = nil        // I048/070 raw
    var flightLevel: UInt16? = nil   // I048/090 raw
    var address: UInt32? = nil       // I048/220
    var callsignAt: Int? = nil       // I048/240
    var trackNumber: UInt16? = nil   // I048/161
    var groundSpeed: UInt16 = 0, heading: UInt16 = 0, has200 = false
    var flightStatus: UInt16? = nil  // I048/230 STAT

    init() {}

    mutating func item(_ frn: Int, _ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ length: Int) {
        switch frn {
        case 2: tod = asxU24(b, at)
        case 5: mode3A = asxU16(b, at)
        case 6: flightLevel = asxU16(b, at)
        case 8: address = asxU24(b, at)
        case 9: callsignAt = at
        case 11: trackNumber = asxU16(b, at) & 0x0FFF
        case 13: groundSpeed = asxU16(b, at); heading = asxU16(b, at + 2); has200 = true
        case 21: flightStatus = (asxU16(b, at) >> 10) & 7
        default: break
        }
    }

    func outcome(_ b: UnsafeBufferPointer<UInt8>, referenceTime: Double) -> AsterixOutcome {
        guard let tod, let time = asterixTime(tod, near: referenceTime) else { return .reject(.malformed) }
        let addr: UInt32, isICAO: Bool
        if let a = address { addr = a; isICAO = true }
        else if let tn = trackNumber { addr = UInt32(tn); isICAO = false }
        else { return .reject(.unsupported) }
        var r = TargetReport(address: addr, addressIsICAO: isICAO,
                             time: time, format: .asterix048)
        if let f = flightLevel, f & 0x4000 == 0 {                 // not garbled
            r.altFt = Double(asxSigned14(f)) * 25.0
        }
        if has200 {
            let nmps: Double = Double(groundSpeed) / 16384.0
            r.gsKt = nmps * asterixKtPerNMps
            r.trkDeg = asterixAngle(heading)
        }
        if let at = callsignAt { r.callsign = asterixCallsign(b, at: at) }
        if let m = mode3A, m & 0x4000 == 0 { r.squawk = asterixSquawk(m & 0x0FFF) }  // not garbled
        switch flightStatus {
        case 0, 2: r.onGround = false
        case 1, 3: r.onGround = true
        default: break
        }
        r.trackNumber = trackNumber
        return .report(r)
    }
}
