/// One versioned schema step. Versions are applied in ascending order, each exactly once;
/// the applied versions are recorded in the `schema_migrations` table of the database, so
/// running the migrator again is a no-op (idempotent).
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    /// SQL statements run in order inside the migration's transaction.
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

extension Array where Element == Migration {
    /// Checks that versions are strictly increasing and unique (a programming error otherwise).
    func validatedOrder() throws -> [Migration] {
        var last = Int.min
        for m in self {
            guard m.version > last else {
                throw StoreError.migration("migration versions must be strictly increasing (\(m.version) after \(last))")
            }
            last = m.version
        }
        return self
    }

    /// The migrations still to apply, given the versions already recorded.
    func pending(applied: Set<Int>) -> [Migration] {
        filter { !applied.contains($0.version) }
    }
}
