import Crypto
import Foundation

/// c2sp.org/signed-note with Ed25519 keys: text, a blank line, signature lines
/// `— <name> <base64(keyID ‖ signature)>`. Key ID = SHA-256(name ‖ "\n" ‖ type ‖ pubkey)[:4].
public enum Note {
    public static let dash = "\u{2014} "

    public static func keyID(name: String, type: UInt8, publicKey: some Collection<UInt8>) -> UInt32 {
        var d = Array(name.utf8)
        d.append(0x0A)
        d.append(type)
        d.append(contentsOf: publicKey)
        let h = Array(SHA256.hash(data: d))
        return UInt32(h[0]) << 24 | UInt32(h[1]) << 16 | UInt32(h[2]) << 8 | UInt32(h[3])
    }

    /// A key name as the spec allows: non-empty, no whitespace, no `+`.
    public static func validName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

    /// Splits a note into its text (with its final newline) and its signature lines.
    public static func split(_ note: String) throws(LedgerError) -> (text: String, signatures: [(name: String, keyID: UInt32, signature: [UInt8])]) {
        guard let sep = note.range(of: "\n\n", options: .backwards) else { throw .malformed("note: no blank line before the signatures") }
        let text = String(note[..<sep.lowerBound]) + "\n"
        let sigPart = note[sep.upperBound...]
        guard sigPart.hasSuffix("\n") else { throw .malformed("note: the signature block does not end in a newline") }
        var sigs: [(String, UInt32, [UInt8])] = []
        for line in sigPart.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(dash) else { throw .malformed("note: a signature line must start with an em dash and a space") }
            let rest = line.dropFirst(dash.count)
            let fields = rest.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, let raw = Data(base64Encoded: String(fields[1])), raw.count > 4 else {
                throw .malformed("note: malformed signature line '\(line)'")
            }
            let b = Array(raw)
            let id = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
            sigs.append((String(fields[0]), id, Array(b[4...])))
        }
        guard !sigs.isEmpty else { throw .malformed("note: no signature") }
        return (text, sigs)
    }
}

/// An Ed25519 note signer (the log's key). Serialised in Go's `note` private-key form
/// `PRIVATE+KEY+<name>+<hex8 id>+<base64(0x01 ‖ seed)>`.
public struct NoteSigner: Sendable {
    public let name: String
    let key: Curve25519.Signing.PrivateKey

    public init(name: String, key: Curve25519.Signing.PrivateKey = .init()) throws(LedgerError) {
        guard Note.validName(name) else { throw .malformed("key name '\(name)': must be non-empty, without spaces or '+'") }
        self.name = name
        self.key = key
    }

    public var keyID: UInt32 { Note.keyID(name: name, type: 0x01, publicKey: Array(key.publicKey.rawRepresentation)) }
    public var verifier: NoteVerifier { NoteVerifier(name: name, publicKey: key.publicKey) }

    public var encoded: String {
        "PRIVATE+KEY+\(name)+\(String(format: "%08x", keyID))+" + Data([0x01] + Array(key.rawRepresentation)).base64EncodedString()
    }

    public init(encoded s: String) throws(LedgerError) {
        let f = s.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard f.count == 5, f[0] == "PRIVATE", f[1] == "KEY", let raw = Data(base64Encoded: String(f[4])),
              raw.count == 33, raw.first == 0x01,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw.dropFirst()) else {
            throw .malformed("not a note signing key (PRIVATE+KEY+name+id+key)")
        }
        try self.init(name: String(f[2]), key: key)
        guard String(format: "%08x", keyID) == f[3] else { throw .malformed("signing key: its key id does not match") }
    }

    /// Signs `text` (which must end in a newline): the whole note.
    public func sign(_ text: String) throws(LedgerError) -> String {
        guard text.hasSuffix("\n") else { throw .malformed("note text must end in a newline") }
        guard let sig = try? key.signature(for: Array(text.utf8)) else { throw .malformed("signing failed") }
        return text + "\n" + signatureLine(Note.bigEndian(keyID) + Array(sig))
    }

    func signatureLine(_ bytes: [UInt8]) -> String { Note.dash + name + " " + Data(bytes).base64EncodedString() + "\n" }

    /// A c2sp.org/tlog-cosignature (type 0x04) over a checkpoint body at `time` (seconds).
    public func cosign(_ checkpointText: String, time: UInt64) throws(LedgerError) -> String {
        let msg = "cosignature/v1\ntime \(time)\n" + checkpointText
        guard let sig = try? key.signature(for: Array(msg.utf8)) else { throw .malformed("signing failed") }
        let id = Note.keyID(name: name, type: 0x04, publicKey: Array(key.publicKey.rawRepresentation))
        var ts: [UInt8] = []
        for s in stride(from: 56, through: 0, by: -8) { ts.append(UInt8(time >> UInt64(s) & 0xff)) }
        return signatureLine(Note.bigEndian(id) + ts + Array(sig))
    }
}

