import DeconflictCore

/// Builds Mode S / ADS-B frames with valid parity: for tests where no capture exists, for
/// generated feeds (`bench decode`, `bench feed`) and for simulators. The inverse of
/// ``ModeSDecoder`` for the fields it writes. Pure.
public enum ModeSEncoder {
    /// Writes `len` bits of `value` at bit `start` (0-based, big-endian) of `frame`.
    static func put(_ frame: inout [UInt8], _ start: Int, _ len: Int, _ value: UInt32) {
        for i in 0..<len {
            let bit = (value >> UInt32(len - 1 - i)) & 1
            let pos = start + i
            let mask = UInt8(0x80 >> (pos & 7))
            if bit == 1 { frame[pos >> 3] |= mask } else { frame[pos >> 3] &= ~mask }
        }
    }

    static func extendedSquitter(address: UInt32, ca: UInt32 = 5, me: (inout [UInt8]) -> Void) -> [UInt8] {
        var f = [UInt8](repeating: 0, count: 14)
        put(&f, 0, 5, 17); put(&f, 5, 3, ca); put(&f, 8, 24, address & 0xFF_FFFF)
        me(&f)
        ModeSParity.setParity(&f)
        return f
    }

    /// The 12-bit ADS-B altitude field in 25 ft steps (Q = 1), nil → 0 (not available).
    static func altitude12(_ ft: Double?) -> UInt32 {
        guard let ft else { return 0 }
        let n = UInt32(max(0, min(2047, Int(((ft + 1000) / 25).rounded()))))
        return ((n & 0x7F0) << 1) | 0x10 | (n & 0x0F)
    }

    /// The 13-bit AC field in 25 ft steps (M = 0, Q = 1).
    static func altitude13(_ ft: Double) -> UInt32 {
        let n = UInt32(max(0, min(2047, Int(((ft + 1000) / 25).rounded()))))
        return ((n & 0x7E0) << 2) | ((n & 0x10) << 1) | 0x10 | (n & 0x0F)
    }

    /// DF17 airborne position, TC 11 (baro altitude), on the even or odd grid.
    public static func airbornePosition(address: UInt32, lat: Double, lon: Double, altFt: Double?,
                                        odd: Bool, typeCode: UInt32 = 11) -> [UInt8] {
        let c = CPR.encode(lat: lat, lon: lon, odd: odd)
        return extendedSquitter(address: address) { f in
            put(&f, 32, 5, typeCode); put(&f, 40, 12, altitude12(altFt))
            put(&f, 53, 1, odd ? 1 : 0); put(&f, 54, 17, c.lat); put(&f, 71, 17, c.lon)
        }
    }

    /// DF17 surface position, TC 7, with ground track and movement (rounded to the table).
    public static func surfacePosition(address: UInt32, lat: Double, lon: Double, gsKt: Double, trkDeg: Double,
                                       odd: Bool) -> [UInt8] {
        let c = CPR.encode(lat: lat, lon: lon, odd: odd, surface: true)
        var mov: UInt32 = 1
        for v in UInt32(1)...124 { if let k = ModeSDecoder.movement(v), k <= gsKt { mov = v } }
        return extendedSquitter(address: address, ca: 4) { f in
            put(&f, 32, 5, 7); put(&f, 37, 7, mov); put(&f, 44, 1, 1)
            put(&f, 45, 7, UInt32(Int((trkDeg / 360 * 128).rounded()) & 0x7F))
            put(&f, 53, 1, odd ? 1 : 0); put(&f, 54, 17, c.lat); put(&f, 71, 17, c.lon)
        }
    }

    /// DF17 airborne velocity, subtype 1: east/north components rounded to 1 kt, vertical rate
    /// to 64 fpm (baro source).
    public static func velocity(address: UInt32, gsKt: Double, trkDeg: Double, vsFpm: Double) -> [UInt8] {
        let t = trkDeg * Double.pi / 180
        let ve = gsKt * sin(t), vn = gsKt * cos(t)
        let ew = UInt32(min(1022, Int(abs(ve).rounded()))) + 1
        let ns = UInt32(min(1022, Int(abs(vn).rounded()))) + 1
        let vr = UInt32(min(510, Int((abs(vsFpm) / 64).rounded()))) + 1
        return extendedSquitter(address: address) { f in
            put(&f, 32, 5, 19); put(&f, 37, 3, 1)
            put(&f, 45, 1, ve < 0 ? 1 : 0); put(&f, 46, 10, ew)
            put(&f, 56, 1, vn < 0 ? 1 : 0); put(&f, 57, 10, ns)
            put(&f, 67, 1, 1); put(&f, 68, 1, vsFpm < 0 ? 1 : 0); put(&f, 69, 9, vr)
        }
    }

    /// DF17 identification, TC 4 (category set A), callsign of up to 8 characters.
    public static func identification(address: UInt32, callsign: String, category: UInt32 = 3) -> [UInt8] {
        extendedSquitter(address: address) { f in
            put(&f, 32, 5, 4); put(&f, 37, 3, category)
            var chars = Array(callsign.utf8.prefix(8))
            while chars.count < 8 { chars.append(UInt8(ascii: " ")) }
            for (i, c) in chars.enumerated() {
                let code = modeSCharset.firstIndex(of: c) ?? 32
                put(&f, 40 + 6 * i, 6, UInt32(code))
            }
        }
    }

    /// DF11 all-call reply (II = 0).
    public static func allCall(address: UInt32) -> [UInt8] {
        var f = [UInt8](repeating: 0, count: 7)
        put(&f, 0, 5, 11); put(&f, 5, 3, 5); put(&f, 8, 24, address)
        ModeSParity.setParity(&f)
        return f
    }

    /// DF4 altitude reply, address overlaid on the parity (AP).
    public static func altitudeReply(address: UInt32, altFt: Double) -> [UInt8] {
        var f = [UInt8](repeating: 0, count: 7)
        put(&f, 0, 5, 4); put(&f, 19, 13, altitude13(altFt))
        ModeSParity.setParity(&f, xor: address)
        return f
    }

    /// DF5 identity reply (AP).
    public static func identityReply(address: UInt32, squawk: UInt16) -> [UInt8] {
        var f = [UInt8](repeating: 0, count: 7)
        put(&f, 0, 5, 5)
        let a = UInt32((squawk >> 12) & 7), b = UInt32((squawk >> 8) & 7)
        let c = UInt32((squawk >> 4) & 7), d = UInt32(squawk & 7)
        // C1 A1 C2 A2 C4 A4 X B1 D1 B2 D2 B4 D4
        let bits: [UInt32] = [c & 1, a & 1, (c >> 1) & 1, (a >> 1) & 1, (c >> 2) & 1, (a >> 2) & 1, 0,
                              b & 1, d & 1, (b >> 1) & 1, (d >> 1) & 1, (b >> 2) & 1, (d >> 2) & 1]
        var id: UInt32 = 0
        for x in bits { id = (id << 1) | x }
        put(&f, 19, 13, id)
        ModeSParity.setParity(&f, xor: address)
        return f
    }
}
