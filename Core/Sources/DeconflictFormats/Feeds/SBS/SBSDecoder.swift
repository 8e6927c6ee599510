import DeconflictCore

/// Decoder of SBS-1 / BaseStation lines (dump1090-fa and readsb, TCP 30003).
///
/// A line is 22 comma-separated fields ending in CR LF:
/// `MSG,<type 1–8>,1,1,<ICAO hex>,1,<date gen>,<time gen>,<date logged>,<time logged>,`
/// `<callsign>,<alt ft>,<gs kt>,<track °>,<lat>,<lon>,<vrate fpm>,<squawk>,<alert>,<emergency>,<SPI>,<on-ground>`.
/// Every non-empty field the line carries is taken, whatever its MSG type.
///
/// What is read and how:
/// - Field 1 must be `MSG`; `SEL`, `ID`, `AIR`, `STA` and `CLK` records are counted in
///   ``skipped`` (not errors); anything else is `.malformed`. Blank lines are ignored and not counted.
/// - At least 22 fields; fields after the 22nd are ignored (readsb's `--sbs-extra-fields`
///   appends RSSI and aircraft category).
/// - Field 5: 6 hex digits (either case). readsb writes a leading `~` for a non-ICAO address
///   (TIS-B, anonymous): it is decoded with `addressIsICAO == false` and the 24-bit value as
///   the address.
/// - The date/time pair (`YYYY/MM/DD`, `HH:MM:SS[.fraction]`, any number of decimals) is read
///   in the feed's zone: the line carries none, so the decoder is told a fixed UTC offset
///   (dump1090-fa writes local time, readsb UTC). If the chosen pair is empty the other one is
///   used.
/// - Field 12: pressure altitude; with readsb's `--sbs-use-gnss` a `H` suffix marks a
///   geometric height, which goes to `geoAltFt`. Field 17 may carry the same suffix (geometric
///   rate), still reported as `vsFpm`.
/// - Field 18: four octal digits. Fields 19 and 20 are not read (readsb puts the MLAT receiver
///   count and EPU there), nor is 21 (SPI): ``TargetReport`` has no field for them.
/// - Field 22, on-ground: `-1` and `1` true, `0` false, empty unknown.
/// - A non-numeric value in a numeric field, lat without lon (or the reverse), a bad date,
///   hex or squawk: the whole line is `.malformed`. Latitude outside [-90, 90] or longitude
///   outside [-180, 180]: `.implausible`.
///
/// Every counted line ends in exactly one of ``accepted``, ``skipped`` or ``rejects``:
/// `lines == accepted + skipped + rejected`.
public struct SBSDecoder: Sendable {
    /// Which date/time pair of a line gives the report's time.
    public enum TimeSource: Sendable, Hashable {
        /// Fields 7–8: when the receiver got the message (the default).
        case generated
        /// Fields 9–10: when the line was written.
        case logged
    }

    /// The feed's clock as a fixed offset from UTC, seconds (local = UTC + offset; +7200 for
    /// UTC+2). 0 for readsb, which writes UTC. A fixed offset does not follow daylight-saving
    /// changes: a local-time feed must be reconfigured when its zone changes offset.
    public var utcOffsetSeconds: Int
    /// Which date/time pair to read.
    public var timeSource: TimeSource
    /// Longest line taken, in bytes before its CR LF; a longer one is dropped as `.malformed`.
    public var maxLineLength: Int

    /// Lines seen (blank lines excluded).
    public var lines = 0
    /// Lines decoded into a report.
    public var accepted = 0
    /// Non-`MSG` records (SEL, ID, AIR, STA, CLK), skipped on purpose.
    public var skipped = 0
    /// Lines refused, by reason.
    public var rejects: [FeedReject: Int] = [:]

    /// Bytes of a partial last line kept by `feed(_:into:)` for the next call.
    var pending: [UInt8] = []
    /// True while dropping the rest of an over-long line (until its LF).
    var discarding = false

    /// A decoder for a feed whose clock is `utcOffsetSeconds` ahead of UTC.
    public init(utcOffsetSeconds: Int = 0, timeSource: TimeSource = .generated, maxLineLength: Int = 1024) {
        self.utcOffsetSeconds = utcOffsetSeconds
        self.timeSource = timeSource
        self.maxLineLength = maxLineLength
    }

    /// Lines refused, all reasons together.
    public var rejected: Int { rejects.values.reduce(0, +) }

    /// Bytes of an unfinished line held for the next `feed(_:into:)` call.
    public var pendingByteCount: Int { pending.count }

    // MARK: Lines

