/// What a token allows. A token's `scope` claim is these names, space-separated.
public enum Scope: String, Sendable, CaseIterable {
    /// Report one's own tracks.
    case tracksWrite = "tracks.write"
    /// Read traffic, conflicts, alerts and the event stream (need-to-know filtered).
    case trafficRead = "traffic.read"
    /// Create, change and delete one's own intents.
    case intentsWrite = "intents.write"
    /// Read intents (others' as volumes, state and priority only).
    case intentsRead = "intents.read"
    /// Talk on the hotline between parties.
    case hotline
    /// Operate the service.
    case admin

    /// What `deconflict party add` grants unless told otherwise.
    public static let defaultGrant: [Scope] = [.tracksWrite, .trafficRead, .intentsWrite, .intentsRead, .hotline]

    /// Parses a space-separated list, refusing unknown names.
    public static func parse(_ text: String) throws -> [Scope] {
        try text.split(whereSeparator: { $0 == " " || $0 == "," }).map { name in
            guard let s = Scope(rawValue: String(name)) else { throw ScopeError.unknown(String(name)) }
            return s
        }
    }
}

public enum ScopeError: Error, CustomStringConvertible {
    case unknown(String)
    public var description: String {
        switch self {
        case .unknown(let n):
            "unknown scope '\(n)' (known: \(Scope.allCases.map(\.rawValue).joined(separator: " ")))"
        }
    }
}
