import Foundation
import GRDB

/// The store's read-only connections for its hot reads (key reads, area queries, gets): GRDB
/// `DatabaseQueue`s opened read-only on the same file, handed out by a small lock-protected
/// free list. Not the `DatabasePool`'s readers: before every read the pool runs
/// `PRAGMA schema_version` in a read transaction of its own (a second WAL snapshot, and after
/// any commit a second page-cache reset) and looks up a free reader through generic code that
/// builds key paths at run time — together ~15 % of all CPU in the hot-area benchmark, more
/// than the reads' own queries. The schema never changes while a store is open (migrations
/// run before), so the check buys nothing here.
///
/// A read runs synchronously on the calling thread and never suspends while it holds a
/// connection, so a caller that finds all `limit` connections busy waits only for reads that
/// are already running.
final class SQLiteReaders: @unchecked Sendable {
    private let path: String
    private let configuration: Configuration
    private let limit: Int
    private let lock = NSCondition()
    private var free: [DatabaseQueue] = []
    private var all: [DatabaseQueue] = []
    private var closed = false

    init(path: String, configuration: Configuration, limit: Int) {
        var c = configuration
        c.readonly = true
        c.label = (configuration.label ?? "sqlite") + ".reader"
        self.path = path
        self.configuration = c
        self.limit = max(1, limit)
    }

    /// Runs `body` on a free read-only connection.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let q = try take()
        defer { give(q) }
        return try q.unsafeRead(body)
    }

    private func take() throws -> DatabaseQueue {
        lock.lock(); defer { lock.unlock() }
        while true {
            if closed { throw StoreError.database("the store is closed") }
            if let q = free.popLast() { return q }
            if all.count < limit {
                // At most `limit` times per store: opened under the lock, simply.
                let q = try DatabaseQueue(path: path, configuration: configuration)
                all.append(q)
                return q
            }
            lock.wait()
        }
    }

    private func give(_ q: DatabaseQueue) {
        lock.lock()
        free.append(q)
        lock.signal()
        lock.unlock()
    }

    /// Closes every connection (waiting for none: call when no read is running).
    func close() throws {
        lock.lock()
        closed = true
        let qs = all
        all = []
        free = []
        lock.broadcast()
        lock.unlock()
        for q in qs { try q.close() }
    }
}
