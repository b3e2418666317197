import DatasetKit
import Dispatch
import Foundation
import TensorKit

/// The hand-crafted feature throughput figure (the target: extraction at least 5x faster
/// than scikit-image on the same images). `deeprank bench features` prints `run`'s result;
/// `Tests/Reference/bench_features_skimage.py` times scikit-image on the same pixels,
/// written with `NumpyArrayFile` as a `[N, H, W]` float32 `.npy`.
public enum FeatureBenchmark {
    /// The stream the benchmark images are drawn from (under the given seed).
    public static let streamName = "bench/features/images"

    /// `count` gray `height x width` images in [0, 1] from the seeded stream: a random
    /// linear ramp, two soft discs, oriented stripes and uniform noise of amplitude 0.05,
    /// rescaled to [0, 1]: textured enough that every HOG bin and LBP code occurs.
    public static func images(count: Int = 256, height: Int = 64, width: Int = 64, seed: UInt64 = 0) -> [PlanarImage] {
        var stream = RandomStream(seed: seed, name: streamName)
        return (0..<count).map { _ in
            let rampX = stream.nextUniform(-0.4, 0.4), rampY = stream.nextUniform(-0.4, 0.4)
            let discs = (0..<2).map { _ in
                (y: stream.nextUniform(0, Float(height)), x: stream.nextUniform(0, Float(width)),
                 r: stream.nextUniform(0.15, 0.35) * Float(min(height, width)), level: stream.nextUniform(-0.4, 0.4))
            }
            let angle = stream.nextUniform(0, .pi), period = stream.nextUniform(4, 12)
            let (c, s) = (Float(cos(Double(angle))), Float(sin(Double(angle))))
            var pixels = [Float](repeating: 0, count: height * width)
            for y in 0..<height {
                for x in 0..<width {
                    let fy = Float(y), fx = Float(x)
                    var v = rampX * fx / Float(width) + rampY * fy / Float(height)
                    for disc in discs {
                        let r = ((fy - disc.y) * (fy - disc.y) + (fx - disc.x) * (fx - disc.x)).squareRoot()
                        if r < disc.r { v += disc.level }
                    }
                    let phase = 2 * Float.pi * (fx * c + fy * s) / period
                    v += 0.15 * Float(sin(Double(phase))) + 0.05 * stream.nextUniformFloat()
                    pixels[y * width + x] = v
                }
            }
            let low = pixels.min()!, high = pixels.max()!
            let scale = high > low ? 1 / (high - low) : 0
            for i in pixels.indices { pixels[i] = (pixels[i] - low) * scale }
            return PlanarImage(channels: 1, height: height, width: width, pixels: pixels)
        }
    }

    /// Times each feature over all `images` with `threads` worker threads
    /// (`Parallel.forEach` over images, one workspace per worker, outputs preallocated):
    /// one warm-up pass, then `repeats` passes; the rate is images / median pass time.
    /// The previous `Parallel.threads` is restored afterwards.
    public static func run(images: [PlanarImage], threads: Int, repeats: Int = 5) throws(FeatureError) -> FeatureBenchmarkResult {
        guard let first = images.first else {
            throw .invalidParameter(name: "benchmark images", value: "0", allowed: "at least one image")
        }
        guard images.allSatisfy({ $0.channels == first.channels && $0.height == first.height && $0.width == first.width }) else {
            throw .invalidParameter(name: "benchmark images", value: "\(images.count) images",
                                    allowed: "all of one size and channel count")
        }
        guard threads >= 1, repeats >= 1 else {
            throw .invalidParameter(name: "benchmark threads/repeats", value: "\(threads)/\(repeats)", allowed: ">= 1")
        }
        let previous = Parallel.threads
        Parallel.configure(threads: threads)
        defer { Parallel.configure(threads: previous) }
        var rates: [String: Double] = [:]
        let extractors: [(String, any FeatureExtractor)] = [
            ("hog", try HOG()), ("lbp", try LocalBinaryPattern()),
            ("color_histogram", try ColorHistogram()), ("wavelet", try HaarWavelet()),
        ]
        for (key, extractor) in extractors {
            rates[key] = try rate(of: extractor, on: images, repeats: repeats)
        }
        return FeatureBenchmarkResult(images: images.count, height: first.height, width: first.width,
                                      threads: threads, repeats: repeats,
                                      hogImagesPerS: rates["hog"]!, lbpImagesPerS: rates["lbp"]!,
                                      colorHistogramImagesPerS: rates["color_histogram"]!,
                                      waveletImagesPerS: rates["wavelet"]!)
    }

    private static func rate(of extractor: any FeatureExtractor, on images: [PlanarImage],
                             repeats: Int) throws(FeatureError) -> Double {
        let dimension = try extractor.dimension(height: images[0].height, width: images[0].width)
        var output = [Float](repeating: 0, count: images.count * dimension)
        let workspaces = (0..<Parallel.threads).map { _ in FeatureWorkspace() }
        // Extraction errors depend only on the size and channels, which all images share
        // (checked by `run`): one checked extraction here, none can fail in the timed loop.
        _ = try extractor.features(of: images[0])
        var times: [Double] = []
        output.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for pass in 0...repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                Parallel.forEach(images.count) { i, worker in
                    let row = UnsafeMutableBufferPointer(start: base + i * dimension, count: dimension)
                    do { try extractor.extract(images[i], into: row, workspace: workspaces[worker]) } catch {
                        preconditionFailure("\(extractor.name) failed on benchmark image \(i) after passing on image 0: \(error)")
                    }
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if pass > 0 { times.append(seconds) }
            }
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        return Double(images.count) / median
    }

    /// Writes `images` (all one-channel, one size) as a `[N, H, W]` float32 `.npy` file.
    public static func writeImages(_ images: [PlanarImage], to path: String) throws(FeatureError) {
        guard let first = images.first, images.allSatisfy({ $0.channels == 1 && $0.height == first.height && $0.width == first.width }) else {
            throw .invalidParameter(name: "benchmark images", value: "\(images.count) images",
                                    allowed: "at least one, all gray and of one size")
        }
        try NumpyArrayFile.write(images.flatMap(\.pixels), shape: [images.count, first.height, first.width], to: path)
    }
}

/// Images per second of each feature; the JSON keys are those of
/// `bench_features_skimage.py`, which prints the same keys for scikit-image.
public struct FeatureBenchmarkResult: Codable, Equatable, Sendable {
    public var images: Int
    public var height: Int
    public var width: Int
    public var threads: Int
    public var repeats: Int
    public var hogImagesPerS: Double
    public var lbpImagesPerS: Double
    public var colorHistogramImagesPerS: Double
    public var waveletImagesPerS: Double

    enum CodingKeys: String, CodingKey {
        case images, height, width, threads, repeats
        case hogImagesPerS = "hog_images_per_s"
        case lbpImagesPerS = "lbp_images_per_s"
        case colorHistogramImagesPerS = "color_histogram_images_per_s"
        case waveletImagesPerS = "wavelet_images_per_s"
    }
}
