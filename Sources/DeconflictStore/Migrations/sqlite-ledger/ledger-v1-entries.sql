-- migration 1: ledger entries and checkpoint
-- The transparency log (docs/ledger.md), in its own file `ledger.sqlite` beside the intents:
-- one row per entry (the public entry, its leaf hash, and for the parties it concerns the
-- full event and the salt of its commitment), and the latest signed checkpoint, written in
-- the same transaction as the entries it covers.
CREATE TABLE ledger_entries (
    idx INTEGER PRIMARY KEY,
    entry BLOB NOT NULL,
    leaf_hash BLOB NOT NULL,
    event BLOB NOT NULL,
    salt BLOB NOT NULL
) STRICT
;
CREATE TABLE ledger_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL,
    note TEXT NOT NULL
) STRICT
;
