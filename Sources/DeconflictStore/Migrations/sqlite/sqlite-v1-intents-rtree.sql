-- migration 1: intents and their 4D bounding-box R-tree

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
;

-- One box per volume: bid = rid * 1024 + volume index; +rid is an auxiliary column.
-- The R-tree stores 32-bit floats rounded outwards, so boxes stay conservative.
CREATE VIRTUAL TABLE intent_boxes USING rtree(
    bid, min_lon, max_lon, min_lat, max_lat, min_alt, max_alt, t0, t1, +rid INTEGER
)
;
