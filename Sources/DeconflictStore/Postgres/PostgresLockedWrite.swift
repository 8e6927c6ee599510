import DeconflictCore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL store's locked path: one write at a time under advisory locks.
extension PostgresIntentStore {
    /// The locked path (after repeated 'changed' answers). One try; nil = the intent changed
    /// under us between pre-read and lock: retry.
    ///
    /// 1. Unlocked pre-check (one round trip, no locks): the intent's current row and the
    ///    candidates overlapping the NEW volumes, on a fresh snapshot; the rules decide. A
    ///    refusal is final: refusals change nothing, so refusing on a snapshot taken during the
    ///    call is a correct (linearizable) answer — and with fewer candidates the rules can only
    ///    refuse less, never more. This keeps refused attempts (most attempts in a contended
    ///    area) entirely off the locked, serial path.
    /// 2. Accepted by the pre-check: lock the cells of the new and the current (old) volumes,
    ///    re-read under the locks and decide again; apply; commit.
    func attempt(_ w: IntentWrite, writer: String) async throws -> WriteResult? {
        let newBoxes = StoreRules.newBoxes(w)
        let logger = self.logger
        let preRows = try await read(newBoxes ?? [], selfID: w.intentID)
        let pre = preRows.first { $0.id == w.intentID }
        if case let .refused(r) = StoreRules.decide(w, writer: writer, current: pre,
                                                    candidates: preRows.filter { $0.id != w.intentID },
                                                    newBoxes: newBoxes) {
            return .refused(r)
        }
        // Invalid volumes or an unknown id leave nothing to lock on: the rules refuse those.
        let boxes = (newBoxes ?? []) + (pre.flatMap { VolumeBounds.boxes($0.volumes) } ?? [])
        let lockKeys = LockKeys.forBoxes(boxes)
        return try await withConnectionErrors {
            try await self.client.withConnection { conn in
                try await conn.query("BEGIN", logger: logger)
                do {
                    let r = try await Self.decideAndApply(w, writer: writer, pre: pre, lockKeys: lockKeys, boxes: boxes,
                                                          newBoxes: newBoxes, conn: conn, logger: logger)
                    try await conn.query(r == nil || r?.isAccepted == false ? "ROLLBACK" : "COMMIT", logger: logger)
                    return r
                } catch {
                    _ = try? await conn.query("ROLLBACK", logger: logger)
                    if let e = error as? PSQLError, e.serverInfo?[.sqlState] == "23505" {
                        return .refused(.alreadyExists(id: w.intentID)) // racing create of the same id
                    }
                    throw error
                }
            }
        }
    }

    /// Binds for the candidate query: the lock keys (if any: deconflict_lock_cells,
    /// deconflict_apply_batch), then the cell index probe of `boxes` (CellIndex.probe) as parallel
    /// arrays of key ranges and their query boxes, then `selfID`.
    static func candidateBinds(_ keys: LockKeys?, _ boxes: [Box4], selfID: String) -> PostgresBindings {
        var b = probeBinds(keys, boxes)
        b.append(selfID)
        return b
    }

    /// `candidateBinds` without the trailing id.
    static func probeBinds(_ keys: LockKeys?, _ boxes: [Box4]) -> PostgresBindings {
        let probe = CellIndex.probe(boxes)
        var ranges = probe.cells.map { (lo: $0.key, hi: $0.key, box: $0.value) }
        ranges += probe.ranges
        var b = PostgresBindings()
        if let keys { b.append(keys.shared); b.append(keys.exclusive) }
        b.append(ranges.map(\.lo)); b.append(ranges.map(\.hi))
        b.append(ranges.map(\.box.minLon)); b.append(ranges.map(\.box.minLat)); b.append(ranges.map(\.box.maxLon))
        b.append(ranges.map(\.box.maxLat)); b.append(ranges.map(\.box.minAlt)); b.append(ranges.map(\.box.maxAlt))
        b.append(ranges.map(\.box.t0)); b.append(ranges.map(\.box.t1))
        return b
    }

    /// The locked path's read: deconflict_lock_cells takes the locks, then reads as CandidateRead.
    static let lockedReadSQL = """
        SELECT \(PostgresRows.columns) FROM deconflict_lock_cells(
            $1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
            $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13)
        """

