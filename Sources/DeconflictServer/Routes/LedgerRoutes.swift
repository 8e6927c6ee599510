import DeconflictLedger
import Foundation
import Hummingbird

/// The ledger (docs/ledger.md) under `/v1/ledger`, exactly as c2sp.org/tlog-tiles serves a log:
/// `checkpoint`, `tile/<L>/<N>[.p/<W>]`, `tile/entries/<N>[.p/<W>]`; and, for the parties an
/// entry concerns, `entries/{index}` (the full event and its salt). Any valid token may read
/// the tree (every party can verify it); only the concerned may read an event — for anyone
/// else the answer is the same 404 as for an index that does not exist.
struct LedgerRoutes {
    let ledger: Ledger

    func add(to group: RouterGroup<AppContext>) {
        group.get("ledger/checkpoint") { _, context in
            _ = try Self.reader(context)
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
                            body: .init(byteBuffer: ByteBuffer(string: ledger.checkpoint)))
        }
        group.get("ledger/tile/**") { request, context in try await tile(request, context) }
        group.get("ledger/entries/:index") { request, context in try await entry(request, context) }
    }

    static func reader(_ context: AppContext) throws -> Identity {
        guard let id = context.identity else { throw Problem.unauthorized("missing bearer token") }
        return id
    }

    func tile(_ request: Request, _ context: AppContext) async throws -> Response {
        _ = try Self.reader(context)
        let path = request.uri.path.dropFirst("/v1/ledger/".count)
        guard let p = TilePath(parsing: path) else {
            throw Problem.notFound("no such tile: tile paths are tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>] (c2sp.org/tlog-tiles)")
        }
        let bytes: [UInt8]?
        if p.level == nil {
            do { bytes = try await ledger.bundle(p) } catch {
                throw Problem(.serviceUnavailable, "ledger-unavailable", "the ledger's store is unavailable; retry later")
            }
        } else {
            bytes = ledger.tile(p)
        }
        guard let bytes else { throw Problem.notFound("tile \(p) is not in the log at its size \(ledger.size)") }
        // Full tiles never change; a partial one is replaced by a wider one as the log grows.
        let cache = p.isFull ? "public, max-age=31536000, immutable" : "no-cache"
        return Response(status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: cache],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func entry(_ request: Request, _ context: AppContext) async throws -> Response {
        let caller = try Self.reader(context)
        guard let s = context.parameters.get("index"), let index = UInt64(s), String(index) == s else {
            throw Problem.badRequest("index must be a decimal entry index")
        }
        let notFound = Problem.notFound("no entry \(index) that concerns \(caller.party)")
        let stored: StoredEntry?
        do { stored = try await ledger.entry(index) } catch {
            throw Problem(.serviceUnavailable, "ledger-unavailable", "the ledger's store is unavailable; retry later")
        }
        guard let stored, let e = try? LedgerEntry(bytes: stored.entry), e.concerns.contains(caller.party) || e.actor == caller.party,
              let r = ledger.receipt(index: index, entry: stored.entry) else { throw notFound }
        return try Wire.response(LedgerEntryJSON(index: index, kind: e.kind, entry_b64: Data(stored.entry).base64EncodedString(),
                                                 event_b64: Data(stored.event).base64EncodedString(),
                                                 salt_b64: Data(stored.salt).base64EncodedString(), receipt: ReceiptJSON(r)))
    }
}
