import DatasetKit
import Imaging

/// An 8-bit RGB drawing surface for retrieval grids: filled rectangles, borders, dataset
/// images and bitmap-font text, then an `Image` for the PNG encoder.
struct RGBCanvas {
    let width: Int
    let height: Int
    private(set) var pixels: [UInt8]

    typealias Color = (UInt8, UInt8, UInt8)

    init(width: Int, height: Int, background: Color = (255, 255, 255)) {
        self.width = width; self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, color: background)
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                let at = (row * width + column) * 3
                pixels[at] = color.0; pixels[at + 1] = color.1; pixels[at + 2] = color.2
            }
        }
    }

    /// A frame `thickness` pixels wide inside the rectangle.
    mutating func border(x: Int, y: Int, size: Int, thickness: Int, color: Color) {
        fill(x: x, y: y, width: size, height: thickness, color: color)
        fill(x: x, y: y + size - thickness, width: size, height: thickness, color: color)
        fill(x: x, y: y, width: thickness, height: size, color: color)
        fill(x: x + size - thickness, y: y, width: thickness, height: size, color: color)
    }

    /// `image` (planes in [0, 1], 1 or 3+ channels; gray is replicated) with its top-left
    /// corner at (x, y), already at the size it is drawn.
    mutating func draw(_ image: PlanarImage, x: Int, y: Int) {
        let plane = image.height * image.width
        for row in 0..<image.height where (0..<height).contains(y + row) {
            for column in 0..<image.width where (0..<width).contains(x + column) {
                let at = ((y + row) * width + x + column) * 3
                for c in 0..<3 {
                    let value = image.pixels[(image.channels >= 3 ? c : 0) * plane + row * image.width + column]
                    pixels[at + c] = UInt8((min(1, max(0, value.isFinite ? value : 0)) * 255).rounded())
                }
            }
        }
    }

    /// `text` in `BitmapFont`, each font pixel drawn as `scale` x `scale` pixels.
    mutating func text(_ text: String, x: Int, y: Int, scale: Int, color: Color = (30, 30, 30)) {
        for (i, character) in text.enumerated() {
            let left = x + i * BitmapFont.advance * scale
            for gy in 0..<BitmapFont.height {
                for gx in 0..<BitmapFont.width where BitmapFont.pixel(character, x: gx, y: gy) {
                    fill(x: left + gx * scale, y: y + gy * scale, width: scale, height: scale, color: color)
                }
            }
        }
    }

    var image: Image { Image(width: width, height: height, channels: 3, pixels: pixels) }
}
