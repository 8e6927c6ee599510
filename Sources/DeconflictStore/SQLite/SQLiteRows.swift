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

    static func decode(_ row: Row) throws -> Loaded {
        let id: String = row["id"]
        let stateRaw: String = row["state"]
        guard let state = IntentState(rawValue: stateRaw) else {
            throw StoreError.corruptRecord(id: id, reason: "state \(stateRaw)")
        }
        let body: Data = row["body"]
        let volumes: [Volume4D]
        do { volumes = try VolumeCodec.decode(body) } catch {
            throw StoreError.corruptRecord(id: id, reason: "\(error)")
        }
        return Loaded(rid: row["rid"], nvol: row["nvol"],
                      intent: Intent(id: id, owner: row["owner"], ovn: row["ovn"], version: row["version"],
                                     state: state, priority: row["priority"], volumes: volumes))
    }

    static func fetch(id: String, _ db: Database) throws -> Loaded? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(intentColumns) FROM intents WHERE id = ?"),
                         arguments: [id]).map(decode)
    }

    /// Intents with a volume box overlapping `box`, via the R-tree.
    static func candidates(_ box: Box4, _ db: Database) throws -> [Loaded] {
        let sql = """
            SELECT \(intentColumns) FROM intents WHERE rid IN (
                SELECT rid FROM intent_boxes
                WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?
                  AND max_alt >= ? AND min_alt <= ? AND t1 >= ? AND t0 <= ?)
            """
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [
            box.minLon, box.maxLon, box.minLat, box.maxLat, box.minAlt, box.maxAlt, box.t0, box.t1,
        ]).map(decode)
    }

    /// Intents with a box overlapping any of `boxes`, each once, without `excluding`.
    static func candidates(_ boxes: [Box4], excluding: String?, _ db: Database) throws -> [Intent] {
        var seen = Set<String>()
        var out: [Intent] = []
        for b in boxes {
            for c in try candidates(b, db) where c.intent.id != excluding && seen.insert(c.intent.id).inserted {
                out.append(c.intent)
            }
        }
        return out
    }

    static func bid(rid: Int64, index: Int) -> Int64 { rid * 1024 + Int64(index) }

    static func insertBoxes(rid: Int64, volumes: [Volume4D], _ db: Database) throws {
        let st = try db.cachedStatement(sql: """
            INSERT INTO intent_boxes (bid, min_lon, max_lon, min_lat, max_lat, min_alt, max_alt, t0, t1, rid)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (i, v) in volumes.enumerated() {
            let b = VolumeBounds.box(v)
            try st.execute(arguments: [bid(rid: rid, index: i), b.minLon, b.maxLon, b.minLat, b.maxLat,
                                       b.minAlt, b.maxAlt, b.t0, b.t1, rid])
        }
    }

    static func deleteBoxes(rid: Int64, count: Int, _ db: Database) throws {
        let st = try db.cachedStatement(sql: "DELETE FROM intent_boxes WHERE bid = ?")
        for i in 0..<count { try st.execute(arguments: [bid(rid: rid, index: i)]) }
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
        try insertBoxes(rid: db.lastInsertedRowID, volumes: i.volumes, db)
    }

    static func update(rid: Int64, oldCount: Int, _ i: Intent, _ db: Database) throws {
        let (t0, t1) = timeSpan(i.volumes)
        try db.cachedStatement(sql: """
            UPDATE intents SET ovn = ?, version = ?, state = ?, priority = ?, t_start = ?, t_end = ?,
                nvol = ?, body = ?, updated_at = ? WHERE rid = ?
            """).execute(arguments: [i.ovn, i.version, i.state.rawValue, i.priority, t0, t1, i.volumes.count,
                                     Data(VolumeCodec.encode(i.volumes)), Date().timeIntervalSince1970, rid])
        try deleteBoxes(rid: rid, count: oldCount, db)
        try insertBoxes(rid: rid, volumes: i.volumes, db)
    }

    static func delete(rid: Int64, count: Int, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM intents WHERE rid = ?").execute(arguments: [rid])
        try deleteBoxes(rid: rid, count: count, db)
    }
}
