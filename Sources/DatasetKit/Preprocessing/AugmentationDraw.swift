/// The random choices `Augmentation` made for one image: which window to crop, how far to
/// shift it, whether to mirror it. Recording them (rather than only the stream) lets tests
/// and reports show exactly what the network saw.
public struct AugmentationDraw: Equatable, Sendable {
    /// Window of the prepared image; its size is the output size.
    public var crop: CropWindow
    public var shift: PixelShift
    public var flipped: Bool

    public init(crop: CropWindow, shift: PixelShift, flipped: Bool) {
        self.crop = crop; self.shift = shift; self.flipped = flipped
    }
}
