/// Collected latencies (milliseconds) with exact percentiles.
struct LatencyStats: Sendable {
    private(set) var samples: [Double] = []

    mutating func add(_ ms: Double) { samples.append(ms) }
    mutating func merge(_ o: LatencyStats) { samples += o.samples }
    var count: Int { samples.count }

    /// Nearest-rank percentile (p in 0...100); 0 when empty.
    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let s = samples.sorted()
        let rank = Int((p / 100 * Double(s.count)).rounded(.up))
        return s[max(0, min(s.count - 1, rank - 1))]
    }
}

extension Duration {
    var milliseconds: Double {
        let (s, a) = components
        return Double(s) * 1_000 + Double(a) / 1e15
    }
}