    /// Decodes one line (a trailing CR and/or LF is tolerated). Returns nil for a line that is
    /// skipped, refused (counted in ``rejects``) or blank (not counted).
    public mutating func decode(line: UnsafeBufferPointer<UInt8>) -> TargetReport? {
        var end = line.count
        while end > 0, line[end - 1] == 0x0D || line[end - 1] == 0x0A { end -= 1 }
        if end == 0 { return nil }
        lines += 1
        if end > maxLineLength { reject(.malformed); return nil }
        let body = UnsafeBufferPointer(rebasing: line[0..<end])
        switch SBSDecoder.parse(body, utcOffset: utcOffsetSeconds, timeSource: timeSource) {
        case let .report(r): accepted += 1; return r
        case .skip: skipped += 1; return nil
        case let .reject(why): reject(why); return nil
        }
    }

    /// Decodes one line given as bytes.
    public mutating func decode(line: [UInt8]) -> TargetReport? {
        line.withUnsafeBufferPointer { decode(line: $0) }
    }

    /// Decodes one line given as a string.
    public mutating func decode(line: String) -> TargetReport? {
        decode(line: Array(line.utf8))
    }

    // MARK: Stream

    /// Splits a chunk of a TCP stream into LF-terminated lines (CR LF tolerated) and appends
    /// the report of every decoded line to `out`. An unfinished last line is kept for the next
    /// call; a line longer than ``maxLineLength`` is dropped (counted once as `.malformed`)
    /// and decoding resumes after its LF.
    public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [TargetReport]) {
        let n = bytes.count
        var start = 0
        while start < n {
            var lf = start
            while lf < n, bytes[lf] != 0x0A { lf += 1 }
            if lf == n {
                // No LF: keep the fragment, unless the line is already too long.
                if discarding { return }
                // +1: the CR of a CR LF end may be among the bytes kept.
                if pending.count + (n - start) > maxLineLength + 1 {
                    pending.removeAll(keepingCapacity: true)
                    discarding = true
                    lines += 1
                    reject(.malformed)
                } else {
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<n]))
                }
                return
            }
            if discarding {
                discarding = false
            } else if pending.isEmpty {
                if let r = decode(line: UnsafeBufferPointer(rebasing: bytes[start..<lf])) { out.append(r) }
            } else {
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<lf]))
                var whole: [UInt8] = []
                swap(&whole, &pending)
                if let r = whole.withUnsafeBufferPointer({ decode(line: $0) }) { out.append(r) }
                whole.removeAll(keepingCapacity: true)
                swap(&whole, &pending)
            }
            start = lf + 1
        }
    }

    /// `feed(_:into:)` for bytes in an array.
    public mutating func feed(_ bytes: [UInt8], into out: inout [TargetReport]) {
        bytes.withUnsafeBufferPointer { feed($0, into: &out) }
    }

    /// End of stream: decodes a kept unfinished line (a file whose last line has no LF) and
    /// clears the stream state.
    public mutating func finish(into out: inout [TargetReport]) {
        var whole: [UInt8] = []
        swap(&whole, &pending)
        if !discarding, let r = decode(line: whole) { out.append(r) }
        discarding = false
    }

    mutating func reject(_ why: FeedReject) { rejects[why, default: 0] += 1 }

    // MARK: Parsing (pure)

    enum Outcome: Equatable {
        case report(TargetReport)
        case skip
        case reject(FeedReject)
    }

    struct Malformed: Error {}

    /// Parses one line without its CR LF. Pure.
    static func parse(_ b: UnsafeBufferPointer<UInt8>, utcOffset: Int, timeSource: TimeSource) -> Outcome {
        // Field 1: the record type.
        var firstComma = 0
        while firstComma < b.count, b[firstComma] != 0x2C { firstComma += 1 }
        switch recordType(b, 0..<firstComma) {
        case .msg: break
        case .other: return .skip
        case .unknown: return .reject(.malformed)
        }
        var commas = 0
        for c in b where c == 0x2C { commas += 1 }
        guard commas >= 21 else { return .reject(.malformed) }

        var report = TargetReport(address: 0, time: 0, format: .sbs)
        var dateGen = 0..<0, timeGen = 0..<0, dateLog = 0..<0, timeLog = 0..<0
        var lat: Double?, lon: Double?
        do throws(Malformed) {
            var start = firstComma + 1
            for index in 2...22 {
                var end = start
                while end < b.count, b[end] != 0x2C { end += 1 }
                let f = trimmed(b, start..<end)
                start = end + 1
                switch index {
                case 2:
                    guard f.count == 1, b[f.lowerBound] >= 0x31, b[f.lowerBound] <= 0x38 else { throw Malformed() }
                case 5:
                    guard let a = parseAddress(b, f) else { throw Malformed() }
                    report.address = a.value; report.addressIsICAO = a.isICAO
                case 7: dateGen = f
                case 8: timeGen = f
                case 9: dateLog = f
                case 10: timeLog = f
                case 11:
                    if !f.isEmpty {
                        for i in f where b[i] < 0x20 || b[i] > 0x7E { throw Malformed() }
                        report.callsign = String(decoding: UnsafeBufferPointer(rebasing: b[f]), as: UTF8.self)
                    }
                case 12:
                    if !f.isEmpty, b[f.upperBound - 1] == UInt8(ascii: "H") {
                        report.geoAltFt = try number(b, f.lowerBound..<(f.upperBound - 1))
                    } else {
                        report.altFt = try optionalNumber(b, f)
                    }
                case 13: report.gsKt = try optionalNumber(b, f)
                case 14: report.trkDeg = try optionalNumber(b, f)
                case 15: lat = try optionalNumber(b, f)
                case 16: lon = try optionalNumber(b, f)
                case 17:
                    if !f.isEmpty, b[f.upperBound - 1] == UInt8(ascii: "H") {
                        report.vsFpm = try number(b, f.lowerBound..<(f.upperBound - 1))
                    } else {
                        report.vsFpm = try optionalNumber(b, f)
                    }
                case 18:
                    if !f.isEmpty {
                        guard let s = parseSquawk(b, f) else { throw Malformed() }
                        report.squawk = s
                    }
                case 22: report.onGround = try flag(b, f)
                default: break   // 3, 4, 6: session/aircraft/flight ids; 19–21: see the type's notes
                }
            }
            // The time: the chosen pair, or the other one when the chosen pair is empty.
            var (d, t) = timeSource == .generated ? (dateGen, timeGen) : (dateLog, timeLog)
            if d.isEmpty && t.isEmpty { (d, t) = timeSource == .generated ? (dateLog, timeLog) : (dateGen, timeGen) }
            guard let time = parseDateTime(b, date: d, time: t, utcOffset: utcOffset) else { throw Malformed() }
            report.time = time
            guard (lat == nil) == (lon == nil) else { throw Malformed() }
        } catch {
            return .reject(.malformed)
        }
        if let la = lat, let lo = lon {
            guard la >= -90, la <= 90, lo >= -180, lo <= 180 else { return .reject(.implausible) }
            report.lat = la; report.lon = lo
        }
        return .report(report)
    }

    enum RecordType { case msg, other, unknown }

    static func recordType(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> RecordType {
        let f = trimmed(b, r)
        func equals(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == f.count else { return false }
            let w = word.utf8Start
            for k in 0..<f.count where b[f.lowerBound + k] != w[k] { return false }
            return true
        }
        if equals("MSG") { return .msg }
        if equals("SEL") || equals("ID") || equals("AIR") || equals("STA") || equals("CLK") { return .other }
        return .unknown
    }

    /// `-1` or `1` → true, `0` → false, empty → nil, anything else malformed.
    static func flag(_ b: UnsafeBufferPointer<UInt8>, _ f: Range<Int>) throws(Malformed) -> Bool? {
        if f.isEmpty { return nil }
        if f.count == 1 {
            if b[f.lowerBound] == 0x30 { return false }
            if b[f.lowerBound] == 0x31 { return true }
        }
        if f.count == 2, b[f.lowerBound] == UInt8(ascii: "-"), b[f.lowerBound + 1] == 0x31 { return true }
        throw Malformed()
    }

    static func optionalNumber(_ b: UnsafeBufferPointer<UInt8>, _ f: Range<Int>) throws(Malformed) -> Double? {
        if f.isEmpty { return nil }
        return try number(b, f)
    }

    static func number(_ b: UnsafeBufferPointer<UInt8>, _ f: Range<Int>) throws(Malformed) -> Double {
        guard let v = parseDecimal(b, f) else { throw Malformed() }
        return v
    }
}

