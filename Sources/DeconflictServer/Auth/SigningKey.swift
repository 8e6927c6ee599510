import Foundation
import JWTKit

/// The server's Ed25519 signing key, in the data directory as PEM, mode 0600; created on
/// first use by whichever of `deconflict serve` or `deconflict party add` runs first.
enum SigningKey {
    static let fileName = "signing-key.pem"

    static func loadOrCreate(in dir: DataDirectory) throws -> EdDSA.PrivateKey {
        if let data = dir.read(fileName), let pem = String(data: data, encoding: .utf8) {
            return try EdDSA.PrivateKey(pem: pem)
        }
        let key = try EdDSA.PrivateKey(curve: .ed25519)
        try dir.write(fileName, Data(key.pemRepresentation.utf8), secret: true)
        return key
    }
}

/// A random server secret (mode 0600) for opaque aircraft ids.
enum ServerSecret {
    static let fileName = "server-secret"

    static func loadOrCreate(in dir: DataDirectory) throws -> [UInt8] {
        if let data = dir.read(fileName), data.count >= 32 { return Array(data) }
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0 ... 255, using: &rng) }
        try dir.write(fileName, Data(bytes), secret: true)
        return bytes
    }
}
