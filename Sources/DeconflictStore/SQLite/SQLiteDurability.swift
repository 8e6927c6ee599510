/// How hard an acknowledged SQLite write is pushed to disk (WAL mode either way).
public enum SQLiteDurability: String, Sendable, CaseIterable {
    /// `synchronous=FULL`: the WAL is fsync'ed before every commit returns. An acknowledged
    /// write survives a process kill AND an OS crash or power loss. The default.
    case full
    /// `synchronous=NORMAL`: a commit is written to the WAL file (the kernel's page cache)
    /// before it returns, and fsync'ed at checkpoints. An acknowledged write survives
    /// `kill -9` of the process (the kernel holds the bytes), but the last commits may be
    /// lost on an OS crash or power loss. Several times faster for a contended hot area.
    case normal

    var pragma: String { self == .full ? "FULL" : "NORMAL" }
}