// MARK: - Shared text helpers (also used by ReadsbAircraftJSON)

/// Exact powers of ten 10⁰…10¹⁸ as Doubles.
let feedPowersOfTen: [Double] = [
    1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
]

/// `r` without leading and trailing ASCII spaces.
func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
    var lo = r.lowerBound, hi = r.upperBound
    while lo < hi, b[lo] == 0x20 { lo += 1 }
    while hi > lo, b[hi - 1] == 0x20 { hi -= 1 }
    return lo..<hi
}

/// A decimal number `[+-]digits[.digits]` (at least one digit, no exponent), or nil. At most
/// 18 integer digits; fraction digits beyond 18 significant digits are ignored. Pure.
func parseDecimal(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double? {
    var i = r.lowerBound
    let end = r.upperBound
    var negative = false
    if i < end, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
    var mantissa: UInt64 = 0
    var significant = 0, fractionDigits = 0, digits = 0
    var sawDot = false
    while i < end {
        let c = b[i]
        if c >= 0x30 && c <= 0x39 {
            digits += 1
            if significant < 18 {
                mantissa = mantissa * 10 + UInt64(c - 0x30)
                if mantissa > 0 { significant += 1 }
                if sawDot { fractionDigits += 1 }
            } else if !sawDot {
                return nil   // more than 18 integer digits
            }
        } else if c == UInt8(ascii: "."), !sawDot {
            sawDot = true
        } else {
            return nil
        }
        i += 1
    }
    guard digits > 0 else { return nil }
    // Leading zeros of a fraction count as fraction digits but not as significant ones;
    // cap so the divisor stays an exact power of ten.
    guard fractionDigits < feedPowersOfTen.count else { return nil }
    let v: Double = Double(mantissa) / feedPowersOfTen[fractionDigits]
    return negative ? -v : v
}

/// A 24-bit address: 6 hex digits, either case, optionally after `~` (a non-ICAO address, as
/// readsb marks TIS-B and anonymous ones). Returns the value and whether it is an ICAO one.
func parseAddress(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (value: UInt32, isICAO: Bool)? {
    var i = r.lowerBound
    var icao = true
    if i < r.upperBound, b[i] == UInt8(ascii: "~") { icao = false; i += 1 }
    guard r.upperBound - i == 6 else { return nil }
    var v: UInt32 = 0
    while i < r.upperBound {
        let c = b[i]
        let d: UInt32
        switch c {
        case 0x30...0x39: d = UInt32(c - 0x30)
        case 0x41...0x46: d = UInt32(c - 0x41 + 10)
        case 0x61...0x66: d = UInt32(c - 0x61 + 10)
        default: return nil
        }
        v = v << 4 | d
        i += 1
    }
    return (v, icao)
}

/// A Mode A code: exactly four octal digits.
func parseSquawk(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String? {
    guard r.count == 4 else { return nil }
    for i in r where b[i] < 0x30 || b[i] > 0x37 { return nil }
    return String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
}

// MARK: - Civil dates (pure, no Foundation)

/// Days from 1970-01-01 to the proleptic Gregorian date `y-m-d` (negative before 1970).
/// Counts whole 400-year cycles of 146,097 days, then years from March (so the leap day is
/// the last day of its year). Pure.
func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year                  // years start on March 1st
    let cycle = (y >= 0 ? y : y - 399) / 400
    let yearOfCycle = y - cycle * 400                     // 0...399
    let monthFromMarch = (month + 9) % 12                 // Mar 0 … Feb 11
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfCycle: Int = yearOfCycle * 365 + yearOfCycle / 4 - yearOfCycle / 100 + dayOfYear
    return cycle * 146_097 + dayOfCycle - 719_468         // 719,468 days: 0000-03-01 → 1970-01-01
}

/// Days in `month` of `year` (Gregorian).
func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// UTC epoch seconds of an SBS date `YYYY/MM/DD` and time `HH:MM:SS[.fraction]` read on a
/// clock `utcOffset` seconds ahead of UTC, or nil if either does not parse. Pure.
func parseDateTime(_ b: UnsafeBufferPointer<UInt8>, date: Range<Int>, time: Range<Int>, utcOffset: Int) -> Double? {
    func digits(_ at: Int, _ n: Int) -> Int? {
        var v = 0
        for k in at..<(at + n) {
            let c = b[k]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }
    let d0 = date.lowerBound, t0 = time.lowerBound
    guard date.count == 10, b[d0 + 4] == UInt8(ascii: "/"), b[d0 + 7] == UInt8(ascii: "/"),
          let year = digits(d0, 4), let month = digits(d0 + 5, 2), let day = digits(d0 + 8, 2),
          (1970...9999).contains(year), (1...12).contains(month),
          day >= 1, day <= daysInMonth(year: year, month: month)
    else { return nil }
    guard time.count >= 8, b[t0 + 2] == UInt8(ascii: ":"), b[t0 + 5] == UInt8(ascii: ":"),
          let hour = digits(t0, 2), let minute = digits(t0 + 3, 2), let second = digits(t0 + 6, 2),
          hour <= 23, minute <= 59, second <= 60
    else { return nil }
    var fraction = 0.0
    if time.count > 8 {
        guard b[t0 + 8] == UInt8(ascii: "."), time.count > 9 else { return nil }
        var m: UInt64 = 0
        var n = 0
        for k in (t0 + 9)..<time.upperBound {
            let c = b[k]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            if n < 18 { m = m * 10 + UInt64(c - 0x30); n += 1 }   // further digits are below 1e-18 s
        }
        fraction = Double(m) / feedPowersOfTen[n]
    }
    let days = daysSinceEpoch(year: year, month: month, day: day)
    let whole: Int = days * 86_400 + hour * 3600 + minute * 60 + second - utcOffset
    return Double(whole) + fraction
}
