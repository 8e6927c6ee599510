import DeconflictCore

/// A CPR-encoded position as an ADS-B position message carries it (17-bit latitude and
/// longitude of one of two interleaved grids, the "even" and the "odd").
public struct CPRFrame: Sendable, Equatable {
    public var odd: Bool
    /// 17-bit CPR latitude and longitude (0 ..< 131072).
    public var lat: UInt32
    public var lon: UInt32
    public init(odd: Bool, lat: UInt32, lon: UInt32) { self.odd = odd; self.lat = lat; self.lon = lon }
}

/// What one Mode S frame said, after its parity was checked. Positions stay CPR-encoded:
/// the ``TrackAssembler`` decodes them with the aircraft's history.
public enum ModeSContent: Sendable, Equatable {
    /// DF0/4/16/20: pressure altitude (nil when not available).
    case altitude(ft: Double?)
    /// DF5/21: Mode A code (octal digits packed as hex, 0x7000 = "7000").
    case identity(squawk: UInt16)
    /// DF11: all-call reply (the address is confirmed by the parity).
    case allCall
    /// ADS-B TC 1–4: callsign and emitter category ("A3" …).
    case identification(callsign: String, category: UInt8)
    /// ADS-B TC 9–18 (baro altitude) and 20–22 (GNSS height): CPR position.
    case airbornePosition(CPRFrame, altFt: Double?, gnssHeight: Bool, typeCode: UInt8)
    /// ADS-B TC 5–8: surface position with movement (kt) and ground track (deg) when valid.
    case surfacePosition(CPRFrame, gsKt: Double?, trkDeg: Double?, typeCode: UInt8)
    /// ADS-B TC 19 subtypes 1/2: ground velocity; vertical rate (fpm), baro or GNSS.
    case velocity(gsKt: Double?, trkDeg: Double?, vsFpm: Double?, vsBaro: Bool, geoMinusBaroFt: Double?)
    /// ADS-B TC 19 subtypes 3/4: heading and airspeed (no ground vector).
    case airspeed(headingDeg: Double?, vsFpm: Double?)
    /// DF20/21 Comm-B identification (BDS 2,0) with the altitude or identity of the reply.
    case commBIdentification(callsign: String)
    /// Anything else that passed parity (other type codes, other Comm-B registers).
    case other
}

/// One Mode S frame, decoded.
public struct ModeSMessage: Sendable, Equatable {
    public var df: UInt8
    public var address: UInt32
    /// True when the address is in the clear and protected by the parity (DF11/17/18); false
    /// when it was recovered from address/parity overlay (AP), which any corrupted frame also
    /// yields: such addresses are trusted only once a DF11/17/18 has confirmed them.
    public var addressInClear: Bool
    /// Bits repaired by the single-bit correction (DF17/18 only), 0 for a clean frame.
    public var bitsCorrected: UInt8
    /// DF18 with CF ≠ 0 and ≠ 1 (TIS-B / ADS-R relays) or DF17/18 with a non-ICAO address.
    public var nonICAO: Bool
    /// DF0/4/5/11/16/20/21/17 flight status says on the ground (nil when the frame does not say).
    public var onGround: Bool?
    public var content: ModeSContent
}

/// Bits of a big-endian frame, `start` 0-based, `len` ≤ 32.
@inline(__always) @usableFromInline
func frameBits(_ p: UnsafePointer<UInt8>, _ start: Int, _ len: Int) -> UInt32 {
    var v: UInt64 = 0
    let first = start >> 3, last = (start + len - 1) >> 3
    for i in first...last { v = (v << 8) | UInt64(p[i]) }
    let totalBits = (last - first + 1) * 8
    let shift = totalBits - ((start & 7) + len)
    return UInt32((v >> UInt64(shift)) & ((1 << UInt64(len)) - 1))
}

/// Decodes Mode S frames (7 or 14 bytes): parity, address recovery, one-bit correction of
/// DF17/18, and the fields of DF0/4/5/11/16/17/18/20/21. Pure; keeps only counters.
public struct ModeSDecoder: Sendable {
    /// Repair single-bit errors in DF17/18 (as readsb does by default). Never more than one bit.
    public var correctSingleBitErrors = true
    public private(set) var decoded = 0
    public private(set) var corrected = 0
    public private(set) var rejects: [FeedReject: Int] = [:]

    public init(correctSingleBitErrors: Bool = true) { self.correctSingleBitErrors = correctSingleBitErrors }

    public mutating func reject(_ r: FeedReject) { rejects[r, default: 0] += 1 }

