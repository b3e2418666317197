import TensorKit

/// The preprocessing pipeline from a dataset image to one network input `[C, h, w]`
/// (the paper's training augments its input with random pixel shifts; README, "The paper
/// in brief").
///
/// Stages, in order:
/// 1. `prepare`: **resize** to `resize` (deterministic, so `BatchAssembler` may cache it);
/// 2. **crop** to `crop` (training: `.random` placement draws the window, `.centre` does
///    not; evaluation: always centred); without `crop` the whole prepared image is used;
/// 3. **random pixel shift** by `(dx, dy)`, each uniform in `-maxShift ... maxShift`,
///    uncovered pixels filled per `shiftFill` (training only);
/// 4. **horizontal flip** with probability 1/2 when `flip` is on (training only; off by
///    default, it is not in the paper);
/// 5. **colour jitter** (`ColourJitter`) when `colourJitter` is set (training only; off by
///    default, not in the paper);
/// 6. **per-channel normalisation** when `normalization` is set.
///
/// With `resizedCrop` set (training only; off by default, not in the paper), stage 2 is a
/// `RandomResizedCrop` of the prepared image resampled to the output size instead.
///
/// So `output = normalise(jitter(flip(shift(crop(resize(image))))))`. Stages 2 to 6 run as
/// one fused pass (`render`) that writes straight into a batch tensor and allocates
/// nothing; with a resized crop or colour jitter the pass writes the unnormalised pixels,
/// then jitters and normalises them in place.
///
/// Randomness: `draw(forHeight:width:stream:)` draws, from the one stream it is given and
/// in this order, the crop `top` and `left` (only for a random crop), the shift `dx` and
/// `dy` (only when `maxShift > 0`), the flip (one `nextBernoulli(0.5)`, only when `flip`),
/// then the recipes beyond the paper, strictly after those: the resized crop's window
/// (only with `resizedCrop`) and the colour jitter (only with `colourJitter`). Without
/// them a draw takes the same numbers from the stream as before they existed.
/// `BatchAssembler` names that stream `augment/<step>/<slot>`.
public struct Augmentation: Equatable, Sendable {
    /// Where the crop window goes during training (evaluation always centres it).
    public enum CropPlacement: String, CaseIterable, Sendable {
        case centre
        case random
    }

    /// A crop to `height x width` pixels of the prepared image.
    public struct Crop: Equatable, Sendable {
        public var height: Int
        public var width: Int
        public var placement: CropPlacement

        public init(height: Int, width: Int, placement: CropPlacement) {
            self.height = height; self.width = width; self.placement = placement
        }
    }

    /// Resize applied to every image first; `nil` keeps the dataset's native size.
    public let resize: Resize?
    /// Crop after resizing; `nil` keeps the whole prepared image.
    public let crop: Crop?
    /// Largest pixel shift in each direction; 0 turns shifts off.
    public let maxShift: Int
    /// How shifts fill uncovered pixels.
    public let shiftFill: EdgeFill
    /// Whether training images are mirrored left-right with probability 1/2.
    public let flip: Bool
    /// Per-channel normalisation applied last; `nil` leaves values in [0, 1].
    public let normalization: ChannelNormalization?
    /// Random resized crops of training images (nil: off).
    public let resizedCrop: RandomResizedCrop?
    /// Colour jitter of training images (nil: off).
    public let colourJitter: ColourJitter?

