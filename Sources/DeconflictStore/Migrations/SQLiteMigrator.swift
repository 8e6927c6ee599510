import GRDB

/// Applies ``SQLiteMigrations`` in version order, each in its own write transaction,
/// recording each version in `schema_migrations`. Safe to run on every open.
enum SQLiteMigrator {
    static func migrate(_ writer: any DatabaseWriter, migrations: [Migration] = SQLiteMigrations.all,
                        steps: [Int: @Sendable (Database) throws -> Void] = SQLiteMigrations.swiftSteps) throws {
        let ordered = try migrations.validatedOrder()
        try writer.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)
                """)
        }
        for m in ordered {
            try writer.write { db in
                // Re-read inside the write transaction: the single writer makes check+apply atomic.
                let done = try Bool.fetchOne(db, sql: "SELECT 1 FROM schema_migrations WHERE version = ?",
                                             arguments: [m.version]) ?? false
                if done { return }
                for sql in m.statements { try db.execute(sql: sql) }
                try steps[m.version]?(db)
                try db.execute(sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, julianday('now'))",
                               arguments: [m.version, m.name])
            }
        }
    }

    static func appliedVersions(_ reader: any DatabaseReader) throws -> [Int] {
        try reader.read { db in try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version") }
    }
}
