import DeconflictCore
import Foundation
import PostgresNIO

/// The prepared statements of the PostgreSQL store: the unlocked reads and the batch apply.
extension PostgresIntentStore {
    /// THE unlocked read — key reads, area queries, the locked path's pre-read and the batches'
    /// reads: the intents $12 and those deconflict_candidate_ids finds over the probe $1–$10,
    /// except $11 (or none: ''). The candidate part is the query deconflict_apply_batch runs
    /// under the locks. Prepared once per connection.
    struct CandidateRead: PostgresPreparedStatement {
        static let name = "deconflict_read"
        static let sql = """
            SELECT i.id, i.owner, i.ovn, i.version, i.state, i.priority, i.body FROM intents i WHERE i.id = ANY($12::text[])
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

    /// deconflict_apply_batch in autocommit: 'applied' or 'changed'. Prepared once per connection.
    struct BatchApplyCall: PostgresPreparedStatement {
        static let name = "deconflict_apply_batch_call"
        static let sql = """
            SELECT deconflict_apply_batch(
                $1::int8[], $2::int8[], $3::int8[], $4::int8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
                $9::float8[], $10::float8[], $11::float8[], $12::float8[],
                $13::text[], $14::text[], $15::text[], $16::text[],
                $17::text[], $18::bool[], $19::text[], $20::text[], $21::int8[], $22::text[], $23::int4[],
                $24::float8[], $25::float8[], $26::int4[], $27::bytea[], $28::float8,
                $29::text[], $30::int4[], $31::int8[], $32::float8[], $33::float8[], $34::float8[],
                $35::float8[], $36::float8[], $37::float8[], $38::float8[], $39::float8[])
            """
        let binds: PostgresBindings
        func makeBindings() -> PostgresBindings { binds }
        func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
    }
}
