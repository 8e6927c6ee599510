import DeconflictCore
import Foundation
import GRDB

/// Row ↔ Intent mapping and the statements shared by the SQLite store's paths.
enum SQLiteRows {
    static let intentColumns = "rid, id, owner, ovn, version, state, priority, body, nvol"

    struct Loaded {
        var rid: Int64
        var nvol: Int
        var intent: Intent
    }

    /// Decodes a row of `intentColumns` (by column index: name lookups cost a lowercasing
    /// and a hash per column on this hot path).
    static func decode(_ row: Row) throws -> Loaded {
        let id: String = row[1]
        let stateRaw: String = row[5]
        guard let state = IntentState(rawValue: stateRaw) else {
            throw StoreError.corruptRecord(id: id, reason: "state \(stateRaw)")
        }
        let volumes: [Volume4D]
        do {
            volumes = try row.withUnsafeData(atIndex: 7) { data in try VolumeCodec.decode(data ?? Data()) }
        } catch {
            throw StoreError.corruptRecord(id: id, reason: "\(error)")
        }
        return Loaded(rid: row[0], nvol: row[8],
                      intent: Intent(id: id, owner: row[2], ovn: row[3], version: row[4],
                                     state: state, priority: row[6], volumes: volumes))
    }

    /// Decodes straight from the statement (a cursor row: no copy of the row and its body).
    static func fetchOne(_ st: Statement, _ args: StatementArguments) throws -> Loaded? {
        let cursor = try Row.fetchCursor(st, arguments: args)
        guard let row = try cursor.next() else { return nil }
        let loaded = try decode(row)
        _ = try cursor.next() // step to the end: the statement is done (unique key)
        return loaded
    }

    static func fetch(id: String, _ db: Database) throws -> Loaded? {
        try fetchOne(db.cachedStatement(sql: "SELECT \(intentColumns) FROM intents WHERE id = ?"), [id])
    }

    static let cellFilter = """
        t0 <= ? AND max_alt >= ? AND min_alt <= ? AND max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?
        """

    /// The rids of intents with a volume box overlapping one of `boxes`, via the cell index
    /// (``CellIndex``): one index probe per (level, cell) — `cell = ? AND t1 >= ?` is a range
    /// of the primary key — or one key range per grid row for large areas.
    static func candidateRIDs(_ boxes: [Box4], _ db: Database) throws -> [Int64] {
        var probe = CellIndex.probe(boxes)
        // Coarse levels (1°, 10°, world) hold only large volumes, usually none at all: one
        // seek tells whether their probes can be skipped.
        let coarse = try db.cachedStatement(sql: "SELECT 1 FROM intent_cells WHERE cell >= ? LIMIT 1")
        if try Int64.fetchOne(coarse, arguments: [CellIndex.key(level: 1, row: 0, col: 0)]) == nil {
            probe.cells = probe.cells.filter { $0.key >> 40 == 0 }
            probe.ranges = probe.ranges.filter { $0.lo >> 40 == 0 }
        }
        var rids = Set<Int64>()
        if !probe.cells.isEmpty {
            let st = try db.cachedStatement(sql: "SELECT rid FROM intent_cells WHERE cell = ? AND t1 >= ? AND \(cellFilter)")
            for (cell, b) in probe.cells {
                let cur = try Int64.fetchCursor(st, arguments: [cell, b.t0, b.t1, b.minAlt, b.maxAlt,
                                                                b.minLon, b.maxLon, b.minLat, b.maxLat])
                while let r = try cur.next() { rids.insert(r) }
            }
        }
        if !probe.ranges.isEmpty {
            let st = try db.cachedStatement(sql: "SELECT rid FROM intent_cells WHERE cell BETWEEN ? AND ? AND t1 >= ? AND \(cellFilter)")
            for (lo, hi, b) in probe.ranges {
                let cur = try Int64.fetchCursor(st, arguments: [lo, hi, b.t0, b.t1, b.minAlt, b.maxAlt,
                                                                b.minLon, b.maxLon, b.minLat, b.maxLat])
                while let r = try cur.next() { rids.insert(r) }
            }
        }
        return rids.sorted()
    }