    /// Throws `PreprocessingError.invalidParameter` for a negative `maxShift`, a
    /// non-positive crop size, a crop larger than `resize`, or a crop together with a
    /// resized crop (the resized crop takes the place of the crop).
    public init(resize: Resize? = nil, crop: Crop? = nil, maxShift: Int = 0, shiftFill: EdgeFill = .default,
                flip: Bool = false, normalization: ChannelNormalization? = nil,
                resizedCrop: RandomResizedCrop? = nil, colourJitter: ColourJitter? = nil) throws {
        if let crop, resizedCrop != nil {
            throw PreprocessingError.invalidParameter(name: "resizedCrop",
                                                      value: "on with a \(crop.height)x\(crop.width) crop",
                                                      reason: "a resized crop replaces the crop; use one of them")
        }
        guard maxShift >= 0 else {
            throw PreprocessingError.invalidParameter(name: "max_shift", value: "\(maxShift)", reason: "must be >= 0")
        }
        if let crop {
            guard crop.height > 0, crop.width > 0 else {
                throw PreprocessingError.invalidParameter(name: "crop", value: "\(crop.height)x\(crop.width)",
                                                          reason: "height and width must be positive")
            }
            if let resize, crop.height > resize.height || crop.width > resize.width {
                throw PreprocessingError.invalidParameter(
                    name: "crop", value: "\(crop.height)x\(crop.width)",
                    reason: "must fit inside the resized image \(resize.height)x\(resize.width)")
            }
        }
        self.resize = resize; self.crop = crop; self.maxShift = maxShift
        self.shiftFill = shiftFill; self.flip = flip; self.normalization = normalization
        self.resizedCrop = resizedCrop; self.colourJitter = colourJitter
    }

    /// Stage 1, deterministic: the image resized to `resize` (unchanged without one).
    public func prepare(_ image: PlanarImage) -> PlanarImage {
        resize?.apply(image) ?? image
    }

    /// The output size `(height, width)` for a prepared image of the given size.
    public func outputSize(forHeight height: Int, width: Int) -> (height: Int, width: Int) {
        crop.map { ($0.height, $0.width) } ?? (height, width)
    }

    /// The random choices for one training image whose prepared size is `height x width`
    /// (draw order in the type's documentation). Throws `cropOutsideImage` when the crop
    /// does not fit.
    public func draw(forHeight height: Int, width: Int, stream: inout RandomStream) throws -> AugmentationDraw {
        let window: CropWindow
        if let crop, crop.placement == .random {
            try checkCropFits(height: height, width: width)
            window = .random(height: crop.height, width: crop.width, imageHeight: height, imageWidth: width,
                             stream: &stream)
        } else {
            window = try evaluationDraw(forHeight: height, width: width).crop
        }
        let shift = PixelShift.random(maxShift: maxShift, stream: &stream)
        let flipped = flip ? stream.nextBernoulli(0.5) : false
        let resized = resizedCrop?.draw(height: height, width: width, stream: &stream)
        let colour = colourJitter?.draw(stream: &stream)
        return AugmentationDraw(crop: window, shift: shift, flipped: flipped, resizedCrop: resized, colour: colour)
    }

    /// The deterministic choices for evaluation: centred crop, no shift, no flip.
    public func evaluationDraw(forHeight height: Int, width: Int) throws -> AugmentationDraw {
        try checkCropFits(height: height, width: width)
        let (h, w) = outputSize(forHeight: height, width: width)
        return AugmentationDraw(crop: .centre(height: h, width: w, imageHeight: height, imageWidth: width),
                                shift: .none, flipped: false)
    }

    /// One training image: prepare, draw from `stream`, render.
    public func apply(_ image: PlanarImage, stream: inout RandomStream) throws -> PlanarImage {
        let prepared = prepare(image)
        return try render(prepared, draw(forHeight: prepared.height, width: prepared.width, stream: &stream))
    }

    /// One evaluation image: prepare, centre crop, normalise; no randomness.
    public func applyForEvaluation(_ image: PlanarImage) throws -> PlanarImage {
        let prepared = prepare(image)
        return try render(prepared, evaluationDraw(forHeight: prepared.height, width: prepared.width))
    }

    private func checkCropFits(height: Int, width: Int) throws {
        guard let crop, crop.height > height || crop.width > width else { return }
        throw PreprocessingError.cropOutsideImage(
            window: CropWindow(top: 0, left: 0, height: crop.height, width: crop.width),
            imageHeight: height, imageWidth: width)
    }
}
