import DeconflictLedger
import Foundation

/// A ledger receipt on the wire (docs/ledger.md): the entry, its index, the signed checkpoint
/// that first held it and the inclusion proof in it; `tlog_proof` is the same as
/// c2sp.org/tlog-proof@v1 text.
struct ReceiptJSON: Encodable, Sendable {
    var index: UInt64
    var entry_b64: String
    var checkpoint: String
    var proof: [String]
    var tlog_proof: String

    init(_ r: Receipt) {
        index = r.index
        entry_b64 = Data(r.entry).base64EncodedString()
        checkpoint = r.checkpoint
        proof = r.proof.map { Data($0).base64EncodedString() }
        tlog_proof = r.tlogProof
    }
}

/// `GET /v1/ledger/entries/{index}` for a party the entry concerns: the entry, the full event
/// and the salt of its commitment, and a receipt in the current checkpoint.
struct LedgerEntryJSON: Encodable, Sendable {
    var index: UInt64
    var kind: String
    var entry_b64: String
    var event_b64: String
    var salt_b64: String
    var receipt: ReceiptJSON
}

/// `POST /v1/tracks`' answer: the counts (``IngestResult``'s members) and the batch's receipt.
struct IngestAnswer: Encodable, Sendable {
    var result: IngestResult
    var receipt: ReceiptJSON

    enum K: String, CodingKey { case receipt }

    func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var c = encoder.container(keyedBy: K.self)
        try c.encode(receipt, forKey: .receipt)
    }
}
