// swift-tools-version: 6.0
// DeepRank: "Learning Fine-grained Image Similarity with Deep Ranking" (Wang et al., CVPR 2014)
// as a reproducible experiment harness. Modules are layered bottom-up: each depends only on
// targets listed above it in this file (ArchitectureTests checks it).
import PackageDescription

/// The modules that compute pixels and numbers (tensors, layers, codecs' callers, data sets,
/// features) are optimised in debug builds too: the test suite spends most of its time in them
/// (unoptimised, cutting the photo-crops data set's crops out of full-size photographs alone
/// took minutes), and `-O` changes no bit (Swift neither reassociates nor contracts floating
/// point; the release builds that made every committed run file are `-O` too).
let optimisedInDebugBuilds: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "DeepRank",
    products: [
        // MARK: - Public API
        .executable(name: "deeprank", targets: ["deeprank"]),
        .library(name: "TensorKit", targets: ["TensorKit"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "DatasetKit", targets: ["DatasetKit"]),
        .library(name: "RunFile", targets: ["RunFile"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // MARK: - Native libraries (Debian packages; .ci/install-deps installs them)
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CRSVG", path: "Sources/CRSVG", pkgConfig: "librsvg-2.0",
                       providers: [.apt(["librsvg2-dev"])]),
        // libpng/libjpeg report errors by longjmp; it never crosses a Swift frame because
        // all decoding happens inside this C target, which returns status codes. SVG is rendered
        // here too (librsvg + cairo), so every codec shares one error convention.
        .target(name: "CImageCodecs", dependencies: ["CPNG", "CJPEG", "CRSVG"], path: "Sources/CImageCodecs",
                linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]),

        // Chain kernels: sgemm, sdot, sgemv and sger with exactly OpenBLAS 0.3.21's rounding on
        // its Cooperlake kernels, written once in C and compiled for three instruction sets
        // (portable, AVX2, AVX-512) that give the same bits. No contraction: every fused
        // multiply-add is written out.
        .target(name: "CChains", path: "Sources/CChains", exclude: ["README.md"],
                cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off", "-Wno-psabi"])]),

        // Direct convolution kernels (AVX-512 intrinsics, chosen at run time): the same
        // fused multiply-add chains as OpenBLAS's AVX-512 sgemm on im2col, without im2col.
        // Optimised in debug builds too: the tests' runs spend their time here.
        .target(name: "CConvKernels", dependencies: ["CChains"], path: "Sources/CConvKernels",
                cSettings: [.unsafeFlags(["-O2"])]),

        // powf(s, -3/4) bit for bit as the C library computes it, vectorised where the rounding
        // provably agrees (local response normalisation's s^-beta). Optimised in debug builds
        // too: its test checks every positive float.
        .target(name: "CPowers", dependencies: ["CChains"], path: "Sources/CPowers",
                cSettings: [.unsafeFlags(["-O2"])]),

        // MARK: - Implementation modules, bottom-up
        // The engine: tensors on the chain kernels, HDF5 files, image codecs, network layers.
        .target(name: "TensorKit", dependencies: ["CBLAS", "CChains"], swiftSettings: optimisedInDebugBuilds),
        .target(name: "Storage", dependencies: ["CHDF5"]),
        .target(name: "Imaging", dependencies: ["CImageCodecs"], swiftSettings: optimisedInDebugBuilds),
        .target(name: "NeuralNet", dependencies: ["TensorKit", "CBLAS", "CConvKernels", "CChains", "CPowers"],
                swiftSettings: optimisedInDebugBuilds),
        // The data: image data sets, splits, relevance, triplet samplers.
        .target(name: "DatasetKit", dependencies: [
            "TensorKit", "Imaging", .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["Synthetic/README.md", "Photos/README.md"], swiftSettings: optimisedInDebugBuilds),
        // Hand-crafted features and OASIS, then the metrics every method is scored with.
        .target(name: "Features", dependencies: ["TensorKit", "DatasetKit"], swiftSettings: optimisedInDebugBuilds),
        .target(name: "Evaluation", dependencies: ["DatasetKit", "Features", "TensorKit"]),
        // The run file: what a run stores and how it is read back; knows no method or network.
        .target(name: "RunFile", dependencies: [
            "Storage", "DatasetKit", "Evaluation", "TensorKit", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The methods of the comparison table and their one training loop.
        .target(name: "Methods", dependencies: ["NeuralNet", "DatasetKit", "Features", "Evaluation", "TensorKit", "RunFile"]),
        // Specs, the runner, replay, embeddings: running experiments into run files.
        .target(name: "Experiments", dependencies: [
            "Methods", "RunFile", "Evaluation", "DatasetKit", "Features", "NeuralNet", "TensorKit", "Storage",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Reports from run files alone (no training engine).
        .target(name: "Reporting", dependencies: [
            "RunFile", "Evaluation", "DatasetKit", "Imaging", "Storage", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Benchmarking", dependencies: ["NeuralNet", "Evaluation", "Features", "TensorKit", "CBLAS"]),

        // MARK: - Command-line tool (thin)
        .executableTarget(name: "deeprank", dependencies: [
            "Benchmarking", "Evaluation", "NeuralNet", "TensorKit", "DatasetKit", "Features", "Methods", "RunFile",
            "Experiments", "Reporting",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: - Tests
        .testTarget(name: "TensorKitTests", dependencies: ["TensorKit", "CChains", "CBLAS"]),
        .testTarget(name: "BenchmarkingTests", dependencies: ["Benchmarking", "NeuralNet"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TensorKit", "Storage", "CConvKernels", "CPowers"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "DatasetKitTests", dependencies: ["DatasetKit", "TensorKit", "Imaging", "Storage"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "RunFile", "Methods", "Evaluation", "Features",
                                                             "DatasetKit", "Imaging", "NeuralNet", "TensorKit", "Storage"]),
        // Runs the built `deeprank` binary (built by `swift build --build-tests`).
        .testTarget(name: "CLITests"),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "DatasetKit", "TensorKit", "Storage"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "RunFile", "Experiments", "Methods", "DatasetKit",
                                                           "Imaging", "Storage"]),
        // Reads Package.swift and the sources' imports: the layering above holds.
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "DatasetKit", "Features", "TensorKit", "Storage"]),
    ],
    // Swift 5 language mode: the engine hands raw buffers to worker threads it schedules
    // itself (fixed work items, see TensorKit/Parallel.swift); strict Sendable checking of
    // those closures would add ceremony without catching real races.
    swiftLanguageModes: [.v5]
)
