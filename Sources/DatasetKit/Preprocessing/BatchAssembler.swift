import TensorKit

/// Fills a network input tensor `[N, C, h, w]` with N augmented dataset images, in
/// parallel and deterministically (the same pixels whatever the thread count).
///
/// For slot `k` of training step `s` every random choice comes from the stream named
/// **`augment/<s>/<k>`** of the run's `RandomStreams` (see `Augmentation` for the draw
/// order), so a slot's pixels depend only on (seed, step, slot, image), never on the
/// thread count, on other slots, or on other random consumers. Evaluation batches draw
/// nothing.
///
/// Work is split by image with `Parallel.forEach`: first the distinct images of the batch
/// that are not cached are loaded (`image(at:)`) and prepared (resized), one work item
/// each; then each slot is rendered straight into its part of the tensor. Datasets must
/// allow concurrent `image(at:)` calls (`ImageDataset` is `Sendable`).
///
/// **Cache** (optional, `cacheImages`): the prepared images (decoded and resized, not
/// augmented) are kept by dataset index, so each image is decoded once per run. Memory:
/// `4 * C * H * W` bytes per image at the prepared size, e.g. 3x64x64 -> 48 KiB, 10,000
/// images -> 469 MiB; see `cacheBytes`. Without the cache every batch decodes its images.
///
/// Errors: an image that fails to load is reported as `DatasetImageError` (index,
/// identifier, the dataset's own error naming the file); a worker's error is carried out
/// of the parallel loop and the one of the earliest slot is rethrown. The tensor's
/// contents are unspecified after a throw.
public final class BatchAssembler {
    public let dataset: any ImageDataset
    public let augmentation: Augmentation
    public let streams: RandomStreams
    public let cachesImages: Bool

    /// Prepared images by dataset index (only with `cacheImages`).
    private var cache: [PlanarImage?]
    /// Per-batch scratch, reused between calls.
    private var slotImages: [PlanarImage] = []

    /// The augmentation choices of the last successful `fill`, by slot (for tests and logs).
    public private(set) var lastDraws: [AugmentationDraw] = []

    public init(dataset: any ImageDataset, augmentation: Augmentation, streams: RandomStreams,
                cacheImages: Bool = false) {
        self.dataset = dataset; self.augmentation = augmentation; self.streams = streams
        self.cachesImages = cacheImages
        self.cache = cacheImages ? [PlanarImage?](repeating: nil, count: dataset.count) : []
    }

    /// The name of the stream for slot `slot` of step `step`: `augment/<step>/<slot>`.
    public static func streamName(step: Int, slot: Int) -> String { "augment/\(step)/\(slot)" }

    /// Number of prepared images held by the cache.
    public var cachedImageCount: Int { cache.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Bytes of pixel data held by the cache.
    public var cacheBytes: Int { cache.reduce(0) { $0 + ($1?.pixels.count ?? 0) * MemoryLayout<Float>.stride } }

    /// Fills `batch` (`[indices.count, C, h, w]`) with training images for step `step`.
    public func fill(_ batch: Tensor, indices: [Int], step: Int) throws {
        try fill(batch, indices: indices, step: step as Int?)
    }

    /// Fills `batch` with evaluation images: centred crop, no shift, no flip, no randomness.
    public func fillForEvaluation(_ batch: Tensor, indices: [Int]) throws {
        try fill(batch, indices: indices, step: nil)
    }

    private func fill(_ batch: Tensor, indices: [Int], step: Int?) throws {
        for i in indices { precondition((0..<dataset.count).contains(i), "index \(i) outside the dataset") }
        guard batch.shape.count == 4, batch.shape[0] == indices.count else {
            throw PreprocessingError.batchShapeMismatch(
                expected: [indices.count] + Array(batch.shape.dropFirst().prefix(3)), actual: batch.shape)
        }
        try loadImages(indices)
        let (channels, height, width) = (batch.shape[1], batch.shape[2], batch.shape[3])
        var draws = [AugmentationDraw?](repeating: nil, count: indices.count)
        var errors = [Error?](repeating: nil, count: indices.count)
        let slotSize = channels * height * width
        slotImages.withUnsafeBufferPointer { images in
            draws.withUnsafeMutableBufferPointer { draws in
                errors.withUnsafeMutableBufferPointer { errors in
                    Parallel.forEach(indices.count) { k, _ in
                        do {
                            let image = images[k]
                            let draw: AugmentationDraw
                            if let step {
                                var stream = streams.stream(BatchAssembler.streamName(step: step, slot: k))
                                draw = try augmentation.draw(forHeight: image.height, width: image.width, stream: &stream)
                            } else {
                                draw = try augmentation.evaluationDraw(forHeight: image.height, width: image.width)
                            }
                            try augmentation.validate(image, draw, identifier: dataset.identifier(of: indices[k]))
                            guard image.channels == channels else {
                                throw PreprocessingError.channelMismatch(
                                    identifier: dataset.identifier(of: indices[k]), expected: channels, actual: image.channels)
                            }
                            let expected = [indices.count, channels, draw.crop.height, draw.crop.width]
                            guard expected == batch.shape else {
                                throw PreprocessingError.batchShapeMismatch(expected: expected, actual: batch.shape)
                            }
                            augmentation.render(image, draw, into: batch.pointer + k * slotSize)
                            draws[k] = draw
                        } catch {
                            errors[k] = error
                        }
                    }
                }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
        lastDraws = draws.map { $0! }
    }

    /// Puts the prepared image of every slot into `slotImages`, loading the distinct
    /// images that are not cached in parallel (one work item per image, in order of first
    /// appearance).
    private func loadImages(_ indices: [Int]) throws {
        var missing: [Int] = []
        var seen = Set<Int>()
        for i in indices where (!cachesImages || cache[i] == nil) && seen.insert(i).inserted { missing.append(i) }
        var loaded = [PlanarImage?](repeating: nil, count: missing.count)
        var errors = [Error?](repeating: nil, count: missing.count)
        if !missing.isEmpty {
            loaded.withUnsafeMutableBufferPointer { loaded in
                errors.withUnsafeMutableBufferPointer { errors in
                    Parallel.forEach(missing.count) { m, _ in
                        let index = missing[m]
                        do {
                            loaded[m] = augmentation.prepare(try dataset.image(at: index))
                        } catch {
                            errors[m] = DatasetImageError(index: index, identifier: dataset.identifier(of: index),
                                                          underlying: error)
                        }
                    }
                }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
        let fresh = Dictionary(uniqueKeysWithValues: zip(missing, loaded.map { $0! }))
        if cachesImages { for (i, image) in fresh { cache[i] = image } }
        slotImages.removeAll(keepingCapacity: true)
        for i in indices { slotImages.append(cachesImages ? cache[i]! : fresh[i]!) }
    }
}
