import DeconflictCore

/// How long one ASTERIX data item (or one subfield of a compound item) is on the wire.
/// The decoder needs a rule for every FRN of a UAP, interpreted or not, to find the next item.
public enum AsterixItemRule: Sendable, Equatable {
    /// No item at this FRN (a spare slot of the UAP): a record that sets it is malformed.
    case none
    /// Exactly `n` octets.
    case fixed(Int)
    /// Parts of `n` octets, each ending with the FX bit (bit 1 of its last octet): another part
    /// follows while FX is set. `n` is 1 for the usual extended items, 3 for I062/510.
    case extended(Int)
    /// One REP octet, then REP repetitions of `n` octets.
    case repetitive(Int)
    /// The first octet is the length of the whole item, itself included (RE and SP).
    case explicit
    /// A primary subfield (an FSPEC of its own: 7 presence bits per octet, FX in bit 1), then
    /// the subfields it announces, in order. The subfields themselves are never compound.
    case compound(AsterixCompound)
}

/// The compound items of the supported categories; ``subfields`` gives each one's subfield rules
/// in primary-subfield order (bit 8 of its first octet is subfield 1).
public enum AsterixCompound: Sendable, Equatable {
    case i021_110, i021_220, i021_295
    case i048_120, i048_130
    case i062_110, i062_290, i062_295, i062_340, i062_380, i062_390, i062_500

    /// The subfield rules, subfield 1 first. `.none` marks a spare slot.
    public var subfields: [AsterixItemRule] {
        switch self {
        case .i021_110: return AsterixUAP.sub021_110
        case .i021_220: return AsterixUAP.sub021_220
        case .i021_295: return AsterixUAP.sub021_295
        case .i048_120: return AsterixUAP.sub048_120
        case .i048_130: return AsterixUAP.sub048_130
        case .i062_110: return AsterixUAP.sub062_110
        case .i062_290: return AsterixUAP.sub062_290
        case .i062_295: return AsterixUAP.sub062_295
        case .i062_340: return AsterixUAP.sub062_340
        case .i062_380: return AsterixUAP.sub062_380
        case .i062_390: return AsterixUAP.sub062_390
        case .i062_500: return AsterixUAP.sub062_500
        }
    }
}

/// The User Application Profiles (FRN → item rule) of CAT021 ed. 2.6, CAT062 ed. 1.18 and
/// CAT048 ed. 1.21, index 0 being FRN 1.
public enum AsterixUAP {
    /// CAT021 ed. 2.6 (ADS-B target reports).
    public static let cat021: [AsterixItemRule] = [
        .fixed(2),       //  1 I021/010 data source identification
        .extended(1),    //  2 I021/040 target report descriptor
        .fixed(2),       //  3 I021/161 track number
        .fixed(1),       //  4 I021/015 service identification
        .fixed(3),       //  5 I021/071 time of applicability for position
        .fixed(6),       //  6 I021/130 position in WGS-84
        .fixed(8),       //  7 I021/131 high-resolution position
        .fixed(3),       //  8 I021/072 time of applicability for velocity
        .fixed(2),       //  9 I021/150 air speed
        .fixed(2),       // 10 I021/151 true airspeed
        .fixed(3),       // 11 I021/080 target address
        .fixed(3),       // 12 I021/073 time of message reception for position
        .fixed(4),       // 13 I021/074 same, high precision
        .fixed(3),       // 14 I021/075 time of message reception for velocity
        .fixed(4),       // 15 I021/076 same, high precision
        .fixed(2),       // 16 I021/140 geometric height
        .extended(1),    // 17 I021/090 quality indicators
        .fixed(1),       // 18 I021/210 MOPS version
        .fixed(2),       // 19 I021/070 Mode 3/A code
        .fixed(2),       // 20 I021/230 roll angle
        .fixed(2),       // 21 I021/145 flight level
        .fixed(2),       // 22 I021/152 magnetic heading
        .fixed(1),       // 23 I021/200 target status
        .fixed(2),       // 24 I021/155 barometric vertical rate
        .fixed(2),       // 25 I021/157 geometric vertical rate
        .fixed(4),       // 26 I021/160 airborne ground vector
        .fixed(2),       // 27 I021/165 track angle rate
        .fixed(3),       // 28 I021/077 time of report transmission
        .fixed(6),       // 29 I021/170 target identification
        .fixed(1),       // 30 I021/020 emitter category
        .compound(.i021_220), // 31 I021/220 met information
        .fixed(2),       // 32 I021/146 selected altitude
        .fixed(2),       // 33 I021/148 final state selected altitude
        .compound(.i021_110), // 34 I021/110 trajectory intent
        .fixed(1),       // 35 I021/016 service management
        .fixed(1),       // 36 I021/008 aircraft operational status
        .extended(1),    // 37 I021/271 surface capabilities and characteristics
        .fixed(1),       // 38 I021/132 message amplitude
        .repetitive(8),  // 39 I021/250 Mode S MB data
        .fixed(7),       // 40 I021/260 ACAS resolution advisory report
        .fixed(1),       // 41 I021/400 receiver ID
        .compound(.i021_295), // 42 I021/295 data ages
        .none, .none, .none, .none, .none, // 43-47 spare
        .explicit,       // 48 RE
        .explicit,       // 49 SP
    ]

