/// The PostgreSQL schema, as versioned migrations: the files in `Migrations/postgres/`, embedded
/// in the binary (Package.swift), one per version, in order (format: ``Migration/init(file:sql:)``;
/// see docs/store.md). A new version is a new file added here.
enum PostgresMigrations {
    static let all: [Migration] = Migration.load([
        ("pg-v1-intents-gist-lock-function.sql", PackageResources.pg_v1_intents_gist_lock_function_sql),
        ("pg-v2-owner-end-index.sql", PackageResources.pg_v2_owner_end_index_sql),
        ("pg-v3-cell-index.sql", PackageResources.pg_v3_cell_index_sql),
        ("pg-v4-candidate-query-validated-apply.sql", PackageResources.pg_v4_candidate_query_validated_apply_sql),
        ("pg-v5-apply-without-wal-wait.sql", PackageResources.pg_v5_apply_without_wal_wait_sql),
        ("pg-v6-batch-apply.sql", PackageResources.pg_v6_batch_apply_sql),
        ("pg-v7-ledger.sql", PackageResources.pg_v7_ledger_sql),
    ])
}
