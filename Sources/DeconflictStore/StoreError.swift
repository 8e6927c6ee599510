/// Infrastructure failures (the store could not do its job). Rule outcomes — refusals —
/// are not errors: they come back as ``PutResult/refused(_:)`` / ``DeleteResult``.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case configuration(String)
    /// A store string (``StoreLocation/init(parsing:dataDirectory:environment:)``) that names
    /// no store kind.
    case unknownStore(String)
    case migration(String)
    case database(String)
    case corruptRecord(id: String, reason: String)
    case closed

    public var description: String {
        switch self {
        case .configuration(let s): return "store configuration: \(s)"
        case .unknownStore(let s):
            return "store configuration: unknown store '\(s)': use \(StoreLocation.choices)"
        case .migration(let s): return "schema migration: \(s)"
        case .database(let s): return "database: \(s)"
        case .corruptRecord(let id, let reason): return "stored intent \(id) unreadable: \(reason)"
        case .closed: return "store is closed"
        }
    }
}