    /// CAT062 ed. 1.18 (SDPS system tracks).
    public static let cat062: [AsterixItemRule] = [
        .fixed(2),       //  1 I062/010 data source identifier
        .none,           //  2 spare
        .fixed(1),       //  3 I062/015 service identification
        .fixed(3),       //  4 I062/070 time of track information
        .fixed(8),       //  5 I062/105 position in WGS-84
        .fixed(6),       //  6 I062/100 Cartesian position
        .fixed(4),       //  7 I062/185 Cartesian velocity
        .fixed(2),       //  8 I062/210 Cartesian acceleration
        .fixed(2),       //  9 I062/060 Mode 3/A code
        .fixed(7),       // 10 I062/245 target identification
        .compound(.i062_380), // 11 I062/380 aircraft derived data
        .fixed(2),       // 12 I062/040 track number
        .extended(1),    // 13 I062/080 track status
        .compound(.i062_290), // 14 I062/290 system track update ages
        .fixed(1),       // 15 I062/200 mode of movement
        .compound(.i062_295), // 16 I062/295 track data ages
        .fixed(2),       // 17 I062/136 measured flight level
        .fixed(2),       // 18 I062/130 calculated geometric altitude
        .fixed(2),       // 19 I062/135 calculated barometric altitude
        .fixed(2),       // 20 I062/220 rate of climb/descent
        .compound(.i062_390), // 21 I062/390 flight plan related data
        .extended(1),    // 22 I062/270 target size and orientation
        .fixed(1),       // 23 I062/300 vehicle fleet identification
        .compound(.i062_110), // 24 I062/110 Mode 5 data and extended Mode 1
        .fixed(2),       // 25 I062/120 Mode 2 code
        .extended(3),    // 26 I062/510 composed track number (3-octet parts)
        .compound(.i062_500), // 27 I062/500 estimated accuracies
        .compound(.i062_340), // 28 I062/340 measured information
        .none, .none, .none, .none, .none, // 29-33 spare
        .explicit,       // 34 RE
        .explicit,       // 35 SP
    ]

