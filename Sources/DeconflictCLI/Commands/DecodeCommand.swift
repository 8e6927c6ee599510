import ArgumentParser
import DeconflictCore
import DeconflictFormats
import Foundation

/// `deconflict decode`: a recording of receiver or radar data → aircraft states as CSV.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode a surveillance recording to aircraft states (CSV).",
        discussion: """
        Reads Beast binary, AVR raw lines, SBS-1 lines, ASTERIX CAT021/048/062 blocks, a readsb \
        aircraft.json or timestamped frames (time_s,frame_hex — the layout of the shared \
        real-frames file), and writes one CSV row per assembled state:
          time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm
        the same columns `detect`, `scan` and `alerts` read, so any other tool can compare. \
        Beast and AVR counters are not UTC: their times are --start plus the seconds since \
        the file's first frame. A summary (frames, states, aircraft, rejected frames by \
        reason) goes to stderr.
        """
    )

    @Argument(help: "The recording.")
    var file: String

    @Option(help: "beast, avr, sbs, asterix, json or frames-csv (default: from the extension or first bytes).")
    var format: String?

    @Option(help: "Time zone of SBS lines: UTC, local or +02:00 (default UTC).")
    var tz: String?

    @Option(help: "Receiver position LAT,LON (surface positions and first fixes are decoded locally).")
    var receiver: String?

    @Option(help: "UTC epoch seconds of the first Beast/AVR frame; ASTERIX times of day are placed near it.")
    var start: Double = 0

    @Option(name: .shortAndLong, help: "Write the CSV here instead of stdout.")
    var output: String?

    func run() throws {
        let input = try FeedSourceSpec.fileInput(path: file, format: format, tz: tz)
        let receiver = try FeedCommand.parseReceiver(self.receiver)
        guard let f = fopen(file, "rb") else { throw CLIError("\(file): \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        var st = stat()
        fstat(fileno(f), &st)
        let total = Int(st.st_size)
        let out: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let h = FileHandle(forWritingAtPath: output) else {
                throw CLIError("\(output): cannot create")
            }
            out = h
        } else {
            out = FileHandle.standardOutput
        }
        var pipeline = FeedPipeline(input: input, receiver: receiver, clock: ReceiverClock(maxDrift: .infinity))
        var csv = StateCSV()
        csv.header()
        var progress = ProgressBar("decode", total: total)
        let bufSize = 1 << 20
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: bufSize)
        defer { buf.deallocate() }
        var done = 0
        while true {
            let n = fread(buf, 1, bufSize, f)
            if n == 0 { break }
            done += n
            pipeline.feed(UnsafeBufferPointer(start: buf, count: n), now: start) { csv.row($0.state) }
            if csv.bytes.count > 1 << 20 { out.write(Data(csv.bytes)); csv.bytes.removeAll(keepingCapacity: true) }
            progress.update(done, detail: "\(pipeline.stats.states) states")
        }
        pipeline.finish(now: start) { csv.row($0.state) }
        out.write(Data(csv.bytes))
        progress.finish()
        if let e = pipeline.lastError { Terminal.err("\(file): \(e)") }
        let s = pipeline.stats
        let rej = s.rejects.isEmpty ? "none" : s.rejects.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        Terminal.err("\(file): \(s.inputs) inputs, \(s.states) states of \(s.aircraft) aircraft, \(s.corrected) repaired, rejected: \(rej)")
        if s.inputs == 0 && s.states == 0 && total > 0 { throw ExitCode(1) }
    }
}

/// Writes states as `time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm` rows into a byte buffer,
/// with fixed decimals (time µs, position 1e-6°, altitude 1 ft, speed 0.1 kt, track 0.01°,
/// vertical rate 1 fpm) and no Foundation formatting on the way.
struct StateCSV {
    var bytes: [UInt8] = []

    mutating func header() { bytes += Array("time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm\n".utf8) }

    mutating func fixed(_ v: Double, _ decimals: Int) {
        guard v.isFinite, abs(v) < 1e12 else { return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        var x = UInt64((abs(v) * scale).rounded())
        if v < 0 && x != 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { d in
            var n = 0, written = 0
            repeat {
                d[written] = UInt8(48 + x % 10); written += 1
                x /= 10
                n += 1
                if n == decimals { d[written] = UInt8(ascii: "."); written += 1 }
            } while x > 0 || n <= decimals
            if d[written - 1] == UInt8(ascii: ".") { d[written] = 48; written += 1 }
            for i in stride(from: written - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    mutating func row(_ s: AircraftState) {
        fixed(s.time, 6); bytes.append(44)
        bytes.append(contentsOf: s.id.utf8); bytes.append(44)
        fixed(s.lat, 6); bytes.append(44)
        fixed(s.lon, 6); bytes.append(44)
        fixed(s.altFt ?? Units.toFt(s.alt), 0); bytes.append(44)
        fixed(Units.toKt(s.gs), 1); bytes.append(44)
        fixed(s.trk, 2); bytes.append(44)
        fixed(Units.toFpm(s.vs), 0); bytes.append(10)
    }
}
