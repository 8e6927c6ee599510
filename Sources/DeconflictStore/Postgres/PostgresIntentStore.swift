import DeconflictCore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL store (postgres-nio), for deployments that run several service instances.
///
/// Atomicity (docs/store.md): the writes of this process are decided in batches by the core's
/// rules, one after another, on rows read without locks or remembered from earlier batches
/// (``PostgresWriteQueue``, ``PostgresBatchPlan``). A batch that accepted something is applied
/// by ONE statement in autocommit, `deconflict_apply_batch`, which takes transaction-scoped
/// advisory locks on the cells of every probed box and of the written intents' current boxes
/// (``LockKeys``), checks under them that every row the decisions relied on is unchanged and
/// that no other intent is now in the probe, and only then writes — else the batch is decided
/// again on a fresh read; after ``optimisticAttempts`` such races each of its writes takes the
/// locked path (lock, read, decide, apply in one transaction). Any two writes whose volumes
/// could overlap share a lock, so they are serialised and the second one sees the first one's
/// commit.
public final class PostgresIntentStore: IntentStore {
    public let settings: PostgresSettings
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    static let maxAttempts = 8
    /// Counts of the write paths taken, and a test hook (see ``PostgresWritePath``).
    let writePath = PostgresWritePath()
    /// Writes waiting for the next batch (group commit, PostgresWriteBatcher).
    let queue = PostgresWriteQueue()
    /// The drainer's rows of the area it last wrote in (PostgresWriteBatcher).
    let cache = PostgresBatchCache()
    /// Key reads and small area queries, coalesced: one statement at a time (measured in the
    /// hot-area benchmark: 1,092–1,226 writes/s, against 982–1,171 with two at a time and
    /// 994–1,029 without coalescing).
    let reads = PostgresReadBatcher(maxInFlight: 1)
    /// Flushes the WAL before a batch's accepted writes are acknowledged (its commit did not wait).
    let walFlush: PostgresWALFlush

    /// Connects, starts the client's background task and migrates the schema.
    public init(settings: PostgresSettings, maxConnections: Int = 20, connectTimeout: Double = 15,
                logger: Logger? = nil) async throws {
        self.settings = settings
        // postgres-nio logs every failed connection attempt at info: quiet by default.
        let logger = logger ?? { var l = Logger(label: "deconflict.store.pg"); l.logLevel = .warning; return l }()
        self.logger = logger
        var config = PostgresClient.Configuration(host: settings.host, port: settings.port, username: settings.user,
                                                  password: settings.password, database: settings.database, tls: .disable)
        config.options.maximumConnections = max(2, maxConnections)
        // No pool timers: by default every connection returned to the pool schedules a
        // keep-alive timer and (above the minimum) an idle-timeout timer — a task started and
        // cancelled per query, ~20 % of this process's CPU in the hot-area benchmark. Every
        // connection is a "minimum" one (opened at start, kept) and none is pinged when idle.
        config.options.minimumConnections = config.options.maximumConnections
        config.options.keepAliveBehavior = nil
        // Short OLTP statements only: a parallel plan (the planner estimates box overlaps
        // poorly) costs ~20 ms of worker start-up for a sub-millisecond query; JIT likewise.
        // Bitmap scans off: the planner cannot estimate `cell BETWEEN lo AND hi` probes and picks
        // bitmap scans, which never mark dead index entries as dead, so every update in a hot
        // area left entries that all later probes of its cells visited again (thousands per
        // cell after a few benchmark runs, ~1 ms per probe); a plain index scan marks them on
        // the first visit. Generic plans: with custom plans the server re-planned the candidate
        // query (~0.5 ms) on every execution — its estimates do not depend on the values.
        config.options.additionalStartupParameters = [("search_path", "\"\(settings.schema)\""),
                                                      ("max_parallel_workers_per_gather", "0"), ("jit", "off"),
                                                      ("enable_bitmapscan", "off"),
                                                      ("plan_cache_mode", "force_generic_plan")]
        config.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        self.walFlush = PostgresWALFlush(client: client, logger: logger)
        self.runner = Task { await client.run() }
        do {
            // The timeout covers reaching the server, not migrating: a backfill of a large
            // store (schema v3 on 1M intents: ~20 s) must not be cut off.
            try await withTimeout(seconds: connectTimeout) {
                _ = try await client.query("SELECT 1", logger: logger).collect()
            }
            try await PostgresMigrator.migrate(client, schema: settings.schema, logger: logger)
        } catch {
            runner.cancel()
            throw StoreError.database("connecting to \(settings.host):\(settings.port)/\(settings.database): \(String(reflecting: error))")
        }
    }

    public func appliedMigrations() async throws -> [Int] {
        try await PostgresMigrator.appliedVersions(client, schema: settings.schema, logger: logger)
    }

    public func write(_ write: IntentWrite, writer: String) async throws -> WriteResult {
        try await withCheckedThrowingContinuation { c in
            if queue.enqueue(PostgresWriteQueue.Request(write: write, writer: writer, continuation: c)) {
                Task { await self.drain() }
            }
        }
    }

    /// Batches applied, 'changed' answers to batch applies, writes that fell back to the
    /// locked path, and batches' unlocked reads, since the store was opened (the benchmark
    /// reports them).
    public var writePathCounts: (applied: Int, changed: Int, fallbacks: Int, reads: Int) {
        let c = writePath.counts
        return (c.applied, c.changed, c.fallbacks, c.reads)
    }

