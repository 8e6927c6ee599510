import ArgumentParser
import DeconflictCore

/// The protected zone and lookahead, in the units pilots use; converted to SI once here.
struct DetectionOptions: ParsableArguments {
    @Option(name: .customLong("rpz-nm"), help: "Horizontal protected-zone radius, NM.")
    var rpzNM: Double = 5

    @Option(name: .customLong("hpz-ft"), help: "Vertical protected-zone half height, ft (separation ≥ this counts as separated).")
    var hpzFt: Double = 1000

    @Option(name: .customLong("lookahead-s"), help: "How far ahead to predict, seconds.")
    var lookaheadS: Double = 300

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    var parameters: DetectionParameters {
        DetectionParameters(rpzNM: rpzNM, hpzFt: hpzFt, lookaheadS: lookaheadS)
    }

    func validate() throws {
        if let p = parameters.problem { throw ValidationError(p) }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be between 1 and 256") }
    }

    var detector: ConflictDetector { ConflictDetector(parameters: parameters, threads: threads) }
}

/// Conflict records as the `detect` contract writes them.
enum ConflictRecord {
    static let columns = ["a", "b", "tcpa_s", "dcpa_nm", "tin_s", "tout_s", "los"]

    static func values(_ c: Conflict, ids: [String]) -> [Cell] {
        [.string(ids[c.a]), .string(ids[c.b]), .num(c.tcpa, 3), .num(Units.toNM(c.dcpa), 4),
         .num(c.tin, 3), .num(c.tout, 3), .bool(c.los)]
    }
}
