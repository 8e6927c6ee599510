/// One frame of a Beast binary stream, valid only while the callback that receives it runs.
public struct BeastFrame {
    /// '1' Mode A/C, '2' Mode S short, '3' Mode S long, '4' status.
    public var type: UInt8
    /// The receiver's free-running 12 MHz counter at reception (48 bits); 0 when unset.
    public var counter: UInt64
    /// Signal level byte: power = (signal / 255)².
    public var signal: UInt8
    public var payload: UnsafeBufferPointer<UInt8>
}

/// Beast binary framing (dump1090/readsb TCP 30005): `0x1a`, type, 6-byte big-endian 12 MHz
/// counter, a signal byte, then 2/7/14 payload bytes; every `0x1a` after the frame start is
/// doubled. Streaming: bytes go in in chunks of any size (a frame may span chunks); an
/// unescaped `0x1a` inside a frame starts a new one (the broken frame is counted as
/// garbage), and bytes outside frames are skipped until the next `0x1a` + valid type.
/// Pure; no allocation per frame.
public struct BeastDecoder: Sendable {
    private var buf = [UInt8](repeating: 0, count: 32)
    private var have = 0          // bytes of the current frame collected (after the type)
    private var need = 0          // bytes the current frame needs (counter + signal + payload)
    private var type: UInt8 = 0
    private var state: State = .seek
    public private(set) var frames = 0
    /// Bytes skipped outside frames, and frames cut short by a new frame start.
    public private(set) var garbageBytes = 0
    public private(set) var brokenFrames = 0

    enum State: Sendable { case seek, gotEscape, inFrame, inFrameEscape }

    public init() {}

    /// Payload length for a frame type, or nil for an unknown type.
    @inline(__always) static func payloadLength(_ t: UInt8) -> Int? {
        switch t {
        case 0x31: return 2
        case 0x32: return 7
        case 0x33, 0x34: return 14
        default: return nil
        }
    }

    /// Feeds a chunk; calls `onFrame` for each complete frame, in order.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ onFrame: (BeastFrame) -> Void) {
        var state = self.state, have = self.have, need = self.need, type = self.type
        var frames = 0, garbage = 0, broken = 0
        buf.withUnsafeMutableBufferPointer { b in
            let out = b.baseAddress!
            @inline(__always) func startFrame(_ t: UInt8) -> Bool {
                guard let n = Self.payloadLength(t) else { return false }
                type = t; need = 7 + n; have = 0
                return true
            }
            for byte in chunk {
                switch state {
                case .seek:
                    if byte == 0x1A { state = .gotEscape } else { garbage += 1 }
                case .gotEscape:
                    if startFrame(byte) { state = .inFrame }
                    else if byte == 0x1A { garbage += 1 }        // the first 0x1a was stray; this one may start a frame
                    else { garbage += 2; state = .seek }
                case .inFrame:
                    if byte == 0x1A { state = .inFrameEscape; continue }
                    out[have] = byte; have += 1
                case .inFrameEscape:
                    if byte == 0x1A {
                        out[have] = 0x1A; have += 1; state = .inFrame
                    } else {
                        // An unescaped 0x1a: the frame was cut; this byte is the new type.
                        broken += 1
                        state = startFrame(byte) ? .inFrame : .seek
                        continue
                    }
                }
                if state == .inFrame && have == need {
                    var c: UInt64 = 0
                    for i in 0..<6 { c = (c << 8) | UInt64(out[i]) }
                    frames += 1
                    onFrame(BeastFrame(type: type, counter: c, signal: out[6],
                                       payload: UnsafeBufferPointer(start: out + 7, count: need - 7)))
                    state = .seek; have = 0
                }
            }
        }
        self.state = state; self.have = have; self.need = need; self.type = type
        self.frames += frames; self.garbageBytes += garbage; self.brokenFrames += broken
    }

    public mutating func feed(_ bytes: [UInt8], _ onFrame: (BeastFrame) -> Void) {
        bytes.withUnsafeBufferPointer { feed($0, onFrame) }
    }

    /// One encoded Beast frame (escaping every 0x1a), for tests, generated feeds and replays.
    public static func encode(type: UInt8, counter: UInt64, signal: UInt8, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1A, type]
        var body: [UInt8] = []
        for i in (0..<6).reversed() { body.append(UInt8((counter >> UInt64(i * 8)) & 0xFF)) }
        body.append(signal)
        body += payload
        for b in body { out.append(b); if b == 0x1A { out.append(0x1A) } }
        return out
    }
}

