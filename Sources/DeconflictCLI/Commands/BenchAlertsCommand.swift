import ArgumentParser
import DeconflictCore

/// `deconflict bench alerts`: alert levels for every cross-party pair of a generated dense
/// picture, timed per step (build with -c release). Register under the `bench` group.
struct BenchAlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Time DO-365 alerting over all cross-party pairs of generated traffic.",
        discussion: """
        Generates --n aircraft (TrafficGenerator: dense = 600 km box, continental = 3000 km; \
        FL100–400, 250–500 kt, 30 % climbing/descending), assigns party k mod --parties, then \
        steps the picture --steps times at 1 s, timing AlertEngine.step (broad phase, exact \
        WCV_TAUMOD levels, M-of-N filters). --verify also checks the broad phase against all \
        pairs on the first step.
        """
    )

    @Option var n: Int = 10_000
    @Option var parties: Int = 2
    @Option var steps: Int = 10
    @Option var seed: UInt64 = 42
    @Option(help: "dense or continental.") var region: String = "dense"
    @Option(help: "phase1 | phase2 | noncoop | cylinder | FILE") var alerter: String = "phase1"
    @Flag(help: "Check on the first step that no pair raising a level was missed by the broad phase.")
    var verify = false

    init() {}

    func validate() throws {
        if n < 2 { throw ValidationError("--n must be at least 2") }
        if parties < 1 { throw ValidationError("--parties must be at least 1") }
        if steps < 1 { throw ValidationError("--steps must be at least 1") }
        if TrafficGenerator.Region(rawValue: region) == nil { throw ValidationError("--region: dense or continental") }
    }

    func run() throws {
        let alerter = try AlerterOption.resolve(self.alerter)
        let gen = TrafficGenerator(region: TrafficGenerator.Region(rawValue: region)!)
        let initial = gen.generate(n, seed: seed)
        let party = (0..<n).map { $0 % parties }
        var engine = AlertEngine(alerter: alerter)
        var times: [Double] = [], cpuTimes: [Double] = []
        print("step,wall_ms,cpu_ms,aircraft,candidate_pairs,raw_raised,alerts,tracked_pairs")
        for k in 0..<steps {
            let states = initial.map { $0.projected(by: Double(k)) }
            let t0 = Clock.now(), c0 = Clock.cpuSeconds()
            let alerts = engine.step(states: states, parties: party, time: Double(k))
            let ms = (Clock.now() - t0) * 1000, cpuMs = (Clock.cpuSeconds() - c0) * 1000
            times.append(ms); cpuTimes.append(cpuMs)
            let s = engine.stats
            print("\(k),\(Cell.fixed(ms, 2)),\(Cell.fixed(cpuMs, 2)),\(s.aircraft),\(s.candidatePairs),\(s.raisedRaw),\(alerts.count),\(s.trackedPairs)")
            if verify && k == 0 { try verifyBroadPhase(states: states, party: party, alerter: alerter, engine: engine) }
        }
        let sorted = times.sorted(), cpuSorted = cpuTimes.sorted()
        let line = "# n=\(n) parties=\(parties) region=\(region) alerter=\(alerter.name): wall median "
            + "\(Cell.fixed(sorted[sorted.count / 2], 2)) ms, max \(Cell.fixed(sorted.last!, 2)) ms; "
            + "cpu median \(Cell.fixed(cpuSorted[cpuSorted.count / 2], 2)) ms per step"
        print(line)
    }

    /// Brute force over all cross-party pairs with the most permissive (early) alerting times.
    func verifyBroadPhase(states: [AircraftState], party: [Int], alerter: Alerter, engine: AlertEngine) throws {
        let pts = engine.points
        var candidates = Set<Int>()
        BroadPhase(TrafficPicture(states), reach: .alerting(alerter)).forEachPair { i, j in
            candidates.insert(min(i, j) * states.count + max(i, j))
        }
        var needed = 0, missed = 0
        let held = alerter.levels.count
        for i in 0..<states.count {
            for j in (i + 1)..<states.count where party[i] != party[j] {
                let r = TangentPlane.relative(own: pts[i], intruder: pts[j])
                if alerter.rawLevel(r, held: held) > 0 {
                    needed += 1
                    if !candidates.contains(i * states.count + j) { missed += 1 }
                }
            }
        }
        print("# verify: \(needed) cross-party pairs can raise a level (early times), \(missed) missed by the broad phase, "
              + "\(candidates.count) candidates (all parties)")
        if missed > 0 { throw AlertsError("broad phase missed \(missed) pairs") }
    }
}
