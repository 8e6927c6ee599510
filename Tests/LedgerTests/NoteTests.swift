import Crypto
import DeconflictLedger
import Foundation
import Testing

@Suite struct NoteTests {
    /// The signed-note spec's own example verifier key parses, and its key id is the one the
    /// spec prints (computed from the name and key, not read from the string).
    @Test func theSpecsExampleKey() throws {
        let v = try NoteVerifier(vkey: "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
        #expect(v.name == "example.com/foo")
        #expect(String(format: "%08x", v.keyID) == "530d903a")
        #expect(throws: LedgerError.self) { try NoteVerifier(vkey: "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k") }
    }

    @Test func signOpenAndRefuse() throws {
        let s = try NoteSigner(name: "log.example/v1/ledger")
        let other = try NoteSigner(name: "log.example/v1/ledger")
        let cp = Checkpoint(origin: s.name, size: 3, root: [UInt8](repeating: 7, count: 32))
        let note = try s.sign(cp.text)
        #expect(note.hasPrefix(cp.text + "\n\u{2014} log.example/v1/ledger "))
        #expect(try Checkpoint.open(note, verifier: s.verifier) == cp)
        // The key survives its text form; a verifier from the vkey opens the note.
        #expect(try NoteSigner(encoded: s.encoded).verifier.vkey == s.verifier.vkey)
        #expect(try Checkpoint.open(note, verifier: NoteVerifier(vkey: s.verifier.vkey)) == cp)
        // Another key of the same name: no signature it knows → refused.
        #expect(throws: LedgerError.self) { try other.verifier.open(note) }
        // The text changed: the known key's signature fails → refused.
        #expect(throws: LedgerError.self) { try s.verifier.open(note.replacingOccurrences(of: "\n3\n", with: "\n4\n")) }
        // Unknown signatures are ignored (a witness's cosignature added after the log's).
        let cosigned = note + (try other.cosign(cp.text, time: 1_700_000_000))
        #expect(try Checkpoint.open(cosigned, verifier: s.verifier) == cp)
        #expect(throws: LedgerError.self) { try NoteSigner(name: "has space") }
        #expect(throws: LedgerError.self) { try NoteSigner(name: "a+b") }
    }

    @Test func cosignatureVerifies() throws {
        let w = try NoteSigner(name: "witness.blue")
        let text = Checkpoint(origin: "o", size: 1, root: Array(repeating: 1, count: 32)).text
        let line = try w.cosign(text, time: 42)
        let raw = Array(Data(base64Encoded: String(line.split(separator: " ")[2].dropLast()))!)
        let id = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
        #expect(w.verifier.verifyCosignature(Array(raw[4...]), keyID: id, checkpointText: text) == 42)
        #expect(w.verifier.verifyCosignature(Array(raw[4...]), keyID: id, checkpointText: text + "x") == nil)
    }

    /// The entry record, byte for byte (docs/ledger.md), and its leaf hash (computed with
    /// Python's hashlib from the same bytes).
    @Test func entryGoldenVector() throws {
        let salt = Array(UInt8(0)..<32)
        let event = Array(#"{"change":"created"}"#.utf8)
        let e = LedgerEntry(index: 42, timeMillis: 1_796_217_776_123, kind: "intent.created", actor: "blue",
                            concerns: ["red", "blue", "blue"], commitment: LedgerEntry.commitment(event: event, salt: salt))
        let text = "deconflict.entry/v1\nindex 42\ntime 2026-12-02T13:22:56.123Z\nkind intent.created\nactor blue\nconcerns blue red\ncommitment 66HfL92/ojNQo87l6D4yXuM/fQeg+vwEkI25H5sDAew=\n"
        #expect(String(decoding: e.bytes, as: UTF8.self) == text)
        #expect(hex(Merkle.leafHash(e.bytes)) == "014406b46bb9628d88470aa9ba2bfea598454936381dd6797dc7420a7f7087a3")
        #expect(try LedgerEntry(bytes: e.bytes) == e)
        // Any other spelling is refused.
        for bad in [text.replacingOccurrences(of: "index 42", with: "index 042"),
                    text.replacingOccurrences(of: "blue red", with: "red blue"),
                    text.replacingOccurrences(of: ".123Z", with: "Z"),
                    text + "extra\n", String(text.dropLast())] {
            #expect(throws: LedgerError.self) { try LedgerEntry(bytes: Array(bad.utf8)) }
        }
    }

    @Test func receiptTextRoundTrips() throws {
        let s = try NoteSigner(name: "o")
        var t = MerkleTree()
        let entries = (0..<5).map { i in Array("entry \(i)".utf8) }
        for e in entries { t.append(leafHash: Merkle.leafHash(e)) }
        let note = try s.sign(Checkpoint(origin: "o", size: 5, root: t.root).text)
        let r = Receipt(index: 3, entry: entries[3], checkpoint: note, proof: t.inclusionProof(index: 3, size: 5))
        #expect(try r.verify(s.verifier).size == 5)
        let back = try Receipt.parseProof(r.tlogProof, entry: entries[3])
        #expect(back == r)
        #expect(throws: LedgerError.self) { try Receipt(index: 3, entry: entries[2], checkpoint: note, proof: r.proof).verify(s.verifier) }
    }
}
