import Foundation
import Logging
import ServiceLifecycle

/// Runs the full detection cycle every `cycleInterval` until graceful shutdown, then
/// writes every acknowledged track to the data directory (the HTTP server has already
/// drained by then: services stop in reverse order, the server first), and loads them
/// back at the next start.
public struct LiveService: Service {
    let engine: LiveEngine
    let hub: EventHub
    let dataDirectory: DataDirectory
    let interval: Duration
    let logger: Logger

    static let snapshotFile = "tracks.json"

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            engine.runCycle(now: Date().timeIntervalSince1970)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        try saveSnapshot()
        hub.finishAll()
        logger.info("live service stopped; tracks saved", metadata: ["aircraft": "\(engine.aircraftCount)"])
    }

    func saveSnapshot() throws {
        let data = try JSONEncoder().encode(engine.saved())
        try dataDirectory.write(Self.snapshotFile, data)
    }

    static func restore(_ engine: LiveEngine, from dir: DataDirectory, logger: Logger) {
        guard let data = dir.read(snapshotFile) else { return }
        do {
            engine.restore(try JSONDecoder().decode(LiveEngine.Saved.self, from: data))
            logger.info("restored tracks", metadata: ["aircraft": "\(engine.aircraftCount)"])
        } catch {
            logger.error("cannot read track snapshot; starting empty", metadata: ["error": "\(error)"])
        }
    }
}
