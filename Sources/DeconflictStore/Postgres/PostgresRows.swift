import DeconflictCore
import PostgresNIO

/// Row ↔ Intent mapping for the PostgreSQL store.
enum PostgresRows {
    static let columns = "id, owner, ovn, version, state, priority, body"

    typealias Tuple = (String, String, String, Int64, String, Int32, ByteBuffer)

    static func decode(_ t: Tuple) throws -> Intent {
        guard let state = IntentState(rawValue: t.4) else {
            throw StoreError.corruptRecord(id: t.0, reason: "state \(t.4)")
        }
        var body = t.6
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        do {
            return Intent(id: t.0, owner: t.1, ovn: t.2, version: Int(t.3), state: state,
                          priority: Int(t.5), volumes: try VolumeCodec.decode(bytes))
        } catch {
            throw StoreError.corruptRecord(id: t.0, reason: "\(error)")
        }
    }

    static func collect(_ rows: PostgresRowSequence) async throws -> [Intent] {
        var out: [Intent] = []
        for try await t in rows.decode(Tuple.self) { out.append(try decode(t)) }
        return out
    }

    /// Columns of intents (but updated_at) as parallel arrays (for unnest).
    struct IntentArrays {
        var ids: [String] = [], owners: [String] = [], ovns: [String] = [], versions: [Int64] = []
        var states: [String] = [], prios: [Int32] = [], ts: [Double] = [], te: [Double] = []
        var nvol: [Int32] = [], bodies: [ByteBuffer] = []

        mutating func append(_ i: Intent) {
            let (t0, t1) = timeSpan(i.volumes)
            ids.append(i.id); owners.append(i.owner); ovns.append(i.ovn); versions.append(Int64(i.version))
            states.append(i.state.rawValue); prios.append(Int32(i.priority)); ts.append(t0); te.append(t1)
            nvol.append(Int32(i.volumes.count)); bodies.append(ByteBuffer(bytes: VolumeCodec.encode(i.volumes)))
        }
    }

    /// Columns of intent_volumes as parallel arrays (for unnest).
    struct VolumeArrays {
        var idx: [Int32] = [], x0: [Double] = [], y0: [Double] = [], x1: [Double] = [], y1: [Double] = []
        var lo: [Double] = [], hi: [Double] = [], t0: [Double] = [], t1: [Double] = []
        var ids: [String] = []

        mutating func append(_ intentID: String, _ volumes: [Volume4D]) {
            for (i, v) in volumes.enumerated() { append(intentID, idx: i, VolumeBounds.box(v)) }
        }

        mutating func append(_ intentID: String, idx i: Int, _ b: Box4) {
            ids.append(intentID); idx.append(Int32(i))
            x0.append(b.minLon); y0.append(b.minLat); x1.append(b.maxLon); y1.append(b.maxLat)
            lo.append(b.minAlt); hi.append(b.maxAlt); t0.append(b.t0); t1.append(b.t1)
        }
    }

    /// The index rows of the volumes bound as $1…$10 (see `bindVolumes`), cells computed by
    /// `deconflict_cells` (CellIndex.storedCells in SQL). Used as the tail of a statement that
    /// may start with its own CTEs (`prefix`, ending with a comma, or empty).
    static func insertCellsSQL(prefix: String = "") -> String {
        """
        WITH \(prefix) u AS (
            SELECT * FROM unnest($1::text[], $2::int4[], $3::float8[], $4::float8[], $5::float8[], $6::float8[],
                                 $7::float8[], $8::float8[], $9::float8[], $10::float8[])
                     AS u(iid, idx, x0, y0, x1, y1, lo, hi, a, b))
        INSERT INTO intent_cells (cell, t1, intent_id, idx, t0, min_alt, max_alt, min_lon, max_lon, min_lat, max_lat)
        SELECT c, u.b, u.iid, u.idx, u.a, u.lo, u.hi, u.x0, u.x1, u.y0, u.y1
        FROM u, deconflict_cells(u.x0, u.x1, u.y0, u.y1) c
        """
    }

    static func bindVolumes(_ a: VolumeArrays, into b: inout PostgresBindings) {
        b.append(a.ids); b.append(a.idx); b.append(a.x0); b.append(a.y0)
        b.append(a.x1); b.append(a.y1); b.append(a.lo); b.append(a.hi)
        b.append(a.t0); b.append(a.t1)
    }

    static func timeSpan(_ vs: [Volume4D]) -> (Double, Double) {
        (vs.map(\.timeStart).min() ?? 0, vs.map(\.timeEnd).max() ?? 0)
    }
}