    /// Decodes one frame of `count` bytes (7 or 14; a longer buffer whose DF says short is
    /// read as 7 bytes — the padding trap of some recorders). nil when it fails parity or is
    /// not a supported format (counted in ``rejects``).
    public mutating func decode(_ p: UnsafePointer<UInt8>, count: Int) -> ModeSMessage? {
        guard count >= 7 else { reject(.malformed); return nil }
        let df = p[0] >> 3
        let isLong = df >= 16
        let n = isLong ? 14 : 7
        if df >= 24 { reject(.unsupported); return nil }
        guard count >= n else { reject(.malformed); return nil }
        let s = ModeSParity.syndrome(p, count: n)
        switch df {
        case 17, 18:
            if s == 0 { return decodeExtendedSquitter(p, df: df, corrected: 0) }
            guard correctSingleBitErrors, let bit = ModeSParity.singleBitError(syndrome: s) else {
                reject(.crc); return nil
            }
            var fixed = (0..<14).map { p[$0] }
            fixed[bit >> 3] ^= 0x80 >> UInt8(bit & 7)
            let m = fixed.withUnsafeBufferPointer { decodeExtendedSquitter($0.baseAddress!, df: df, corrected: 1) }
            if m != nil { corrected += 1 }
            return m
        case 11:
            // Parity XOR the interrogator code: only the low 7 bits may be set.
            guard s & 0xFF_FF80 == 0 else { reject(.crc); return nil }
            decoded += 1
            return ModeSMessage(df: 11, address: frameBits(p, 8, 24), addressInClear: true, bitsCorrected: 0,
                                nonICAO: false, onGround: groundFromCA(frameBits(p, 5, 3)), content: .allCall)
        case 0, 16:
            decoded += 1
            let vs = frameBits(p, 5, 1)
            return ModeSMessage(df: df, address: s, addressInClear: false, bitsCorrected: 0, nonICAO: false,
                                onGround: vs == 1, content: .altitude(ft: ModeSCodes.altitudeAC13(frameBits(p, 19, 13))))
        case _ where (df == 4 || df == 5 || df == 20 || df == 21) && frameBits(p, 5, 3) >= 6:
            // Flight status 6 is reserved and 7 unassigned: noise whose AP matched by chance.
            reject(.malformed); return nil
        case 4, 20:
            decoded += 1
            let content: ModeSContent
            if df == 20, let cs = commBIdentification(p) { content = .commBIdentification(callsign: cs) }
            else { content = .altitude(ft: ModeSCodes.altitudeAC13(frameBits(p, 19, 13))) }
            return ModeSMessage(df: df, address: s, addressInClear: false, bitsCorrected: 0, nonICAO: false,
                                onGround: groundFromFS(frameBits(p, 5, 3)), content: content)
        case 5, 21:
            decoded += 1
            let content: ModeSContent
            if df == 21, let cs = commBIdentification(p) { content = .commBIdentification(callsign: cs) }
            else { content = .identity(squawk: ModeSCodes.squawk(id13: frameBits(p, 19, 13))) }
            return ModeSMessage(df: df, address: s, addressInClear: false, bitsCorrected: 0, nonICAO: false,
                                onGround: groundFromFS(frameBits(p, 5, 3)), content: content)
        default:
            reject(.unsupported); return nil
        }
    }

    /// Convenience for tests and tools.
    public mutating func decode(_ bytes: [UInt8]) -> ModeSMessage? {
        bytes.withUnsafeBufferPointer { decode($0.baseAddress!, count: $0.count) }
    }

    private func groundFromFS(_ fs: UInt32) -> Bool? {
        switch fs { case 0, 2: return false; case 1, 3: return true; default: return nil }
    }
    private func groundFromCA(_ ca: UInt32) -> Bool? {
        switch ca { case 4: return true; case 5: return false; default: return nil }
    }

    /// BDS 2,0 in the MB field of DF20/21: 0x20 then eight 6-bit characters, all valid.
    private func commBIdentification(_ p: UnsafePointer<UInt8>) -> String? {
        guard p[4] == 0x20 else { return nil }
        var chars = 0
        for i in 0..<8 {
            let v = Int(frameBits(p, 40 + i * 6, 6))
            let c = modeSCharset[v]
            if c == UInt8(ascii: "#") { return nil }
            if c != UInt8(ascii: " ") { chars += 1 }
        }
        if chars == 0 { return nil }
        return decodeSixBitChars(UnsafeBufferPointer(start: p, count: 14), bitOffset: 40, count: 8)
    }

