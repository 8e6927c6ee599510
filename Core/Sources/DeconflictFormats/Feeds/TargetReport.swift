import DeconflictCore

/// Where a report came from: the format and, for Mode S, the decoder path.
public enum FeedFormat: String, Sendable, Hashable, CaseIterable {
    case beast, avr, sbs, readsbJSON = "readsb-json", framesCSV = "frames-csv", asterix021 = "asterix-021",
         asterix062 = "asterix-062", asterix048 = "asterix-048"
}

/// One report about one target from a source that delivers *absolute* values (SBS-1 lines,
/// ASTERIX records, readsb `aircraft.json`): position already in degrees, altitude already in
/// feet. (Mode S frames carry CPR-encoded positions and go through ``ModeSMessage`` and the
/// ``TrackAssembler``'s CPR decoding instead.)
///
/// Every field but the identity and the time is optional: a source fills what it has.
/// Units are the aviation units of the wire (ft, kt, fpm, degrees); the assembler converts
/// them to SI once, when it builds an `AircraftState`.
public struct TargetReport: Sendable, Equatable {
    /// The 24-bit ICAO address when ``addressIsICAO``; otherwise a source-local track number.
    public var address: UInt32
    /// False for tracks that carry no ICAO address (e.g. a CAT062 or CAT048 track known only by
    /// its track number): their ids are prefixed `trk` instead of being 6 hex digits.
    public var addressIsICAO: Bool
    /// UTC seconds since 1970-01-01 (already mapped from the source's clock).
    public var time: Double
    public var lat: Double?
    public var lon: Double?
    /// Pressure altitude (standard 1013.25 hPa), feet.
    public var altFt: Double?
    /// Geometric (GNSS) height, feet.
    public var geoAltFt: Double?
    public var gsKt: Double?
    /// True track, degrees [0, 360).
    public var trkDeg: Double?
    /// Vertical rate, ft/min (up positive).
    public var vsFpm: Double?
    public var callsign: String?
    /// Mode A code as four octal digits, e.g. "7000".
    public var squawk: String?
    public var onGround: Bool?
    /// A source track number when the format has one (ASTERIX I021/161, I062/040, I048/161).
    public var trackNumber: UInt16?
    public var format: FeedFormat

    public init(address: UInt32, addressIsICAO: Bool = true, time: Double, format: FeedFormat,
                lat: Double? = nil, lon: Double? = nil, altFt: Double? = nil, geoAltFt: Double? = nil,
                gsKt: Double? = nil, trkDeg: Double? = nil, vsFpm: Double? = nil,
                callsign: String? = nil, squawk: String? = nil, onGround: Bool? = nil,
                trackNumber: UInt16? = nil) {
        self.address = address; self.addressIsICAO = addressIsICAO; self.time = time
        self.format = format
        self.lat = lat; self.lon = lon; self.altFt = altFt; self.geoAltFt = geoAltFt
        self.gsKt = gsKt; self.trkDeg = trkDeg; self.vsFpm = vsFpm
        self.callsign = callsign; self.squawk = squawk; self.onGround = onGround
        self.trackNumber = trackNumber
    }
}

/// Why a decoder refused an input. Counted per reason by the feeder (`rejected frames by
/// reason` in its status line and metrics), never thrown past the decoder: bad input is
/// dropped and counted, and decoding goes on.
public enum FeedReject: String, Sendable, Hashable, CaseIterable {
    /// Mode S parity did not check (and could not be corrected).
    case crc
    /// A frame of a length or downlink format the decoder does not take.
    case unsupported
    /// A line or record that does not parse (field count, syntax, lengths).
    case malformed
    /// A decoded position that failed the reasonableness checks (speed gate, range, zone).
    case implausible
    /// Bytes skipped while looking for the next frame start (Beast resynchronisation).
    case garbage
    /// A reply whose address came from address/parity overlay and was never confirmed by a
    /// clean DF11/17/18 (any corrupted reply "decodes" to some address this way).
    case unconfirmedAddress = "unconfirmed-address"
}

/// Six-hex-digit lowercase ICAO id, or `trk<N>` for tracks without an address, as the
/// service's `aircraft` field takes it.
@inlinable public func feedAircraftID(address: UInt32, isICAO: Bool) -> String {
    if !isICAO { return "trk\(address)" }
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var out = [UInt8](repeating: 0, count: 6)
    var a = address & 0xFF_FFFF
    for i in stride(from: 5, through: 0, by: -1) { out[i] = digits[Int(a & 0xF)]; a >>= 4 }
    return String(decoding: out, as: UTF8.self)
}

/// The ICAO/Mode S 6-bit character set used by identification messages and ASTERIX
/// callsign items: index → ASCII ("#" marks unused codes).
public let modeSCharset: [UInt8] = Array(
    "#ABCDEFGHIJKLMNOPQRSTUVWXYZ##### ###############0123456789######".utf8)

/// Decodes `count` 6-bit characters from big-endian bytes starting at bit `bitOffset`,
/// trimming trailing spaces and dropping unused codes. Pure.
public func decodeSixBitChars(_ bytes: UnsafeBufferPointer<UInt8>, bitOffset: Int, count: Int) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(count)
    for i in 0..<count {
        var v = 0
        for b in 0..<6 {
            let bit = bitOffset + i * 6 + b
            let byte = Int(bytes[bit >> 3])
            v = (v << 1) | ((byte >> (7 - (bit & 7))) & 1)
        }
        let c = modeSCharset[v]
        if c != UInt8(ascii: "#") { out.append(c) }
    }
    while out.last == UInt8(ascii: " ") { out.removeLast() }
    return String(decoding: out, as: UTF8.self)
}

/// Maps a time of day (seconds since midnight UTC, as ASTERIX and SBS give it) to UTC epoch
/// seconds, choosing the day that puts it nearest to `reference` (a recent known UTC time):
/// this unwraps midnight in both directions (a 23:59:59.9 record read just after midnight
/// belongs to the previous day). Pure.
public func utcFromTimeOfDay(_ tod: Double, near reference: Double) -> Double {
    let day = 86_400.0
    let midnight = (reference / day).rounded(.down) * day
    var t = midnight + tod
    if t - reference > day / 2 { t -= day } else if reference - t > day / 2 { t += day }
    return t
}
