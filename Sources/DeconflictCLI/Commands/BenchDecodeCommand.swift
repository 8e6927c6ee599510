import ArgumentParser
import DeconflictCore
import DeconflictFormats
import Foundation

/// `deconflict bench decode`: Beast frames decoded and assembled per second on one core.
struct BenchDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Beast framing + Mode S/ADS-B decoding + track assembly, frames per second on one core.",
        discussion: """
        The stream is real: the 57,793 frames of AFR34ZG (the shared real-frames file, with its \
        real mix of DF0/4/5/16/17/20/21), copied --aircraft times under other addresses (parity \
        recomputed) and interleaved in time, as a receiver hears that many aircraft. It is \
        encoded as Beast once, then fed through the same FeedPipeline `feed` and `decode` use \
        (64 KiB chunks, every frame parity-checked, every position CPR-decoded and speed-gated), \
        --repeat times. JSON on stdout. --write FILE keeps the Beast stream, so the whole \
        `deconflict decode FILE` command can be timed too.
        """
    )

    @Option(help: "The real-frames CSV (time_s,frame_hex,…).")
    var frames: String = "Core/Tests/FormatsTests/Fixtures/adsb_frames_afr34zg_2024-07-06.csv"

    @Option(help: "Aircraft: copies of the flight under distinct addresses.")
    var aircraft: Int = 100

    @Option(help: "Passes over the stream (the best pass is reported).")
    var `repeat`: Int = 3

    @Option(help: "Also write the Beast stream to this file.")
    var write: String?

    func validate() throws {
        if aircraft < 1 || aircraft > 4096 { throw ValidationError("--aircraft must be in 1…4096") }
        if `repeat` < 1 { throw ValidationError("--repeat must be ≥ 1") }
    }

    /// The frames of the file re-addressed as `copies` aircraft, as one Beast stream.
    static func beastStream(framesCSV path: String, copies: Int) throws -> (bytes: [UInt8], frames: Int) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError("\(path): cannot read (run from the repository root, or give --frames)")
        }
        var rows: [(Double, [UInt8])] = []
        for (n, line) in text.split(separator: "\n").enumerated() where n > 0 {
            let f = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
            guard f.count >= 3, let t = Double(f[0]), let df = Int(f[2]) else { continue }
            let hex = Array(f[1].utf8.prefix(df < 16 ? 14 : 28))
            var b: [UInt8] = []
            var i = 0
            while i + 1 < hex.count { b.append(AVRDecoder.hex(hex[i])! << 4 | AVRDecoder.hex(hex[i + 1])!); i += 2 }
            rows.append((t, b))
        }
        guard let t0 = rows.first?.0 else { throw CLIError("\(path): no frames") }
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * copies * 24)
        var dec = ModeSDecoder(correctSingleBitErrors: false)
        for (t, frame) in rows {
            guard let m = dec.decode(frame) else { continue }
            for k in 0..<copies {
                let addr: UInt32 = k == 0 ? m.address : (0x80_0000 | UInt32(k))
                var f = frame
                let n = f.count
                if m.addressInClear {
                    let ii = frame.withUnsafeBufferPointer { ModeSParity.syndrome($0.baseAddress!, count: n) }
                    f[1] = UInt8(addr >> 16 & 0xFF); f[2] = UInt8(addr >> 8 & 0xFF); f[3] = UInt8(addr & 0xFF)
                    ModeSParity.setParity(&f, xor: ii)
                } else {
                    let x = m.address ^ addr
                    f[n - 3] ^= UInt8(x >> 16 & 0xFF); f[n - 2] ^= UInt8(x >> 8 & 0xFF); f[n - 1] ^= UInt8(x & 0xFF)
                }
                let counter = UInt64((t - t0) * 12_000_000) + UInt64(k)
                out += BeastDecoder.encode(type: n == 7 ? 0x32 : 0x33, counter: counter + 12_000_000, signal: 200, payload: f)
            }
        }
        return (out, rows.count * copies)
    }

    func run() throws {
        let built = try Self.beastStream(framesCSV: frames, copies: aircraft)
        if let write, !FileManager.default.createFile(atPath: write, contents: Data(built.bytes)) { throw CLIError("\(write): cannot be written") }
        var best = Double.infinity, bestCPU = 0.0
        var stats = FeedStats()
        for _ in 0..<`repeat` {
            var p = FeedPipeline(input: .beast, receiver: (49.0097, 2.5479), clock: ReceiverClock(maxDrift: .infinity))
            var states = 0
            let cpu0 = Clock.cpuSeconds(), t0 = Clock.now()
            built.bytes.withUnsafeBufferPointer { all in
                var i = 0
                while i < all.count {
                    let end = min(all.count, i + 65_536)
                    p.feed(UnsafeBufferPointer(rebasing: all[i..<end]), now: 1_720_248_189) { _ in states += 1 }
                    i = end
                }
            }
            let wall = Clock.now() - t0, cpu = Clock.cpuSeconds() - cpu0
            if wall < best { best = wall; bestCPU = cpu; stats = p.stats }
            _ = states
        }
        let rej = stats.rejects.map { "\"\($0.key.rawValue)\":\($0.value)" }.sorted().joined(separator: ",")
        print("""
        {"bench":"decode","aircraft":\(aircraft),"frames":\(built.frames),"bytes":\(built.bytes.count),\
        "seconds":\(String(format: "%.3f", best)),"cpu_s":\(String(format: "%.3f", bestCPU)),\
        "frames_per_s":\(Int(Double(built.frames) / best)),"frames_per_cpu_s":\(Int(Double(built.frames) / bestCPU)),\
        "ns_per_frame":\(String(format: "%.1f", best / Double(built.frames) * 1e9)),\
        "states":\(stats.states),"tracked":\(stats.aircraft),"rejects":{\(rej)}}
        """)
    }
}