/// Maps a receiver's 12 MHz counter to UTC: anchored to the wall clock at the first frame,
/// unwrapped at 2^48, re-anchored when the mapping drifts more than `maxDrift` from the wall
/// clock (a receiver restart resets its counter). Time is an argument. Pure.
public struct ReceiverClock: Sendable {
    public var maxDrift: Double
    /// Replay speed: counter seconds per UTC second (2 = twice as fast).
    public var speed: Double
    private var anchorCounter: UInt64 = 0
    private var anchorUTC: Double = 0
    private var anchored = false
    public private(set) var reanchors = 0

    public init(maxDrift: Double = 2.0, speed: Double = 1.0) { self.maxDrift = maxDrift; self.speed = speed }

    /// UTC seconds for a frame's counter received at wall time `now`; `now` when the
    /// counter is 0 (not set by the source).
    public mutating func utc(counter: UInt64, now: Double) -> Double {
        if counter == 0 { return now }
        if !anchored { anchored = true; anchorCounter = counter; anchorUTC = now; return now }
        let mask: UInt64 = (1 << 48) - 1
        let ticks = (counter &- anchorCounter) & mask
        var dt = Double(ticks) / 12_000_000
        if dt > Double(mask) / 24_000_000 { dt -= Double(mask + 1) / 12_000_000 }   // a frame before the anchor
        let t = anchorUTC + dt / speed
        if abs(t - now) > maxDrift {
            reanchors += 1; anchorCounter = counter; anchorUTC = now
            return now
        }
        return t
    }
}

/// AVR raw lines (TCP 30002): `*<hex>;` or `@<12 hex digits of counter><hex>;`, one per line;
/// `*0000;` heartbeats and 4-digit Mode A/C lines are skipped. Streaming like
/// ``BeastDecoder``; a line longer than 64 bytes is dropped. Pure.
public struct AVRDecoder: Sendable {
    private var line = [UInt8](repeating: 0, count: 64)
    private var frame = [UInt8](repeating: 0, count: 14)
    private var len = 0
    private var overflow = false
    public private(set) var frames = 0
    public private(set) var malformed = 0

    public init() {}

    @inline(__always) public static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }

    /// Feeds a chunk; `onFrame(counter, payload)` for each Mode S frame line.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ onFrame: (UInt64, UnsafeBufferPointer<UInt8>) -> Void) {
        for byte in chunk {
            if byte == 0x0A || byte == 0x0D {
                if len > 0 && !overflow { handle(onFrame) } else if overflow { malformed += 1 }
                len = 0; overflow = false
                continue
            }
            if len < line.count { line[len] = byte; len += 1 } else { overflow = true }
        }
    }

    public mutating func feed(_ bytes: [UInt8], _ onFrame: (UInt64, UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { feed($0, onFrame) }
    }

    private mutating func handle(_ onFrame: (UInt64, UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 1, counter: UInt64 = 0
        guard line[0] == UInt8(ascii: "*") || line[0] == UInt8(ascii: "@") else { malformed += 1; return }
        var end = len
        while end > 0 && (line[end - 1] == UInt8(ascii: ";") || line[end - 1] == 0x20) { end -= 1 }
        if line[0] == UInt8(ascii: "@") {
            guard end >= 13 else { malformed += 1; return }
            for i in 1..<13 {
                guard let h = Self.hex(line[i]) else { malformed += 1; return }
                counter = (counter << 4) | UInt64(h)
            }
            start = 13
        }
        let digits = end - start
        if digits == 4 { return }                                  // Mode A/C, heartbeat
        guard digits == 14 || digits == 28 else { malformed += 1; return }
        for i in 0..<(digits / 2) {
            guard let hi = Self.hex(line[start + 2 * i]), let lo = Self.hex(line[start + 2 * i + 1]) else {
                malformed += 1; return
            }
            frame[i] = (hi << 4) | lo
        }
        frames += 1
        frame.withUnsafeBufferPointer { onFrame(counter, UnsafeBufferPointer(start: $0.baseAddress!, count: digits / 2)) }
    }
}
