// swift-tools-version:6.1
// Deconflict: the pure core (./Core, its own package so it builds and tests in
// seconds) plus thin adapters: store (SQLite/PostgreSQL), server (HTTP/WebSocket)
// and the `deconflict` command line.
import PackageDescription

let package = Package(
    name: "Deconflict",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "deconflict", targets: ["deconflict"]),
    ],
    dependencies: [
        .package(path: "Core"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The transparency log (docs/ledger.md): RFC 6962 Merkle tree, c2sp.org tlog-tiles,
        // signed notes and checkpoints, receipts, the sequencer and the verifier. No I/O of its
        // own: storage is a protocol (the store implements it).
        .target(
            name: "DeconflictLedger",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Store adapter: intents and ledger on SQLite (GRDB, the embedded default) or PostgreSQL.
        .target(
            name: "DeconflictStore",
            dependencies: [
                "DeconflictLedger",
                .product(name: "DeconflictCore", package: "Core"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The schema migrations (one .sql file per version), compiled into the binary.
            resources: [.embedInCode("Migrations/postgres"), .embedInCode("Migrations/sqlite"),
                        .embedInCode("Migrations/sqlite-ledger")]
        ),
        // Server adapter: routes, auth, WebSocket stream, metrics.
        .target(
            name: "DeconflictServer",
            dependencies: [
                "DeconflictStore",
                "DeconflictLedger",
                .product(name: "DeconflictCore", package: "Core"),
                .product(name: "DeconflictFormats", package: "Core"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The situational display: static files served at `/` (Web/static).
            resources: [.copy("Web/static")]
        ),
        // The commands (one per file); a library so tests can drive them.
        .target(
            name: "DeconflictCLI",
            dependencies: [
                "DeconflictStore",
                "DeconflictLedger",
                "DeconflictServer",
                .product(name: "DeconflictCore", package: "Core"),
                .product(name: "DeconflictFormats", package: "Core"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `deconflict feed`: its metrics endpoint.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                // `deconflict load` / `demo`: an HTTP client (AsyncHTTPClient) and a WebSocket client.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(name: "deconflict", dependencies: ["DeconflictCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "LedgerTests", dependencies: ["DeconflictLedger"]),
        .testTarget(
            name: "StoreTests",
            dependencies: ["DeconflictStore", "DeconflictLedger", .product(name: "DeconflictCore", package: "Core"),
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["DeconflictCLI", .product(name: "DeconflictCore", package: "Core"),
                           .product(name: "DeconflictFormats", package: "Core")]
        ),
        // The service over real loopback HTTP and WebSocket (issue 5).
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "DeconflictServer",
                "DeconflictLedger",
                "DeconflictCLI",
                "DeconflictStore",
                .product(name: "DeconflictCore", package: "Core"),
                .product(name: "DeconflictFormats", package: "Core"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
