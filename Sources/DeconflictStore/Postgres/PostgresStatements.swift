import DeconflictCore
import Foundation
import PostgresNIO

/// The prepared statements of the PostgreSQL store's write paths (docs/store.md, PostgreSQL
/// atomicity) and the request `deconflict_apply` takes.
extension PostgresIntentStore {
    /// What `deconflict_apply` needs: the expected state the decision was made on and the
    /// write to apply.
    struct ApplyRequest {
        enum Op: String { case create, update, delete }
        var selfID: String
        var expectedOVN: String?
        var candidates: [Intent]
        var op: Op = .delete
        var stored: Intent?

        mutating func set(_ op: Op, _ intent: Intent) { self.op = op; stored = intent }

        /// Lock keys and probe as for deconflict_lock_cells, then the expectations (candidate
        /// ids and OVNs sorted by the id's UTF-8 bytes, as COLLATE "C" sorts them), then the row.
        func binds(_ keys: LockKeys, _ probeBoxes: [Box4]) -> PostgresBindings {
            var b = PostgresIntentStore.candidateBinds(keys, probeBoxes, selfID: selfID)
            let sorted = candidates.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            b.append(expectedOVN); b.append(sorted.map(\.id)); b.append(sorted.map(\.ovn)); b.append(op.rawValue)
            let i = stored
            let (t0, t1) = i.map { PostgresRows.timeSpan($0.volumes) } ?? (0, 0)
            b.append(i?.owner); b.append(i?.ovn); b.append(i.map { Int64($0.version) }); b.append(i?.state.rawValue)
            b.append(i.map { Int32($0.priority) }); b.append(t0); b.append(t1); b.append(Int32(i?.volumes.count ?? 0))
            b.append(ByteBuffer(bytes: i.map { VolumeCodec.encode($0.volumes) } ?? []))
            b.append(Date().timeIntervalSince1970)
            var v = PostgresRows.VolumeArrays()
            if let i { v.append(i.id, i.volumes) }
            b.append(v.idx); b.append(v.x0); b.append(v.y0); b.append(v.x1); b.append(v.y1)
            b.append(v.lo); b.append(v.hi); b.append(v.t0); b.append(v.t1)
            return b
        }
    }

    /// deconflict_apply in autocommit: 'applied' or 'changed'. Prepared once per connection.
    struct ApplyCall: PostgresPreparedStatement {
        static let name = "deconflict_apply_call"
        static let sql = """
            SELECT deconflict_apply(
                $1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
                $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::text,
                $14::text, $15::text[], $16::text[], $17::text,
                $18::text, $19::text, $20::int8, $21::text, $22::int4, $23::float8, $24::float8, $25::int4, $26::bytea,
                $27::float8, $28::int4[], $29::float8[], $30::float8[], $31::float8[], $32::float8[], $33::float8[],
                $34::float8[], $35::float8[], $36::float8[])
            """
        let binds: PostgresBindings
        func makeBindings() -> PostgresBindings { binds }
        func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
    }

    /// The unlocked read (no locks: `candidateBinds(nil, …)`): the intent $11 and the intents
    /// deconflict_candidate_ids finds — the same query deconflict_apply re-reads under the
    /// locks. Prepared once per connection.
    struct CandidateRead: PostgresPreparedStatement {
        static let name = "deconflict_candidate_read"
        static let sql = """
            SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body FROM intents i WHERE i.id = $11::text
            UNION ALL
            SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body
            FROM deconflict_candidate_ids($1::int8[], $2::int8[], $3::float8[], $4::float8[], $5::float8[],
                                          $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::text) c
            JOIN intents i ON i.id = c.intent_id
            """
        typealias Row = Intent
        let binds: PostgresBindings
        func makeBindings() -> PostgresBindings { binds }
        func decodeRow(_ row: PostgresRow) throws -> Intent { try PostgresRows.decode(row.decode(PostgresRows.Tuple.self)) }
    }
}
