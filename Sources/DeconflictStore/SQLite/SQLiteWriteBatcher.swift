import DeconflictCore
import Foundation
import GRDB

/// Group commit for the SQLite store's single writer.
///
/// Writes queue up; one drainer at a time opens ONE write transaction and applies every queued
/// write one after another (each accepted one in a savepoint, each decided by the rules against
/// everything applied before it, in this transaction or earlier), taking newly queued writes
/// until the queue is empty or ``maxBatch`` were accepted, then commits. A refused write changed nothing, so its refusal is
/// answered at once. Accepted writes are answered only after the transaction has COMMITTED and
/// — with ``SQLiteDurability/full`` — after an fdatasync of the WAL that began after the commit
/// (``SQLiteWALSync``, on its own threads: the writer goes on with the next batch meanwhile, and
/// one fdatasync covers every batch committed before it began).
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
    private let walSync: SQLiteWALSync?
    private let cache: SQLiteWriterCache
    private let state = Locked()
    /// Most accepted writes in one transaction. Bounded: every write in a batch waits for the
    /// batch's last one before it can be acknowledged (and before readers see it). In the
    /// hot-area benchmark (8 writers, so batches rarely reach it) 16 and 8 were within the
    /// noise of each other and 2–6 % above 4 once the writer read from its cache (docs/store.md).
    static let maxBatch = 16

    init(pool: DatabasePool, walSync: SQLiteWALSync?, cache: SQLiteWriterCache) {
        self.pool = pool
        self.walSync = walSync
        self.cache = cache
    }

    func submit(_ write: IntentWrite, writer: String) async throws -> WriteResult {
        try await withCheckedThrowingContinuation { cont in
            if state.enqueue(Request(write: write, writer: writer, continuation: cont)) {
                Thread.detachNewThread { self.drain() }
            }
        }
    }

    /// The drainer: its own thread, which runs batches while writes keep coming and steps down
    /// after ``idle`` seconds without one (under the lock, so a request enqueued meanwhile is
    /// either taken by this drainer or starts a new one). Its own thread, not a task: GRDB's
    /// synchronous write runs the batch on the calling thread, so a queued write costs one
    /// wake-up, not a task start plus a hop to GRDB's writer queue.
    private func drain() {
        while state.waitForWork(idle: Self.idle) {
            pool.writeWithoutTransaction { db in
                var accepted: [(Request, WriteResult)] = []
                do {
                    try RawStatement.transaction(db, begin: "BEGIN IMMEDIATE") {
                        try self.cache.validate(db)
                        accepted = self.fill(db)
                    }
                } catch {
                    // BEGIN or COMMIT failed (e.g. the store was closed): everything was rolled
                    // back. Fail the accepted writes, and what is queued rather than spin on it.
                    self.cache.clear()
                    let e = StoreError.database("write transaction: \(error)")
                    for (r, _) in accepted { r.continuation.resume(throwing: e) }
                    if accepted.isEmpty { for r in self.state.takeAll() { r.continuation.resume(throwing: e) } }
                    return
                }
                self.acknowledge(accepted)
            }
        }
    }

    /// How long the drainer thread waits for another write before it ends, seconds.
    static let idle = 0.2

    /// Answers committed writes: at once, or after the WAL sync (durability full).
    private func acknowledge(_ accepted: [(Request, WriteResult)]) {
        guard !accepted.isEmpty else { return }
        guard let walSync else {
            for (r, res) in accepted { r.continuation.resume(returning: res) }
            return
        }
        walSync.afterSync { error in
            for (r, res) in accepted {
                if let error { r.continuation.resume(throwing: error) } else { r.continuation.resume(returning: res) }
            }
        }
    }

    /// Applies queued writes inside the open transaction until the queue is empty or
    /// ``maxBatch`` were accepted; answers
    /// refusals at once; returns the accepted ones (to be answered after commit). No waiting:
    /// a commit costs no fsync on this thread, so a refused writer's retry simply joins the
    /// next batch.
    private func fill(_ db: Database) -> [(Request, WriteResult)] {
        var accepted: [(Request, WriteResult)] = []
        while accepted.count < Self.maxBatch {
            guard let r = state.takeFirst() else { break }
            do {
                let result = try SQLiteIntentStore.apply(r.write, writer: r.writer, savepoint: true, cache: cache, db)
                if result.isAccepted {
                    accepted.append((r, result))
                } else {
                    r.continuation.resume(returning: result)
                }
            } catch {
                r.continuation.resume(throwing: error as? StoreError ?? StoreError.database("\(error)"))
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

        /// For the drainer: true when a request is queued; false (and no longer draining) if
        /// none came for `idle` seconds.
        func waitForWork(idle: Double) -> Bool {
            lock.lock(); defer { lock.unlock() }
            let deadline = Date(timeIntervalSinceNow: idle)
            while queue.isEmpty {
                if !lock.wait(until: deadline), queue.isEmpty { draining = false; return false }
            }
            return true
        }

        func takeFirst() -> Request? {
            lock.lock(); defer { lock.unlock() }
            return queue.isEmpty ? nil : queue.removeFirst()
        }

        func takeAll() -> [Request] {
            lock.lock(); defer { lock.unlock() }
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }

    }
}
