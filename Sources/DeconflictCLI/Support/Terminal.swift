import Foundation

/// Where output goes and whether a person is watching it.
enum Terminal {
    static var stdoutIsTTY: Bool { isatty(1) == 1 }
    static var stderrIsTTY: Bool { isatty(2) == 1 }

    static func err(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    /// Writes to stderr without a newline (progress bars).
    static func errRaw(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }

    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }
}

/// A progress bar on stderr, drawn only when stderr is a terminal, at most 10 times a second.
struct ProgressBar {
    let label: String
    let total: Int
    let enabled: Bool
    private var lastDraw = 0.0

    init(_ label: String, total: Int, enabled: Bool = Terminal.stderrIsTTY) {
        self.label = label; self.total = max(total, 1); self.enabled = enabled
    }

    mutating func update(_ done: Int, detail: String = "") {
        guard enabled else { return }
        let now = Clock.now()
        if now - lastDraw < 0.1 && done < total { return }
        lastDraw = now
        let frac = min(1, Double(done) / Double(total))
        let width = 30, filled = Int(frac * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        Terminal.errRaw("\r\(label) \(bar) \(Int(frac * 100))% \(detail)\u{1B}[K")
    }

    func finish() {
        guard enabled else { return }
        Terminal.errRaw("\r\u{1B}[K")
    }
}

/// Monotonic wall-clock seconds.
enum Clock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    private static func selfUsage() -> rusage {
        var ru = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)
        #else
        getrusage(RUSAGE_SELF, &ru)
        #endif
        return ru
    }

    /// CPU time (user + system) of this process so far, all threads, seconds.
    static func cpuSeconds() -> Double {
        let ru = selfUsage()
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return s(ru.ru_utime) + s(ru.ru_stime)
    }

    /// Peak resident memory of this process so far, MB.
    static func peakRSSMB() -> Double {
        let ru = selfUsage()
        #if os(Linux)
        return Double(ru.ru_maxrss) / 1024
        #else
        return Double(ru.ru_maxrss) / 1_048_576
        #endif
    }
}
