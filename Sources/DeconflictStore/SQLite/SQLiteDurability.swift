/// How hard an acknowledged SQLite write is pushed to disk (WAL mode either way; the
/// connections run with `synchronous=NORMAL`, so a COMMIT itself never waits for the disk).
public enum SQLiteDurability: String, Sendable, CaseIterable {
    /// An accepted write is acknowledged only after an fdatasync of the WAL that began after
    /// its commit (``SQLiteWALSync``, off the writer thread, one sync for many commits): it
    /// survives a process kill AND an OS crash or power loss — what `synchronous=FULL` gives,
    /// without stalling the writer. The default.
    case full
    /// Acknowledged when the commit is in the WAL file (the kernel's page cache); fsync'ed at
    /// checkpoints. Survives `kill -9` of the process (the kernel holds the bytes), but the
    /// last commits may be lost on an OS crash or power loss.
    case normal
}
