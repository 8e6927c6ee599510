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

    /// The client's TLS from `sslmode` / `sslrootcert`: TLS is always verified (the chain
    /// against the given roots or the system's; the host name too unless `verify-ca`).
    static func tls(_ settings: PostgresSettings) throws -> PostgresClient.Configuration.TLS {
        guard settings.tlsMode != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = settings.tlsMode == .verifyCA ? .noHostnameVerification : .fullVerification
        if let path = settings.tlsRootCertificate {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw StoreError.configuration("sslrootcert \(path): no readable file")
            }
            tls.trustRoots = .file(path)
        }
        return .require(tls)
    }

    /// Connects, starts the client's background task and migrates the schema.
    public init(settings: PostgresSettings, maxConnections: Int = 20, connectTimeout: Double = 15,
                logger: Logger? = nil) async throws {
        self.settings = settings
        // postgres-nio logs every failed connection attempt at info: quiet by default.
        let logger = logger ?? { var l = Logger(label: "deconflict.store.pg"); l.logLevel = .warning; return l }()
        self.logger = logger
        // No pool timers: by default every connection returned to the pool schedules a
        // keep-alive timer and (above the minimum) an idle-timeout timer — a task started and
        // cancelled per query, ~20 % of this process's CPU in the hot-area benchmark. Every
        // connection is a "minimum" one (opened at start, kept) and none is pinged when idle.
        let connections = max(2, maxConnections)
        // Short OLTP statements only: a parallel plan (the planner estimates box overlaps
        // poorly) costs ~20 ms of worker start-up for a sub-millisecond query; JIT likewise.
        // Bitmap scans off: the planner cannot estimate `cell BETWEEN lo AND hi` probes and picks
        // bitmap scans, which never mark dead index entries as dead, so every update in a hot
        // area left entries that all later probes of its cells visited again (thousands per
        // cell after a few benchmark runs, ~1 ms per probe); a plain index scan marks them on
        // the first visit. Generic plans: with custom plans the server re-planned the candidate
        // query (~0.5 ms) on every execution — its estimates do not depend on the values.
        let (client, runner) = try await startPostgresClient(
            settings, maximum: connections, minimum: connections,
            parameters: [("max_parallel_workers_per_gather", "0"), ("jit", "off"), ("enable_bitmapscan", "off"),
                         ("plan_cache_mode", "force_generic_plan")],
            connectTimeout: connectTimeout, logger: logger)
        self.client = client
        self.runner = runner
        self.walFlush = PostgresWALFlush(client: client, logger: logger)
    }

    public func appliedMigrations() async throws -> [Int] {
        try await PostgresMigrator.appliedVersions(client, schema: settings.schema, logger: logger)
    }

    /// Whether the server sees this client's connection as TLS (`pg_stat_ssl`): for the
    /// health of a deployment and the TLS tests.
    public func connectionIsEncrypted() async throws -> Bool {
        let rows = try await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger)
        for try await ssl in rows.decode(Bool.self) { return ssl }
        return false
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
    func read(_ boxes: [Box4], selfID: String) async throws -> [Intent] {
        try await read(boxes, selfIDs: selfID.isEmpty ? [] : [selfID], except: selfID)
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

}
