import ArgumentParser
import DeconflictLedger
import DeconflictServer
import DeconflictStore
import Foundation

/// `deconflict bench ledger`: the transparency log's sequencer on a real store.
struct BenchLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Ledger appends/s with signed checkpoints and fsync, append → receipt latency at a fixed rate, proofs at 10⁶ entries.",
        discussion: """
        On a fresh store (--store: sqlite in a temporary directory, or a postgres URL): \
        (1) --writers concurrent writers append for --seconds (each append waits for its \
        receipt: durable, in a signed checkpoint); (2) appends arrive at --rate per second for \
        --seconds, each timed from submission to receipt; (3) the log is filled to --entries and \
        inclusion and consistency proofs are made and checked, the log reopened (start-up \
        load) and a full verification run. JSON on stdout.
        """
    )

    @Option(help: "Store: sqlite (a temporary directory) or a postgres:// URL (its schema is dropped after).") var store = "sqlite"
    @Option(help: "Concurrent writers in the throughput phase.") var writers = 256
    @Option(help: "Seconds per timed phase.") var seconds = 10.0
    @Option(help: "Appends per second in the latency phase.") var rate = 1_000.0
    @Option(help: "Entries for the proof phase.") var entries = 1_000_000

    func validate() throws {
        guard (1...10_000).contains(writers) else { throw ValidationError("--writers must be 1…10000") }
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        guard rate > 0, rate <= 100_000 else { throw ValidationError("--rate must be in (0, 100000]") }
        guard (0...10_000_000).contains(entries) else { throw ValidationError("--entries must be 0…10⁷") }
    }

    static func submission(_ i: Int) -> LedgerSubmission {
        // About the size of a real track-batch event.
        LedgerSubmission(kind: "tracks.accepted", actor: "blue", concerns: ["blue"],
                         event: Array(#"{"applied":100,"body_sha256":"\#(String(repeating: "ab", count: 32))","duplicates":0,"party":"blue","reports":\#(i)}"#.utf8))
    }

    func run() async throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("deconflict-bench-ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        var location = try StoreSelection.location(store, dataDirectory: tmp)
        if case var .postgres(s) = location {
            s.schema = "bench_ledger_" + UUID().uuidString.prefix(8).lowercased()
            location = .postgres(s)
        }
        let signer = try NoteSigner(name: "bench.local/v1/ledger")
        let storage = try await LedgerStorageSelection.open(location)
        let ledger = try await Ledger(storage: storage, signer: signer)
        // The ledger's own file, not the intents' that the location's description names.
        let shown: String
        if case let .sqlite(dir) = location { shown = "sqlite:" + (dir as NSString).appendingPathComponent(SQLiteLedgerStorage.fileName) } else { shown = location.description }
        Terminal.err("bench ledger on \(shown)")

        // (1) Sustained throughput: every writer waits for its receipt, then appends again.
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        let counts = try await withThrowingTaskGroup(of: Int.self) { g in
            for w in 0..<writers {
                g.addTask {
                    var n = 0
                    while ContinuousClock.now < deadline {
                        _ = try await ledger.append(Self.submission(w * 1_000_000 + n))
                        n += 1
                    }
                    return n
                }
            }
            return try await g.reduce(0, +)
        }
        let elapsed = (ContinuousClock.now - start).milliseconds / 1000
        let throughput = Double(counts) / elapsed
        Terminal.err(String(format: "throughput: %d appends in %.1f s = %.0f/s (%d writers, each waiting for its receipt)", counts, elapsed, throughput, writers))

        // (2) Latency at a fixed rate: submission → receipt.
        var lat = LatencyStats()
        let n = Int(rate * seconds)
        let t0 = ContinuousClock.now
        let samples = try await withThrowingTaskGroup(of: Double.self) { g in
            for i in 0..<n {
                let due = t0 + .seconds(Double(i) / rate)
                try await Task.sleep(until: due, clock: .continuous)
                g.addTask {
                    let s = ContinuousClock.now
                    _ = try await ledger.append(Self.submission(i))
                    return (ContinuousClock.now - s).milliseconds
                }
            }
            var out: [Double] = []
            for try await v in g { out.append(v) }
            return out
        }
        for v in samples { lat.add(v) }
        Terminal.err(String(format: "latency at %.0f/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d appends)", rate, lat.percentile(50), lat.percentile(99), lat.percentile(100), lat.count))

        // (3) Fill to --entries, then proofs, reopen and verify.
        let fillStart = ContinuousClock.now
        var size = Int(ledger.size)
        var bar = ProgressBar("fill", total: entries)
        while size < entries {
            let k = min(4096, entries - size)
            _ = try await ledger.appendAll((size..<(size + k)).map(Self.submission))
            size += k
            bar.update(size)
        }
        bar.finish()
        let fillS = (ContinuousClock.now - fillStart).milliseconds / 1000
        let final = ledger.size
        var proofLen = 0, proofUs = 0.0, checkUs = 0.0, consLen = 0, consUs = 0.0
        if final > 0 {
            let cp = try Checkpoint.open(ledger.checkpoint, verifier: signer.verifier)
            let rounds = 1000
            var rng = SystemRandomNumberGenerator()
            var receipts: [Receipt] = []
            let ps = ContinuousClock.now
            for _ in 0..<rounds {
                let i = UInt64.random(in: 0..<final, using: &rng)
                receipts.append(ledger.receipt(index: i, entry: [])!)
            }
            proofUs = (ContinuousClock.now - ps).milliseconds * 1000 / Double(rounds)
            proofLen = receipts.map(\.proof.count).max() ?? 0
            let leaves = try await receipts.asyncMap { try await ledger.entry($0.index)!.leafHash }
            let cs = ContinuousClock.now
            for (r, leaf) in zip(receipts, leaves) {
                guard Merkle.verifyInclusion(leaf: leaf, index: r.index, size: cp.size, proof: r.proof, root: cp.root) else {
                    throw CLIError("inclusion proof for \(r.index) did not verify")
                }
            }
            checkUs = (ContinuousClock.now - cs).milliseconds * 1000 / Double(rounds)
            let old = final / 3 + 1
            let xs = ContinuousClock.now
            let proof = ledger.consistencyProof(old: old, new: final)!
            consUs = (ContinuousClock.now - xs).milliseconds * 1000
            consLen = proof.count
        }
        try await ledger.close()
        let reopenStart = ContinuousClock.now
        let reopened = try await Ledger(storage: try await LedgerStorageSelection.open(location), signer: signer)
        let reopenS = (ContinuousClock.now - reopenStart).milliseconds / 1000
        let verifyStart = ContinuousClock.now
        _ = try await LedgerVerifier(verifier: signer.verifier).verify(LedgerServing(reopened))
        let verifyS = (ContinuousClock.now - verifyStart).milliseconds / 1000
        try await reopened.close()
        // The PostgreSQL schema was the benchmark's own: dropped (both clients above are closed).
        if case let .postgres(settings) = location {
            let pg = try await PostgresLedgerStorage(settings: settings)
            try? await pg.dropSchema()
            try? await pg.close()
        }
        Terminal.err(String(format: "%llu entries (filled in %.1f s): inclusion proof %d hashes (%d bytes), made in %.1f µs, checked in %.1f µs; consistency proof %d hashes in %.0f µs; reopen %.2f s; full verify %.2f s",
                            final, fillS, proofLen, proofLen * 32, proofUs, checkUs, consLen, consUs, reopenS, verifyS))
        print(#"{"store":"\#(shown)","writers":\#(writers),"appends":\#(counts),"appends_per_s":\#(Int(throughput)),"rate":\#(rate),"latency_p50_ms":\#(String(format: "%.2f", lat.percentile(50))),"latency_p99_ms":\#(String(format: "%.2f", lat.percentile(99))),"latency_max_ms":\#(String(format: "%.2f", lat.percentile(100))),"entries":\#(final),"fill_s":\#(String(format: "%.2f", fillS)),"inclusion_proof_hashes":\#(proofLen),"inclusion_proof_us":\#(String(format: "%.2f", proofUs)),"inclusion_check_us":\#(String(format: "%.2f", checkUs)),"consistency_proof_hashes":\#(consLen),"consistency_proof_us":\#(String(format: "%.1f", consUs)),"reopen_s":\#(String(format: "%.2f", reopenS)),"verify_s":\#(String(format: "%.2f", verifyS))}"#)
    }
}

extension Sequence {
    func asyncMap<T>(_ f: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await f(e)) }
        return out
    }
}