    /// CAT048 ed. 1.21 (monoradar target reports).
    public static let cat048: [AsterixItemRule] = [
        .fixed(2),       //  1 I048/010 data source identifier
        .fixed(3),       //  2 I048/140 time of day
        .extended(1),    //  3 I048/020 target report descriptor
        .fixed(4),       //  4 I048/040 polar position
        .fixed(2),       //  5 I048/070 Mode 3/A code
        .fixed(2),       //  6 I048/090 flight level
        .compound(.i048_130), // 7 I048/130 radar plot characteristics
        .fixed(3),       //  8 I048/220 aircraft address
        .fixed(6),       //  9 I048/240 aircraft identification
        .repetitive(8),  // 10 I048/250 Mode S MB data
        .fixed(2),       // 11 I048/161 track number
        .fixed(4),       // 12 I048/042 Cartesian position
        .fixed(4),       // 13 I048/200 polar velocity
        .extended(1),    // 14 I048/170 track status
        .fixed(4),       // 15 I048/210 track quality
        .extended(1),    // 16 I048/030 warning/error conditions
        .fixed(2),       // 17 I048/080 Mode 3/A confidence
        .fixed(4),       // 18 I048/100 Mode C code and confidence
        .fixed(2),       // 19 I048/110 3D height
        .compound(.i048_120), // 20 I048/120 radial Doppler speed
        .fixed(2),       // 21 I048/230 communications/ACAS capability and flight status
        .fixed(7),       // 22 I048/260 ACAS resolution advisory report
        .fixed(1),       // 23 I048/055 Mode 1 code
        .fixed(2),       // 24 I048/050 Mode 2 code
        .fixed(1),       // 25 I048/065 Mode 1 confidence
        .fixed(2),       // 26 I048/060 Mode 2 confidence
        .explicit,       // 27 SP
        .explicit,       // 28 RE
    ]

    /// I021/110: TIS (extended), TID (repetitive, 15 octets each).
    static let sub021_110: [AsterixItemRule] = [.extended(1), .repetitive(15)]
    /// I021/220: wind speed, wind direction, temperature, turbulence.
    static let sub021_220: [AsterixItemRule] = [.fixed(2), .fixed(2), .fixed(2), .fixed(1)]
    /// I021/295: 23 one-octet ages (AOS … SCC).
    static let sub021_295: [AsterixItemRule] = Array(repeating: .fixed(1), count: 23)

    /// I048/120: CAL (2), RDS (repetitive, 6 octets each).
    static let sub048_120: [AsterixItemRule] = [.fixed(2), .repetitive(6)]
    /// I048/130: SRL, SRR, SAM, PRL, PAM, RPD, APD, one octet each.
    static let sub048_130: [AsterixItemRule] = Array(repeating: .fixed(1), count: 7)

    /// I062/110: SUM 1, PMN 4, POS 6, GA 2, EM1 2, TOS 1, XP 1.
    static let sub062_110: [AsterixItemRule] = [
        .fixed(1), .fixed(4), .fixed(6), .fixed(2), .fixed(2), .fixed(1), .fixed(1)]
    /// I062/290: TRK, PSR, SSR, MDS 1 each, ADS 2, ES, VDL, UAT, LOP, MLT 1 each.
    static let sub062_290: [AsterixItemRule] = [
        .fixed(1), .fixed(1), .fixed(1), .fixed(1), .fixed(2),
        .fixed(1), .fixed(1), .fixed(1), .fixed(1), .fixed(1)]
    /// I062/295: 31 one-octet ages (MFL … BPS).
    static let sub062_295: [AsterixItemRule] = Array(repeating: .fixed(1), count: 31)
    /// I062/340: SID 2, POS 4, HEIGHT 2, MDC 2, MDA 2, TYP 1.
    static let sub062_340: [AsterixItemRule] = [
        .fixed(2), .fixed(4), .fixed(2), .fixed(2), .fixed(2), .fixed(1)]
    /// I062/380 ed. 1.18: ADR 3, ID 6, MHG 2, IAS 2, TAS 2, SAL 2, FSS 2, TIS (extended),
    /// TID (repetitive 15), COM 2, SAB 2, ACS 7, BVR 2, GVR 2, RAN 2, TAR 2, TAN 2, GS 2, VUN 1,
    /// MET 8, EMC 1, POS 6, GAL 2, PUN 1, MB (repetitive 8), IAR 2, MAC 2, BPS 2.
    static let sub062_380: [AsterixItemRule] = [
        .fixed(3), .fixed(6), .fixed(2), .fixed(2), .fixed(2), .fixed(2), .fixed(2),
        .extended(1), .repetitive(15), .fixed(2), .fixed(2), .fixed(7), .fixed(2), .fixed(2),
        .fixed(2), .fixed(2), .fixed(2), .fixed(2), .fixed(1), .fixed(8), .fixed(1),
        .fixed(6), .fixed(2), .fixed(1), .repetitive(8), .fixed(2), .fixed(2), .fixed(2)]
    /// I062/390: TAG 2, CSN 7, IFI 4, FCT 1, TAC 4, WTC 1, DEP 4, DST 4, RDS 3, CFL 2, CTL 2,
    /// TOD (repetitive 4), AST 6, STS 1, STD 7, STA 7, PEM 2, PEC 7.
    static let sub062_390: [AsterixItemRule] = [
        .fixed(2), .fixed(7), .fixed(4), .fixed(1), .fixed(4), .fixed(1), .fixed(4),
        .fixed(4), .fixed(3), .fixed(2), .fixed(2), .repetitive(4), .fixed(6), .fixed(1),
        .fixed(7), .fixed(7), .fixed(2), .fixed(7)]
    /// I062/500: APC 4, COV 2, APW 4, AGA 1, ABA 1, ATV 2, AA 2, ARC 1.
    static let sub062_500: [AsterixItemRule] = [
        .fixed(4), .fixed(2), .fixed(4), .fixed(1), .fixed(1), .fixed(2), .fixed(2), .fixed(1)]

