import DatasetKit
import Foundation

/// Histogram of oriented gradients (Dalal and Triggs, CVPR 2005; the paper's Table 1,
/// "HOG"), computed exactly as scikit-image's `skimage.feature.hog` (0.26; `_hog.py` and
/// `_hoghistogram.pyx`), which `Tests/Fixtures/features.h5` checks.
///
/// 1. Image: the gray image (BT.601, `GrayConversion`) for `.gray`; for `.dominantChannel`
///    (skimage's `channel_axis=-1`) every channel. Optional `transformSqrt`: `sqrt` of
///    every value first.
/// 2. Gradients, Float32, no smoothing, no division by 2, zero on the border rows/columns:
///    `g_row[y, x] = I[y+1, x] - I[y-1, x]`, `g_col[y, x] = I[y, x+1] - I[y, x-1]`. With
///    several channels, each pixel takes the gradient of the channel with the largest
///    Float32 `hypot` (the first on ties).
/// 3. Per pixel, in Float64: magnitude `m = sqrt(g_col^2 + g_row^2)` (skimage: `hypot`;
///    the two can differ in the last bit of a Float64, far below Float32), unsigned
///    orientation `o = (atan2(g_row, g_col) * 180 / pi) mod 180` in [0, 180) (numpy's `%`).
///    The bin of `o` is found without `atan2`, by the signs of the cross products of the
///    gradient (folded onto the upper half-plane) with the bin bound directions; a pixel
///    within 1e-9 (relative) of a bound is binned with skimage's `atan2` arithmetic
///    instead (`exactBin`), so both give the same bins.
/// 4. Cell histograms, *no* interpolation between orientation bins or cells: a pixel votes
///    its magnitude into bin `i` when `180/n * i <= o < 180/n * (i + 1)` (Float64 bounds;
///    for 9 orientations 20-degree bins), of the cell that contains it. Cells tile the
///    image from the top-left; leftover rows and columns are ignored. Totals are Float32,
///    each vote added in Float64 then rounded (skimage's `cnp.float32_t total`), and the
///    total is divided by the cell area `pixelsPerCell[0] * pixelsPerCell[1]` in Float32.
/// 5. Blocks of `cellsPerBlock` cells, stride one cell, normalised in Float64 with
///    `eps = 1e-5`: L1 `v / (sum|v| + eps)`; L1-sqrt its square root; L2
///    `v / sqrt(sum v^2 + eps^2)`; L2-Hys: L2, clip at 0.2, L2 again.
/// 6. Vector layout `(block_row, block_col, cell_row, cell_col, orientation)`, row-major
///    (skimage's `feature_vector=True`). Dimension
///    `(nCellsRow - bRow + 1) * (nCellsCol - bCol + 1) * bRow * bCol * orientations`,
///    `nCells = floor(size / pixelsPerCell)`; 1764 for a 64x64 image with the defaults.
///
/// Parity: the stated tolerance is max |ours - skimage| <= 1e-5 (`HOGParityTests`); on
/// the ten fixture cases (gray and colour, 6 to 12 orientations, odd cells, all four
/// norms) the measured difference is 0. A pixel whose orientation lies within rounding
/// of a bin bound could still land in the neighbouring bin if glibc's `atan2` and numpy's
/// differed in the last bit there.
///
/// Defaults: 9 orientations, 8 x 8 pixels per cell, 2 x 2 cells per block, L2-Hys (the
/// Dalal-Triggs setting; skimage's own default block is 3 x 3), gray.
public struct HOG: FeatureExtractor, Codable, Equatable {
    public enum BlockNorm: String, Codable, Sendable, CaseIterable {
        case l1 = "L1"
        case l1Sqrt = "L1-sqrt"
        case l2 = "L2"
        case l2Hys = "L2-Hys"
    }

    public enum ChannelMode: String, Codable, Sendable, CaseIterable {
        /// One gray plane (BT.601 for RGB input).
        case gray
        /// Every channel; per pixel the gradient of the channel with the largest magnitude.
        case dominantChannel = "dominant-channel"
    }

