import TensorKit

/// One matrix product a layer of the multi-scale network hands to `BLAS.sgemm` (row-major, as
/// `BLAS.sgemm` takes it), and how many times one training step makes it. `Conv2D` makes its
/// three products once per image (forward, weight gradient over its pixels, input gradient
/// before col2im); `Linear` splits its batch into row blocks (`Linear.rowBlock`) or its
/// outputs into column blocks (`Linear.columnBlock`, where `Linear.cut` finds the same bits),
/// and its weight gradient into output blocks (`Linear.weightRowBlock`), each block one product.
/// Where `DirectConvolution` takes a convolution (the avx512 path), these are the products
/// im2col + sgemm would make in its place.
public struct LayerProduct: Equatable, Sendable, CustomStringConvertible {
    public enum Pass: String, Sendable { case forward, weightGradient = "weight gradient", inputGradient = "input gradient" }

    /// The layer, as the network names it: `deep.conv1`, `shallow1.conv`, `deep.fc`, `embed`.
    public var layer: String
    public var pass: Pass
    public var transposeA: Bool, transposeB: Bool
    public var m: Int, n: Int, k: Int
    /// 0 where the product overwrites C, 1 where it adds to it.
    public var beta: Float
    public var callsPerStep: Int

    /// Floating-point operations of one call (2 per multiply-add).
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// The product's shape, as the tests and benchmarks name it.
    public var shape: String {
        "\(m)x\(n)x\(k)\(transposeA ? " Aᵀ" : "")\(transposeB ? " Bᵀ" : "")\(beta == 0 ? "" : " +C")"
    }

    public var description: String { "\(layer) \(pass.rawValue): \(shape)" }
}

extension MultiScaleConfig {
    /// Every product one training step on `images` images makes, layer by layer, in the order
    /// the forward pass meets the layers. (Inference makes the forward ones.)
    public func layerProducts(images: Int) -> [LayerProduct] {
        precondition(images >= 1, "a training step needs at least one image")
        var result: [LayerProduct] = []
        func conv(_ name: String, _ stage: ConvStage, inChannels: Int, size: Int, inputGradient: Bool) {
            let out = (size + 2 * stage.padding - stage.kernel) / stage.stride + 1
            let patch = inChannels * stage.kernel * stage.kernel, pixels = out * out
            func add(_ pass: LayerProduct.Pass, _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ beta: Float, _ calls: Int) {
                guard calls > 0 else { return }
                result.append(LayerProduct(layer: name, pass: pass, transposeA: ta, transposeB: tb, m: m, n: n, k: k,
                                           beta: beta, callsPerStep: calls))
            }
            add(.forward, false, false, stage.channels, pixels, patch, 0, images)
            // The first image of each reduction chunk overwrites its partial; the rest add to it.
            let perChunk = (images + Conv2D.reductionChunks - 1) / Conv2D.reductionChunks
            let chunks = (images + perChunk - 1) / perChunk
            add(.weightGradient, false, true, patch, stage.channels, pixels, 0, chunks)
            add(.weightGradient, false, true, patch, stage.channels, pixels, 1, images - chunks)
            if inputGradient { add(.inputGradient, true, false, patch, pixels, stage.channels, 0, images) }
        }
        func linear(_ name: String, inputs: Int, outputs: Int, inputGradient: Bool) {
            func blocks(_ count: Int, _ size: Int) -> [(rows: Int, calls: Int)] {
                [(size, count / size), (count % size, 1)].filter { $0.rows > 0 && $0.calls > 0 }
            }
            /// The products of one pass, cut as `Linear` cuts it (`Linear.cut`).
            func cut(_ pass: LayerProduct.Pass, transposeB: Bool, columns: Int, depth: Int, beta: Float) {
                if Linear.cut(transposeB: transposeB, rows: images, columns: columns, depth: depth) == .columns {
                    for (width, calls) in blocks(columns, Linear.columnBlock) {
                        result.append(LayerProduct(layer: name, pass: pass, transposeA: false, transposeB: transposeB,
                                                   m: images, n: width, k: depth, beta: beta, callsPerStep: calls))
                    }
                } else {
                    for (rows, calls) in blocks(images, Linear.rowBlock) {
                        result.append(LayerProduct(layer: name, pass: pass, transposeA: false, transposeB: transposeB,
                                                   m: rows, n: columns, k: depth, beta: beta, callsPerStep: calls))
                    }
                }
            }
            cut(.forward, transposeB: true, columns: outputs, depth: inputs, beta: 1)
            for (rows, calls) in blocks(outputs, Linear.weightRowBlock) {
                result.append(LayerProduct(layer: name, pass: .weightGradient, transposeA: true, transposeB: false,
                                           m: rows, n: inputs, k: images, beta: 1, callsPerStep: calls))
            }
            guard inputGradient else { return }
            cut(.inputGradient, transposeB: false, columns: inputs, depth: outputs, beta: 0)
        }
        var size = inputSize, channels = layerInputChannels
        for (index, stage) in deepStages.enumerated() {
            conv("deep.conv\(index + 1)", stage, inChannels: channels, size: size, inputGradient: index > 0)
            size = Self.outputSize(of: stage, input: size); channels = stage.channels
        }
        linear("deep.fc", inputs: deepFlattened, outputs: deepFeatures, inputGradient: true)
        for (index, part) in shallowParts.enumerated() {
            conv("shallow\(index + 1).conv", part.stage, inChannels: layerInputChannels, size: inputSize / part.subsample,
                 inputGradient: false)
        }
        if !shallowParts.isEmpty {
            linear("embed", inputs: deepFeatures + shallowWidths.reduce(0, +), outputs: embedding, inputGradient: true)
        }
        return result
    }
}
