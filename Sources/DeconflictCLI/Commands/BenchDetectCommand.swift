import ArgumentParser
import DeconflictCore
import Foundation

/// `deconflict bench detect`: time the full detection cycle on generated traffic.
struct BenchDetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Time the detection cycle on generated traffic.",
        discussion: """
        Generates N aircraft in-process (dense: 600 km box at 35N 38E like the BlueSky \
        peer's gen_traffic.py; continental: 3000 km box, same speeds and altitudes), then \
        times the whole cycle (column layout, broad phase, exact tests, sorting) --repeat \
        times and prints one JSON line per N: n, pairs, los, detect_s (median), detect_min_s, \
        cpu_s (median CPU time of the cycle, all threads: on a busy machine it shows the\nwork independent of other load), peak_rss_mb (peak of this process so far).
        """
    )

    @Option(help: "Aircraft counts, comma separated, e.g. 1000,10000,100000.")
    var n: String = "1000,10000"

    @Option(help: "dense or continental.")
    var region: TrafficGenerator.Region = .dense

    @Option(help: "Random seed of the generated traffic.")
    var seed: UInt64 = 42

    @Option(name: .customLong("repeat"), help: "Timed cycles per N (the median is reported).")
    var repeats: Int = 5

    @Option(help: "Also write each generated snapshot as CSV here (N is appended before .csv when several N are given), to feed the same traffic to the BlueSky peer.")
    var write: String?

    @OptionGroup var detection: DetectionOptions

    var counts: [Int] { n.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let parts = n.split(separator: ",")
        if parts.isEmpty || counts.count != parts.count || counts.contains(where: { $0 < 1 || $0 > 5_000_000 }) {
            throw ValidationError("--n takes whole numbers from 1 to 5000000, comma separated (got '\(n)')")
        }
        if repeats < 1 || repeats > 1000 { throw ValidationError("--repeat must be between 1 and 1000") }
    }

    func run() throws {
        let detector = detection.detector
        for count in counts {
            let states = TrafficGenerator(region: region).generate(count, seed: seed)
            if let write {
                let path = counts.count > 1 ? write.replacingOccurrences(of: ".csv", with: "_\(count).csv") : write
                try SnapshotWriter.write(states, to: path)
            }
            var times: [Double] = [], cpu: [Double] = []
            var pairs = 0, los = 0
            for _ in 0..<repeats {
                let t0 = Clock.now(), c0 = Clock.cpuSeconds()
                let conflicts = detector.detect(TrafficPicture(states))
                times.append(Clock.now() - t0); cpu.append(Clock.cpuSeconds() - c0)
                pairs = conflicts.count; los = conflicts.filter(\.los).count
            }
            times.sort(); cpu.sort()
            let median = times[times.count / 2]
            Terminal.out("{\"n\":\(count),\"region\":\"\(region.rawValue)\",\"pairs\":\(pairs),\"los\":\(los),"
                + "\"detect_s\":\(Cell.fixed(median, 6)),\"detect_min_s\":\(Cell.fixed(times[0], 6)),"
                + "\"cpu_s\":\(Cell.fixed(cpu[cpu.count / 2], 6)),"
                + "\"threads\":\(detector.threads),\"peak_rss_mb\":\(Cell.fixed(Clock.peakRSSMB(), 1))}\n")
        }
    }
}

extension TrafficGenerator.Region: @retroactive ExpressibleByArgument {}

/// Writes states as a snapshot CSV (the peer's `gen_traffic.py` layout).
enum SnapshotWriter {
    static func write(_ states: [AircraftState], to path: String) throws {
        var s = "id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm\n"
        for a in states {
            s += "\(a.id),\(a.lat),\(a.lon),\(a.altFt ?? Units.toFt(a.alt)),\(Cell.fixed(Units.toKt(a.gs), 1)),"
            s += "\(a.trk),\(Cell.fixed(Units.toFpm(a.vs), 1))\n"
        }
        do { try s.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
