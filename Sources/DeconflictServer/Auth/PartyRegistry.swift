import DeconflictCore
import Foundation
import DeconflictFormats

/// A registered party (an air operator) and what its tokens may do.
public struct PartyRecord: Codable, Sendable, Equatable {
    public var name: String
    public var scopes: [String]
    public var created: Date
    /// Revoking a party by name refuses all its tokens, past and future, until re-added.
    public var revoked: Bool
}

/// A token that was issued (so `party revoke --jti` can name it and list it).
public struct IssuedToken: Codable, Sendable, Equatable {
    public var jti: String
    public var party: String
    public var expires: Date
}

/// Parties and revocations: small, behind a protocol so the SQL store can take it over.
public protocol PartyRegistry: Sendable {
    func party(_ name: String) -> PartyRecord?
    func parties() -> [PartyRecord]
    func isRevoked(jti: String) -> Bool
    /// Registers (or re-enables) a party with these scopes.
    func upsert(party name: String, scopes: [Scope]) throws -> PartyRecord
    func recordIssued(_ token: IssuedToken) throws
    /// Refuses every token of the party. Returns false when there is no such party.
    func revoke(party name: String) throws -> Bool
    func revoke(jti: String) throws
}

public enum PartyName {
    /// 1–64 of letters, digits, `-`, `_`, `.`.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46
        }
    }
}

/// The registry as one JSON file in the data directory (written atomically). The server
/// re-reads it when its modification time changes, so a revocation made with the CLI
/// takes effect on the next request (checked at most every 200 ms).
public final class FilePartyRegistry: PartyRegistry, @unchecked Sendable {
    static let fileName = "parties.json"
    static let lockName = "parties.lock"

    struct Contents: Codable {
        var parties: [String: PartyRecord] = [:]
        var revokedJTIs: Set<String> = []
        var issued: [IssuedToken] = []
    }

    private let dir: DataDirectory
    private let lock = NSLock()
    private var contents = Contents()
    private var loadedModified: Date?
    private var lastCheck = Date.distantPast

    public init(_ dir: DataDirectory) throws {
        self.dir = dir
        try reload(force: true)
    }

    private func reload(force: Bool) throws {
        let now = Date()
        if !force && now.timeIntervalSince(lastCheck) < 0.2 { return }
        lastCheck = now
        let m = dir.modified(Self.fileName)
        if !force && m == loadedModified { return }
        if let data = dir.read(Self.fileName) {
            contents = try Self.decoder.decode(Contents.self, from: data)
        } else {
            contents = Contents()
        }
        loadedModified = m
    }

    private func fresh<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        try? reload(force: false)
        return try body()
    }

    private func mutate<T>(_ body: (inout Contents) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        // Other processes (`party add` / `party revoke` beside a running server) write the same
        // file: read-modify-write under an exclusive lock on parties.lock, or one of two
        // concurrent writers' changes (a revocation) would be lost.
        let fd = open(dir.file(Self.lockName).path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        try reload(force: true)
        let r = try body(&contents)
        try dir.write(Self.fileName, try Self.encoder.encode(contents))
        loadedModified = dir.modified(Self.fileName)
        return r
    }

    public func party(_ name: String) -> PartyRecord? { fresh { contents.parties[name] } }
    public func parties() -> [PartyRecord] { fresh { contents.parties.values.sorted { $0.name < $1.name } } }
    public func isRevoked(jti: String) -> Bool { fresh { contents.revokedJTIs.contains(jti) } }
    public func issued(to party: String) -> [IssuedToken] { fresh { contents.issued.filter { $0.party == party } } }

    public func upsert(party name: String, scopes: [Scope]) throws -> PartyRecord {
        try mutate { c in
            var rec = c.parties[name] ?? PartyRecord(name: name, scopes: [], created: Date(), revoked: false)
            rec.scopes = scopes.map(\.rawValue)
            rec.revoked = false
            c.parties[name] = rec
            return rec
        }
    }

    public func recordIssued(_ token: IssuedToken) throws {
        try mutate { c in
            let now = Date()
            c.issued.removeAll { $0.expires < now }
            c.issued.append(token)
        }
    }

    public func revoke(party name: String) throws -> Bool {
        try mutate { c in
            guard c.parties[name] != nil else { return false }
            c.parties[name]!.revoked = true
            for t in c.issued where t.party == name { c.revokedJTIs.insert(t.jti) }
            return true
        }
    }

    public func revoke(jti: String) throws {
        try mutate { c in _ = c.revokedJTIs.insert(jti) }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder(); e.outputFormatting = [.prettyPrinted, .sortedKeys]; e.dateEncodingStrategy = .custom { d, enc in
            var c = enc.singleValueContainer(); try c.encode(RFC3339.format(d.timeIntervalSince1970))
        }
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder(); d.dateDecodingStrategy = .custom { dec in
            let c = try dec.singleValueContainer()
            let text = try c.decode(String.self)
            guard let t = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return Date(timeIntervalSince1970: t)
        }
        return d
    }()
}
