import DeconflictLedger
import DeconflictStore
import Foundation

/// The log's signing key: `ledger-key` in the data directory (mode 0600), in Go's `note`
/// private-key form; its name is the log's origin, fixed when the key is made.
public enum LedgerKey {
    public static let fileName = "ledger-key"

    /// The key in `dir`, made on first use with `origin` as its name. An existing key with
    /// another name is refused (the origin is part of every checkpoint ever signed).
    public static func loadOrCreate(in dir: DataDirectory, origin: String) throws -> NoteSigner {
        if let data = dir.read(fileName) {
            let signer: NoteSigner
            do { signer = try NoteSigner(encoded: String(decoding: data, as: UTF8.self)) } catch {
                throw ServerStartError("\(dir.file(fileName).path): \(error)")
            }
            guard signer.name == origin else {
                throw ServerStartError("--ledger-origin \(origin): the ledger's key in \(dir.file(fileName).path) was made for the origin \(signer.name), which every checkpoint carries; pass --ledger-origin \(signer.name)")
            }
            return signer
        }
        let signer: NoteSigner
        do { signer = try NoteSigner(name: origin) } catch { throw ServerStartError("--ledger-origin: \(error)") }
        try dir.write(fileName, Data((signer.encoded + "\n").utf8), secret: true)
        return signer
    }

    /// The existing key (for `ledger key`), or nil.
    public static func load(in dir: DataDirectory) throws -> NoteSigner? {
        guard let data = dir.read(fileName) else { return nil }
        return try NoteSigner(encoded: String(decoding: data, as: UTF8.self))
    }
}

/// The ledger's storage for a store location: `ledger.sqlite` beside the SQLite intents, or
/// the ledger tables of the PostgreSQL database.
public enum LedgerStorageSelection {
    public static func open(_ location: StoreLocation) async throws -> any LedgerStorage {
        do {
            switch location {
            case let .sqlite(dir): return try SQLiteLedgerStorage(directory: dir)
            case let .postgres(s): return try await PostgresLedgerStorage(settings: s)
            }
        } catch let e as StoreError {
            throw StoreSelectionError(store: location.description, reason: "ledger: \(e.description)")
        }
    }
}
