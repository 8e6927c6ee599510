import Foundation
import Logging
import PostgresNIO

/// Durability of the batch applies' asynchronous commits: `deconflict_apply_batch` commits
/// without waiting for the WAL flush (so its locks are not held across the disk write), and
/// the store acknowledges an applied write only after `flushed()` returned.
///
/// `flushed()` waits for a flush that BEGAN after the call: a `SELECT txid_current()` in
/// autocommit on a connection with the default `synchronous_commit = on` assigns a
/// transaction id, so its commit writes a commit record — after the caller's (which was in
/// the WAL before the caller's statement returned) — and waits until the WAL is flushed up to
/// it, which covers the caller's commit. One such flush runs at a time and answers every
/// caller that arrived before it began: under load one flush serves many writes (the same
/// pipelining as SQLiteWALSync). If the flush fails, its callers get the error (their writes
/// may or may not survive a crash: not acknowledged).
final class PostgresWALFlush: @unchecked Sendable {
    private let client: PostgresClient
    private let logger: Logger
    private let lock = NSLock()
    private var running = false
    private var next: [CheckedContinuation<Void, any Error>] = []
    private var count = 0

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Flushes done so far (tests).
    var flushes: Int { lock.withLock { count } }

    /// Returns once the WAL is flushed past everything committed before the call.
    func flushed() async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let start: Bool = lock.withLock {
                next.append(c)
                if running { return false }
                running = true
                return true
            }
            if start { Task { await self.run() } }
        }
    }

    private func run() async {
        while true {
            let batch: [CheckedContinuation<Void, any Error>] = lock.withLock {
                let b = next
                next = []
                if b.isEmpty { running = false }
                return b
            }
            if batch.isEmpty { return }
            do {
                _ = try await client.query("SELECT txid_current()", logger: logger).collect()
                lock.withLock { count += 1 }
                for c in batch { c.resume() }
            } catch {
                for c in batch { c.resume(throwing: StoreError.database("WAL flush: \(String(reflecting: error))")) }
            }
        }
    }
}
