-- migration 6: validated batch apply
--
-- Group commit (docs/store.md, PostgreSQL atomicity): a batch of writes decided
-- together on one unlocked read is applied by one statement, validated as a whole.

-- Version 6's `deconflict_apply_batch`: the writes of one batch, decided by the caller one
-- after another (each seeing the ones before it) on rows it read or remembered, applied in
-- one statement if those rows are still what the database holds:
-- 1. take the advisory locks (shared list, then exclusive list, each ascending: LockKeys of
--    every box the batch probed and of the old boxes of the intents it writes to);
-- 2. under them (VOLATILE plpgsql, READ COMMITTED: a fresh snapshot per statement), in one
--    statement: every expected (e_ids, e_ovns) intent must have that OVN ('' = must not
--    exist), and the candidate query over the probe (deconflict_candidate_ids, excluding
--    nothing) must find no intent outside e_ids — else 'changed', nothing written;
-- 3. write the net effect of the batch: delete the intents `del_ids`, drop the index rows
--    of `drop_cells` (deleted and updated intents), update (r_new false) or insert (r_new
--    true) the rows r_*, insert the index rows v_* (one per stored cell of each volume, the
--    cells computed by the caller: CellIndex.storedCells, whose SQL twin deconflict_cells
--    is tested to agree) → 'applied'.
-- Its autocommit transaction commits without waiting for the WAL flush (this transaction
-- only); the caller acknowledges after a flush that began after it (PostgresWALFlush).
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
;

-- The single-write apply of versions 4 and 5, replaced by the batch apply.
DROP FUNCTION deconflict_apply(BIGINT[], BIGINT[], BIGINT[], BIGINT[], FLOAT8[], FLOAT8[], FLOAT8[], FLOAT8[],
    FLOAT8[], FLOAT8[], FLOAT8[], FLOAT8[], TEXT, TEXT, TEXT[], TEXT[], TEXT, TEXT, TEXT, BIGINT, TEXT,
    INTEGER, FLOAT8, FLOAT8, INTEGER, BYTEA, FLOAT8, INTEGER[], FLOAT8[], FLOAT8[], FLOAT8[], FLOAT8[],
    FLOAT8[], FLOAT8[], FLOAT8[], FLOAT8[])
;
