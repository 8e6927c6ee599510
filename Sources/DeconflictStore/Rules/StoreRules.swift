import DeconflictCore

/// The store's single entry to the core's pure rules: both backends call exactly this with
/// the current intent and the candidate intents they found, inside their atomic section.
enum StoreRules {
    static func decide(_ write: IntentWrite, writer: String, current: Intent?, candidates: [Intent]) -> IntentDecision {
        IntentRules.evaluate(write, writer: writer, current: current, others: candidates, policy: .default)
    }

    /// The index boxes of the volumes a create or update proposes; nil for a delete, and for
    /// volumes without valid bounds (the rules refuse those).
    static func newBoxes(_ write: IntentWrite) -> [Box4]? {
        switch write {
        case let .create(p, _), let .update(p, _, _): return VolumeBounds.boxes(p.volumes)
        case .delete: return nil
        }
    }

    /// Exact 4D intersection of two volume sets (any pair), by the core's geometry.
    static func intersects(_ a: [Volume4D], _ b: [Volume4D]) -> Bool {
        a.contains { x in b.contains { y in x.intersects(y) } }
    }

    /// The intent stored after an accepted create/update.
    static func stored(_ p: IntentProposal, writer: String, version: Int) -> Intent {
        Intent(id: p.id, owner: writer, ovn: OVNGenerator.make(), version: version,
               state: p.state, priority: p.priority, volumes: p.volumes)
    }
}
