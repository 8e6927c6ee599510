import Foundation

/// Makes committed WAL frames durable OFF the writer: the store's connections run with
/// `synchronous=NORMAL` (a COMMIT appends its frames to the WAL file with write(2) and returns;
/// no fsync), and with ``SQLiteDurability/full`` an accepted write is acknowledged only after an
/// `fdatasync(2)` of the WAL file that STARTED after its COMMIT returned — so every acknowledged
/// write's frames, commit marker and the WAL header are on stable storage, as with
/// `synchronous=FULL`. The difference: the writer does not wait for the disk; it decides and
/// commits the next batch while syncs run (pipelined group commit: one fdatasync covers every
/// commit made before it began). Up to ``maxInFlight`` syncs run at once, so a commit made
/// while a sync is running need not wait for it to finish before its own sync starts.
///
/// A commit becomes visible to readers before it is durable. Anything that depends on it —
/// a later write presenting its OVN — comes later in the same WAL, so it is durable only if
/// the first one is; a power loss in between loses both, and neither was acknowledged.
final class SQLiteWALSync: @unchecked Sendable {
    private let fd: Int32
    /// Most fdatasyncs running at once.
    static let maxInFlight = 3
    /// One serial queue per concurrent sync (each gets its own thread when busy).
    private let queues = (0..<SQLiteWALSync.maxInFlight).map {
        DispatchQueue(label: "deconflict.sqlite.walsync.\($0)", qos: .userInitiated)
    }
    private let lock = NSLock()
    private var pending: [@Sendable ((any Error)?) -> Void] = []
    private var idleQueues = Array(0..<SQLiteWALSync.maxInFlight)
    private var completed = 0

    /// Opens the WAL file of the database at `databasePath` (it must exist: open the pool first).
    init(databasePath: String) throws {
        let walPath = databasePath + "-wal"
        fd = open(walPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError.configuration("cannot open the WAL file \(walPath): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    /// Calls `done` after an fdatasync of the WAL that began after this call (nil) or failed
    /// (the error). Call it after the commit returned.
    func afterSync(_ done: @escaping @Sendable ((any Error)?) -> Void) {
        lock.lock()
        pending.append(done)
        let q = idleQueues.popLast()
        lock.unlock()
        if let q { queues[q].async { self.run(q) } }
    }

    /// Waits for an fdatasync of the WAL that began after this call.
    func sync() async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            afterSync { e in if let e { c.resume(throwing: e) } else { c.resume() } }
        }
    }

    /// Syncs the WAL on the calling thread (after migrations).
    func syncNow() throws {
        if let error = datasync() { throw error }
    }

    /// One fdatasync of the WAL: nil, or the error.
    private func datasync() -> StoreError? {
        fdatasync(fd) == 0 ? nil : StoreError.database("fdatasync of the WAL failed: \(String(cString: strerror(errno)))")
    }

    /// Syncs done so far (tests).
    var syncCount: Int { lock.lock(); defer { lock.unlock() }; return completed }

    /// Syncs for whatever is pending, until nothing is; then queue `q` is idle again.
    private func run(_ q: Int) {
        while true {
            lock.lock()
            let batch = pending
            pending.removeAll()
            if batch.isEmpty { idleQueues.append(q); lock.unlock(); return }
            lock.unlock()
            let error = datasync()
            lock.lock(); completed += 1; lock.unlock()
            for done in batch { done(error) }
        }
    }
}
