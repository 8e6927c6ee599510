import DeconflictCore
import Foundation
import GRDB

/// Row ↔ Intent mapping and the statements shared by the SQLite store's paths. The hot
/// statements run through ``RawStatement`` (bound and read by index).
enum SQLiteRows {
    static let intentColumns = "rid, id, owner, ovn, version, state, priority, body"
    /// The same columns of the intents table aliased `i` (the candidate probe's join).
    static let joinedIntentColumns = intentColumns.split(separator: ", ").map { "i.\($0)" }.joined(separator: ", ")

    struct Loaded {
        var rid: Int64
        var intent: Intent
    }

    /// Decodes the current row of a statement selecting `intentColumns` (prefixed or not).
    static func decode(_ st: RawStatement) throws -> Loaded {
        let id = st.text(1)
        let stateRaw = st.text(5)
        guard let state = IntentState(rawValue: stateRaw) else {
            throw StoreError.corruptRecord(id: id, reason: "state \(stateRaw)")
        }
        let volumes: [Volume4D]
        do { volumes = try VolumeCodec.decode(st.blob(7)) } catch {
            throw StoreError.corruptRecord(id: id, reason: "\(error)")
        }
        return Loaded(rid: st.int64(0),
                      intent: Intent(id: id, owner: st.text(2), ovn: st.text(3), version: st.int(4),
                                     state: state, priority: st.int(6), volumes: volumes))
    }

    static func fetch(rid: Int64, _ db: Database) throws -> Loaded? {
        try RawStatement(db, "SELECT \(intentColumns) FROM intents WHERE rid = ?").run { st in
            st.bind(1, rid)
            return try st.step() ? decode(st) : nil
        }
    }

    static func fetch(id: String, _ db: Database) throws -> Loaded? {
        try RawStatement(db, "SELECT \(intentColumns) FROM intents WHERE id = ?").run { st in
            st.bind(1, id)
            return try st.step() ? decode(st) : nil
        }
    }

    /// A party's current intents ending after `endingAfter`, soonest-ending first.
    static func intents(owner: String, endingAfter: Double, limit: Int, _ db: Database) throws -> [Intent] {
        try RawStatement(db, """
            SELECT \(intentColumns) FROM intents
            WHERE owner = ? AND t_end > ? AND state <> 'ended' ORDER BY t_end, id LIMIT ?
            """).run { st in
            st.bind(1, owner); st.bind(2, endingAfter); st.bind(3, limit)
            var out: [Intent] = []
            while try st.step() { out.append(try decode(st).intent) }
            return out
        }
    }

    static let cellFilter = """
        c.t0 <= ? AND c.max_alt >= ? AND c.min_alt <= ? AND c.max_lon >= ? AND c.min_lon <= ? AND c.max_lat >= ? AND c.min_lat <= ?
        """
    /// A probe of the cell index joined to the intents it finds (CROSS JOIN: index first):
    /// one cell (`cell = ? AND t1 >= ?`, a range of the primary key) or a range of cells.
    /// With `joined: false` only the rids (the writer takes the rows from its cache).
    static func probeSQL(range: Bool, joined: Bool = true) -> String {
        probeSQLs[(range ? 2 : 0) + (joined ? 1 : 0)]
    }

    /// The four probe statements' SQL, built once (the hot path looks them up).
    private static let probeSQLs = [false, true].flatMap { range in [false, true].map { makeProbeSQL(range: range, joined: $0) } }

    private static func makeProbeSQL(range: Bool, joined: Bool) -> String {
        """
        SELECT \(joined ? joinedIntentColumns : "c.rid")
        FROM intent_cells c \(joined ? "CROSS JOIN intents i ON i.rid = c.rid" : "")
        WHERE \(range ? "c.cell BETWEEN ?1 AND ?2" : "c.cell = ?1 AND ?2 = ?2") AND c.t1 >= ? AND \(cellFilter)
        """
    }

