import DeconflictCore

/// What a byte stream holds.
public enum FeedInput: Sendable, Hashable {
    /// Beast binary (dump1090/readsb TCP 30005).
    case beast
    /// AVR raw lines, `*hex;` or `@counter+hex;` (TCP 30002).
    case avr
    /// SBS-1 BaseStation lines (TCP 30003); the feed's UTC offset in seconds (local time
    /// feeds such as dump1090-fa's need it: the lines carry no zone).
    case sbs(utcOffsetSeconds: Int)
    /// ASTERIX data blocks (CAT021, CAT048, CAT062), concatenated or one per datagram.
    case asterix
    /// One readsb `aircraft.json` document.
    case readsbJSON
    /// Timestamped frames as text: `time_s,frame_hex[,…]` per line (header optional),
    /// the layout of the shared real-frames file.
    case framesCSV
}

/// Counters of a pipeline: what came in, what was decoded, what was refused and why.
public struct FeedStats: Sendable, Equatable {
    /// Frames (Mode S), lines (SBS, frames CSV), records (ASTERIX) or aircraft (JSON) taken.
    public var inputs = 0
    /// Mode A/C, status and heartbeat frames skipped without error.
    public var skipped = 0
    /// Aircraft states emitted.
    public var states = 0
    /// Refused inputs by reason, from every stage (framing, parity, parsing, assembly).
    public var rejects: [FeedReject: Int] = [:]
    /// Frames repaired by one-bit correction.
    public var corrected = 0
    public var aircraft = 0

    public var rejected: Int { rejects.values.reduce(0, +) }

    public init() {}
}

/// Bytes in → aircraft states out, for one source: the framing of its format, the
/// decoder, and a ``TrackAssembler``. Times: Beast/AVR counters are mapped to UTC by a
/// ``ReceiverClock`` against the `now` of each call (live feeds) or from `start` (files,
/// `clock.maxDrift = .infinity`); SBS, ASTERIX and JSON carry their own times (ASTERIX's time
/// of day is placed near `now`). Pure: nothing is read from a clock or the network.
public struct FeedPipeline: Sendable {
    public let input: FeedInput
    public var assembler: TrackAssembler
    public var clock: ReceiverClock
    var beast = BeastDecoder()
    var avr = AVRDecoder()
    public private(set) var modeS = ModeSDecoder()
    var sbs: SBSDecoder
    var asterix = AsterixDecoder()
    var json = ReadsbAircraftJSON()
    var pending: [UInt8] = []              // ASTERIX block / frames-CSV line / JSON document in progress
    var reports: [TargetReport] = []
    var lineRejects = 0
    var skippedFrames = 0
    var states = 0
    var jsonErrors = 0
    /// The last error of a JSON document that could not be read, for the user.
    public private(set) var lastError: String?
    /// Longest frames-CSV line or JSON document accepted.
    public var maxPending = 64 << 20

    public init(input: FeedInput, receiver: (lat: Double, lon: Double)? = nil, clock: ReceiverClock = ReceiverClock()) {
        self.input = input
        assembler = TrackAssembler(receiver: receiver)
        self.clock = clock
        if case let .sbs(offset) = input { sbs = SBSDecoder(utcOffsetSeconds: offset) } else { sbs = SBSDecoder() }
    }

    public var stats: FeedStats {
        var s = FeedStats()
        s.states = states
        s.skipped = skippedFrames + sbs.skipped
        s.corrected = modeS.corrected
        s.aircraft = assembler.count
        var r = assembler.rejects
        for (k, v) in modeS.rejects { r[k, default: 0] += v }
        for (k, v) in sbs.rejects { r[k, default: 0] += v }
        for (k, v) in asterix.rejects { r[k, default: 0] += v }
        for (k, v) in json.rejects { r[k, default: 0] += v }
        let garbage = beast.garbageBytes > 0 || beast.brokenFrames > 0
        if garbage { r[.garbage, default: 0] += beast.brokenFrames + (beast.garbageBytes > 0 ? 1 : 0) }
        let malformed = avr.malformed + lineRejects + jsonErrors
        if malformed > 0 { r[.malformed, default: 0] += malformed }
        s.rejects = r
        switch input {
        case .beast, .avr, .framesCSV: s.inputs = beast.frames + avr.frames + csvFrames
        case .sbs: s.inputs = sbs.lines
        case .asterix: s.inputs = asterix.records
        case .readsbJSON: s.inputs = json.aircraft
        }
        return s
    }
    var csvFrames = 0

    /// Bytes of Beast garbage skipped while resynchronising.
    public var garbageBytes: Int { beast.garbageBytes }

    @inline(__always)
    mutating func frame(_ p: UnsafePointer<UInt8>, count: Int, time: Double, format: FeedFormat,
                        _ emit: (AssembledState) -> Void) {
        guard let m = modeS.decode(p, count: count) else { return }
        if let s = assembler.add(m, time: time, format: format) { states += 1; emit(s) }
    }

