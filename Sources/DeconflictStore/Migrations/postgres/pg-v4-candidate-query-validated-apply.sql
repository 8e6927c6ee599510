-- migration 4: one candidate query; validated single-statement apply
--
-- Optimistic writes (docs/store.md, PostgreSQL atomicity): the candidate query becomes
-- one SQL function used by the key reads, the locked path and the new validated apply,
-- so that the set a decision was made on and the set re-read under the locks come
-- from the same query over the same probe ranges.

-- The ids of the intents (other than self_id) with an index row in one of the
-- probed key ranges [p_lo, p_hi] (CellIndex.probe) whose box overlaps that range's
-- query box. STABLE LANGUAGE sql, not STRICT: inlined into the calling statement,
-- whose snapshot it uses.
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
;

-- Same signature and result as version 3's, now through deconflict_candidate_ids
-- (the store's connections plan it with enable_bitmapscan = off and generic plans:
-- see PostgresIntentStore.init).
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
;

-- Version 4's `deconflict_apply` (version 5 replaces it with the same body plus one line).
--
-- One write decided optimistically by the caller (on an unlocked read), applied in
-- one statement if what the decision read is unchanged:
-- 1. take the advisory locks (shared list, then exclusive list, each ascending:
--    LockKeys of the new and the old boxes);
-- 2. re-read, under the locks (VOLATILE plpgsql, READ COMMITTED: a fresh snapshot per
--    statement, so every write committed before the locks were granted is seen), in
--    ONE statement, the intent's own OVN (NULL if absent) and the ids and OVNs of the
--    candidates over the SAME probe ranges with the same query as the caller's read
--    (deconflict_candidate_ids), sorted by id bytewise (COLLATE "C");
-- 3. any difference from e_ovn, e_ids, e_ovns (sorted the same way by the caller) →
--    'changed', nothing written;
-- 4. else apply op ('create' | 'update' | 'delete'; row values and the new volumes'
--    boxes as parallel arrays for the index rows) → 'applied'.
-- Called in autocommit: the statement's transaction commits (and, with
-- synchronous_commit on, flushes the WAL) when it returns; the locks are released
-- after the commit is visible.
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
;
