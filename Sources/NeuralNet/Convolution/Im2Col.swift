/// Geometry of a 2-D convolution or pooling window over one image.
///
/// Output size: `Ho = (H + 2 * padding - kernelH) / stride + 1` (floor), same for W.
public struct ConvGeometry: Equatable {
    public var channels, height, width: Int
    public var kernelH, kernelW: Int
    public var stride, padding: Int

    public init(channels: Int, height: Int, width: Int, kernelH: Int, kernelW: Int,
                stride: Int, padding: Int) {
        self.channels = channels; self.height = height; self.width = width
        self.kernelH = kernelH; self.kernelW = kernelW
        self.stride = stride; self.padding = padding
    }

    public var outHeight: Int { (height + 2 * padding - kernelH) / stride + 1 }
    public var outWidth: Int { (width + 2 * padding - kernelW) / stride + 1 }
    /// Rows of the column matrix: Cin * kh * kw.
    public var patchSize: Int { channels * kernelH * kernelW }
    /// Columns of the column matrix: Ho * Wo.
    public var outPixels: Int { outHeight * outWidth }
    /// Stride 1 with "same" padding (2p = k - 1): each column-matrix row is the image plane
    /// shifted, so it can be copied as one block instead of row by row.
    public var keepsWidth: Bool { stride == 1 && outWidth == width && kernelW == 2 * padding + 1 && padding < width }

    /// The output columns `ox` whose input column `ox * stride - padding + kx` lies inside
    /// the image, as a half-open range.
    @inlinable func validOutputRange(kernelOffset kx: Int, outExtent: Int, inExtent: Int) -> Range<Int> {
        // ox * s - p + kx >= 0  <=>  ox >= ceil((p - kx) / s)
        let shift = padding - kx
        let first = shift <= 0 ? 0 : (shift + stride - 1) / stride
        // ox * s - p + kx <= inExtent - 1  <=>  ox <= floor((inExtent - 1 + p - kx) / s)
        let top = inExtent - 1 + shift
        let last = top < 0 ? -1 : top / stride
        let lo = min(first, outExtent)
        let hi = max(lo, min(last + 1, outExtent))
        return lo..<hi
    }
}

