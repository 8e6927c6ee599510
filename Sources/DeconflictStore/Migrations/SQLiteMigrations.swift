import GRDB

/// The SQLite schema, as versioned migrations: the files in `Migrations/sqlite/`, embedded in the
/// binary (Package.swift), one per version, in order (format: ``Migration/init(file:sql:)``; see
/// docs/store.md), plus the steps that need Swift. A new version is a new file added here.
enum SQLiteMigrations {
    static let all: [Migration] = Migration.load([
        ("sqlite-v1-intents-rtree.sql", PackageResources.sqlite_v1_intents_rtree_sql),
        ("sqlite-v2-owner-end-index.sql", PackageResources.sqlite_v2_owner_end_index_sql),
        ("sqlite-v3-cell-index.sql", PackageResources.sqlite_v3_cell_index_sql),
    ])

    /// Steps that need Swift (decoding bodies), run after the version's statements, in the
    /// same transaction.
    static let swiftSteps: [Int: @Sendable (Database) throws -> Void] = [
        3: { db in try SQLiteRows.backfillCells(db) },
    ]
}
