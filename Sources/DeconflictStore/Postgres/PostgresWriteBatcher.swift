import DeconflictCore
import Foundation
import Logging
import PostgresNIO

/// Group commit for the PostgreSQL store: the writes of one process queue up, and one drainer
/// at a time takes everything queued (at most ``maxBatch``), decides the writes one after
/// another (``PostgresBatchPlan``) and applies their net effect with ONE statement,
/// `deconflict_apply_batch`, which takes the locks and checks that every row the decisions
/// relied on is still what they saw (else 'changed', nothing written).
///
/// What the writes are decided on: the drainer's cache (``PostgresBatchCache``) — the rows of
/// the area it last read, as changed by every batch it applied since — if it knows every
/// written id and covers the probe; else a fresh unlocked read (which refills the cache for a
/// small area). In a hot area a batch therefore costs ONE round trip, the apply; a batch that
/// writes nothing (refusals only) is decided on a fresh read. The apply's check is what makes
/// the cache safe: another process's writes make it stale, and the check then answers
/// 'changed'.
///
/// Answers: refusals-only batches at once (decided on one snapshot, they changed nothing).
/// If 'applied': refusals at once, accepted writes after a WAL flush that began after the
/// apply (its commit did not wait for the disk, ``PostgresWALFlush``) — while the drainer goes
/// on with the next batch. If 'changed': drop the cache, read, decide the whole batch again;
/// after ``PostgresIntentStore/optimisticAttempts`` such answers, or a racing create of one of
/// its ids (unique violation), every write of the batch takes the locked path on its own.
final class PostgresWriteQueue: @unchecked Sendable {
    struct Request {
        let write: IntentWrite
        let writer: String
        let continuation: CheckedContinuation<WriteResult, any Error>
    }

    /// Most writes decided in one batch.
    static let maxBatch = 32

    private let lock = NSLock()
    private var queue: [Request] = []
    private var draining = false

    /// Adds a request; true if the caller must start a drainer.
    func enqueue(_ r: Request) -> Bool {
        lock.withLock {
            queue.append(r)
            if draining { return false }
            draining = true
            return true
        }
    }

    /// The next batch for the drainer; empty (and no longer draining) if nothing is queued.
    func take() -> [Request] {
        lock.withLock {
            let n = min(queue.count, Self.maxBatch)
            let batch = Array(queue.prefix(n))
            queue.removeFirst(n)
            if batch.isEmpty { draining = false }
            return batch
        }
    }
}

extension PostgresIntentStore {
    /// Runs batches while writes are queued.
    func drain() async {
        while true {
            let batch = queue.take()
            if batch.isEmpty { return }
            await runBatch(batch)
        }
    }

    /// An applied batch: refusals at once, accepted writes after a WAL flush that began after it.
    private func answer(_ reqs: [PostgresWriteQueue.Request], _ plan: PostgresBatchPlan) {
        var accepted: [(PostgresWriteQueue.Request, WriteResult)] = []
        for (r, res) in zip(reqs, plan.results) {
            if res.isAccepted { accepted.append((r, res)) } else { r.continuation.resume(returning: res) }
        }
        let flush = walFlush
        Task {
            do {
                try await flush.flushed()
                for (r, res) in accepted { r.continuation.resume(returning: res) }
            } catch {
                for (r, _) in accepted { r.continuation.resume(throwing: error) }
            }
        }
    }

    /// Each write of `reqs` on the locked path, one after another (in batch order).
    private func lockedWrites(_ reqs: [PostgresWriteQueue.Request]) async {
        for r in reqs {
            writePath.count(\.fallbacks)
            do { r.continuation.resume(returning: try await lockedWrite(r.write, writer: r.writer)) } catch {
                r.continuation.resume(throwing: error as? StoreError ?? StoreError.database(String(reflecting: error)))
            }
        }
    }

