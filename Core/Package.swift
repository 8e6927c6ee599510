// swift-tools-version:6.1
// The pure core of Deconflict: domain types, geometry, detection, alerting,
// strategic checks and resolution. No I/O, no dependencies: builds in seconds.
import PackageDescription

let package = Package(
    name: "DeconflictCore",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DeconflictCore", targets: ["DeconflictCore"]),
        .library(name: "DeconflictFormats", targets: ["DeconflictFormats"]),
    ],
    targets: [
        .target(name: "DeconflictCore"),
        // Formats at the edge: pure, Foundation-free readers and writers (bytes in, values out):
        // strict JSON, RFC 3339, GeoJSON intents, traffic CSV, .daa, alerter .conf, and the
        // surveillance feeds (Beast, AVR, Mode S / ADS-B, SBS-1, readsb JSON, ASTERIX).
        .target(name: "DeconflictFormats", dependencies: ["DeconflictCore"]),
        .testTarget(
            name: "CoreTests",
            // The core's algorithms against gold files, read with the formats library.
            dependencies: ["DeconflictCore", "DeconflictFormats"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FormatsTests",
            dependencies: ["DeconflictFormats", "DeconflictCore"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
