-- migration 1: intents, volumes with a GiST box index, write lock function

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
;

CREATE TABLE intent_volumes (
    intent_id TEXT NOT NULL,
    idx       INTEGER NOT NULL,
    area      BOX NOT NULL,
    alt_lo    DOUBLE PRECISION NOT NULL,
    alt_hi    DOUBLE PRECISION NOT NULL,
    t0        DOUBLE PRECISION NOT NULL,
    t1        DOUBLE PRECISION NOT NULL
)
;

CREATE INDEX intent_volumes_intent ON intent_volumes (intent_id)
;

CREATE INDEX intent_volumes_area ON intent_volumes USING gist (area)
;

-- Takes the write locks (transaction-scoped advisory locks, shared then exclusive,
-- each list pre-sorted by the caller) and only then returns the intent `self_id`
-- and the candidates: intents with a volume box overlapping one of the query boxes
-- (given as parallel arrays). A VOLATILE plpgsql function takes a fresh snapshot
-- per statement under READ COMMITTED, so the SELECT sees every write committed
-- before the locks were granted. One round trip. With empty key arrays it is the
-- plain candidate search.
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
;
