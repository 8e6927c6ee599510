-- migration 7: ledger entries and checkpoint
-- The transparency log (docs/ledger.md): one row per entry (the public entry, its leaf hash,
-- and for the parties it concerns the full event and the salt of its commitment), and the
-- latest signed checkpoint, written in the same transaction as the entries it covers.
CREATE TABLE ledger_entries (
    idx BIGINT PRIMARY KEY,
    entry BYTEA NOT NULL,
    leaf_hash BYTEA NOT NULL,
    event BYTEA NOT NULL,
    salt BYTEA NOT NULL
)
;
CREATE TABLE ledger_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL,
    note TEXT NOT NULL
)
;
