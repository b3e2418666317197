import ArgumentParser
import Benchmarking
import DatasetKit
import Experiments
import Foundation
import TensorKit

/// `deeprank bench data`: loading + preprocessing throughput (synthetic, icon themes or an
/// image folder), against the engine's training image rate measured in the same run (the
/// target: the data path at least 5x faster, so it never starves training).
struct DataBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Loading + preprocessing throughput beside the engine's training rate.",
        discussion: "Images go through a spec's default input pipeline (resize to 64 pixels, random shifts, "
            + "normalisation). --json prints the figures as one JSON object.")

    @OptionGroup var options: BenchOptions

    @Option(help: "Images per batch (the reference network's step: 96).")
    var batchSize: Int = 96

    @Option(help: "Timed batches (the median is reported).")
    var batches: Int = 20

    @Option(help: "Maximum random pixel shift of the augmentation.")
    var maxShift: Int = SpecDefaults.maxShift

    @Option(help: ArgumentHelp("Data to load: 'synthetic' (rendered), 'icon-themes' (PNG files of the installed themes, decoded and resized from 32 to 64 pixels) or a path to an image folder.", valueName: "source"))
    var data: String = "synthetic"

    func validate() throws {
        guard batchSize >= 1, batches >= 1, maxShift >= 0 else {
            throw ValidationError("--batch-size and --batches must be >= 1, --max-shift >= 0")
        }
    }

    func run() throws {
        options.isa.apply()
        let threads = options.threads
        let dataset: any ImageDataset
        switch data {
        case "synthetic":
            dataset = try SyntheticDataset(config: SyntheticConfig(), streams: RandomStreams(seed: 1).child("data"))
        case "icon-themes":
            dataset = try IconThemesDataset(options: .init(themes: IconThemesDataset.Options.recommendedThemes, size: 32))
        default:
            dataset = try ImageFolderDataset(root: data)
        }
        let input = InputSpec(size: SpecDefaults.inputSize, resizeMode: SpecDefaults.resizeMode, maxShift: maxShift,
                              shiftFill: SpecDefaults.shiftFill, flip: SpecDefaults.flip,
                              normalization: try ChannelNormalization(mean: SpecDefaults.normalizeMean,
                                                                      std: SpecDefaults.normalizeStd))
        let augmentation = try input.augmentation()
        let data = try DataThroughput.measure(dataset: dataset, augmentation: augmentation, batchSize: batchSize,
                                              batches: batches, threads: threads)
        var engine = EngineBenchmark()
        engine.threads = threads
        engine.steps = 5
        engine.warmup = 1
        let training = engine.trainingRate()
        let figures: [String: Double] = [
            "data_images_per_s": data.imagesPerSecond,
            "data_cold_images_per_s": data.coldImagesPerSecond ?? .nan,
            "train_images_per_s": training,
            "data_to_train_ratio": data.imagesPerSecond / training,
            "cold_data_to_train_ratio": (data.coldImagesPerSecond ?? .nan) / training,
            "threads": Double(threads),
        ]
        if options.json {
            let encoded = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
            print(String(decoding: encoded, as: UTF8.self))
            return
        }
        print("\(dataset.kind) data (\(dataset.count) images, prepared at \(input.size)x\(input.size)), batches of \(batchSize), shift <= \(maxShift), \(threads) thread(s):")
        print(String(format: "  from the cache of decoded images: %.0f images/s = %.1fx the training rate", data.imagesPerSecond,
                     data.imagesPerSecond / training))
        if let cold = data.coldImagesPerSecond {
            print(String(format: "  loading every image again:        %.0f images/s = %.1fx the training rate", cold, cold / training))
        }
        print(String(format: "  engine training rate (reference network, same run): %.0f images/s", training))
    }
}
