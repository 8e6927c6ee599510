import ArgumentParser
import DeconflictFormats
import Foundation

/// `deconflict intents import`: files intents from a GeoJSON or F3548 file into a running
/// service, as the token's party, keeping the key discipline.
struct IntentsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "File intents from a GeoJSON or F3548 file into a running service.",
        discussion: """
        GeoJSON: a Feature or FeatureCollection as `intents check` reads it (docs/strategic.md); \
        each feature is one intent, its id the feature's (default: its index), its party (if \
        given) the token's. F3548: PutOperationalIntentReferenceParameters (`extents`, `state`, \
        `key`; needs --id) or an operational intent as `intents export --format f3548` writes it.

        An intent that exists is updated (its current OVN read first). When the service answers \
        that the key lacks other parties' intents, those intents are read (so the writer has \
        seen them) and the write is retried with their OVNs; it reports their conflicts.
        """
    )

    @Argument(help: "The file (.geojson / .json).") var file: String
    @OptionGroup var service: ServiceOptions
    @Option(help: "geojson, f3548, or auto (by the file's members).") var format: IntentsFileFormat = .auto
    @Option(help: "F3548 parameters: the intent's id.") var id: String?
    @Option(help: "F3548 parameters without a state member: the state.") var state: String?

    func run() async throws {
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file))) } catch { throw CLIError("\(file): \(error.localizedDescription)") }
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw CLIError("\(file): not a JSON object")
        }
        let writes = try Self.writes(root, bytes: bytes, file: file, format: format, id: id)
        let client = try service.client()
        defer { Task { await client.shutdown() } }
        var failed = 0
        var progress = ProgressBar("importing", total: writes.count)
        for (n, w) in writes.enumerated() {
            do {
                let line = try await Self.put(w, client)
                progress.finish()
                print(line)
            } catch {
                failed += 1
                progress.finish()
                Terminal.err("\(w.id): \(error)")
            }
            progress.update(n + 1, detail: "\(n + 1)/\(writes.count)")
        }
        progress.finish()
        Terminal.err("\(writes.count - failed) of \(writes.count) intents filed")
        if failed > 0 { throw ExitCode(1) }
    }

    /// One intent to write: its id and its body as a JSON object (the key and OVN added as
    /// the exchange goes).
    struct Write {
        var id: String
        var body: [String: Any]
        var shape: IntentsFileFormat

        /// Where `key` / `ovn` go: top level (F3548) or the feature's properties.
        mutating func set(_ member: String, _ value: Any) {
            if shape == .geojson {
                var props = body["properties"] as? [String: Any] ?? [:]
                props[member] = value
                body["properties"] = props
            } else {
                body[member] = value
            }
        }
        func get(_ member: String) -> Any? {
            shape == .geojson ? (body["properties"] as? [String: Any])?[member] : body[member]
        }
    }

    static func writes(_ root: [String: Any], bytes: [UInt8], file: String, format: IntentsFileFormat, id: String?) throws -> [Write] {
        var shape = format
        if shape == .auto { shape = root["type"] != nil ? .geojson : .f3548 }
        switch shape {
        case .geojson:
            // Checked as `intents check` checks it: every error named, nothing sent if any.
            let parsed: IntentsFile.Parsed
            do { parsed = try IntentsFile.parse(bytes, file: file) } catch { throw CLIError(error.description) }
            if !parsed.errors.isEmpty {
                throw CLIError(parsed.errors.map(\.description).joined(separator: "\n") + "\n\(parsed.errors.count) invalid feature(s): nothing imported")
            }
            let features = root["type"] as? String == "Feature" ? [root] : (root["features"] as? [[String: Any]] ?? [])
            return zip(parsed.features, features).map { checked, raw in
                var f = raw
                var props = f["properties"] as? [String: Any] ?? [:]
                props["id"] = checked.id
                f["properties"] = props
                f["id"] = checked.id
                return Write(id: checked.id, body: f, shape: .geojson)
            }
        case .f3548, .auto:
            if let oi = root["operational_intent"] as? [String: Any] {
                let reference = oi["reference"] as? [String: Any] ?? [:], details = oi["details"] as? [String: Any] ?? [:]
                guard let rid = id ?? reference["id"] as? String, let volumes = details["volumes"] else {
                    throw CLIError("\(file): an operational_intent needs reference.id (or --id) and details.volumes")
                }
                var body: [String: Any] = ["extents": volumes, "state": reference["state"] ?? "Accepted"]
                if let p = details["priority"] { body["priority"] = p }
                return [Write(id: rid, body: body, shape: .f3548)]
            }
            guard root["extents"] != nil else { throw CLIError("\(file): neither GeoJSON (type) nor F3548 (extents or operational_intent)") }
            guard let id else { throw CLIError("\(file): F3548 parameters carry no id: give --id") }
            return [Write(id: id, body: root, shape: .f3548)]
        }
    }

    /// PUT with the key discipline: create; if it exists, update with its current OVN; if
    /// the key lacks intents, read them and retry (at most 5 rounds).
    static func put(_ w0: Write, _ client: ServiceClient) async throws -> String {
        var w = w0
        let path = "/v1/intents/" + (w.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? w.id)
        var read: [String] = []
        for _ in 0..<5 {
            let body = String(decoding: try JSONSerialization.data(withJSONObject: w.body, options: [.sortedKeys]), as: UTF8.self)
            let r = try await client.send(.PUT, path, body: body,
                                          contentType: w.shape == .geojson ? "application/geo+json" : "application/json")
            switch (r.status, r.object["type"] as? String ?? "") {
            case (200, _), (201, _):
                let conflicts = (r.object["conflicts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                var line = "\(w.id): \(r.status == 201 ? "created" : "updated"), ovn \(r.object["ovn"] as? String ?? "?")"
                if !read.isEmpty { line += ", after reading \(read.count) intent(s) it had not seen (\(read.joined(separator: ", ")))" }
                line += conflicts.isEmpty ? ", no conflict" : ", in conflict with \(conflicts.joined(separator: ", "))"
                return line
            case (409, let t) where t.hasSuffix("already-exists"):
                let current = try await client.send(.GET, path)
                guard current.status == 200, let ovn = current.object["ovn"] as? String else {
                    throw CLIError("exists, but reading it failed: \(current.status) \(current.detail)")
                }
                w.set("ovn", ovn)
            case (409, let t) where t.hasSuffix("missing-keys"):
                var key = Set(w.get("key") as? [String] ?? [])
                for m in r.object["missing"] as? [[String: Any]] ?? [] {
                    guard let mid = m["id"] as? String else { continue }
                    let seen = try await client.send(.GET, "/v1/intents/" + (mid.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? mid))
                    guard seen.status == 200, let ovn = seen.object["ovn"] as? String else { continue }
                    key.insert(ovn)
                    read.append(mid)
                }
                w.set("key", key.sorted())
            default:
                throw CLIError("refused: \(r.status) \(r.detail)")
            }
        }
        throw CLIError("not filed after 5 rounds (the intents it overlaps keep changing)")
    }
}

enum IntentsFileFormat: String, ExpressibleByArgument, CaseIterable {
    case auto, geojson, f3548
}

/// `deconflict intents export`: reads intents from a running service as GeoJSON or F3548.
struct IntentsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Read intents from a running service as GeoJSON or F3548.",
        discussion: """
        GeoJSON: one intent prints as the service gives it (a Feature, or a FeatureCollection \
        for a multi-volume intent); several print as one FeatureCollection — a file `intents \
        check` and `intents import` read. F3548: one operational intent document per line.
        """
    )

    @Argument(help: "Intent ids.") var ids: [String]
    @OptionGroup var service: ServiceOptions
    @Option(help: "geojson or f3548.") var format: ExportFormat = .geojson
    @Option(name: .shortAndLong, help: "Write here instead of stdout.") var output: String?

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable { case geojson, f3548 }

    func validate() throws {
        if ids.isEmpty { throw ValidationError("give at least one intent id") }
    }

    func run() async throws {
        let client = try service.client()
        defer { Task { await client.shutdown() } }
        var docs: [Any] = []
        for id in ids {
            let path = "/v1/intents/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id) + "?format=" + format.rawValue
            let r = try await client.send(.GET, path)
            guard r.status == 200, let doc = r.json else { throw CLIError("\(id): \(r.status) \(r.detail)") }
            docs.append(doc)
        }
        var text: String
        switch format {
        case .geojson:
            let single = docs.count == 1 ? docs[0] : nil
            let value: Any = single ?? ["type": "FeatureCollection", "features": docs.flatMap { d -> [Any] in
                let o = d as? [String: Any] ?? [:]
                return o["type"] as? String == "FeatureCollection" ? (o["features"] as? [Any] ?? []) : [o]
            }]
            text = String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self) + "\n"
        case .f3548:
            text = try docs.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
                .joined(separator: "\n") + "\n"
        }
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch { throw CLIError("\(output): \(error.localizedDescription)") }
            Terminal.err("\(docs.count) intent(s) written to \(output)")
        } else {
            print(text, terminator: "")
        }
    }
}