    public let orientations: Int
    /// (rows, columns) of pixels per cell.
    public let pixelsPerCell: [Int]
    /// (rows, columns) of cells per block.
    public let cellsPerBlock: [Int]
    public let blockNorm: BlockNorm
    public let transformSqrt: Bool
    public let channelMode: ChannelMode

    public var name: String { "hog" }

    public init(orientations: Int = 9, pixelsPerCell: [Int] = [8, 8], cellsPerBlock: [Int] = [2, 2],
                blockNorm: BlockNorm = .l2Hys, transformSqrt: Bool = false,
                channelMode: ChannelMode = .gray) throws(FeatureError) {
        guard orientations >= 1 && orientations <= 180 else {
            throw .invalidParameter(name: "hog.orientations", value: "\(orientations)", allowed: "1...180")
        }
        guard pixelsPerCell.count == 2, pixelsPerCell.allSatisfy({ $0 >= 2 && $0 <= 1024 }) else {
            throw .invalidParameter(name: "hog.pixels_per_cell", value: "\(pixelsPerCell)",
                                    allowed: "two sizes (rows, columns), each 2...1024")
        }
        guard cellsPerBlock.count == 2, cellsPerBlock.allSatisfy({ $0 >= 1 && $0 <= 64 }) else {
            throw .invalidParameter(name: "hog.cells_per_block", value: "\(cellsPerBlock)",
                                    allowed: "two counts (rows, columns), each 1...64")
        }
        self.orientations = orientations
        self.pixelsPerCell = pixelsPerCell
        self.cellsPerBlock = cellsPerBlock
        self.blockNorm = blockNorm
        self.transformSqrt = transformSqrt
        self.channelMode = channelMode
    }

    /// Cells along rows and columns for an image of this size.
    func cellGrid(height: Int, width: Int) -> (rows: Int, columns: Int) {
        (height / pixelsPerCell[0], width / pixelsPerCell[1])
    }

    public func dimension(height: Int, width: Int) throws(FeatureError) -> Int {
        let cells = cellGrid(height: height, width: width)
        let blockRows = cells.rows - cellsPerBlock[0] + 1, blockColumns = cells.columns - cellsPerBlock[1] + 1
        guard blockRows >= 1 && blockColumns >= 1 else {
            throw .imageTooSmall(feature: name, height: height, width: width,
                                 minimum: "\(cellsPerBlock[0] * pixelsPerCell[0]) rows and "
                                     + "\(cellsPerBlock[1] * pixelsPerCell[1]) columns")
        }
        return blockRows * blockColumns * cellsPerBlock[0] * cellsPerBlock[1] * orientations
    }

    public func extract(_ image: PlanarImage, into output: UnsafeMutableBufferPointer<Float>,
                        workspace: FeatureWorkspace) throws(FeatureError) {
        try checkOutput(output, for: image)
        let h = image.height, w = image.width, plane = h * w
        let cells = cellGrid(height: h, width: w)
        let histogram = workspace.floats(0, count: cells.rows * cells.columns * orientations)
        let gradients = workspace.floats(1, count: 2 * plane)
        let gRow = gradients, gCol = gradients + plane
        try computeGradients(image, gRow: gRow, gCol: gCol, workspace: workspace)
        accumulateCellHistograms(gRow: gRow, gCol: gCol, height: h, width: w, into: histogram, workspace: workspace)
        normalizeBlocks(histogram, cells: cells, into: output.baseAddress!, workspace: workspace)
    }

    // MARK: - Steps 1-2: image and gradients

