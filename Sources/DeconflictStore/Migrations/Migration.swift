import Foundation

/// One versioned schema step. Versions are applied in ascending order, each exactly once;
/// the applied versions are recorded in the `schema_migrations` table of the database, so
/// running the migrator again is a no-op (idempotent).
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    /// SQL statements run in order inside the migration's transaction.
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

extension Array where Element == Migration {
    /// Checks that versions are strictly increasing and unique (a programming error otherwise).
    func validatedOrder() throws -> [Migration] {
        var last = Int.min
        for m in self {
            guard m.version > last else {
                throw StoreError.migration("migration versions must be strictly increasing (\(m.version) after \(last))")
            }
            last = m.version
        }
        return self
    }

    /// The migrations still to apply, given the versions already recorded.
    func pending(applied: Set<Int>) -> [Migration] {
        filter { !applied.contains($0.version) }
    }
}

extension Migration {
    /// Parses a migration file (`Migrations/postgres/*.sql`, `Migrations/sqlite/*.sql`, embedded
    /// in the binary by Package.swift). The format:
    /// - the first line is `-- migration N: name` (N the version; name as recorded in
    ///   `schema_migrations`);
    /// - each statement ends with a line holding only `;` (which is not part of it);
    /// - before each statement, blank lines and lines starting with `--` are commentary; the
    ///   statement runs from its first other line to the line before its `;`, its lines joined
    ///   by "\n" (no trailing newline): byte for byte what earlier versions of the store ran;
    /// - after the last `;`, only commentary.
    /// A statement therefore must not begin with a `--` line nor contain a line that is just `;`.
    init(file: String, sql: String) throws {
        func bad(_ why: String) -> StoreError { StoreError.migration("\(file): \(why)") }
        var lines = sql.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines.first ?? ""
        guard header.hasPrefix("-- migration "), let colon = header.firstIndex(of: ":"),
              let version = Int(header[header.index(header.startIndex, offsetBy: 13)..<colon]) else {
            throw bad("the first line must be '-- migration N: name'")
        }
        let name = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw bad("the migration has no name") }
        var statements: [String] = []
        var current: [String] = []
        for line in lines.dropFirst() {
            if line == ";" {
                guard !current.isEmpty else { throw bad("an empty statement before line '\(line)'") }
                statements.append(current.joined(separator: "\n"))
                current = []
            } else if current.isEmpty, line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("--") {
                continue // commentary
            } else {
                current.append(line)
            }
        }
        guard current.isEmpty else { throw bad("text after the last ';': \(current[0])") }
        guard !statements.isEmpty else { throw bad("no statements") }
        self.init(version: version, name: name, statements: statements)
    }

    /// The embedded migration files (name, bytes), in version order. A malformed file is a
    /// programming error, caught by every test that opens a store: it stops the process.
    static func load(_ files: [(name: String, bytes: [UInt8])]) -> [Migration] {
        files.map { f in
            do {
                let m = try Migration(file: f.name, sql: String(decoding: f.bytes, as: UTF8.self))
                guard f.name.contains("-v\(m.version)-") else {
                    throw StoreError.migration("\(f.name): its header says version \(m.version)")
                }
                return m
            } catch {
                fatalError("embedded schema migration \(f.name) is malformed: \(error)")
            }
        }
    }
}
