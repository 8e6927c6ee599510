/// The altitude and identity codes of Mode S replies (ICAO Annex 10 Vol IV §3.1.2.6.5.4,
/// §3.1.2.6.7.1) and of ADS-B airborne positions. Pure.
public enum ModeSCodes {
    /// Pressure altitude (ft) from a 13-bit AC field (DF0/4/16/20): bit order
    /// C1 A1 C2 A2 C4 A4 M B1 Q B2 D2 B4 D4. nil for "not available" (all zero), metric
    /// altitudes (M = 1) and invalid Gillham codes.
    @inlinable
    public static func altitudeAC13(_ ac: UInt32) -> Double? {
        if ac == 0 { return nil }
        if ac & 0x40 != 0 { return nil }                       // M: metric, not in use
        if ac & 0x10 != 0 {                                    // Q = 1: 25 ft steps
            let n = ((ac & 0x1F80) >> 2) | ((ac & 0x20) >> 1) | (ac & 0x0F)
            return Double(Int(n) * 25 - 1000)
        }
        return gillham(ac13: ac)
    }

    /// Pressure altitude (ft) from the 12-bit altitude field of an ADS-B airborne position
    /// (the AC13 code without its M bit): Q is the 8th bit.
    @inlinable
    public static func altitudeAC12(_ a: UInt32) -> Double? {
        if a == 0 { return nil }
        if a & 0x10 != 0 {
            let n = ((a & 0xFE0) >> 1) | (a & 0x0F)
            return Double(Int(n) * 25 - 1000)
        }
        // Insert M = 0 to get the AC13 layout, then Gillham.
        let ac13 = ((a & 0xFC0) << 1) | (a & 0x3F)
        return gillham(ac13: ac13)
    }

    /// Gillham (Mode C) altitude, 100 ft steps, from an AC13 layout with Q = 0. The 500 ft
    /// code D2 D4 A1 A2 A4 B1 B2 B4 is a reflected Gray code; the 100 ft code C1 C2 C4 a
    /// five-state Gray code (1…5), read backwards when the 500 ft count is odd.
    @usableFromInline
    static func gillham(ac13 ac: UInt32) -> Double? {
        func bit(_ i: Int) -> UInt32 { (ac >> UInt32(12 - i)) & 1 }   // i: 0 = first (C1)
        let c1 = bit(0), a1 = bit(1), c2 = bit(2), a2 = bit(3), c4 = bit(4), a4 = bit(5)
        let b1 = bit(7), d1 = bit(8), b2 = bit(9), d2 = bit(10), b4 = bit(11), d4 = bit(12)
        if d1 != 0 { return nil }
        var gray500: UInt32 = 0
        for b in [d2, d4, a1, a2, a4, b1, b2, b4] { gray500 = (gray500 << 1) | b }
        var n500: UInt32 = 0, g = gray500
        while g != 0 { n500 ^= g; g >>= 1 }
        let gray100 = (c1 << 2) | (c2 << 1) | c4
        var n100: UInt32 = 0, h = gray100
        while h != 0 { n100 ^= h; h >>= 1 }
        if n100 == 7 { n100 = 5 }                               // 100 → the fifth state
        if n100 == 0 || n100 == 6 { return nil }
        if n500 & 1 != 0 { n100 = 6 - n100 }
        return Double(Int(n500) * 500 + Int(n100) * 100 - 1300)
    }

    /// Mode A code as four octal digits packed in a UInt16 (0o7000 → 0x7000), from a 13-bit
    /// ID field: C1 A1 C2 A2 C4 A4 X B1 D1 B2 D2 B4 D4.
    @inlinable
    public static func squawk(id13 id: UInt32) -> UInt16 {
        func bit(_ i: Int) -> UInt32 { (id >> UInt32(12 - i)) & 1 }
        let a = (bit(5) << 2) | (bit(3) << 1) | bit(1)
        let b = (bit(11) << 2) | (bit(9) << 1) | bit(7)
        let c = (bit(4) << 2) | (bit(2) << 1) | bit(0)
        let d = (bit(12) << 2) | (bit(10) << 1) | bit(8)
        return UInt16((a << 12) | (b << 8) | (c << 4) | d)
    }

    /// "7000" from 0x7000.
    public static func squawkString(_ s: UInt16) -> String {
        let digits: [UInt8] = [UInt8((s >> 12) & 7), UInt8((s >> 8) & 7), UInt8((s >> 4) & 7), UInt8(s & 7)]
        return String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
    }
}