    /// Decides and applies a batch; after ``optimisticAttempts`` 'changed' answers (or a
    /// racing create of one of its ids) each write takes the locked path.
    private func runBatch(_ reqs: [PostgresWriteQueue.Request]) async {
        let writes = reqs.map { ($0.write, $0.writer) }
        do {
            for _ in 0..<Self.optimisticAttempts {
                let plan = try await planBatch(writes)
                guard plan.hasChanges else {
                    for (r, res) in zip(reqs, plan.results) { r.continuation.resume(returning: res) }
                    return
                }
                if let hook = writePath.beforeApply { for id in plan.acceptedIDs { try await hook(id) } }
                switch try await applyBatch(plan) {
                case "applied":
                    writePath.count(\.applied)
                    cache.applied(plan)
                    answer(reqs, plan)
                    return
                case "changed":
                    writePath.count(\.changed)
                    cache.clear()
                case let other:
                    throw StoreError.database("deconflict_apply_batch answered \(other)")
                }
            }
        } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
            cache.clear()
        } catch {
            cache.clear()
            let e = error as? StoreError ?? StoreError.database(String(reflecting: error))
            for r in reqs { r.continuation.resume(throwing: e) }
            return
        }
        // Repeatedly changed under us (heavy contention from other processes).
        await lockedWrites(reqs)
    }

    /// Decides the batch on the drainer's cache if it can (it knows every written id and covers
    /// the probe), else on a fresh read (which, for a small area, refills the cache). A plan
    /// that writes nothing (refusals only) is always decided on a fresh read: refusals are
    /// answered without an apply, so nothing else would check what they were decided on.
    private func planBatch(_ writes: [(IntentWrite, String)]) async throws -> PostgresBatchPlan {
        let ids = PostgresBatchPlan.selfIDs(writes)
        var extra: [Box4] = []
        var wide: PostgresRowSet?   // a fresh read too wide to cache
        var cacheFresh = false      // the cache was refilled during this call
        for _ in 0..<8 {
            let base = wide ?? cache.known
            let probe = PostgresBatchPlan.probe(writes, known: base) + extra
            let area = Box4.enclosing(probe)
            if wide != nil || (ids.allSatisfy(base.knows) && (area.map(cache.covers) ?? true)) {
                switch PostgresBatchPlan.decide(writes, known: base, probe: probe) {
                case let .plan(p):
                    if p.hasChanges || wide != nil || cacheFresh { return p }
                case let .probeMore(boxes):
                    extra += boxes
                    wide = nil
                    continue
                }
            }
            if let area, let padded = PostgresBatchCache.cacheable(area) {
                let rows = try await batchRead([padded], selfIDs: ids)
                cache.refill(PostgresRowSet(rows: rows, absentIDs: ids), covering: padded)
                cacheFresh = true
                wide = nil
            } else {
                wide = PostgresRowSet(rows: try await batchRead(probe, selfIDs: ids), absentIDs: ids)
            }
        }
        throw StoreError.database("a write batch's probe kept growing")
    }

    /// One unlocked statement: the rows of `selfIDs` and the candidates over `probe`.
    func batchRead(_ probe: [Box4], selfIDs: [String]) async throws -> [Intent] {
        writePath.count(\.reads)
        return try await read(probe, selfIDs: selfIDs, except: "")
    }

    /// `deconflict_apply_batch` for `plan`: 'applied' or 'changed' (23505 is thrown as PSQLError).
    func applyBatch(_ plan: PostgresBatchPlan) async throws -> String {
        var out = ""
        for try await s in try await client.execute(BatchApplyCall(binds: plan.binds()), logger: logger) { out = s }
        return out
    }

    /// The locked path for one write: up to ``maxAttempts`` tries (a try is given up when the
    /// intent changed between its pre-read and its locks).
    func lockedWrite(_ w: IntentWrite, writer: String) async throws -> WriteResult {
        for _ in 0..<Self.maxAttempts {
            if let r = try await attempt(w, writer: writer) { return r }
        }
        throw StoreError.database("write of \(w.intentID) kept racing with changes to the same intent")
    }
}

extension PostgresBatchPlan {
    /// The binds of `deconflict_apply_batch`, in its parameter order.
    func binds() -> PostgresBindings {
        var b = PostgresIntentStore.probeBinds(lockKeys, probeBoxes)
        b.append(expectedIDs); b.append(expectedOVNs); b.append(deletes); b.append(dropCells)
        var r = PostgresRows.IntentArrays(), new: [Bool] = []
        var vols = PostgresRows.VolumeArrays()
        var cells: [Int64] = []
        for (i, isNew) in rows {
            r.append(i)
            new.append(isNew)
            for (idx, v) in i.volumes.enumerated() {
                let box = VolumeBounds.box(v)
                for c in CellIndex.storedCells(box) {
                    cells.append(c)
                    vols.append(i.id, idx: idx, box)
                }
            }
        }
        b.append(r.ids); b.append(new); b.append(r.owners); b.append(r.ovns); b.append(r.versions); b.append(r.states)
        b.append(r.prios); b.append(r.ts); b.append(r.te); b.append(r.nvol); b.append(r.bodies)
        b.append(Date().timeIntervalSince1970)
        b.append(vols.ids); b.append(vols.idx); b.append(cells); b.append(vols.x0); b.append(vols.y0)
        b.append(vols.x1); b.append(vols.y1); b.append(vols.lo); b.append(vols.hi); b.append(vols.t0); b.append(vols.t1)
        return b
    }
}

/// The drainer's memory of one area's rows between batches (usually the hot area the last
/// batches wrote in): every intent whose index box overlaps ``covered`` as of the last read,
/// changed by every batch applied since, plus the written ids' rows (or their absence).
/// Another process's writes make it stale; `deconflict_apply_batch` notices that for every
/// row a decision relied on ('changed'), and the cache is then dropped and read again.
/// Touched only by the drainer (one at a time, ``PostgresWriteQueue``).
final class PostgresBatchCache: @unchecked Sendable {
    private(set) var known = PostgresRowSet()
    private(set) var covered: Box4?
    /// Above this many rows the cache is dropped (it only grows by written ids).
    static let maxRows = 50_000

    /// Whether `area` is local: within 1° and a day (what is cached, and what reads coalesce).
    static func isLocal(_ area: Box4) -> Bool {
        area.isValid && area.maxLat - area.minLat <= 1 && area.maxLon - area.minLon <= 1 && area.t1 - area.t0 <= 86_400
    }

    /// The box to read and cache for a batch whose probe spans `area`: `area` grown by
    /// 0.1° (~10 km), 500 m and 2 h; nil if `area` is not local.
    static func cacheable(_ area: Box4) -> Box4? {
        guard isLocal(area) else { return nil }
        var b = area.padded(deg: 0.1)
        b.minAlt -= 500; b.maxAlt += 500; b.t0 -= 7_200; b.t1 += 7_200
        return b
    }

    func covers(_ area: Box4) -> Bool { covered?.contains(area) ?? false }

    func refill(_ rows: PostgresRowSet, covering box: Box4) {
        known = rows
        covered = box
    }

    /// The batch was applied: its written rows are now the database's.
    func applied(_ plan: PostgresBatchPlan) {
        for (r, _) in plan.rows { known.set(r) }
        for id in plan.deletes { known.remove(id) }
        if known.rows.count > Self.maxRows { clear() }
    }

    func clear() {
        known = PostgresRowSet()
        covered = nil
    }
}

