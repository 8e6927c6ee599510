import DeconflictLedger
import DeconflictCore
import DeconflictStore
import Foundation
import Hummingbird
import Logging

/// `/v1/intents`: strategic intents on the intent store, with the OVN key rule.
///
/// - `PUT /v1/intents/{id}` (scope `intents.write`): create (no `ovn`) or update (`ovn` =
///   the current one); 201 / 200 with the stored intent and its conflicts.
/// - `GET /v1/intents/{id}` (`intents.read`): one's own intent in full, another party's
///   redacted (no owner, no version).
/// - `DELETE /v1/intents/{id}?ovn=…` (`intents.write`): owner only; 204.
/// - `GET /v1/intents?bbox=…&from=…&to=…` (`intents.read`): current intents in an area.
///
/// The rules (owner, OVN, key, priority, transitions) are the core's, applied by the store
/// atomically with the write; refusals become problems (``Problem/init(_:)``) that never
/// name another party. Every accepted change is pushed as an `intent` event to its owner
/// and to every party whose current intents conflict with it (before or after the change).
struct IntentRoutes: Sendable {
    let store: any IntentStore
    let hub: EventHub
    let config: ServerConfig
    let logger: Logger
    let ledger: Ledger

    /// `GET /v1/conflicts` examines at most this many of the caller's intents (those ending
    /// soonest); `strategic_truncated` says when it had more.
    static let maxIntentsForConflicts = 100

    func add(to group: RouterGroup<AppContext>) {
        group.put("intents/:id") { request, context in try await put(request, context) }
        group.get("intents/:id") { request, context in try await get(request, context) }
        group.delete("intents/:id") { request, context in try await delete(request, context) }
        group.get("intents") { request, context in try await list(request, context) }
    }

    // MARK: Handlers

    func put(_ request: Request, _ context: AppContext) async throws -> Response {
        let caller = try context.caller(.intentsWrite)
        let id = try Self.intentID(context)
        let bytes = try await body(request)
        let req = try IntentJSON.parsePut(bytes, datum: config.altitudeDatum)
        if let p = req.claimedParty, p != caller.party {
            throw Problem.badRequest("properties.party: the feature names party \(p.prefix(40)), but the caller is \(caller.party): a party writes only its own intents")
        }
        if let i = req.claimedID, i != id {
            throw Problem.badRequest("id: the feature's id \(i.prefix(40)) is not the path's \(id)")
        }
        // Another party's id: 403 whatever the body says (a create on it would be 409).
        let previous = try await storeCall { try await store.get(id: id) }
        if let previous, previous.owner != caller.party {
            throw Problem.forbidden("intent \(id) belongs to another party")
        }
        let proposal = IntentProposal(id: id, state: req.state, priority: req.priority, volumes: req.volumes)
        let result = try await storeCall {
            try await store.put(proposal, key: req.key, ovn: req.ovn, writer: caller.party)
        }
        switch result {
        case let .accepted(intent, conflicts):
            let receipt = try await publish(req.ovn == nil ? "created" : "updated", intent, conflicts: conflicts, previous: previous)
            return try Wire.response(IntentWrittenJSON(intent: IntentView(intent, viewer: caller.party),
                                                          conflicts: conflicts.map(IntentConflictJSON.init),
                                                          receipt: ReceiptJSON(receipt)),
                                        status: req.ovn == nil ? .created : .ok)
        case let .refused(r):
            throw Problem(r)
        case .deleted:
            throw Problem(.internalServerError, "internal", "internal error")
        }
    }

    /// The shapes `GET /v1/intents/{id}` answers in: `?format=` wins, then `Accept:
    /// application/geo+json`, else this API's own JSON.
    static func responseShape(_ request: Request) throws(Problem) -> IntentJSON.Shape {
        if let f = request.uri.queryParameters["format"].map(String.init) {
            guard let shape = IntentJSON.Shape(rawValue: f) else {
                throw Problem.badRequest("format must be native, geojson or f3548, found \(f.prefix(40))")
            }
            return shape
        }
        let accept = request.headers[.accept] ?? ""
        return accept.contains("application/geo+json") ? .geojson : .native
    }

