import ArgumentParser
import DeconflictLedger
import DeconflictServer
import DeconflictStore
import Foundation

/// `deconflict ledger key|export|verify`: the transparency log (docs/ledger.md) offline.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Print the ledger's verifier key, export the log as static tiles, verify a log.",
        discussion: """
        The ledger is a c2sp.org/tlog-tiles log of every intent write and track batch, signed \
        with the server's Ed25519 log key (`ledger-key` in the data directory). Any tool that \
        reads tlog-tiles can check it; `verify` is ours.
        """,
        subcommands: [Key.self, Export.self, Verify.self]
    )

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the log's verifier key (note vkey: name+id+key), making the key if there is none yet.")
        @OptionGroup var data: DataOptions
        @Option(help: "The origin for a new key (ignored if the key exists).") var origin = ServerConfig(dataDirectory: URL(fileURLWithPath: ".")).ledgerOrigin

        func run() async throws {
            let dir = try DataDirectory(data.url)
            let signer: NoteSigner
            do { signer = try LedgerKey.loadOrCreate(in: dir, origin: try LedgerKey.load(in: dir)?.name ?? origin) } catch {
                throw CLIError("\(error)")
            }
            print(signer.verifier.vkey)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the log's checkpoint, hash tiles and entry bundles as static files.",
            discussion: "OUT/checkpoint and OUT/tile/… are laid out as the server serves them under /v1/ledger, so any static file server publishes the same log.")
        @OptionGroup var data: DataOptions
        @Option(help: "The store holding the ledger: sqlite (the data directory), sqlite:DIR, postgres or a postgres:// URL.") var store = "sqlite"
        @Argument(help: "Output directory (created).") var out: String

        func run() async throws {
            let dir = try DataDirectory(data.url)
            guard let signer = try LedgerKey.load(in: dir) else { throw CLIError("no ledger key in \(data.url.path) (has a server run there?)") }
            let storage = try await LedgerStorageSelection.open(try StoreSelection.location(store, dataDirectory: data.url))
            let ledger: Ledger
            do { ledger = try await Ledger(storage: storage, signer: signer) } catch {
                try? await storage.close()
                throw CLIError("the ledger does not open: \(error) (run `deconflict ledger verify --data \(data.url.path)` to find the bad entry)")
            }
            defer { Task { try? await ledger.close() } }
            let root = URL(fileURLWithPath: out)
            let fm = FileManager.default
            let paths = TilePath.tiles(forSize: ledger.size)
            var bar = ProgressBar("export", total: paths.count)
            for (k, p) in paths.enumerated() {
                let bytes = p.level == nil ? try await ledger.bundle(p) : ledger.tile(p)
                guard let bytes else { throw CLIError("tile \(p) missing from the log") }
                let file = root.appendingPathComponent(p.description)
                try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: file)
                bar.update(k + 1, detail: "\(k + 1)/\(paths.count) tiles")
            }
            bar.finish()
            try fm.createDirectory(at: root, withIntermediateDirectories: true)
            try Data(ledger.checkpoint.utf8).write(to: root.appendingPathComponent("checkpoint"))
            FileHandle.standardError.write(Data("exported \(ledger.size) entries (\(paths.count) tiles) to \(root.path)\n".utf8))
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a log: every hash, every signature, consistency with older checkpoints and receipts.",
            discussion: """
            SOURCE is the log's URL prefix (https://host/v1/ledger, with --token), an exported \
            directory, or a data directory holding ledger.sqlite (or pass --store for PostgreSQL): \
            then the stored rows themselves are checked. Exits 1 naming the first bad entry.
            """)
        @Argument(help: "URL prefix, export directory or data directory.") var source: String?
        @Option(help: "The log's verifier key (name+id+key, from `deconflict ledger key`), or a file holding it.") var vkey: String
        @Option(name: .customLong("checkpoint"), help: "An older signed checkpoint (file) the log must be consistent with; repeatable.") var checkpoints: [String] = []
        @Option(name: .customLong("receipt"), help: "A receipt (file: the JSON receipt, or a response holding one) that must still hold; repeatable.") var receipts: [String] = []
        @Option(help: "With a data directory: the store holding its ledger (sqlite, sqlite:DIR, postgres, postgres://…).") var store: String?
        @Option(help: "Bearer token for a URL (default $DECONFLICT_TOKEN).") var token: String?
        @Option(name: .customLong("ca-file"), help: "PEM roots for an https URL.") var caFile: String?

        func run() async throws {
            let keyText = FileManager.default.isReadableFile(atPath: vkey) ? (try String(contentsOfFile: vkey, encoding: .utf8)) : vkey
            let verifier: NoteVerifier
            do { verifier = try NoteVerifier(vkey: keyText) } catch { throw CLIError("--vkey: \(error)") }
            let older = try checkpoints.map { path in
                guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("--checkpoint \(path): no readable file") }
                return String(decoding: data, as: UTF8.self)
            }
            let rs = try receipts.map(Self.readReceipt)
            let v = LedgerVerifier(verifier: verifier)
            let result: VerifiedLog
            do {
                result = try await check(v, older, rs)
            } catch let e as LedgerError {
                FileHandle.standardError.write(Data("ledger verify: FAILED: \(e)\n".utf8))
                throw ExitCode(1)
            }
            print("ok: \(result.entries) entries verified against the checkpoint signed by \(verifier.name) (root \(Data(result.checkpoint.root).base64EncodedString()))")
            for c in result.checked { print("ok: \(c)") }
        }

        func check(_ v: LedgerVerifier, _ older: [String], _ rs: [Receipt]) async throws -> VerifiedLog {
            let src = source ?? "."
            if src.hasPrefix("http://") || src.hasPrefix("https://") {
                let client = try ServiceClient(base: src, token: token ?? ProcessInfo.processInfo.environment["DECONFLICT_TOKEN"] ?? "", caFile: caFile)
                defer { Task { await client.shutdown() } }
                return try await v.verify(HTTPSource(client: client), olderCheckpoints: older, receipts: rs)
            }
            let url = URL(fileURLWithPath: src)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: src, isDirectory: &isDir), isDir.boolValue else {
                throw CLIError("\(src): no such directory (give a log's URL prefix, an export directory or a data directory)")
            }
            if store != nil || FileManager.default.fileExists(atPath: url.appendingPathComponent(SQLiteLedgerStorage.fileName).path) {
                let storage = try await LedgerStorageSelection.open(try StoreSelection.location(store ?? "sqlite", dataDirectory: url))
                defer { Task { try? await storage.close() } }
                guard let note = try await storage.checkpoint() else { throw LedgerError.invalid("the store holds no checkpoint", index: nil) }
                let rows = try await storage.entries(from: 0, count: .max)
                return try v.verifyStored(rows, checkpoint: note, olderCheckpoints: older, receipts: rs)
            }
            return try await v.verify(DirectorySource(url), olderCheckpoints: older, receipts: rs)
        }

        /// A receipt file: the receipt object, or any JSON response with a `receipt` member.
        static func readReceipt(_ path: String) throws -> Receipt {
            guard let data = FileManager.default.contents(atPath: path),
                  var obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw CLIError("--receipt \(path): not a JSON file")
            }
            if let inner = obj["receipt"] as? [String: Any] { obj = inner }
            guard let index = (obj["index"] as? NSNumber)?.uint64Value, let e = obj["entry_b64"] as? String, let entry = Data(base64Encoded: e),
                  let cp = obj["checkpoint"] as? String, let proof = obj["proof"] as? [String] else {
                throw CLIError("--receipt \(path): needs index, entry_b64, checkpoint and proof")
            }
            let hashes = try proof.map { s -> [UInt8] in
                guard let h = Data(base64Encoded: s), h.count == 32 else { throw CLIError("--receipt \(path): a proof hash is not 32 bytes of base64") }
                return Array(h)
            }
            return Receipt(index: index, entry: Array(entry), checkpoint: cp, proof: hashes)
        }
    }
}

/// A log served over HTTP(S) at a URL prefix.
struct HTTPSource: LedgerSource {
    let client: ServiceClient
    func read(_ path: String) async throws -> [UInt8]? { try await client.bytes("/" + path) }
}
