/// The random choices `Augmentation` made for one image: which window to crop, how far to
/// shift it, whether to mirror it, and (only with the recipes beyond the paper) the
/// window a random resized crop resamples and the colour changes. Recording them (rather
/// than only the stream) lets tests and reports show exactly what the network saw.
public struct AugmentationDraw: Equatable, Sendable {
    /// Window of the prepared image; its size is the output size.
    public var crop: CropWindow
    public var shift: PixelShift
    public var flipped: Bool
    /// `RandomResizedCrop`: the window of the prepared image that is resampled to the size
    /// of `crop` in its place (nil: `crop` is copied).
    public var resizedCrop: CropWindow?
    /// `ColourJitter`: the colour changes (nil: none).
    public var colour: ColourJitterDraw?

    public init(crop: CropWindow, shift: PixelShift, flipped: Bool, resizedCrop: CropWindow? = nil,
                colour: ColourJitterDraw? = nil) {
        self.crop = crop; self.shift = shift; self.flipped = flipped
        self.resizedCrop = resizedCrop; self.colour = colour
    }

    /// Whether only the paper's stages (crop, shift, flip) act, so the fused single-pass
    /// kernel renders it.
    var usesOnlyCopyStages: Bool { resizedCrop == nil && colour == nil }
}
