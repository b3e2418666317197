/// Horizontal flip, an optional augmentation beyond the paper (off by default in
/// `Augmentation`): fine-grained similarity of most images is mirror-invariant, but not of
/// all (text, arrows, asymmetric icons), so it must be asked for.
extension PlanarImage {
    /// The image mirrored left to right: `flipped[c, y, x] = image[c, y, W - 1 - x]`.
    public func horizontallyFlipped() -> PlanarImage {
        var out = self
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width { out[c, y, x] = self[c, y, width - 1 - x] }
            }
        }
        return out
    }
}