    /// Intents with a volume box overlapping one of `boxes`, each once, via the cell index
    /// (``CellIndex``): one probe per (level, cell) — `cell = ? AND t1 >= ?` is a range of the
    /// primary key — or one key range per grid row for large areas. Sorted by rid. With a
    /// `cache` (the writer's), cells and rows come from it when it holds them, and are added
    /// to it when read.
    static func candidates(_ boxes: [Box4], excluding: String? = nil, cache: SQLiteWriterCache? = nil,
                           _ db: Database) throws -> [Loaded] {
        var probe = CellIndex.probe(boxes)
        // Coarse levels (1°, 10°, world) hold only large volumes, usually none at all: one
        // seek tells whether their probes can be skipped.
        let anyCoarse = try cache?.anyCoarse ?? RawStatement(db, "SELECT 1 FROM intent_cells WHERE cell >= ? LIMIT 1").run { st in
            st.bind(1, CellIndex.key(level: 1, row: 0, col: 0))
            return try st.step()
        }
        if let cache, cache.anyCoarse == nil { cache.anyCoarse = anyCoarse }
        if !anyCoarse {
            probe.cells = probe.cells.filter { $0.key >> 40 == 0 }
            probe.ranges = probe.ranges.filter { $0.lo >> 40 == 0 }
        }
        var seen = Set<Int64>()
        var out: [Loaded] = []
        func found(_ rid: Int64, _ decodeHere: RawStatement?) throws {
            guard seen.insert(rid).inserted else { return }
            let l: Loaded
            if let cache {
                if let hit = cache.rows[rid] { l = hit } else {
                    guard let row = try fetch(rid: rid, db) else { return }
                    l = row
                    cache.put(row)
                }
            } else if let st = decodeHere {
                l = try decode(st)
            } else {
                return
            }
            if l.intent.id != excluding { out.append(l) }
        }
        func scan(_ st: RawStatement, _ lo: Int64, _ hi: Int64, _ b: Box4) throws {
            st.rewind()
            st.bind(1, lo); st.bind(2, hi); st.bind(3, b.t0); st.bind(4, b.t1)
            st.bind(5, b.minAlt); st.bind(6, b.maxAlt); st.bind(7, b.minLon); st.bind(8, b.maxLon)
            st.bind(9, b.minLat); st.bind(10, b.maxLat)
            while try st.step() { try found(st.int64(0), st) }
        }
        let joined = cache == nil
        var sqlCells: [(Int64, Box4)] = []
        for (cell, b) in probe.cells {
            // The SQL probe's filter, on the cached rows of the cell.
            if let rows = try cache?.cell(cell, db) {
                for r in rows where r.box.overlaps(b) { try found(r.rid, nil) }
            } else {
                sqlCells.append((cell, b))
            }
        }
        if !sqlCells.isEmpty {
            try RawStatement(db, probeSQL(range: false, joined: joined)).run { st in
                for (cell, b) in sqlCells { try scan(st, cell, cell, b) }
            }
        }
        if !probe.ranges.isEmpty {
            try RawStatement(db, probeSQL(range: true, joined: joined)).run { st in
                for (lo, hi, b) in probe.ranges { try scan(st, lo, hi, b) }
            }
        }
        return out.sorted { $0.rid < $1.rid }
    }

