-- migration 5: apply commits without waiting for the WAL flush (the store flushes before acknowledging)

-- Version 5's: as version 4's, but its autocommit transaction commits without waiting for
-- the WAL flush (`synchronous_commit` off for this transaction only), so the advisory locks
-- are released without waiting for the disk; the caller acknowledges only after a
-- flush that began after the commit (`PostgresWALFlush`).
CREATE OR REPLACE FUNCTION deconflict_apply(
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
    PERFORM set_config('synchronous_commit', 'off', true);
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
;