    /// Fills `gRow`, `gCol` (`H x W`, Float32) for the image, or for its dominant channel.
    private func computeGradients(_ image: PlanarImage, gRow: UnsafeMutablePointer<Float>,
                                  gCol: UnsafeMutablePointer<Float>, workspace: FeatureWorkspace) throws(FeatureError) {
        let h = image.height, w = image.width, plane = h * w
        if channelMode == .gray || image.channels == 1 {
            let gray = workspace.floats(2, count: plane)
            try GrayConversion.gray(of: image, into: gray, feature: name)
            if transformSqrt { for i in 0..<plane { gray[i] = gray[i].squareRoot() } }
            HOG.centralDifferences(gray, height: h, width: w, gRow: gRow, gCol: gCol)
            return
        }
        let channel = workspace.floats(2, count: plane)
        let cRow = workspace.floats(3, count: plane), cCol = workspace.floats(4, count: plane)
        let best = workspace.floats(5, count: plane)
        image.pixels.withUnsafeBufferPointer { p in
            for c in 0..<image.channels {
                channel.update(from: p.baseAddress! + c * plane, count: plane)
                if transformSqrt { for i in 0..<plane { channel[i] = channel[i].squareRoot() } }
                HOG.centralDifferences(channel, height: h, width: w, gRow: cRow, gCol: cCol)
                for i in 0..<plane {
                    let magnitude = hypotf(cRow[i], cCol[i])
                    // numpy's argmax: the first channel wins ties.
                    if c == 0 || magnitude > best[i] {
                        best[i] = magnitude; gRow[i] = cRow[i]; gCol[i] = cCol[i]
                    }
                }
            }
        }
    }

    /// skimage's `_hog_channel_gradient`: central differences without the 1/2, zero on the border.
    static func centralDifferences(_ x: UnsafePointer<Float>, height h: Int, width w: Int,
                                   gRow: UnsafeMutablePointer<Float>, gCol: UnsafeMutablePointer<Float>) {
        for y in 0..<h {
            let row = x + y * w, outRow = gRow + y * w, outCol = gCol + y * w
            if y == 0 || y == h - 1 {
                outRow.initialize(repeating: 0, count: w)
            } else {
                let above = row - w, below = row + w
                for i in 0..<w { outRow[i] = below[i] - above[i] }
            }
            outCol[0] = 0
            if w > 1 {
                outCol[w - 1] = 0
                for i in 1..<(w - 1) { outCol[i] = row[i + 1] - row[i - 1] }
            }
        }
    }

    // MARK: - Steps 3-4: orientation binning into cells

    private func accumulateCellHistograms(gRow: UnsafePointer<Float>, gCol: UnsafePointer<Float>,
                                          height h: Int, width w: Int, into histogram: UnsafeMutablePointer<Float>,
                                          workspace: FeatureWorkspace) {
        let cells = cellGrid(height: h, width: w)
        let cellRows = pixelsPerCell[0], cellColumns = pixelsPerCell[1]
        let n = orientations
        let cellCount = cells.rows * cells.columns * n
        histogram.initialize(repeating: 0, count: cellCount)
        // Directions of the interior bin bounds, beta_k = k * pi / n, k = 1..<n.
        let cosines = workspace.doubles(1, count: n), sines = workspace.doubles(2, count: n)
        for k in 1..<max(n, 1) {
            cosines[k - 1] = cos(Double(k) * Double.pi / Double(n))
            sines[k - 1] = sin(Double(k) * Double.pi / Double(n))
        }
        let usedWidth = cells.columns * cellColumns
        for y in 0..<(cells.rows * cellRows) {
            let cellRow = histogram + (y / cellRows) * cells.columns * n
            let rowY = gRow + y * w, rowX = gCol + y * w
            for x in 0..<usedWidth {
                let gy = Double(rowY[x]), gx = Double(rowX[x])
                // x^2 and y^2 of Float32 values are exact in Float64: one rounding, then sqrt.
                let magnitude = (gx * gx + gy * gy).squareRoot()
                guard let bin = orientationBin(gx: gx, gy: gy, magnitude: magnitude,
                                               cosines: cosines, sines: sines) else { continue }
                let slot = cellRow + (x / cellColumns) * n + bin
                slot.pointee = Float(Double(slot.pointee) + magnitude)
            }
        }
        let area = Float(cellRows * cellColumns)
        for i in 0..<cellCount { histogram[i] = histogram[i] / area }
    }

