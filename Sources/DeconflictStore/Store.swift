/// The store adapter: intents (and later the ledger) on SQLite via GRDB (embedded default)
/// or PostgreSQL via postgres-nio, behind one protocol. Filled in by issue #4.
public enum DeconflictStoreModule {}
