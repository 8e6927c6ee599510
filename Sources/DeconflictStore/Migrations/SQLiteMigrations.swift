import GRDB

/// The SQLite schema, as versioned migrations (see docs/store.md).
enum SQLiteMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "intents and their 4D bounding-box R-tree", statements: [
            """
            CREATE TABLE intents (
                rid        INTEGER PRIMARY KEY,
                id         TEXT    NOT NULL UNIQUE,
                owner      TEXT    NOT NULL,
                ovn        TEXT    NOT NULL,
                version    INTEGER NOT NULL,
                state      TEXT    NOT NULL,
                priority   INTEGER NOT NULL,
                t_start    REAL    NOT NULL,
                t_end      REAL    NOT NULL,
                nvol       INTEGER NOT NULL,
                body       TEXT    NOT NULL,
                updated_at REAL    NOT NULL
            )
            """,
            // One box per volume: bid = rid * 1024 + volume index; +rid is an auxiliary column.
            // The R-tree stores 32-bit floats rounded outwards, so boxes stay conservative.
            """
            CREATE VIRTUAL TABLE intent_boxes USING rtree(
                bid, min_lon, max_lon, min_lat, max_lat, min_alt, max_alt, t0, t1, +rid INTEGER
            )
            """,
        ]),
        Migration(version: 2, name: "index intents by owner and end time", statements: [
            "CREATE INDEX intents_owner_end ON intents (owner, t_end)",
        ]),
        // The R-tree (float32 boxes, inserted in random order) made every hot-area probe walk
        // hundreds of nodes. Replaced by a multi-level grid (CellIndex): rows keyed by
        // (cell, t1) carrying the exact box, so a probe is a short primary-key range scan.
        // Backfilled from every intent's body by the Swift step (swiftSteps[3]).
        Migration(version: 3, name: "multi-level grid cell index replaces the R-tree", statements: [
            """
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
            """,
            "DROP TABLE intent_boxes",
        ]),
    ]

    /// Steps that need Swift (decoding bodies), run after the version's statements, in the
    /// same transaction.
    static let swiftSteps: [Int: @Sendable (Database) throws -> Void] = [
        3: { db in try SQLiteRows.backfillCells(db) },
    ]
}