    func get(_ request: Request, _ context: AppContext) async throws -> Response {
        let caller = try context.caller(.intentsRead)
        let id = try Self.intentID(context)
        for (k, _) in request.uri.queryParameters where k != "format" {
            throw Problem.badRequest("unknown query parameter \(k.prefix(40)) (allowed: format)")
        }
        let shape = try Self.responseShape(request)
        guard let intent = try await storeCall({ try await store.get(id: id) }) else {
            throw Problem.notFound("intent \(id) not found")
        }
        switch shape {
        case .native: return try Wire.response(IntentView(intent, viewer: caller.party))
        case .geojson:
            return try Wire.response(IntentShapes.geoJSON(intent, viewer: caller.party), contentType: "application/geo+json")
        case .f3548:
            return try Wire.response(IntentShapes.f3548(intent, viewer: caller.party, datum: config.altitudeDatum))
        }
    }

    func delete(_ request: Request, _ context: AppContext) async throws -> Response {
        let caller = try context.caller(.intentsWrite)
        let id = try Self.intentID(context)
        guard let ovn = request.uri.queryParameters["ovn"].map(String.init), !ovn.isEmpty,
              ovn.utf8.count <= IntentJSON.maxOVNLength else {
            throw Problem.badRequest("ovn (the intent's current OVN) is required: DELETE /v1/intents/{id}?ovn=…")
        }
        guard let previous = try await storeCall({ try await store.get(id: id) }) else {
            throw Problem.notFound("intent \(id) not found")
        }
        guard previous.owner == caller.party else { throw Problem.forbidden("intent \(id) belongs to another party") }
        switch try await storeCall({ try await store.delete(id: id, ovn: ovn, writer: caller.party) }) {
        case .deleted:
            let receipt = try await publish("deleted", previous, conflicts: [], previous: previous)
            // No body on a 204: the receipt travels in a header (base64 of its JSON).
            let header = Data(Wire.text(ReceiptJSON(receipt)).utf8).base64EncodedString()
            return Response(status: .noContent, headers: [Self.receiptHeader: header])
        case let .refused(r):
            throw Problem(r)
        case .accepted:
            throw Problem(.internalServerError, "internal", "internal error")
        }
    }

    struct ListBody: Encodable {
        var intents: [IntentView]
        var truncated: Bool
    }

