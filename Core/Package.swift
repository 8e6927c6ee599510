// swift-tools-version:6.1
// The pure core of Deconflict: domain types, geometry, detection, alerting,
// strategic checks and resolution. No I/O, no dependencies: builds in seconds.
import PackageDescription

let package = Package(
    name: "DeconflictCore",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DeconflictCore", targets: ["DeconflictCore"]),
    ],
    targets: [
        .target(name: "DeconflictCore"),
        .testTarget(
            name: "CoreTests",
            dependencies: ["DeconflictCore"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
