import DeconflictCore

/// Generated Mode S traffic, for tests, demos and benchmarks where no capture exists: each
/// aircraft flies a straight line and transmits what a real ADS-B transponder does, in a
/// fixed cycle — even position, velocity, odd position, velocity, altitude reply, identity
/// reply, all-call reply, identification — so a receiver of it sees the real message mix
/// of the decoders' paths (parity in clear, AP, CPR pairs). Pure: time is an argument.
public struct SyntheticFeed: Sendable {
    public struct Flight: Sendable {
        public var address: UInt32
        public var callsign: String
        public var lat: Double, lon: Double      // at time 0
        public var altFt: Double, gsKt: Double, trkDeg: Double, vsFpm: Double
        public init(address: UInt32, callsign: String, lat: Double, lon: Double, altFt: Double,
                    gsKt: Double, trkDeg: Double, vsFpm: Double = 0) {
            self.address = address; self.callsign = callsign; self.lat = lat; self.lon = lon
            self.altFt = altFt; self.gsKt = gsKt; self.trkDeg = trkDeg; self.vsFpm = vsFpm
        }

        /// Where the flight is `t` seconds after time 0.
        public func state(at t: Double) -> AircraftState {
            AircraftState(id: "", time: 0, lat: lat, lon: lon, altFt: altFt, gsKt: gsKt, trkDeg: trkDeg, vsFpm: vsFpm)
                .projected(by: t)
        }
    }

    public var flights: [Flight]
    private var next = 0          // message counter: which flight and which message of its cycle

    public init(flights: [Flight]) { self.flights = flights }

    /// `count` flights in a box of `radiusDeg` around a centre, at distinct levels, seeded.
    public static func random(count: Int, centerLat: Double = 50, centerLon: Double = 5, radiusDeg: Double = 3,
                              seed: UInt64 = 1, firstAddress: UInt32 = 0x40_0000) -> SyntheticFeed {
        var s = seed
        func rnd() -> Double {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Double(s >> 11) / Double(1 << 53)
        }
        let flights = (0..<count).map { (i: Int) -> Flight in
            Flight(address: firstAddress + UInt32(i), callsign: "SYN\(i % 100_000)",
                   lat: centerLat + (rnd() * 2 - 1) * radiusDeg, lon: centerLon + (rnd() * 2 - 1) * radiusDeg,
                   altFt: 20_000 + Double(Int(rnd() * 20)) * 1_000, gsKt: 350 + rnd() * 150, trkDeg: rnd() * 359.9)
        }
        return SyntheticFeed(flights: flights)
    }

    /// The next frame of the cycle at time `t` (seconds since time 0).
    public mutating func nextFrame(at t: Double) -> [UInt8] {
        let n = flights.count
        let f = flights[next % n]
        let step = (next / n) % 8
        next += 1
        let p = f.state(at: t)
        let alt = p.altFt ?? f.altFt
        switch step {
        case 0, 2:
            return ModeSEncoder.airbornePosition(address: f.address, lat: p.lat, lon: p.lon, altFt: alt, odd: step == 2)
        case 1, 3:
            return ModeSEncoder.velocity(address: f.address, gsKt: f.gsKt, trkDeg: f.trkDeg, vsFpm: f.vsFpm)
        case 4:
            return ModeSEncoder.altitudeReply(address: f.address, altFt: (alt / 25).rounded() * 25)
        case 5:
            return ModeSEncoder.identityReply(address: f.address, squawk: 0x7000)
        case 6:
            return ModeSEncoder.allCall(address: f.address)
        default:
            return ModeSEncoder.identification(address: f.address, callsign: f.callsign)
        }
    }

    /// A Beast recording of `seconds` at `rate` messages per second in all, 12 MHz counter
    /// starting at 1 s.
    public mutating func beastRecording(seconds: Double, rate: Double) -> [UInt8] {
        var out: [UInt8] = []
        let total = Int(seconds * rate)
        for i in 0..<total {
            let t = Double(i) / rate
            let f = nextFrame(at: t)
            out += BeastDecoder.encode(type: f.count == 7 ? 0x32 : 0x33, counter: UInt64((t + 1) * 12_000_000),
                                       signal: 180, payload: f)
        }
        return out
    }
}
