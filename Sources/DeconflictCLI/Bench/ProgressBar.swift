import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
struct ProgressBar {
    let label: String
    let total: Int
    let enabled = isatty(STDERR_FILENO) == 1
    private var lastDrawn = -1

    init(label: String, total: Int) { self.label = label; self.total = total }

    mutating func update(_ done: Int) {
        guard enabled, total > 0 else { return }
        let pct = min(100, done * 100 / total)
        guard pct != lastDrawn else { return }
        lastDrawn = pct
        let width = 30, filled = pct * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write("\r\(label) [\(bar)] \(pct)% (\(done)/\(total))".data(using: .utf8)!)
    }

    func finish() {
        if enabled { FileHandle.standardError.write("\n".data(using: .utf8)!) }
    }
}
