-- migration 3: multi-level grid cell index replaces the R-tree
--
-- The R-tree (float32 boxes, inserted in random order) made every hot-area probe walk
-- hundreds of nodes. Replaced by a multi-level grid (CellIndex): rows keyed by
-- (cell, t1) carrying the exact box, so a probe is a short primary-key range scan.
-- Backfilled from every intent's body by a Swift step (SQLiteMigrations.swiftSteps[3]),
-- run after these statements in the same transaction.

CREATE TABLE intent_cells (
    cell    INTEGER NOT NULL,   -- CellIndex key: level << 40 | row << 20 | col
    t1      REAL    NOT NULL,
    rid     INTEGER NOT NULL,   -- intents.rid
    idx     INTEGER NOT NULL,   -- volume index within the intent
    t0      REAL    NOT NULL,
    min_alt REAL    NOT NULL,
    max_alt REAL    NOT NULL,
    min_lon REAL    NOT NULL,
    max_lon REAL    NOT NULL,
    min_lat REAL    NOT NULL,
    max_lat REAL    NOT NULL,
    PRIMARY KEY (cell, t1, rid, idx)
) WITHOUT ROWID
;

DROP TABLE intent_boxes
;