/// An Ed25519 note verifier, in the `vkey` form `<name>+<hex8 id>+<base64(0x01 ‖ pubkey)>`.
public struct NoteVerifier: Sendable {
    public let name: String
    let publicKey: Curve25519.Signing.PublicKey

    init(name: String, publicKey: Curve25519.Signing.PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    public var keyID: UInt32 { Note.keyID(name: name, type: 0x01, publicKey: Array(publicKey.rawRepresentation)) }

    public var vkey: String {
        "\(name)+\(String(format: "%08x", keyID))+" + Data([0x01] + Array(publicKey.rawRepresentation)).base64EncodedString()
    }

    public init(vkey s: String) throws(LedgerError) {
        // The base64 key may hold '+': only the first two '+' separate fields.
        let f = s.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard f.count == 3, let raw = Data(base64Encoded: String(f[2])), raw.count == 33, raw.first == 0x01,
              let pk = try? Curve25519.Signing.PublicKey(rawRepresentation: raw.dropFirst()) else {
            throw .malformed("not an Ed25519 verifier key (name+id+key): '\(s)'")
        }
        self.init(name: String(f[0]), publicKey: pk)
        guard Note.validName(name), String(format: "%08x", keyID) == f[1] else { throw .malformed("verifier key '\(s)': its key id does not match") }
    }

    /// The note's text if it carries a valid signature by this key; a signature by this key
    /// that fails, or none at all, is refused (signatures by other keys are ignored).
    public func open(_ note: String) throws(LedgerError) -> String {
        let (text, sigs) = try Note.split(note)
        guard sigs.count <= 100 else { throw .malformed("note: more than 100 signatures") }
        var verified = false
        for s in sigs where s.name == name && s.keyID == keyID {
            guard publicKey.isValidSignature(s.signature, for: Array(text.utf8)) else {
                throw .badSignature("the signature of \(name) does not verify")
            }
            verified = true
        }
        guard verified else { throw .badSignature("no signature by \(name)+\(String(format: "%08x", keyID))") }
        return text
    }

    /// Verifies a cosignature line's bytes (type 0x04) by this key over `checkpointText`;
    /// returns its timestamp.
    public func verifyCosignature(_ sig: [UInt8], keyID id: UInt32, checkpointText: String) -> UInt64? {
        guard id == Note.keyID(name: name, type: 0x04, publicKey: Array(publicKey.rawRepresentation)), sig.count == 8 + 64 else { return nil }
        var ts: UInt64 = 0
        for b in sig[0..<8] { ts = ts << 8 | UInt64(b) }
        let msg = "cosignature/v1\ntime \(ts)\n" + checkpointText
        return publicKey.isValidSignature(sig[8...], for: Array(msg.utf8)) ? ts : nil
    }
}

public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case badSignature(String)
    /// Verification found the log wrong; `index` is the first entry found bad, if known.
    case invalid(String, index: UInt64?)
    case unavailable(String)

    public var description: String {
        switch self {
        case let .malformed(m), let .badSignature(m), let .unavailable(m): m
        case let .invalid(m, index): index.map { "entry \($0): \(m)" } ?? m
        }
    }
}