    static func fetch(rid: Int64, _ db: Database) throws -> Loaded? {
        try fetchOne(db.cachedStatement(sql: "SELECT \(intentColumns) FROM intents WHERE rid = ?"), [rid])
    }

    /// Intents with a volume box overlapping `box` (area queries).
    static func candidates(_ box: Box4, _ db: Database) throws -> [Loaded] {
        try candidateRIDs([box], db).compactMap { try fetch(rid: $0, db) }
    }

    /// Intents with a box overlapping any of `boxes`, each once, without `excluding`.
    static func candidates(_ boxes: [Box4], excluding: String?, _ db: Database) throws -> [Intent] {
        try candidateRIDs(boxes, db).compactMap { rid in
            guard let c = try fetch(rid: rid, db), c.intent.id != excluding else { return nil }
            return c.intent
        }
    }

    /// Index rows of one intent: per volume, its box under each of its cells.
    static func insertCells(rid: Int64, volumes: [Volume4D], _ db: Database) throws {
        let st = try db.cachedStatement(sql: """
            INSERT INTO intent_cells (cell, t1, rid, idx, t0, min_alt, max_alt, min_lon, max_lon, min_lat, max_lat)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (i, v) in volumes.enumerated() {
            let b = VolumeBounds.box(v)
            for cell in CellIndex.storedCells(b) {
                try st.execute(arguments: [cell, b.t1, rid, i, b.t0, b.minAlt, b.maxAlt, b.minLon, b.maxLon, b.minLat, b.maxLat])
            }
        }
    }

    /// Removes the index rows `insertCells` made for these (stored) volumes: the keys are
    /// recomputed from them (same code, same doubles), so no secondary index on rid is needed.
    static func deleteCells(rid: Int64, volumes: [Volume4D], _ db: Database) throws {
        let st = try db.cachedStatement(sql: "DELETE FROM intent_cells WHERE cell = ? AND t1 = ? AND rid = ? AND idx = ?")
        for (i, v) in volumes.enumerated() {
            let b = VolumeBounds.box(v)
            for cell in CellIndex.storedCells(b) { try st.execute(arguments: [cell, b.t1, rid, i]) }
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

    static func insert(_ i: Intent, _ db: Database) throws {
        let (t0, t1) = timeSpan(i.volumes)
        try db.cachedStatement(sql: """
            INSERT INTO intents (id, owner, ovn, version, state, priority, t_start, t_end, nvol, body, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [i.id, i.owner, i.ovn, i.version, i.state.rawValue, i.priority, t0, t1,
                                     i.volumes.count, Data(VolumeCodec.encode(i.volumes)), Date().timeIntervalSince1970])
        try insertCells(rid: db.lastInsertedRowID, volumes: i.volumes, db)
    }

    static func update(rid: Int64, old: [Volume4D], _ i: Intent, _ db: Database) throws {
        let (t0, t1) = timeSpan(i.volumes)
        try db.cachedStatement(sql: """
            UPDATE intents SET ovn = ?, version = ?, state = ?, priority = ?, t_start = ?, t_end = ?,
                nvol = ?, body = ?, updated_at = ? WHERE rid = ?
            """).execute(arguments: [i.ovn, i.version, i.state.rawValue, i.priority, t0, t1, i.volumes.count,
                                     Data(VolumeCodec.encode(i.volumes)), Date().timeIntervalSince1970, rid])
        try deleteCells(rid: rid, volumes: old, db)
        try insertCells(rid: rid, volumes: i.volumes, db)
    }

    static func delete(rid: Int64, old: [Volume4D], _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM intents WHERE rid = ?").execute(arguments: [rid])
        try deleteCells(rid: rid, volumes: old, db)
    }
}
