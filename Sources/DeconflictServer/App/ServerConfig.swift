import DeconflictCore
import DeconflictFormats
import Foundation

/// Everything `deconflict serve` can be told. Defaults are the documented ones (docs/server.md).
public struct ServerConfig: Sendable {
    /// Where the signing key, server secret, party registry and track snapshot live.
    public var dataDirectory: URL
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port: Int = 8080
    /// HTTPS: the server's certificate chain and private key (PEM files). nil: plain HTTP
    /// (for loopback and behind a TLS-terminating proxy; tokens then cross in clear).
    public var tls: TLSFiles?
    /// How F3548's W84 heights map to the pressure altitudes intents are kept in
    /// (`--w84-offset-m`; default: taken as equal). See ``AltitudeDatum``.
    public var altitudeDatum: AltitudeDatum = .equal
    /// `sqlite` (embedded, in the data directory) or a `postgres://` URL.
    public var store: String = "sqlite"
    /// The ledger's origin: the first line of every checkpoint and the name of its key
    /// (fixed when the key is made). tlog-tiles recommends the URL prefix without scheme.
    public var ledgerOrigin: String = "deconflict.local/v1/ledger"
    /// The `aud` every token must carry.
    public var audience: String = "deconflict"
    /// Another party's aircraft is shown when within this distance of one's own…
    public var vicinityNM: Double = 40
    /// …and within this many feet vertically.
    public var vicinityFt: Double = 5000
    /// State-based detection: 5 NM / 1000 ft / 300 s.
    public var detection: DetectionParameters = .classic
    /// Threads the full cycle's detection may use: all cores but one, so that requests and
    /// stream pushes are not starved while a cycle runs (report→push latency).
    public var detectionThreads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    /// DO-365 alerting (levels and filter) of cross-party pairs: Phase I by default.
    public var alerter: Alerter = .phase1
    /// Period of the full detection cycle.
    public var cycleInterval: Duration = .seconds(1)
    /// A track older than this is dropped from the live picture.
    public var maxTrackAge: Double = 60
    /// Largest accepted request body, bytes (larger → 413).
    public var maxBodyBytes: Int = 4 << 20
    /// Largest accepted batch of reports.
    public var maxReportsPerBatch: Int = 20_000
    /// Events kept per party for resumption (older cursors get a `gap` event).
    public var eventLogCapacity: Int = 4096
    /// Whether the cycle pushes `track` events (vicinity traffic) on the stream.
    public var streamTracks: Bool = true
    /// Reports may be at most this many seconds in the future…
    public var maxFutureSeconds: Double = 60
    /// …and at most this old.
    public var maxPastSeconds: Double = 3600

    public init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
    }
}

/// `--tls-cert` / `--tls-key`: PEM files, read at start-up.
public struct TLSFiles: Sendable, Hashable {
    /// The server's certificate first, then any intermediates.
    public var certificateChain: String
    public var privateKey: String
    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain; self.privateKey = privateKey
    }
}
