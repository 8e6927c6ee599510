import DeconflictLedger
import DeconflictStore
@testable import DeconflictCLI
import Foundation
import Testing

/// A real `kill -9` of `deconflict serve` while a client posts track batches and writes
/// intents, three times over: after each restart every write that got a receipt is in the
/// log, its receipt holds against the new checkpoint, and the whole log verifies.
@Suite struct LedgerKillNineTests {
    static var binary: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("deconflict").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: a.sin_port))
    }

    static func output(_ bin: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func receiptsSurviveKill9() async throws {
        let bin = try #require(Self.binary, "the deconflict executable is not built next to the tests")
        let dir = TestServer.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let blue = try Self.output(bin, ["party", "add", "blue", "--data", dir.path])
        let vkey = try NoteVerifier(vkey: try Self.output(bin, ["ledger", "key", "--data", dir.path]))
        var receipts: [Receipt] = []
        for round in 0..<3 {
            let port = Self.freePort()
            let server = Process()
            server.executableURL = URL(fileURLWithPath: bin)
            server.arguments = ["serve", "--data", dir.path, "--port", "\(port)", "--log-level", "error"]
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            let http = HTTP(port: port, timeout: .seconds(5))
            var up = false
            for _ in 0..<100 where !up {
                up = (try? await http.get("/health"))?.status == 200
                if !up { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(up, "serve did not come up")
            // Whatever the log holds now must include every receipt from before the kill.
            let client = try ServiceClient(base: "http://127.0.0.1:\(port)/v1/ledger", token: blue, caFile: nil)
            let ok = try await LedgerVerifier(verifier: vkey).verify(HTTPSource(client: client), receipts: receipts)
            #expect(ok.checked.count == receipts.count, "round \(round)")
            // Writers post until the kill: 4 concurrent loops of track batches and intent writes.
            let collected = ReceiptBox()
            let writers = Task {
                await withTaskGroup(of: Void.self) { g in
                    for w in 0..<4 {
                        g.addTask {
                            var i = 0
                            while !Task.isCancelled {
                                i += 1
                                let reply: HTTP.Reply?
                                if w == 0 {
                                    reply = try? await http.request(.put, "/v1/intents/k\(round)-\(i)", token: blue,
                                                                    body: IntentBody.put([IntentBody.circle(lon: 8 + Double(i) * 0.05)]))
                                } else {
                                    reply = try? await http.post("/v1/tracks", token: blue, body: Body.batch([
                                        Body.report("K\(w)", time: Date().timeIntervalSince1970 - 1, lat: 47 + Double(i) * 1e-4, lon: 8)]))
                                }
                                if let reply, reply.status < 300, let r = try? LedgerServerTests.receipt(reply.object) { collected.add(r) }
                            }
                        }
                    }
                }
            }
            while collected.count < 50 && server.isRunning {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            writers.cancel()
            _ = await writers.value
            await client.shutdown()
            #expect(server.terminationReason == .uncaughtSignal)
            receipts += collected.all
        }
        #expect(receipts.count >= 150)
        // A last start: everything verifies, from the files too.
        try await LedgerCommand.Verify.parse([dir.path, "--vkey", vkey.vkey]).run()
        let rows = try await {
            let storage = try SQLiteLedgerStorage(directory: dir.path)
            defer { Task { try? await storage.close() } }
            let (_, note) = try await storage.load()
            return try LedgerVerifier(verifier: vkey).verifyStored(try await storage.entries(from: 0, count: .max), checkpoint: note!, receipts: receipts)
        }()
        #expect(rows.checked.count == receipts.count)
    }
}

final class ReceiptBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Receipt] = []
    func add(_ r: Receipt) { lock.withLock { items.append(r) } }
    var count: Int { lock.withLock { items.count } }
    var all: [Receipt] { lock.withLock { items } }
}