    private mutating func decodeExtendedSquitter(_ p: UnsafePointer<UInt8>, df: UInt8, corrected: UInt8) -> ModeSMessage? {
        let ca = frameBits(p, 5, 3)
        let address = frameBits(p, 8, 24)
        // DF18: CF 0 = ADS-B with ICAO address, 1 = ADS-B with other address, 2–6 TIS-B/ADS-R.
        let nonICAO = df == 18 && ca != 0
        if df == 18 && ca > 1 && ca != 2 && ca != 6 { reject(.unsupported); return nil }
        let tc = UInt8(frameBits(p, 32, 5))
        decoded += 1
        var m = ModeSMessage(df: df, address: address, addressInClear: true, bitsCorrected: corrected,
                             nonICAO: nonICAO, onGround: df == 17 ? groundFromCA(ca) : nil, content: .other)
        switch tc {
        case 1...4:
            let cs = decodeSixBitChars(UnsafeBufferPointer(start: p, count: 14), bitOffset: 40, count: 8)
            m.content = .identification(callsign: cs, category: ((5 - tc) << 4) | UInt8(frameBits(p, 37, 3)))
        case 5...8:
            let cpr = CPRFrame(odd: frameBits(p, 53, 1) == 1, lat: frameBits(p, 54, 17), lon: frameBits(p, 71, 17))
            let mov = frameBits(p, 37, 7)
            let trkValid = frameBits(p, 44, 1) == 1
            let trk = trkValid ? Double(frameBits(p, 45, 7)) * 360.0 / 128.0 : nil
            m.content = .surfacePosition(cpr, gsKt: Self.movement(mov), trkDeg: trk, typeCode: tc)
            m.onGround = true
        case 9...18, 20...22:
            let cpr = CPRFrame(odd: frameBits(p, 53, 1) == 1, lat: frameBits(p, 54, 17), lon: frameBits(p, 71, 17))
            let a = frameBits(p, 40, 12)
            let gnss = tc >= 20
            // TC 20–22 carry GNSS height in metres (as pyModeS reads it), not a Gillham code.
            let alt: Double? = gnss ? (a == 0 ? nil : Units.toFt(Double(a))) : ModeSCodes.altitudeAC12(a)
            m.content = .airbornePosition(cpr, altFt: alt, gnssHeight: gnss, typeCode: tc)
            m.onGround = false
        case 19:
            m.content = Self.velocity(p)
        default:
            break
        }
        return m
    }

    /// Surface movement (TC 5–8) to knots, per the quantisation table of DO-260B.
    static func movement(_ v: UInt32) -> Double? {
        switch v {
        case 0, 125...127: return nil
        case 1: return 0
        case 2...8: return 0.125 + Double(v - 2) * 0.125
        case 9...12: return 1 + Double(v - 9) * 0.25
        case 13...38: return 2 + Double(v - 13) * 0.5
        case 39...93: return 15 + Double(v - 39)
        case 94...108: return 70 + Double(v - 94) * 2
        case 109...123: return 100 + Double(v - 109) * 5
        default: return 175
        }
    }

    /// Airborne velocity (BDS 0,9).
    static func velocity(_ p: UnsafePointer<UInt8>) -> ModeSContent {
        let st = frameBits(p, 37, 3)
        let vrRaw = frameBits(p, 69, 9)
        let vs: Double? = vrRaw == 0 ? nil : Double((Int(vrRaw) - 1) * 64) * (frameBits(p, 68, 1) == 1 ? -1 : 1)
        let vsBaro = frameBits(p, 67, 1) == 1
        let dAltRaw = frameBits(p, 81, 7)
        let dAlt: Double? = dAltRaw == 0 ? nil : Double((Int(dAltRaw) - 1) * 25) * (frameBits(p, 80, 1) == 1 ? -1 : 1)
        switch st {
        case 1, 2:
            let scale: Double = st == 2 ? 4 : 1
            let ewRaw = frameBits(p, 46, 10), nsRaw = frameBits(p, 57, 10)
            if ewRaw == 0 || nsRaw == 0 {
                return .velocity(gsKt: nil, trkDeg: nil, vsFpm: vs, vsBaro: vsBaro, geoMinusBaroFt: dAlt)
            }
            let ve = Double(ewRaw - 1) * scale * (frameBits(p, 45, 1) == 1 ? -1 : 1)
            let vn = Double(nsRaw - 1) * scale * (frameBits(p, 56, 1) == 1 ? -1 : 1)
            let gs = (ve * ve + vn * vn).squareRoot()
            var trk = atan2(ve, vn) * 180 / Double.pi
            if trk < 0 { trk += 360 }
            if trk >= 360 { trk -= 360 }
            return .velocity(gsKt: gs, trkDeg: trk, vsFpm: vs, vsBaro: vsBaro, geoMinusBaroFt: dAlt)
        case 3, 4:
            let hdg: Double? = frameBits(p, 45, 1) == 1 ? Double(frameBits(p, 46, 10)) * 360.0 / 1024.0 : nil
            return .airspeed(headingDeg: hdg, vsFpm: vs)
        default:
            return .other
        }
    }
}
