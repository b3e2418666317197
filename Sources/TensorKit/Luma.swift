/// ITU-R BT.601 luma weights, `Y = 0.299 R + 0.587 G + 0.114 B`: the gray image of the
/// hand-crafted features (`Features/GrayConversion.swift`) and of the network's orientation
/// channels (`NeuralNet/Layers/OrientationChannels.swift`), so both read the same gray.
/// (Colour jitter uses torchvision's 0.2989 instead, for parity with it.)
public enum Luma {
    public static let red: Float = 0.299, green: Float = 0.587, blue: Float = 0.114
}
