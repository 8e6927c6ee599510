import DeconflictCore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL store's reads: by id, by area, by conflicting volumes, by owner.
extension PostgresIntentStore {
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
}
