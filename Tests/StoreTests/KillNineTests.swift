import DeconflictCore
import DeconflictStore
import Foundation
import Testing

/// SQLite: a real `kill -9`. A child process (`deconflict … intents --ack-log`) races writers
/// against a store directory and logs every acknowledged write; it is killed with SIGKILL
/// mid-run; reopening the directory must show every acknowledged write (or a later version).
@Suite struct KillNineTests {
    static var binary: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("deconflict").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func run(_ bin: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }

    @Test func acknowledgedWritesSurviveKill9() async throws {
        let bin = try #require(Self.binary, "the deconflict executable is not built next to the tests")
        // The command is `bench intents` once registered under `bench`, `intents` before.
        let prefix = try Self.run(bin, ["bench", "--help"]).contains("intents") ? ["bench", "intents"] : ["intents"]
        let dir = TempDir(); defer { dir.remove() }
        let data = dir.path + "/data", log = dir.path + "/acks.log"
        let child = Process()
        child.executableURL = URL(fileURLWithPath: bin)
        child.arguments = prefix + ["--store", "sqlite:\(data)", "--writers", "4", "--seconds", "120",
                                    "--queries", "0", "--keep", "--ack-log", log]
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let started = Date()
        var lines = 0
        while lines < 100 && Date().timeIntervalSince(started) < 60 && child.isRunning {
            try await Task.sleep(for: .milliseconds(100))
            lines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        #expect(child.isRunning, "the writer process ended before it was killed")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)

        var acked: [String: (version: Int, ovn: String)] = [:]
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count == 3, let v = Int(f[1]) else { continue } // a torn last line is possible
            if v > (acked[String(f[0])]?.version ?? 0) { acked[String(f[0])] = (v, String(f[2])) }
        }
        #expect(acked.count == 4)
        #expect(acked.values.reduce(0) { $0 + $1.version } >= 100)
        let store = try SQLiteIntentStore(directory: data)
        for (id, a) in acked {
            let stored = try #require(try await store.get(id: id), "\(id) lost")
            // Each writer is sequential: the store holds the last acked version, or the one
            // accepted after it whose acknowledgement the kill cut off.
            #expect(stored.version == a.version || stored.version == a.version + 1, "\(id): acked v\(a.version), stored v\(stored.version)")
            if stored.version == a.version { #expect(stored.ovn == a.ovn) }
        }
        try await store.close()
    }
}
