/// Mode S parity (ICAO Annex 10 Vol IV): a 24-bit CRC with generator 0x1FFF409 over the
/// frame's first 32 or 88 bits, compared with its last 24 bits. Table driven, one byte a
/// step; single-bit error syndromes for 112-bit frames for DF17/18 correction. Pure.
public enum ModeSParity {
    /// CRC remainder table, one entry per leading byte.
    @usableFromInline static let table: [UInt32] = (0..<256).map { (i: Int) -> UInt32 in
        var c = UInt32(i) << 16
        for _ in 0..<8 {
            c = (c & 0x80_0000) != 0 ? ((c << 1) ^ 0xFF_F409) : (c << 1)
        }
        return c & 0xFF_FFFF
    }

    /// The syndrome of a frame: CRC of the data bits XOR the parity field. 0 for a clean
    /// DF17/18; the interrogator code for DF11; the address for AP replies (DF0/4/5/16/20/21).
    @inlinable
    public static func syndrome(_ p: UnsafePointer<UInt8>, count: Int) -> UInt32 {
        var crc: UInt32 = 0
        let t = table
        t.withUnsafeBufferPointer { tb in
            for i in 0..<(count - 3) {
                crc = ((crc << 8) ^ tb[Int(((crc >> 16) ^ UInt32(p[i])) & 0xFF)]) & 0xFF_FFFF
            }
        }
        let parity = (UInt32(p[count - 3]) << 16) | (UInt32(p[count - 2]) << 8) | UInt32(p[count - 1])
        return crc ^ parity
    }

    /// Syndrome → bit index (0 = first bit) for every single-bit error of a 112-bit frame,
    /// excluding the downlink-format field (bits 0–4): a "corrected" DF would be a guess.
    static let singleBitSyndromes112: [UInt32: Int] = {
        var out: [UInt32: Int] = [:]
        var buf = [UInt8](repeating: 0, count: 14)
        for bit in 5..<112 {
            for i in 0..<14 { buf[i] = 0 }
            buf[bit >> 3] = 0x80 >> UInt8(bit & 7)
            let s = buf.withUnsafeBufferPointer { syndrome($0.baseAddress!, count: 14) }
            out[s] = bit
        }
        return out
    }()

    /// The bit to flip to repair a 112-bit frame whose syndrome is `s`, if one bit explains it.
    public static func singleBitError(syndrome s: UInt32) -> Int? { singleBitSyndromes112[s] }

    /// Writes the parity field of a frame whose data bits are set (for encoders and tests).
    public static func setParity(_ frame: inout [UInt8], xor value: UInt32 = 0) {
        let n = frame.count
        frame[n - 3] = 0; frame[n - 2] = 0; frame[n - 1] = 0
        let s = frame.withUnsafeBufferPointer { syndrome($0.baseAddress!, count: n) } ^ value
        frame[n - 3] = UInt8((s >> 16) & 0xFF); frame[n - 2] = UInt8((s >> 8) & 0xFF); frame[n - 1] = UInt8(s & 0xFF)
    }
}
