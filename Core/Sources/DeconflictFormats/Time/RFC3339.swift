import DeconflictCore

/// ISO 8601 / RFC 3339 date-times, Foundation-free.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (the `T` may be a space or `t`, `Z`
/// may be `z`; the offset may also be `±HHMM`). A time zone is required: a local time is
/// ambiguous. Years 1970...2242 (the volume time range).
public enum RFC3339 {
    /// Epoch seconds of an ISO 8601 date-time, or nil.
    public static func parse(_ s: String) -> Double? {
        let b = Array(s.utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func lit(_ c: UInt8...) -> Bool {
            guard i < b.count, c.contains(b[i]) else { return false }
            i += 1; return true
        }
        guard let y = num(4), lit(0x2D), let mo = num(2), lit(0x2D), let d = num(2),
              lit(0x54, 0x74, 0x20), let h = num(2), lit(0x3A), let mi = num(2), lit(0x3A), let sec = num(2)
        else { return nil }
        var frac = 0.0
        if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
            i += 1
            var scale = 0.1, n = 0
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                frac += Double(b[i] - 0x30) * scale; scale /= 10; i += 1; n += 1
            }
            guard n > 0 && n <= 9 else { return nil }
        }
        var offset = 0
        if lit(0x5A, 0x7A) {
            offset = 0
        } else if i < b.count, b[i] == 0x2B || b[i] == 0x2D {
            let sign = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = num(2) else { return nil }
            _ = lit(0x3A)
            guard let om = num(2), oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        guard (1970...2242).contains(y), (1...12).contains(mo), d >= 1, d <= daysIn(y, mo),
              h <= 23, mi <= 59, sec <= 60 else { return nil }
        let days = daysFromCivil(y, mo, d)
        return Double(days * 86_400 + h * 3600 + mi * 60 + sec - offset) + frac
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (fraction shown when not whole, to the millisecond).
    public static func format(_ t: Double) -> String {
        guard t.isFinite else { return "\(t)" }
        let whole = floor(t)
        var secs = Int(whole)
        let ms = Int(((t - whole) * 1000).rounded())
        var msPart = ms
        if msPart == 1000 { secs += 1; msPart = 0 }
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        func p(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: Swift.max(0, n - s.count)) + s }
        var out = "\(p(y, 4))-\(p(m, 2))-\(p(d, 2))T\(p(rem / 3600, 2)):\(p(rem % 3600 / 60, 2)):\(p(rem % 60, 2))"
        if msPart != 0 { out += "." + p(msPart, 3) }
        return out + "Z"
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
    /// Days since 1970-01-01 (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