    private static func decideAndApply(_ w: IntentWrite, writer: String, pre: Intent?, lockKeys: LockKeys, boxes: [Box4],
                                       newBoxes: [Box4]?, conn: PostgresConnection, logger: Logger) async throws -> WriteResult? {
        let rows = try await conn.query(PostgresQuery(unsafeSQL: lockedReadSQL,
                                                      binds: candidateBinds(lockKeys, boxes, selfID: w.intentID)), logger: logger)
        let all = try await PostgresRows.collect(rows)
        let current = all.first { $0.id == w.intentID }
        var isCreate = false
        if case .create = w { isCreate = true }
        if !isCreate, pre?.ovn != current?.ovn {
            return nil // changed since the pre-read: our lock set may be wrong
        }
        let candidates = all.filter { $0.id != w.intentID }
        let decision = StoreRules.decide(w, writer: writer, current: current, candidates: candidates, newBoxes: newBoxes)
        if let change = decision.change { try await apply(change, conn: conn, logger: logger) }
        return decision.result
    }

    /// Applies a decided change inside the caller's transaction.
    private static func apply(_ change: IntentChange, conn: PostgresConnection, logger: Logger) async throws {
        switch change {
        case let .insert(stored):
            try await insert([stored], conn: conn, logger: logger)
        case let .update(stored, _):
            try await update(stored, conn: conn, logger: logger)
        case let .delete(previous):
            try await conn.query("DELETE FROM intent_cells WHERE intent_id = \(previous.id)", logger: logger)
            try await conn.query("DELETE FROM intents WHERE id = \(previous.id)", logger: logger)
        }
    }

    static func insert(_ intents: [Intent], conn: PostgresConnection, logger: Logger) async throws {
        var r = PostgresRows.IntentArrays()
        var vols = PostgresRows.VolumeArrays()
        for i in intents {
            r.append(i)
            vols.append(i.id, i.volumes)
        }
        var b = PostgresBindings()
        b.append(r.ids); b.append(r.owners); b.append(r.ovns); b.append(r.versions); b.append(r.states)
        b.append(r.prios); b.append(r.ts); b.append(r.te); b.append(r.nvol); b.append(r.bodies)
        b.append(Date().timeIntervalSince1970)
        try await conn.query(PostgresQuery(unsafeSQL: """
            INSERT INTO intents (id, owner, ovn, version, state, priority, t_start, t_end, nvol, body, updated_at)
            SELECT u.*, $11 FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::int4[],
                                        $7::float8[], $8::float8[], $9::int4[], $10::bytea[]) AS u
            """, binds: b), logger: logger)
        var vb = PostgresBindings()
        PostgresRows.bindVolumes(vols, into: &vb)
        try await conn.query(PostgresQuery(unsafeSQL: PostgresRows.insertCellsSQL(), binds: vb), logger: logger)
    }

    private static func update(_ i: Intent, conn: PostgresConnection, logger: Logger) async throws {
        let (t0, t1) = PostgresRows.timeSpan(i.volumes)
        var vols = PostgresRows.VolumeArrays()
        vols.append(i.id, i.volumes)
        var b = PostgresBindings()
        PostgresRows.bindVolumes(vols, into: &b)
        b.append(i.id); b.append(i.ovn); b.append(Int64(i.version)); b.append(i.state.rawValue)
        b.append(Int32(i.priority)); b.append(t0); b.append(t1); b.append(Int32(i.volumes.count))
        b.append(ByteBuffer(bytes: VolumeCodec.encode(i.volumes))); b.append(Date().timeIntervalSince1970)
        // One statement: update the row, drop the old index rows, insert the new ones (all
        // CTEs see the same snapshot, so the DELETE does not see the new rows).
        try await conn.query(PostgresQuery(unsafeSQL: PostgresRows.insertCellsSQL(prefix: """
            up AS (
                UPDATE intents SET ovn = $12, version = $13, state = $14, priority = $15, t_start = $16,
                    t_end = $17, nvol = $18, body = $19, updated_at = $20 WHERE id = $11 RETURNING id),
            del AS (DELETE FROM intent_cells WHERE intent_id = $11 RETURNING 1),
            """), binds: b), logger: logger)
    }
}