    func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let caller = try context.caller(.intentsRead)
        let params = request.uri.queryParameters
        for (k, _) in params where !["bbox", "from", "to", "alt_lower_ft", "alt_upper_ft"].contains(String(k)) {
            throw Problem.badRequest("unknown query parameter \(k.prefix(40)) (allowed: bbox, from, to, alt_lower_ft, alt_upper_ft)")
        }
        let query = try IntentQuery { params[$0[...]].map(String.init) }
        let found = try await storeCall { try await store.query(area: query.box) }
        let matching = found.filter(query.matches).sorted { $0.id < $1.id }
        return try Wire.response(ListBody(intents: matching.prefix(IntentQuery.maxResults).map { IntentView($0, viewer: caller.party) },
                                             truncated: matching.count > IntentQuery.maxResults))
    }

    // MARK: Strategic conflicts (for GET /v1/conflicts)

    /// Conflicts in force between the caller's current intents and other parties': each of
    /// the caller's intents not yet over (at most ``maxIntentsForConflicts``, ending soonest
    /// first) against the store's exact 4D conflicts, keeping overlaps not yet over.
    func strategicConflicts(for party: String, now: Double = Date().timeIntervalSince1970) async throws
        -> (conflicts: [StrategicConflictView], truncated: Bool) {
        let mine = try await storeCall {
            try await store.intents(owner: party, endingAfter: now, limit: Self.maxIntentsForConflicts + 1)
        }
        var out: [StrategicConflictView] = []
        for own in mine.prefix(Self.maxIntentsForConflicts) {
            let others = try await storeCall { try await store.conflicts(with: own.volumes) }
            for var c in IntentRules.conflicts(volumes: own.volumes, writer: party, excludingID: own.id, others: others) {
                c.pairs.removeAll { $0.overlap.timeEnd <= now }
                if !c.pairs.isEmpty { out.append(StrategicConflictView(own: own, c)) }
            }
        }
        out.sort { ($0.own, $0.intruder) < ($1.own, $1.intruder) }
        return (out, mine.count > Self.maxIntentsForConflicts)
    }

    // MARK: Events

    /// Pushes an `intent` event to the owner (its view, every conflict) and to every other
    /// party whose current intents conflict with the new version or did with the previous
    /// one (the redacted view, and only the conflicts with its own intents: none means the
    /// change ended them).
    ///
    /// Each party's event is first a ledger entry (the owner's concerns the owner; another
    /// party's concerns it and the owner), all in one batch; the owner's receipt is returned.
    func publish(_ change: String, _ intent: Intent, conflicts: [IntentConflict], previous: Intent?) async throws -> Receipt {
        var parties = Set(conflicts.map(\.otherOwner))
        if let previous {
            // Those the previous version conflicted with learn that it moved (or went).
            if let old = try? await store.conflicts(with: previous.volumes) {
                for o in old where o.owner != intent.owner { parties.insert(o.owner) }
            } else {
                logger.warning("intent event: cannot read the previous version's conflicts", metadata: ["intent": "\(intent.id)"])
            }
        }
        parties.remove(intent.owner)
        let deleted = change == "deleted"
        let events: [(party: String, json: String)] = ([intent.owner] + parties.sorted()).map { party in
            let mine = party == intent.owner ? conflicts : conflicts.filter { $0.otherOwner == party }
            let body = IntentEventJSON(change: change, intent: IntentView(intent, viewer: party),
                                       conflicts: deleted ? [] : mine.map(IntentConflictJSON.init))
            return (party, Wire.text(body))
        }
        let receipts: [Receipt]
        do {
            receipts = try await ledger.appendAll(events.map {
                LedgerSubmission(kind: "intent.\(change)", actor: intent.owner, concerns: [intent.owner, $0.party], event: Array($0.json.utf8))
            })
        } catch {
            logger.error("ledger append failed", metadata: ["error": "\(error)"])
            throw Problem(.serviceUnavailable, "ledger-unavailable", "the write is stored but the ledger could not record it yet; retry later")
        }
        for (party, json) in events {
            hub.publish(to: party, type: "intent") { #"{"type":"intent","cursor":\#($0),"# + json.dropFirst() }
        }
        return receipts[0]
    }

    struct IntentEventJSON: Encodable {
        /// `created`, `updated` or `deleted`.
        var change: String
        /// The intent as the receiver may see it (for `deleted`: its last version).
        var intent: IntentView
        /// The changed intent's conflicts: all of them for its owner, those with the
        /// receiver's own intents for anyone else.
        var conflicts: [IntentConflictJSON]
    }

    // MARK: Helpers

    /// `Deconflict-Receipt`: a DELETE's receipt (a 204 has no body).
    static let receiptHeader = HTTPFields.Element.Name("Deconflict-Receipt")!

    /// `A–Z a–z 0–9 - _ .`, 1–128 characters (UUIDs fit).
    static func intentID(_ context: AppContext) throws -> String {
        guard let id = context.parameters.get("id"), (1...IntentLimits.maxIDLength).contains(id.utf8.count),
              id.utf8.allSatisfy({ c in
                  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F || c == 0x2E
              }) else {
            throw Problem.badRequest("an intent id is 1–\(IntentLimits.maxIDLength) of A–Z a–z 0–9 - _ .")
        }
        return id
    }

    /// The request body, at most `maxBodyBytes` (413 beyond).
    func body(_ request: Request) async throws -> [UInt8] {
        if let len = request.headers[.contentLength].flatMap(Int.init), len > config.maxBodyBytes {
            throw Problem.tooLarge("body of \(len) bytes exceeds the limit of \(config.maxBodyBytes)")
        }
        do {
            let buffer = try await request.body.collect(upTo: config.maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch {
            throw Problem.tooLarge("body exceeds the limit of \(config.maxBodyBytes) bytes")
        }
    }

    /// Store failures are 503 (logged), not 500: the request may be retried.
    func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as StoreError {
            logger.error("intent store failed", metadata: ["error": "\(e)"])
            throw Problem(.serviceUnavailable, "store-unavailable", "the intent store is unavailable; retry later")
        }
    }
}
