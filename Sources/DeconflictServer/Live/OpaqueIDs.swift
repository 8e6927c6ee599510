import Crypto
import Foundation

/// Stable opaque ids for other parties' aircraft: HMAC-SHA256 over (owner party,
/// aircraft) with the server secret, first 12 bytes in hex with an `x-` prefix.
/// The same aircraft has the same id for every viewer and across restarts, and the id
/// tells neither the callsign nor the party.
public struct OpaqueIDs: Sendable {
    private let key: SymmetricKey

    public init(secret: [UInt8]) { key = SymmetricKey(data: secret) }

    public func id(party: String, aircraft: String) -> String {
        var h = HMAC<SHA256>(key: key)
        h.update(data: Array(party.utf8)); h.update(data: [0]); h.update(data: Array(aircraft.utf8))
        let mac = h.finalize()
        var s = "x-"
        for b in mac.prefix(12) { s += String(b, radix: 16).leftPad2 }
        return s
    }
}

extension String {
    fileprivate var leftPad2: String { count == 1 ? "0" + self : self }
}
