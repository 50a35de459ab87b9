// swift-tools-version: 6.0
import PackageDescription

// Module layout and dependency rule: see docs/ARCHITECTURE.md.
let package = Package(
    name: "Tend",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tend", targets: ["tend"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        .target(name: "TendCore"),
        .target(name: "CInt8", path: "Sources/CInt8"),
        .target(name: "CScan", path: "Sources/CScan"),
        .target(name: "CKernels", path: "Sources/CKernels"),
        .target(name: "TendTensor", dependencies: ["CBLAS", "CKernels"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "TendEngine", dependencies: ["TendTensor", "TendCore", "CInt8"]),
        .target(name: "TendMetrics", dependencies: ["TendCore", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        .target(name: "TendInterop", dependencies: ["TendEngine", "TendTensor", "TendMetrics", "TendCore", "CScan"]),
        .target(name: "TendUI"),
        .target(name: "TendDashboard", dependencies: ["TendUI", "TendMetrics", "TendCore"]),
        .target(name: "TendTerminal", dependencies: ["TendUI", "CNCurses"]),
        // The live run, its threads and command router, the training session, previews; publishes plain values
        // (metrics snapshots, `InspectSnapshot`) and knows no UI module.
        .target(name: "TendRuntime", dependencies: [
            "TendCore", "TendTensor", "TendEngine", "TendMetrics", "TendInterop",
        ]),
        // The hosts that join the runtime to the screens' programs on the one loop over any `TerminalBackend`.
        .target(name: "TendApp", dependencies: [
            "TendRuntime", "TendDashboard", "TendUI", "TendCore", "TendMetrics", "TendEngine", "TendInterop",
        ]),
        // Every benchmark: the `tend bench` subcommands and the render/dashboard frame harnesses.
        .target(name: "TendBench", dependencies: [
            "TendCore", "TendTensor", "TendEngine", "TendMetrics", "TendInterop", "TendUI", "TendDashboard",
            "TendTerminal", "TendRuntime",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tend", dependencies: [
            "TendCore", "TendTensor", "TendEngine", "TendMetrics", "TendInterop",
            "TendUI", "TendDashboard", "TendTerminal", "TendRuntime", "TendApp", "TendBench",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "TendTensorTests", dependencies: ["TendTensor"]),
        .testTarget(name: "TendEngineTests", dependencies: ["TendEngine", "TendTensor", "TendCore", "CInt8"]),
        .testTarget(name: "TendMetricsTests", dependencies: ["TendMetrics", "TendCore"]),
        .testTarget(name: "TendInteropTests", dependencies: ["TendInterop", "TendTensor", "TendCore"]),
        .testTarget(name: "TendUITests", dependencies: ["TendUI"]),
        .testTarget(name: "TendTerminalTests", dependencies: ["TendTerminal", "TendUI", "CNCurses"]),
        .testTarget(name: "TendRuntimeTests", dependencies: [
            "TendRuntime", "TendMetrics", "TendEngine", "TendCore", "TendTensor", "TendInterop",
        ]),
        .testTarget(name: "TendAppTests", dependencies: [
            "TendApp", "TendRuntime", "TendDashboard", "TendUI", "TendMetrics", "TendEngine", "TendCore", "TendInterop",
        ]),
        .testTarget(name: "TendBenchTests", dependencies: ["TendBench", "TendDashboard", "TendUI"]),
        .testTarget(name: "TendDashboardTests", dependencies: ["TendDashboard", "TendUI", "TendMetrics", "TendCore"]),
    ],
    swiftLanguageModes: [.v5]
)