    /// The UAP of a category, or nil for one the decoder does not take.
    public static func uap(category: UInt8) -> [AsterixItemRule]? {
        switch category {
        case 21: return cat021
        case 48: return cat048
        case 62: return cat062
        default: return nil
        }
    }

    /// The length in octets of the item starting at `at` under `rule`, or nil when the item
    /// runs past `end`, announces a subfield the rule does not know, or is otherwise malformed.
    /// Reads only `bytes[at..<end]`; `end` must not exceed `bytes.count`. Pure.
    public static func itemLength(_ rule: AsterixItemRule, _ bytes: UnsafeBufferPointer<UInt8>,
                                  at: Int, end: Int) -> Int? {
        if case .compound(let c) = rule {
            return compoundLength(c.subfields, bytes, at: at, end: end)
        }
        return simpleLength(rule, bytes, at: at, end: end)
    }

    /// ``itemLength(_:_:at:end:)`` for every rule but `.compound` (which gives nil here).
    static func simpleLength(_ rule: AsterixItemRule, _ bytes: UnsafeBufferPointer<UInt8>,
                             at: Int, end: Int) -> Int? {
        switch rule {
        case .none, .compound:
            return nil
        case .fixed(let n):
            return n <= end - at ? n : nil
        case .extended(let n):
            var q = at
            while true {
                guard n <= end - q else { return nil }
                q += n
                if bytes[q - 1] & 1 == 0 { return q - at }
            }
        case .repetitive(let n):
            guard at < end else { return nil }
            let total = 1 + Int(bytes[at]) * n
            return total <= end - at ? total : nil
        case .explicit:
            guard at < end else { return nil }
            let total = Int(bytes[at])
            return total >= 1 && total <= end - at ? total : nil
        }
    }

    /// Length of a compound item: its primary subfield, then each announced subfield.
    static func compoundLength(_ subs: [AsterixItemRule], _ bytes: UnsafeBufferPointer<UInt8>,
                               at: Int, end: Int) -> Int? {
        var primaryEnd = at
        repeat {
            guard primaryEnd < end else { return nil }
            primaryEnd += 1
        } while bytes[primaryEnd - 1] & 1 != 0
        var q = primaryEnd
        var index = 0
        for k in at..<primaryEnd {
            let octet = bytes[k]
            var mask: UInt8 = 0x80
            while mask > 1 {
                if octet & mask != 0 {
                    guard index < subs.count,
                          let n = simpleLength(subs[index], bytes, at: q, end: end) else { return nil }
                    q += n
                }
                index += 1
                mask >>= 1
            }
        }
        return q - at
    }
}
