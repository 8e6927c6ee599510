import Foundation

/// The PostgreSQL schema, as versioned migrations (see docs/store.md).
enum PostgresMigrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "intents, volumes with a GiST box index, write lock function", statements: [
            """
            CREATE TABLE intents (
                id         TEXT PRIMARY KEY,
                owner      TEXT NOT NULL,
                ovn        TEXT NOT NULL,
                version    BIGINT NOT NULL,
                state      TEXT NOT NULL,
                priority   INTEGER NOT NULL,
                t_start    DOUBLE PRECISION NOT NULL,
                t_end      DOUBLE PRECISION NOT NULL,
                nvol       INTEGER NOT NULL,
                body       BYTEA NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            )
            """,
            """
            CREATE TABLE intent_volumes (
                intent_id TEXT NOT NULL,
                idx       INTEGER NOT NULL,
                area      BOX NOT NULL,
                alt_lo    DOUBLE PRECISION NOT NULL,
                alt_hi    DOUBLE PRECISION NOT NULL,
                t0        DOUBLE PRECISION NOT NULL,
                t1        DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX intent_volumes_intent ON intent_volumes (intent_id)",
            "CREATE INDEX intent_volumes_area ON intent_volumes USING gist (area)",
            // Takes the write locks (transaction-scoped advisory locks, shared then exclusive,
            // each list pre-sorted by the caller) and only then returns the intent `self_id`
            // and the candidates: intents with a volume box overlapping one of the query boxes
            // (given as parallel arrays). A VOLATILE plpgsql function takes a fresh snapshot
            // per statement under READ COMMITTED, so the SELECT sees every write committed
            // before the locks were granted. One round trip. With empty key arrays it is the
            // plain candidate search.
            """
            CREATE FUNCTION deconflict_lock_candidates(
                shared_keys BIGINT[], exclusive_keys BIGINT[],
                p_x0 FLOAT8[], p_y0 FLOAT8[], p_x1 FLOAT8[], p_y1 FLOAT8[],
                p_alo FLOAT8[], p_ahi FLOAT8[], p_ta FLOAT8[], p_tb FLOAT8[], self_id TEXT)
            RETURNS TABLE (id TEXT, owner TEXT, ovn TEXT, version BIGINT, state TEXT,
                           priority INTEGER, body BYTEA)
            LANGUAGE plpgsql VOLATILE AS $$
            DECLARE k BIGINT;
            BEGIN
                FOREACH k IN ARRAY shared_keys LOOP PERFORM pg_advisory_xact_lock_shared(k); END LOOP;
                FOREACH k IN ARRAY exclusive_keys LOOP PERFORM pg_advisory_xact_lock(k); END LOOP;
                RETURN QUERY
                    SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body
                    FROM intents i WHERE i.id = self_id
                    UNION ALL
                    SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body
                    FROM intents i
                    JOIN (SELECT DISTINCT v.intent_id
                          FROM unnest(p_x0, p_y0, p_x1, p_y1, p_alo, p_ahi, p_ta, p_tb)
                               AS q(x0, y0, x1, y1, alo, ahi, ta, tb)
                          JOIN intent_volumes v
                            ON v.area && box(point(q.x0, q.y0), point(q.x1, q.y1))
                           AND v.alt_hi >= q.alo AND v.alt_lo <= q.ahi AND v.t1 >= q.ta AND v.t0 <= q.tb
                          WHERE v.intent_id <> self_id) c
                      ON c.intent_id = i.id;
            END $$
            """,
        ]),
        Migration(version: 2, name: "index intents by owner and end time", statements: [
            "CREATE INDEX intents_owner_end ON intents (owner, t_end)",
        ]),
        // The GiST box index over 1M randomly inserted boxes returned thousands of entries for
        // a 4 km probe (~1 ms per candidate query, three per write). Replaced by the same
        // multi-level grid as SQLite (CellIndex): B-tree (cell, t1) rows carrying the exact box.
        Migration(version: 3, name: "multi-level grid cell index replaces the GiST boxes", statements: [
            """
            CREATE TABLE intent_cells (
                cell      BIGINT           NOT NULL,  -- CellIndex key: level << 40 | row << 20 | col
                t1        DOUBLE PRECISION NOT NULL,
                intent_id TEXT             NOT NULL,
                idx       INTEGER          NOT NULL,
                t0        DOUBLE PRECISION NOT NULL,
                min_alt   DOUBLE PRECISION NOT NULL,
                max_alt   DOUBLE PRECISION NOT NULL,
                min_lon   DOUBLE PRECISION NOT NULL,
                max_lon   DOUBLE PRECISION NOT NULL,
                min_lat   DOUBLE PRECISION NOT NULL,
                max_lat   DOUBLE PRECISION NOT NULL
            )
            """,
            // CellIndex.storedCells in SQL (same float8 arithmetic; a PostgreSQL test compares
            // it with the Swift version on random boxes): the cells of the finest level at
            // which the box touches at most 16 cells, else the world cell.
            """
            CREATE FUNCTION deconflict_cells(x0 FLOAT8, x1 FLOAT8, y0 FLOAT8, y1 FLOAT8)
            RETURNS SETOF BIGINT LANGUAGE plpgsql IMMUTABLE AS $$
            DECLARE d FLOAT8; lvl INT; nr INT; nc INT; r0 BIGINT; r1 BIGINT; c0 BIGINT; c1 BIGINT;
            BEGIN
                FOR lvl IN 0..2 LOOP
                    d := (ARRAY[0.1, 1.0, 10.0]::FLOAT8[])[lvl + 1];
                    nr := round(180 / d); nc := round(360 / d);
                    r0 := greatest(0, least(nr - 1, floor((y0 + 90) / d)));
                    r1 := greatest(0, least(nr - 1, floor((y1 + 90) / d)));
                    c0 := greatest(0, least(nc - 1, floor((x0 + 180) / d)));
                    c1 := greatest(0, least(nc - 1, floor((x1 + 180) / d)));
                    IF (r1 - r0 + 1) * (c1 - c0 + 1) <= 16 THEN
                        RETURN QUERY SELECT (lvl::BIGINT << 40) | (r << 20) | c
                                     FROM generate_series(r0, r1) r, generate_series(c0, c1) c;
                        RETURN;
                    END IF;
                END LOOP;
                RETURN NEXT 3::BIGINT << 40;
            END $$
            """,
            """
            INSERT INTO intent_cells (cell, t1, intent_id, idx, t0, min_alt, max_alt, min_lon, max_lon, min_lat, max_lat)
            SELECT c, v.t1, v.intent_id, v.idx, v.t0, v.alt_lo, v.alt_hi,
                   (v.area[1])[0], (v.area[0])[0], (v.area[1])[1], (v.area[0])[1]
            FROM intent_volumes v, deconflict_cells((v.area[1])[0], (v.area[0])[0], (v.area[1])[1], (v.area[0])[1]) c
            """,
            // Not unique: an update deletes and inserts index rows in one statement, whose CTEs
            // run in no guaranteed order.
            "CREATE INDEX intent_cells_cell ON intent_cells (cell, t1)",
            "CREATE INDEX intent_cells_intent ON intent_cells (intent_id)",
            "ANALYZE intent_cells", // fresh statistics for the backfilled rows
            "DROP FUNCTION deconflict_lock_candidates",
            "DROP TABLE intent_volumes",
            // Takes the write locks (as before), then returns the intent `self_id` and the
            // candidates: intents with an index row in one of the probed key ranges
            // [p_lo, p_hi] (CellIndex.probe, computed by the caller) whose box overlaps that
            // range's query box. VOLATILE plpgsql: a fresh snapshot per statement, so the
            // SELECT sees every write committed before the locks were granted.
            """
            CREATE FUNCTION deconflict_lock_cells(
                shared_keys BIGINT[], exclusive_keys BIGINT[], p_lo BIGINT[], p_hi BIGINT[],
                p_x0 FLOAT8[], p_y0 FLOAT8[], p_x1 FLOAT8[], p_y1 FLOAT8[],
                p_alo FLOAT8[], p_ahi FLOAT8[], p_ta FLOAT8[], p_tb FLOAT8[], self_id TEXT)
            RETURNS TABLE (id TEXT, owner TEXT, ovn TEXT, version BIGINT, state TEXT,
                           priority INTEGER, body BYTEA)
            LANGUAGE plpgsql VOLATILE AS $$
            DECLARE k BIGINT;
            BEGIN
                FOREACH k IN ARRAY shared_keys LOOP PERFORM pg_advisory_xact_lock_shared(k); END LOOP;
                FOREACH k IN ARRAY exclusive_keys LOOP PERFORM pg_advisory_xact_lock(k); END LOOP;
                RETURN QUERY
                    SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body
                    FROM intents i WHERE i.id = self_id
                    UNION ALL
                    SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body
                    FROM intents i
                    JOIN (SELECT DISTINCT c.intent_id
                          FROM unnest(p_lo, p_hi, p_x0, p_y0, p_x1, p_y1, p_alo, p_ahi, p_ta, p_tb)
                               AS q(lo, hi, x0, y0, x1, y1, alo, ahi, ta, tb)
                          JOIN intent_cells c
                            ON c.cell BETWEEN q.lo AND q.hi AND c.t1 >= q.ta AND c.t0 <= q.tb
                           AND c.max_alt >= q.alo AND c.min_alt <= q.ahi
                           AND c.max_lon >= q.x0 AND c.min_lon <= q.x1 AND c.max_lat >= q.y0 AND c.min_lat <= q.y1
                          WHERE c.intent_id <> self_id) cand
                      ON cand.intent_id = i.id;
            END $$
            """,
        ]),
        // Optimistic writes (docs/store.md, PostgreSQL atomicity): the candidate query becomes
        // one SQL function used by the key reads, the locked path and the new validated apply,
        // so that the set a decision was made on and the set re-read under the locks come
        // from the same query over the same probe ranges.
        Migration(version: 4, name: "one candidate query; validated single-statement apply", statements: [
            // The ids of the intents (other than self_id) with an index row in one of the
            // probed key ranges [p_lo, p_hi] (CellIndex.probe) whose box overlaps that range's
            // query box. STABLE LANGUAGE sql, not STRICT: inlined into the calling statement,
            // whose snapshot it uses.
            """
            CREATE FUNCTION deconflict_candidate_ids(
                p_lo BIGINT[], p_hi BIGINT[], p_x0 FLOAT8[], p_y0 FLOAT8[], p_x1 FLOAT8[], p_y1 FLOAT8[],
                p_alo FLOAT8[], p_ahi FLOAT8[], p_ta FLOAT8[], p_tb FLOAT8[], self_id TEXT)
            RETURNS TABLE (intent_id TEXT) LANGUAGE sql STABLE AS $$
                SELECT DISTINCT c.intent_id
                FROM unnest(p_lo, p_hi, p_x0, p_y0, p_x1, p_y1, p_alo, p_ahi, p_ta, p_tb)
                     AS q(lo, hi, x0, y0, x1, y1, alo, ahi, ta, tb)
                JOIN intent_cells c
                  ON c.cell BETWEEN q.lo AND q.hi AND c.t1 >= q.ta AND c.t0 <= q.tb
                 AND c.max_alt >= q.alo AND c.min_alt <= q.ahi
                 AND c.max_lon >= q.x0 AND c.min_lon <= q.x1 AND c.max_lat >= q.y0 AND c.min_lat <= q.y1
                WHERE c.intent_id <> self_id
            $$
            """,
            // Same signature and result as version 3's, now through deconflict_candidate_ids
            // (the store's connections plan it with enable_bitmapscan = off and generic plans:
            // see PostgresIntentStore.init).
            """
            CREATE OR REPLACE FUNCTION deconflict_lock_cells(
                shared_keys BIGINT[], exclusive_keys BIGINT[], p_lo BIGINT[], p_hi BIGINT[],
                p_x0 FLOAT8[], p_y0 FLOAT8[], p_x1 FLOAT8[], p_y1 FLOAT8[],
                p_alo FLOAT8[], p_ahi FLOAT8[], p_ta FLOAT8[], p_tb FLOAT8[], self_id TEXT)
            RETURNS TABLE (id TEXT, owner TEXT, ovn TEXT, version BIGINT, state TEXT,
                           priority INTEGER, body BYTEA)
            LANGUAGE plpgsql VOLATILE AS $$
            DECLARE k BIGINT;
            BEGIN
                FOREACH k IN ARRAY shared_keys LOOP PERFORM pg_advisory_xact_lock_shared(k); END LOOP;
                FOREACH k IN ARRAY exclusive_keys LOOP PERFORM pg_advisory_xact_lock(k); END LOOP;
                RETURN QUERY
                    SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body
                    FROM intents i WHERE i.id = self_id
                    UNION ALL
                    SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body
                    FROM deconflict_candidate_ids(p_lo, p_hi, p_x0, p_y0, p_x1, p_y1, p_alo, p_ahi, p_ta, p_tb, self_id) c
                    JOIN intents i ON i.id = c.intent_id;
            END $$
            """,
            // One write decided optimistically by the caller (on an unlocked read), applied in
            // one statement if what the decision read is unchanged:
            // 1. take the advisory locks (shared list, then exclusive list, each ascending:
            //    LockKeys of the new and the old boxes);
            // 2. re-read, under the locks (VOLATILE plpgsql, READ COMMITTED: a fresh snapshot per
            //    statement, so every write committed before the locks were granted is seen), in
            //    ONE statement, the intent's own OVN (NULL if absent) and the ids and OVNs of the
            //    candidates over the SAME probe ranges with the same query as the caller's read
            //    (deconflict_candidate_ids), sorted by id bytewise (COLLATE "C");
            // 3. any difference from e_ovn, e_ids, e_ovns (sorted the same way by the caller) →
            //    'changed', nothing written;
            // 4. else apply op ('create' | 'update' | 'delete'; row values and the new volumes'
            //    boxes as parallel arrays for the index rows) → 'applied'.
            // Called in autocommit: the statement's transaction commits (and, with
            // synchronous_commit on, flushes the WAL) when it returns; the locks are released
            // after the commit is visible.
            applyV4,
        ]),
        Migration(version: 5, name: "apply commits without waiting for the WAL flush (the store flushes before acknowledging)",
                  statements: [applyV5]),
        // Group commit (docs/store.md, PostgreSQL atomicity): a batch of writes decided
        // together on one unlocked read is applied by one statement, validated as a whole.
        Migration(version: 6, name: "validated batch apply", statements: [
            applyBatchV6,
            // The single-write apply of versions 4 and 5, replaced by the batch apply.
            """
            DROP FUNCTION deconflict_apply(BIGINT[], BIGINT[], BIGINT[], BIGINT[], FLOAT8[], FLOAT8[], FLOAT8[], FLOAT8[],
                FLOAT8[], FLOAT8[], FLOAT8[], FLOAT8[], TEXT, TEXT, TEXT[], TEXT[], TEXT, TEXT, TEXT, BIGINT, TEXT,
                INTEGER, FLOAT8, FLOAT8, INTEGER, BYTEA, FLOAT8, INTEGER[], FLOAT8[], FLOAT8[], FLOAT8[], FLOAT8[],
                FLOAT8[], FLOAT8[], FLOAT8[], FLOAT8[])
            """,
        ]),
    ]

    /// Version 6's `deconflict_apply_batch`: the writes of one batch, decided by the caller one
    /// after another (each seeing the ones before it) on rows it read or remembered, applied in
    /// one statement if those rows are still what the database holds:
    /// 1. take the advisory locks (shared list, then exclusive list, each ascending: LockKeys of
    ///    every box the batch probed and of the old boxes of the intents it writes to);
    /// 2. under them (VOLATILE plpgsql, READ COMMITTED: a fresh snapshot per statement), in one
    ///    statement: every expected (e_ids, e_ovns) intent must have that OVN ('' = must not
    ///    exist), and the candidate query over the probe (deconflict_candidate_ids, excluding
    ///    nothing) must find no intent outside e_ids — else 'changed', nothing written;
    /// 3. write the net effect of the batch: delete the intents `del_ids`, drop the index rows
    ///    of `drop_cells` (deleted and updated intents), update (r_new false) or insert (r_new
    ///    true) the rows r_*, insert the index rows v_* (one per stored cell of each volume, the
    ///    cells computed by the caller: CellIndex.storedCells, whose SQL twin deconflict_cells
    ///    is tested to agree) → 'applied'.
    /// Its autocommit transaction commits without waiting for the WAL flush (this transaction
    /// only); the caller acknowledges after a flush that began after it (PostgresWALFlush).
    static let applyBatchV6 =
            """
            CREATE FUNCTION deconflict_apply_batch(
                shared_keys BIGINT[], exclusive_keys BIGINT[], p_lo BIGINT[], p_hi BIGINT[],
                p_x0 FLOAT8[], p_y0 FLOAT8[], p_x1 FLOAT8[], p_y1 FLOAT8[],
                p_alo FLOAT8[], p_ahi FLOAT8[], p_ta FLOAT8[], p_tb FLOAT8[],
                e_ids TEXT[], e_ovns TEXT[], del_ids TEXT[], drop_cells TEXT[],
                r_id TEXT[], r_new BOOLEAN[], r_owner TEXT[], r_ovn TEXT[], r_version BIGINT[], r_state TEXT[],
                r_priority INTEGER[], r_t_start FLOAT8[], r_t_end FLOAT8[], r_nvol INTEGER[], r_body BYTEA[],
                r_updated_at FLOAT8,
                v_id TEXT[], v_idx INTEGER[], v_cell BIGINT[], v_x0 FLOAT8[], v_y0 FLOAT8[], v_x1 FLOAT8[],
                v_y1 FLOAT8[], v_lo FLOAT8[], v_hi FLOAT8[], v_t0 FLOAT8[], v_t1 FLOAT8[])
            RETURNS TEXT LANGUAGE plpgsql VOLATILE AS $$
            DECLARE stale BOOLEAN;
            BEGIN
                PERFORM set_config('synchronous_commit', 'off', true);
                -- unnest keeps the arrays' (ascending) order
                PERFORM pg_advisory_xact_lock_shared(k) FROM unnest(shared_keys) k;
                PERFORM pg_advisory_xact_lock(k) FROM unnest(exclusive_keys) k;
                -- (the candidates are aggregated first: as an EXISTS with a NOT ANY filter the
                -- planner walked the whole intent_id index instead of probing the cells)
                SELECT EXISTS (SELECT 1 FROM unnest(e_ids, e_ovns) AS e(id, ovn) LEFT JOIN intents i ON i.id = e.id
                               WHERE i.ovn IS DISTINCT FROM nullif(e.ovn, ''))
                    OR NOT (coalesce((SELECT array_agg(c.intent_id)
                                      FROM deconflict_candidate_ids(p_lo, p_hi, p_x0, p_y0, p_x1, p_y1,
                                                                    p_alo, p_ahi, p_ta, p_tb, '') c), '{}') <@ e_ids)
                  INTO stale;
                IF stale THEN
                    RETURN 'changed';
                END IF;
                DELETE FROM intent_cells WHERE intent_id = ANY(drop_cells);
                DELETE FROM intents WHERE id = ANY(del_ids);
                UPDATE intents i SET ovn = u.ovn, version = u.version, state = u.state, priority = u.priority,
                       t_start = u.ts, t_end = u.te, nvol = u.nvol, body = u.body, updated_at = r_updated_at
                  FROM unnest(r_id, r_new, r_ovn, r_version, r_state, r_priority, r_t_start, r_t_end, r_nvol, r_body)
                       AS u(id, isnew, ovn, version, state, priority, ts, te, nvol, body)
                 WHERE NOT u.isnew AND i.id = u.id;
                INSERT INTO intents (id, owner, ovn, version, state, priority, t_start, t_end, nvol, body, updated_at)
                SELECT u.id, u.owner, u.ovn, u.version, u.state, u.priority, u.ts, u.te, u.nvol, u.body, r_updated_at
                  FROM unnest(r_id, r_new, r_owner, r_ovn, r_version, r_state, r_priority, r_t_start, r_t_end, r_nvol,
                              r_body) AS u(id, isnew, owner, ovn, version, state, priority, ts, te, nvol, body)
                 WHERE u.isnew;
                INSERT INTO intent_cells (cell, t1, intent_id, idx, t0, min_alt, max_alt, min_lon, max_lon, min_lat, max_lat)
                SELECT u.cell, u.b, u.iid, u.idx, u.a, u.lo, u.hi, u.x0, u.x1, u.y0, u.y1
                FROM unnest(v_id, v_idx, v_cell, v_x0, v_y0, v_x1, v_y1, v_lo, v_hi, v_t0, v_t1)
                     AS u(iid, idx, cell, x0, y0, x1, y1, lo, hi, a, b);
                RETURN 'applied';
            END $$
            """

    /// Version 4's `deconflict_apply` (version 5 replaces it with the same body plus one line).
    static let applyV4 =
            """
            CREATE FUNCTION deconflict_apply(
                shared_keys BIGINT[], exclusive_keys BIGINT[], p_lo BIGINT[], p_hi BIGINT[],
                p_x0 FLOAT8[], p_y0 FLOAT8[], p_x1 FLOAT8[], p_y1 FLOAT8[],
                p_alo FLOAT8[], p_ahi FLOAT8[], p_ta FLOAT8[], p_tb FLOAT8[], self_id TEXT,
                e_ovn TEXT, e_ids TEXT[], e_ovns TEXT[], op TEXT,
                n_owner TEXT, n_ovn TEXT, n_version BIGINT, n_state TEXT, n_priority INTEGER,
                n_t_start FLOAT8, n_t_end FLOAT8, n_nvol INTEGER, n_body BYTEA, n_updated_at FLOAT8,
                v_idx INTEGER[], v_x0 FLOAT8[], v_y0 FLOAT8[], v_x1 FLOAT8[], v_y1 FLOAT8[],
                v_lo FLOAT8[], v_hi FLOAT8[], v_t0 FLOAT8[], v_t1 FLOAT8[])
            RETURNS TEXT LANGUAGE plpgsql VOLATILE AS $$
            DECLARE cur_ovn TEXT; c_ids TEXT[]; c_ovns TEXT[];
            BEGIN
                -- unnest keeps the arrays' (ascending) order
                PERFORM pg_advisory_xact_lock_shared(k) FROM unnest(shared_keys) k;
                PERFORM pg_advisory_xact_lock(k) FROM unnest(exclusive_keys) k;
                SELECT (SELECT i.ovn FROM intents i WHERE i.id = self_id),
                       coalesce(array_agg(i.id ORDER BY i.id COLLATE "C"), '{}'),
                       coalesce(array_agg(i.ovn ORDER BY i.id COLLATE "C"), '{}')
                  INTO cur_ovn, c_ids, c_ovns
                  FROM deconflict_candidate_ids(p_lo, p_hi, p_x0, p_y0, p_x1, p_y1, p_alo, p_ahi, p_ta, p_tb, self_id) c
                  JOIN intents i ON i.id = c.intent_id;
                IF cur_ovn IS DISTINCT FROM e_ovn
                   OR c_ids IS DISTINCT FROM coalesce(e_ids, '{}') OR c_ovns IS DISTINCT FROM coalesce(e_ovns, '{}') THEN
                    RETURN 'changed';
                END IF;
                IF op = 'delete' THEN
                    WITH del AS (DELETE FROM intent_cells WHERE intent_id = self_id RETURNING 1)
                    DELETE FROM intents WHERE id = self_id;
                    RETURN 'applied';
                ELSIF op = 'create' THEN
                    INSERT INTO intents (id, owner, ovn, version, state, priority, t_start, t_end, nvol, body, updated_at)
                    VALUES (self_id, n_owner, n_ovn, n_version, n_state, n_priority, n_t_start, n_t_end, n_nvol,
                            n_body, n_updated_at);
                ELSIF op = 'update' THEN
                    UPDATE intents SET ovn = n_ovn, version = n_version, state = n_state, priority = n_priority,
                        t_start = n_t_start, t_end = n_t_end, nvol = n_nvol, body = n_body, updated_at = n_updated_at
                    WHERE id = self_id;
                    DELETE FROM intent_cells WHERE intent_id = self_id;
                ELSE
                    RAISE EXCEPTION 'deconflict_apply: unknown op %', op;
                END IF;
                INSERT INTO intent_cells (cell, t1, intent_id, idx, t0, min_alt, max_alt, min_lon, max_lon, min_lat, max_lat)
                SELECT c, u.b, self_id, u.idx, u.a, u.lo, u.hi, u.x0, u.x1, u.y0, u.y1
                FROM unnest(v_idx, v_x0, v_y0, v_x1, v_y1, v_lo, v_hi, v_t0, v_t1) AS u(idx, x0, y0, x1, y1, lo, hi, a, b),
                     deconflict_cells(u.x0, u.x1, u.y0, u.y1) c;
                RETURN 'applied';
            END $$
            """

    /// Version 5's: as version 4's, but its autocommit transaction commits without waiting for
    /// the WAL flush (`synchronous_commit` off for this transaction only), so the advisory locks
    /// are released without waiting for the disk; the caller acknowledges only after a
    /// flush that began after the commit (``PostgresWALFlush``).
    static let applyV5: String = {
        let s = applyV4.replacingOccurrences(of: "CREATE FUNCTION deconflict_apply(", with: "CREATE OR REPLACE FUNCTION deconflict_apply(")
        return s.replacingOccurrences(of: "BEGIN\n", with: "BEGIN\n    PERFORM set_config('synchronous_commit', 'off', true);\n")
    }()
}