    /// WAL flushes done before acknowledgements so far (tests).
    var walFlushCount: Int { walFlush.flushes }

    /// 'changed' answers from deconflict_apply_batch before a batch's writes fall back to the
    /// locked path.
    static let optimisticAttempts = 3

    /// The unlocked read (one statement, one snapshot): the intents `selfIDs` and the
    /// candidates over `boxes` other than `except`. Also the key read and the area query.
    func read(_ boxes: [Box4], selfIDs: [String], except: String) async throws -> [Intent] {
        var b = Self.candidateBinds(nil, boxes, selfID: except)
        b.append(selfIDs)
        let logger = self.logger
        return try await withConnectionErrors {
            var out: [Intent] = []
            for try await i in try await client.execute(CandidateRead(binds: b), logger: logger) { out.append(i) }
            return out
        }
    }

    /// `read` for one intent `selfID` (or none: "") and the candidates over `boxes` besides it.
    private func read(_ boxes: [Box4], selfID: String) async throws -> [Intent] {
        try await read(boxes, selfIDs: selfID.isEmpty ? [] : [selfID], except: selfID)
    }

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

    private static func insert(_ intents: [Intent], conn: PostgresConnection, logger: Logger) async throws {
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

    public func get(id: String) async throws -> Intent? {
        try await withConnectionErrors {
            try await PostgresRows.collect(client.query("SELECT id, owner, ovn, version, state, priority, body FROM intents WHERE id = \(id)",
                                                        logger: logger)).first
        }
    }

    public func query(area: Box4) async throws -> [Intent] {
        guard area.isValid else { return [] }
        return try await readAreas([area])
    }

    public func conflicts(with volumes: [Volume4D]) async throws -> [Intent] {
        guard let boxes = VolumeBounds.boxes(volumes) else { return [] }
        return try await readAreas(boxes)
            .filter { $0.state.isCurrent && StoreRules.intersects($0.volumes, volumes) }
    }

    /// The intents over `boxes`: small areas (within 1°: key reads, local queries) through
    /// the read batcher, larger ones on their own (they would hold up the small ones).
    private func readAreas(_ boxes: [Box4]) async throws -> [Intent] {
        guard let area = Box4.enclosing(boxes), PostgresBatchCache.isLocal(area) else {
            return try await read(boxes, selfID: "")
        }
        return try await reads.read(boxes) { [self] all in try await self.read(all, selfID: "") }
    }

    public func intents(owner: String, endingAfter: Double, limit: Int) async throws -> [Intent] {
        guard limit > 0 else { return [] }
        return try await withConnectionErrors {
            try await PostgresRows.collect(client.query("""
                SELECT id, owner, ovn, version, state, priority, body FROM intents
                WHERE owner = \(owner) AND t_end > \(endingAfter) AND state <> 'ended'
                ORDER BY t_end, id LIMIT \(limit)
                """, logger: logger))
        }
    }

    public func count() async throws -> Int {
        try await withConnectionErrors {
            var n = 0
            for try await c in try await client.query("SELECT count(*) FROM intents", logger: logger).decode(Int64.self) { n = Int(c) }
            return n
        }
    }

    public func bulkInsert(_ intents: [Intent]) async throws {
        let logger = self.logger
        for start in stride(from: 0, to: intents.count, by: 5_000) {
            let part = Array(intents[start..<min(start + 5_000, intents.count)])
            try await withConnectionErrors {
                try await self.client.withTransaction(logger: logger) { conn in
                    try await Self.insert(part, conn: conn, logger: logger)
                }
            }
        }
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    /// What `deconflict_cells` (the SQL twin of CellIndex.storedCells, used for index rows)
    /// gives for a box, sorted (tests compare the two).
    func sqlStoredCells(_ b: Box4) async throws -> [Int64] {
        let rows = try await client.query(
            "SELECT deconflict_cells(\(b.minLon), \(b.maxLon), \(b.minLat), \(b.maxLat))", logger: logger)
        var out: [Int64] = []
        for try await c in rows.decode(Int64.self) { out.append(c) }
        return out.sorted()
    }

    /// The source of a function of this store's schema (tests).
    func functionSource(_ name: String) async throws -> String {
        var out = ""
        for try await src in try await client.query("""
            SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proname = \(name) AND n.nspname = \(settings.schema)
            """, logger: logger).decode(String.self) { out += src }
        return out
    }

    /// A setting as a fresh statement on one of the store's connections sees it (tests).
    func setting(_ name: String) async throws -> String {
        var out = ""
        for try await v in try await client.query("SELECT current_setting(\(name))", logger: logger).decode(String.self) { out = v }
        return out
    }

    /// Drops this store's schema (tests).
    public func dropSchema() async throws {
        try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(settings.schema)\" CASCADE"), logger: logger)
    }

    private func withConnectionErrors<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as StoreError { throw e } catch {
            throw StoreError.database(String(reflecting: error))
        }
    }
}

/// Runs `body`, failing with a timeout error if it takes longer (postgres-nio's pool keeps
/// retrying an unreachable server; a store that cannot connect must fail clearly instead).
func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { g in
        g.addTask { try await body() }
        g.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw StoreError.database("timed out after \(Int(seconds)) s")
        }
        let first = try await g.next()!
        g.cancelAll()
        return first
    }
}
