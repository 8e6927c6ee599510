import DeconflictCore
import Foundation
import GRDB

/// Group commit for the SQLite store's single writer.
///
/// Writes queue up; one drainer at a time opens ONE write transaction and applies queued writes
/// one after another (each in a savepoint, each decided by the rules against everything applied
/// before it, in this transaction or earlier). A refused write changed nothing, so its refusal
/// is answered at once — the writer can retry with the OVNs it lists while the transaction is
/// still open, and that retry joins the same batch. Accepted writes are answered only after
/// the transaction has COMMITTED (with synchronous=FULL: after the fsync), so an acknowledged
/// write is durable, and one fsync covers the whole batch.
///
/// Serial order = application order; every write's check sees all writes applied before it,
/// and nothing can slip between a check and its write (they run back to back on the writer).
/// A refusal may name an OVN from the still-open batch; if that batch then failed to commit,
/// a retry with it is simply refused again (refusals never change state).
final class SQLiteWriteBatcher: Sendable {
    struct Request: Sendable {
        let write: IntentWrite
        let writer: String
        let continuation: CheckedContinuation<WriteResult, any Error>
    }

    private let pool: DatabasePool
    private let state = Locked()
    /// Most writes applied in one transaction.
    static let maxBatch = 256
    /// How long an open batch waits for the retry of a writer it refused for missing keys,
    /// seconds (per wait; any arrival restarts it).
    static let linger = 0.000_5

    init(pool: DatabasePool) { self.pool = pool }

    func submit(_ write: IntentWrite, writer: String) async throws -> WriteResult {
        try await withCheckedThrowingContinuation { cont in
            if state.enqueue(Request(write: write, writer: writer, continuation: cont)) {
                Task.detached { await self.drain() }
            }
        }
    }

    /// Runs batches until the queue is empty, then steps down (under the lock, so a request
    /// enqueued meanwhile either is taken by this drainer or starts a new one).
    private func drain() async {
        while true {
            do {
                try await pool.writeWithoutTransaction { db in
                    var accepted: [(Request, WriteResult)] = []
                    do {
                        try db.inTransaction(.immediate) {
                            accepted = self.fill(db)
                            return .commit
                        }
                    } catch {
                        let e = StoreError.database("write transaction: \(error)")
                        for (r, _) in accepted { r.continuation.resume(throwing: e) }
                        // BEGIN itself failed: fail what is queued rather than spin on it.
                        if accepted.isEmpty { for r in self.state.takeAll() { r.continuation.resume(throwing: e) } }
                        return
                    }
                    for (r, res) in accepted { r.continuation.resume(returning: res) }
                }
            } catch {
                // The writer itself failed (store closed, BEGIN failed): fail what is queued.
                let e = StoreError.database("\(error)")
                for r in state.takeAll() { r.continuation.resume(throwing: e) }
            }
            if state.stepDownIfEmpty() { return }
        }
    }

    /// Applies queued writes inside the open transaction; answers refusals at once; returns
    /// the accepted ones (to be answered after commit). While a writer refused for missing keys
    /// has not come back yet, it waits (on a condition variable, up to ``linger`` per wait) for
    /// its retry, so that the retry joins this batch instead of waiting for the next fsync.
    private func fill(_ db: Database) -> [(Request, WriteResult)] {
        var accepted: [(Request, WriteResult)] = []
        var awaitingRetry = Set<String>()
        while accepted.count < Self.maxBatch {
            var batch = state.takeAll()
            if batch.isEmpty {
                if accepted.isEmpty || awaitingRetry.isEmpty { break }
                batch = state.waitAndTakeAll(timeout: Self.linger)
                if batch.isEmpty { break }
            }
            for r in batch {
                awaitingRetry.remove(r.write.intentID)
                do {
                    let result = try SQLiteIntentStore.apply(r.write, writer: r.writer, savepoint: true, db)
                    if result.isAccepted {
                        accepted.append((r, result))
                    } else {
                        if case .missingKeys = result.refusal { awaitingRetry.insert(r.write.intentID) }
                        r.continuation.resume(returning: result)
                    }
                } catch {
                    r.continuation.resume(throwing: error as? StoreError ?? StoreError.database("\(error)"))
                }
            }
        }
        return accepted
    }

    /// The queue and the "a drainer is running" flag, behind a lock.
    private final class Locked: @unchecked Sendable {
        private let lock = NSCondition()
        private var queue: [Request] = []
        private var draining = false

        /// Adds a request; true if the caller must start a drainer.
        func enqueue(_ r: Request) -> Bool {
            lock.lock(); defer { lock.unlock() }
            queue.append(r)
            if draining { lock.signal(); return false }
            draining = true
            return true
        }

        func takeAll() -> [Request] {
            lock.lock(); defer { lock.unlock() }
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }

        /// Waits up to `timeout` seconds for a request if none is queued, then takes all.
        func waitAndTakeAll(timeout: Double) -> [Request] {
            lock.lock(); defer { lock.unlock() }
            if queue.isEmpty { _ = lock.wait(until: Date(timeIntervalSinceNow: timeout)) }
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }

        /// True (and no longer draining) if nothing is queued.
        func stepDownIfEmpty() -> Bool {
            lock.lock(); defer { lock.unlock() }
            if queue.isEmpty { draining = false; return true }
            return false
        }
    }
}
