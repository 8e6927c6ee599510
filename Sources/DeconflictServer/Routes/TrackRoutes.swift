import Crypto
import DeconflictLedger
import Foundation
import Hummingbird

/// `POST /v1/tracks`: a batch of the caller's reports, validated whole (a bad batch
/// stores nothing), applied to the live picture and checked for conflicts at once.
struct TrackRoutes {
    let engine: LiveEngine
    let config: ServerConfig
    let metrics: ServerMetrics
    let ledger: Ledger

    func add(to group: RouterGroup<AppContext>) {
        group.post("tracks") { request, context in try await post(request, context) }
    }

    func post(_ request: Request, _ context: AppContext) async throws -> Response {
        let started = ContinuousClock.now
        let received = started
        let caller = try context.caller(.tracksWrite)
        if let len = request.headers[.contentLength].flatMap(Int.init), len > config.maxBodyBytes {
            metrics.batchesRejected.increment()
            throw Problem.tooLarge("body of \(len) bytes exceeds the limit of \(config.maxBodyBytes)")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: config.maxBodyBytes)
        } catch {
            metrics.batchesRejected.increment()
            throw Problem.tooLarge("body exceeds the limit of \(config.maxBodyBytes) bytes")
        }
        let batch: TrackBatch
        let max = config.maxReportsPerBatch
        do {
            do {
                batch = TrackBatch(reports: try body.withUnsafeReadableBytes { try TrackBatchParser.parse($0, maxReports: max) })
            } catch is TrackBatchParser.NeedsGeneralDecoder {
                // Escaped strings: the general (slower) decoder, same rules and verdicts.
                batch = try TrackBatchParser.decodeGeneral(Array(body.readableBytesView), maxReports: max)
            }
        } catch is TrackBatchParser.TooMany {
            metrics.batchesRejected.increment()
            throw Problem.tooLarge("at most \(config.maxReportsPerBatch) reports per batch")
        } catch let e as TrackBatchParser.Failure {
            metrics.batchesRejected.increment()
            throw Problem.badRequest(e.description)
        } catch {
            metrics.batchesRejected.increment()
            throw Problem.badRequest(DecodingDetail.describe(error))
        }
        if batch.reports.isEmpty {
            metrics.batchesRejected.increment()
            throw Problem.badRequest("reports must not be empty")
        }
        if batch.reports.count > config.maxReportsPerBatch {
            metrics.batchesRejected.increment()
            throw Problem.tooLarge("at most \(config.maxReportsPerBatch) reports per batch")
        }
        let now = Date().timeIntervalSince1970
        for (k, r) in batch.reports.enumerated() {
            if let p = r.problem(now: now, maxFuture: config.maxFutureSeconds, maxPast: config.maxPastSeconds) {
                metrics.batchesRejected.increment()
                throw Problem.badRequest("reports[\(k)]: \(p)")
            }
        }
        let result: IngestResult
        do {
            result = try engine.ingest(batch.reports, party: caller.party, received: received)
        } catch {
            metrics.batchesRejected.increment()
            throw error
        }
        // Acknowledged only once the batch is in the ledger (a signed checkpoint holds it).
        let digest = body.withUnsafeReadableBytes { SHA256.hash(data: $0) }.map { String(format: "%02x", $0) }.joined()
        let event = TrackBatchEvent(party: caller.party, reports: result.accepted, applied: result.applied,
                                    duplicates: result.duplicates, body_sha256: digest)
        let receipt: Receipt
        do {
            receipt = try await ledger.append(LedgerSubmission(kind: "tracks.accepted", actor: caller.party, concerns: [caller.party],
                                                               event: Array(Wire.text(event).utf8)))
        } catch {
            throw Problem(.serviceUnavailable, "ledger-unavailable", "the ledger could not record the batch; retry (replays are idempotent)")
        }
        metrics.ingestSeconds.recordInterval(since: started)
        return try Wire.response(IngestAnswer(result: result, receipt: ReceiptJSON(receipt)), status: .accepted)
    }
}

/// The ledger's event for an accepted batch: the counts and the SHA-256 of the body as posted
/// (the party keeps the body: with the receipt it proves what it reported, and when).
struct TrackBatchEvent: Encodable {
    var party: String
    var reports: Int
    var applied: Int
    var duplicates: Int
    var body_sha256: String
}
