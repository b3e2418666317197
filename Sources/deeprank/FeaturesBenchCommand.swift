import ArgumentParser
import Benchmarking
import Features
import Foundation

/// `deeprank bench features`: hand-crafted feature extraction throughput, optionally beside
/// scikit-image on the very same images (the target: at least 5x faster).
struct FeaturesBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Hand-crafted feature extraction throughput; optionally beside scikit-image on the same images.",
        discussion: "--json prints our figures as one JSON object.")

    @OptionGroup var options: BenchOptions

    @Option(help: "Number of 64x64 images.")
    var images: Int = 256

    @Option(help: "Also write the images to this .npy file (float32 [N, H, W]).")
    var imagesOut: String?

    @Flag(name: .customLong("against-skimage"),
          help: "Also run Tests/Reference/bench_features_skimage.py (scikit-image in --python, as many processes as --threads) on the same images and print the ratios.")
    var againstSkimage = false

    @OptionGroup var reference: ReferenceScriptOptions

    @Option(help: "Path of the scikit-image benchmark script.")
    var script: String = "Tests/Reference/bench_features_skimage.py"

    func validate() throws {
        guard images >= 1 else { throw ValidationError("--images must be >= 1") }
    }

    func run() throws {
        options.isa.apply()
        let threads = options.threads, json = options.json
        let pictures = FeatureBenchmark.images(count: images)
        var npy = imagesOut
        if againstSkimage && npy == nil {
            npy = FileManager.default.temporaryDirectory.appendingPathComponent("deeprank-features-\(getpid()).npy").path
        }
        if let npy { try FeatureBenchmark.writeImages(pictures, to: npy) }
        defer { if againstSkimage && imagesOut == nil, let npy { try? FileManager.default.removeItem(atPath: npy) } }
        let result = try FeatureBenchmark.run(images: pictures, threads: threads)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(result)
        guard againstSkimage, let npy else {
            print(json ? String(decoding: data, as: UTF8.self)
                       : String(format: "HOG %.0f, LBP %.0f, colour histogram %.0f, wavelet %.0f images/s (%d thread(s), %d images 64x64)",
                                result.hogImagesPerS, result.lbpImagesPerS, result.colorHistogramImagesPerS,
                                result.waveletImagesPerS, threads, images))
            return
        }
        let ours = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let theirs = try ReferenceComparison(python: reference.python, script: script)
            .run(arguments: ["--images", npy, "--processes", "\(threads)", "--json"])
        print("Reference: \(theirs["reference"] ?? "scikit-image"), \(threads) process(es); ours: \(threads) thread(s)")
        print(ReferenceComparison.table(ours: ours, theirs: theirs, keys: ["hog_images_per_s", "lbp_images_per_s"],
                                        referenceName: "skimage"))
        if json { print(String(decoding: data, as: UTF8.self)) }
    }
}