    /// The bin of gradient `(gx, gy)` (nil: dropped), equal to `exactBin` but without
    /// `atan2`: fold onto the upper half-plane (o is taken mod 180), then count the bounds
    /// `beta_k = k pi / n` below the angle, `sin(theta - beta_k) >= 0`, from the cross
    /// products with `(cos beta_k, sin beta_k)` (`cosines`, `sines`: k = 1..<n).
    @inline(__always)
    func orientationBin(gx: Double, gy: Double, magnitude: Double,
                        cosines: UnsafePointer<Double>, sines: UnsafePointer<Double>) -> Int? {
        if gy == 0 { return 0 }  // o = 0 (or -0) after numpy's mod
        let u = gy < 0 ? -gx : gx, v = abs(gy)
        var nearest = v  // distance to the 0/180 bound
        var bin = 0
        for k in 0..<(orientations - 1) {
            let side = cosines[k] * v - sines[k] * u
            nearest = min(nearest, abs(side))
            bin += side >= 0 ? 1 : 0
        }
        // Within rounding of a bound: skimage's own arithmetic decides.
        return nearest <= HOG.guardBand * magnitude ? exactBin(gx: gx, gy: gy) : bin
    }

    /// Relative distance to a bin bound (|sin(theta - beta)|) below which a pixel is
    /// binned with skimage's own arithmetic instead of the cross products. atan2 and the
    /// degree conversion are accurate to about 1e-15, so 1e-9 leaves a wide margin.
    static let guardBand = 1e-9

    /// skimage's binning: `o = (atan2(gy, gx) * 180 / pi) mod 180` (numpy's remainder) in
    /// bin `i` with `180/n * i <= o < 180/n * (i + 1)`; nil when `o` rounds up to 180,
    /// which skimage drops.
    func exactBin(gx: Double, gy: Double) -> Int? {
        let n = orientations
        var o = atan2(gy, gx) * (180 / Double.pi)
        o = fmod(o, 180)
        if o != 0 && o < 0 { o += 180 }
        let width = 180.0 / Double(n)
        var bin = min(Int(o / width), n - 1)
        while bin > 0 && o < width * Double(bin) { bin -= 1 }
        while bin < n && o >= width * Double(bin + 1) { bin += 1 }
        return bin < n ? bin : nil
    }

    // MARK: - Steps 5-6: block normalisation

    private func normalizeBlocks(_ histogram: UnsafePointer<Float>, cells: (rows: Int, columns: Int),
                                 into output: UnsafeMutablePointer<Float>, workspace: FeatureWorkspace) {
        let bRow = cellsPerBlock[0], bCol = cellsPerBlock[1], n = orientations
        let blockLength = bRow * bCol * n
        let block = workspace.doubles(0, count: blockLength)
        let eps = 1e-5
        var k = 0
        for r in 0..<(cells.rows - bRow + 1) {
            for c in 0..<(cells.columns - bCol + 1) {
                var j = 0
                for cr in 0..<bRow {
                    for cc in 0..<bCol {
                        let cell = histogram + ((r + cr) * cells.columns + (c + cc)) * n
                        for o in 0..<n { block[j] = Double(cell[o]); j += 1 }
                    }
                }
                switch blockNorm {
                case .l1, .l1Sqrt:
                    var sum = 0.0
                    for i in 0..<blockLength { sum += abs(block[i]) }
                    let scale = sum + eps
                    for i in 0..<blockLength {
                        let v = block[i] / scale
                        block[i] = blockNorm == .l1 ? v : v.squareRoot()
                    }
                case .l2, .l2Hys:
                    HOG.l2Normalize(block, count: blockLength, eps: eps)
                    if blockNorm == .l2Hys {
                        for i in 0..<blockLength { block[i] = min(block[i], 0.2) }
                        HOG.l2Normalize(block, count: blockLength, eps: eps)
                    }
                }
                for i in 0..<blockLength { output[k + i] = Float(block[i]) }
                k += blockLength
            }
        }
    }

    /// `v / sqrt(sum v^2 + eps^2)`.
    static func l2Normalize(_ v: UnsafeMutablePointer<Double>, count: Int, eps: Double) {
        var sum = 0.0
        for i in 0..<count { sum += v[i] * v[i] }
        let norm = (sum + eps * eps).squareRoot()
        for i in 0..<count { v[i] = v[i] / norm }
    }
}
