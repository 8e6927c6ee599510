import Logging
import PostgresNIO

/// Applies ``PostgresMigrations`` in version order, each in its own transaction, under an
/// advisory lock so concurrent processes migrating the same schema apply each version once.
enum PostgresMigrator {
    static let lockKey: Int64 = LockKeys.namespace | 0xFFFF_FFFF

    static func migrate(_ client: PostgresClient, schema: String, logger: Logger,
                        migrations: [Migration] = PostgresMigrations.all) async throws {
        let ordered = try migrations.validatedOrder()
        try await client.withTransaction(logger: logger) { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await conn.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\""), logger: logger)
            try await conn.query(PostgresQuery(unsafeSQL: """
                CREATE TABLE IF NOT EXISTS "\(schema)".schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """), logger: logger)
        }
        for m in ordered {
            try await client.withTransaction(logger: logger) { conn in
                try await conn.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                try await conn.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \"\(schema)\""), logger: logger)
                let rows = try await conn.query("SELECT version FROM schema_migrations WHERE version = \(m.version)", logger: logger)
                var done = false
                for try await _ in rows { done = true }
                if done { return }
                for sql in m.statements {
                    try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                }
                try await conn.query("INSERT INTO schema_migrations (version, name) VALUES (\(m.version), \(m.name))",
                                     logger: logger)
            }
        }
    }

    static func appliedVersions(_ client: PostgresClient, schema: String, logger: Logger) async throws -> [Int] {
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT version FROM \"\(schema)\".schema_migrations ORDER BY version"), logger: logger)
        var out: [Int] = []
        for try await v in rows.decode(Int.self) { out.append(v) }
        return out
    }
}