    /// Feeds a chunk of the stream received at UTC `now`; calls `emit` for each new state.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, now: Double, _ emit: (AssembledState) -> Void) {
        switch input {
        case .beast:
            var b = beast
            b.feed(chunk) { f in
                switch f.type {
                case 0x32, 0x33:
                    let t = clock.utc(counter: f.counter, now: now)
                    frame(f.payload.baseAddress!, count: f.payload.count, time: t, format: .beast, emit)
                default:
                    skippedFrames += 1
                }
            }
            beast = b
        case .avr:
            var a = avr
            a.feed(chunk) { counter, payload in
                let t = clock.utc(counter: counter, now: now)
                frame(payload.baseAddress!, count: payload.count, time: t, format: .avr, emit)
            }
            avr = a
        case .sbs:
            reports.removeAll(keepingCapacity: true)
            sbs.feed(chunk, into: &reports)
            takeReports(emit)
        case .asterix:
            pending.append(contentsOf: chunk)
            var start = 0
            while pending.count - start >= 3 {
                let len = Int(pending[start + 1]) << 8 | Int(pending[start + 2])
                if len < 3 { lineRejects += 1; start += 1; continue }        // resynchronise byte by byte
                if pending.count - start < len { break }
                reports.removeAll(keepingCapacity: true)
                pending.withUnsafeBufferPointer { b in
                    asterix.decode(UnsafeBufferPointer(rebasing: b[start..<(start + len)]), referenceTime: now, into: &reports)
                }
                takeReports(emit)
                start += len
            }
            pending.removeFirst(start)
        case .readsbJSON:
            if pending.count + chunk.count > maxPending { jsonErrors += 1; pending.removeAll(); return }
            pending.append(contentsOf: chunk)
        case .framesCSV:
            for byte in chunk {
                if byte == 0x0A {
                    csvLine(emit)
                    pending.removeAll(keepingCapacity: true)
                } else if pending.count < 4096 {
                    pending.append(byte)
                } else if pending.count == 4096 {
                    pending.append(0)                       // marks the line as too long
                }
            }
        }
    }

    public mutating func feed(_ bytes: [UInt8], now: Double, _ emit: (AssembledState) -> Void) {
        bytes.withUnsafeBufferPointer { feed($0, now: now, emit) }
    }

    /// End of the stream: decodes what is still held (a last line without its newline, a
    /// whole JSON document).
    public mutating func finish(now: Double, _ emit: (AssembledState) -> Void) {
        switch input {
        case .sbs:
            reports.removeAll(keepingCapacity: true)
            sbs.finish(into: &reports)
            takeReports(emit)
        case .framesCSV:
            if !pending.isEmpty { csvLine(emit); pending.removeAll() }
        case .readsbJSON:
            guard !pending.isEmpty else { return }
            do {
                reports = try json.decode(pending)
                takeReports(emit)
            } catch {
                jsonErrors += 1
                lastError = "\(error)"
            }
            pending.removeAll()
        case .asterix:
            if !pending.isEmpty { lineRejects += 1; pending.removeAll() }
        case .beast, .avr:
            break
        }
    }

    mutating func takeReports(_ emit: (AssembledState) -> Void) {
        for r in reports {
            if let s = assembler.add(r) { states += 1; emit(s) }
        }
    }

    /// `time_s,frame_hex[,…]`: a header line (first field not a number) is skipped.
    mutating func csvLine(_ emit: (AssembledState) -> Void) {
        var line = pending
        if line.last == 0x0D { line.removeLast() }
        if line.isEmpty { return }
        if line.count > 4096 { lineRejects += 1; return }
        line.withUnsafeBufferPointer { b in
            guard let comma = b.firstIndex(of: UInt8(ascii: ",")) else { lineRejects += 1; return }
            guard let t = parseDecimal(b, 0..<comma) else {
                // A header names its columns; anything else is a bad line.
                if b[0] >= UInt8(ascii: "a") && b[0] <= UInt8(ascii: "z") { return }
                lineRejects += 1; return
            }
            var end = comma + 1
            while end < b.count && b[end] != UInt8(ascii: ",") { end += 1 }
            let digits = end - comma - 1
            guard digits == 14 || digits == 28 else { lineRejects += 1; return }
            var frame = (0..<14).map { _ in UInt8(0) }
            for i in 0..<(digits / 2) {
                guard let hi = AVRDecoder.hex(b[comma + 1 + 2 * i]), let lo = AVRDecoder.hex(b[comma + 2 + 2 * i]) else {
                    lineRejects += 1; return
                }
                frame[i] = hi << 4 | lo
            }
            csvFrames += 1
            // Short replies padded to 28 digits (some recorders): the DF says how many count.
            let n = (frame[0] >> 3) >= 16 ? 14 : 7
            guard digits / 2 >= n else { lineRejects += 1; return }
            frame.withUnsafeBufferPointer { f in self.frame(f.baseAddress!, count: n, time: t, format: .framesCSV, emit) }
        }
    }
}