    /// Index rows of one intent: per volume, its box under each of its cells.
    static func insertCells(rid: Int64, volumes: [Volume4D], cache: SQLiteWriterCache? = nil, _ db: Database) throws {
        try RawStatement(db, """
            INSERT INTO intent_cells (cell, t1, rid, idx, t0, min_alt, max_alt, min_lon, max_lon, min_lat, max_lat)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run { st in
            for (i, v) in volumes.enumerated() {
                let b = VolumeBounds.box(v)
                let keys = CellIndex.storedCells(b)
                cache?.cellsAdded(rid: rid, box: b, keys: keys)
                for cell in keys {
                    st.rewind()
                    st.bind(1, cell); st.bind(2, b.t1); st.bind(3, rid); st.bind(4, i); st.bind(5, b.t0)
                    st.bind(6, b.minAlt); st.bind(7, b.maxAlt); st.bind(8, b.minLon); st.bind(9, b.maxLon)
                    st.bind(10, b.minLat); st.bind(11, b.maxLat)
                    try st.execute()
                }
            }
        }
    }

    /// Removes the index rows `insertCells` made for these (stored) volumes: the keys are
    /// recomputed from them (same code, same doubles), so no secondary index on rid is needed.
    static func deleteCells(rid: Int64, volumes: [Volume4D], cache: SQLiteWriterCache? = nil, _ db: Database) throws {
        try RawStatement(db, "DELETE FROM intent_cells WHERE cell = ? AND t1 = ? AND rid = ? AND idx = ?").run { st in
            for (i, v) in volumes.enumerated() {
                let b = VolumeBounds.box(v)
                let keys = CellIndex.storedCells(b)
                cache?.cellsRemoved(rid: rid, keys: keys)
                for cell in keys {
                    st.rewind()
                    st.bind(1, cell); st.bind(2, b.t1); st.bind(3, rid); st.bind(4, i)
                    try st.execute()
                }
            }
        }
    }

    /// Migration v3: index every stored intent (from its body) in `intent_cells`.
    static func backfillCells(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT rid, id, body FROM intents")
        while let row = try rows.next() {
            let rid: Int64 = row["rid"], id: String = row["id"], body: Data = row["body"]
            let volumes: [Volume4D]
            do { volumes = try VolumeCodec.decode(body) } catch {
                throw StoreError.corruptRecord(id: id, reason: "\(error)")
            }
            try insertCells(rid: rid, volumes: volumes, db)
        }
    }

    static func timeSpan(_ vs: [Volume4D]) -> (Double, Double) {
        (vs.map(\.timeStart).min() ?? 0, vs.map(\.timeEnd).max() ?? 0)
    }

    /// Inserts the row and its index rows; returns the new rid.
    @discardableResult
    static func insert(_ i: Intent, cache: SQLiteWriterCache? = nil, _ db: Database) throws -> Int64 {
        let (t0, t1) = timeSpan(i.volumes)
        try RawStatement(db, """
            INSERT INTO intents (id, owner, ovn, version, state, priority, t_start, t_end, nvol, body, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run { st in
            st.bind(1, i.id); st.bind(2, i.owner); st.bind(3, i.ovn); st.bind(4, i.version)
            st.bind(5, i.state.rawValue); st.bind(6, i.priority); st.bind(7, t0); st.bind(8, t1)
            st.bind(9, i.volumes.count); st.bind(10, bytes: VolumeCodec.encode(i.volumes))
            st.bind(11, Date().timeIntervalSince1970)
            try st.execute()
        }
        let rid = db.lastInsertedRowID
        try insertCells(rid: rid, volumes: i.volumes, cache: cache, db)
        return rid
    }

    static func update(rid: Int64, old: [Volume4D], _ i: Intent, cache: SQLiteWriterCache? = nil, _ db: Database) throws {
        let (t0, t1) = timeSpan(i.volumes)
        try RawStatement(db, """
            UPDATE intents SET ovn = ?, version = ?, state = ?, priority = ?, t_start = ?, t_end = ?,
                nvol = ?, body = ?, updated_at = ? WHERE rid = ?
            """).run { st in
            st.bind(1, i.ovn); st.bind(2, i.version); st.bind(3, i.state.rawValue); st.bind(4, i.priority)
            st.bind(5, t0); st.bind(6, t1); st.bind(7, i.volumes.count); st.bind(8, bytes: VolumeCodec.encode(i.volumes))
            st.bind(9, Date().timeIntervalSince1970); st.bind(10, rid)
            try st.execute()
        }
        try deleteCells(rid: rid, volumes: old, cache: cache, db)
        try insertCells(rid: rid, volumes: i.volumes, cache: cache, db)
    }

    static func delete(rid: Int64, old: [Volume4D], cache: SQLiteWriterCache? = nil, _ db: Database) throws {
        try RawStatement(db, "DELETE FROM intents WHERE rid = ?").run { st in
            st.bind(1, rid)
            try st.execute()
        }
        try deleteCells(rid: rid, volumes: old, cache: cache, db)
    }
}