/// Unfolds one image `[C, H, W]` into the column matrix `[C*kh*kw, Ho*Wo]` so that a
/// convolution becomes one GEMM (Chellapilla et al. 2006). Row `(c*kh + ky)*kw + kx` holds
/// the input pixel each output position sees through kernel tap (c, ky, kx); taps that
/// fall in the zero padding are 0.
@inlinable
public func im2col(_ image: UnsafePointer<Float>, _ g: ConvGeometry, into columns: UnsafeMutablePointer<Float>) {
    let ho = g.outHeight, wo = g.outWidth
    if g.keepsWidth {
        im2colSameWidth(image, g, into: columns)
        return
    }
    for c in 0..<g.channels {
        let plane = image + c * g.height * g.width
        for ky in 0..<g.kernelH {
            let rows = g.validOutputRange(kernelOffset: ky, outExtent: ho, inExtent: g.height)
            for kx in 0..<g.kernelW {
                let cols = g.validOutputRange(kernelOffset: kx, outExtent: wo, inExtent: g.width)
                let row = columns + ((c * g.kernelH + ky) * g.kernelW + kx) * ho * wo
                for oy in 0..<ho {
                    let out = row + oy * wo
                    guard rows.contains(oy), !cols.isEmpty else {
                        for ox in 0..<wo { out[ox] = 0 }
                        continue
                    }
                    let iy = oy * g.stride - g.padding + ky
                    let source = plane + iy * g.width
                    // Short rows: plain loops the compiler vectorises, no libc call per row.
                    for ox in 0..<cols.lowerBound { out[ox] = 0 }
                    if g.stride == 1 {
                        let shifted = source + (kx - g.padding)
                        for ox in cols { out[ox] = shifted[ox] }
                    } else {
                        var ix = cols.lowerBound * g.stride - g.padding + kx
                        for ox in cols {
                            out[ox] = source[ix]
                            ix += g.stride
                        }
                    }
                    for ox in cols.upperBound..<wo { out[ox] = 0 }
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds each column-matrix entry back onto the input pixel it
/// was copied from, giving the input gradient `[C, H, W]` (overwritten, not accumulated).
@inlinable
public func col2im(_ columns: UnsafeMutablePointer<Float>, _ g: ConvGeometry, into image: UnsafeMutablePointer<Float>) {
    let ho = g.outHeight, wo = g.outWidth
    image.update(repeating: 0, count: g.channels * g.height * g.width)
    if g.keepsWidth {
        col2imSameWidth(columns, g, into: image)
        return
    }
    for c in 0..<g.channels {
        let plane = image + c * g.height * g.width
        for ky in 0..<g.kernelH {
            let rows = g.validOutputRange(kernelOffset: ky, outExtent: ho, inExtent: g.height)
            for kx in 0..<g.kernelW {
                let cols = g.validOutputRange(kernelOffset: kx, outExtent: wo, inExtent: g.width)
                if cols.isEmpty { continue }
                let row = columns + ((c * g.kernelH + ky) * g.kernelW + kx) * ho * wo
                for oy in rows {
                    let iy = oy * g.stride - g.padding + ky
                    let target = plane + iy * g.width
                    let source = row + oy * wo
                    var ix = cols.lowerBound * g.stride - g.padding + kx
                    if g.stride == 1 {
                        let t = target + ix, s = source + cols.lowerBound
                        for j in 0..<cols.count { t[j] += s[j] }
                        continue
                    }
                    for ox in cols {
                        target[ix] += source[ox]
                        ix += g.stride
                    }
                }
            }
        }
    }
}

/// `im2col` for stride 1 and "same" width: for each tap (c, ky, kx) the valid output rows
/// form one contiguous block that is the input plane shifted by `(ky - p) * W + (kx - p)`
/// elements; copy it in one go, then zero the one or two columns per row that wrapped
/// around from the neighbouring row (they lie in the horizontal padding).
@inlinable
func im2colSameWidth(_ image: UnsafePointer<Float>, _ g: ConvGeometry, into columns: UnsafeMutablePointer<Float>) {
    let ho = g.outHeight, w = g.width, planeSize = g.height * w
    for c in 0..<g.channels {
        let plane = image + c * planeSize
        for ky in 0..<g.kernelH {
            let rows = g.validOutputRange(kernelOffset: ky, outExtent: ho, inExtent: g.height)
            for kx in 0..<g.kernelW {
                let out = columns + ((c * g.kernelH + ky) * g.kernelW + kx) * ho * w
                let shift = kx - g.padding
                for i in 0..<(rows.lowerBound * w) { out[i] = 0 }
                for i in (rows.upperBound * w)..<(ho * w) { out[i] = 0 }
                guard !rows.isEmpty else { continue }
                let start = rows.lowerBound * w, count = rows.count * w
                let source = (rows.lowerBound + ky - g.padding) * w + shift
                let lo = max(0, -source), hi = min(count, planeSize - source)
                let block = out + start, from = plane + source
                for i in 0..<lo { block[i] = 0 }
                for i in lo..<hi { block[i] = from[i] }
                for i in max(hi, lo)..<count { block[i] = 0 }
                zeroWrappedColumns(block, rows: rows.count, width: w, shift: shift)
            }
        }
    }
}

/// The adjoint of `im2colSameWidth` (adds into `image`, which the caller has zeroed). The
/// wrapped-around entries of each block are cleared in `columns` first, so they add
/// nothing to the neighbouring row.
@inlinable
func col2imSameWidth(_ columns: UnsafeMutablePointer<Float>, _ g: ConvGeometry, into image: UnsafeMutablePointer<Float>) {
    let ho = g.outHeight, w = g.width, planeSize = g.height * w
    for c in 0..<g.channels {
        let plane = image + c * planeSize
        for ky in 0..<g.kernelH {
            let rows = g.validOutputRange(kernelOffset: ky, outExtent: ho, inExtent: g.height)
            guard !rows.isEmpty else { continue }
            for kx in 0..<g.kernelW {
                let shift = kx - g.padding
                let block = columns + ((c * g.kernelH + ky) * g.kernelW + kx) * ho * w + rows.lowerBound * w
                zeroWrappedColumns(block, rows: rows.count, width: w, shift: shift)
                let count = rows.count * w
                let source = (rows.lowerBound + ky - g.padding) * w + shift
                let lo = max(0, -source), hi = min(count, planeSize - source)
                let target = plane + source
                for i in lo..<max(hi, lo) { target[i] += block[i] }
            }
        }
    }
}

/// Zeroes, in a block of `rows` rows of `width`, the columns that a shift by `shift`
/// elements wrapped in from the neighbouring row: the first `-shift` columns for a
/// negative shift, the last `shift` for a positive one (they lie in the horizontal padding).
@inlinable
func zeroWrappedColumns(_ block: UnsafeMutablePointer<Float>, rows: Int, width: Int, shift: Int) {
    let columns = shift < 0 ? 0..<(-shift) : (width - shift)..<width
    guard shift != 0 else { return }
    for r in 0..<rows { for j in columns { block[r * width + j] = 0 } }
}
