import NeuralNet
import TensorKit

/// The chain kernels against OpenBLAS's own sgemm on the products a network's layers make
/// (`MultiScaleConfig.layerProducts`): each product timed on every chosen instruction-set path
/// and on `cblas_sgemm`, one thread each, on the same operands, the calls of each repeat
/// interleaved so that a noisy machine slows both alike. The summary weighs every product by
/// its calls per training step: the sgemm time of one step on each.
public struct ChainGemmBenchmark {
    public var paths: [InstructionSet]
    /// Timed repeats per product and kernel (the median is reported).
    public var repeats = 5
    /// Each timed repeat calls the product this long at least (tiny products run many times).
    public var secondsPerRepeat = 0.02

    public init(paths: [InstructionSet]) { self.paths = paths }

    public struct Row: Codable, Sendable {
        public var layer: String
        public var pass: String
        public var shape: String
        public var callsPerStep: Int
        /// GFLOP/s of each path, by its name, and of OpenBLAS.
        public var chains: [String: Double]
        public var openBLAS: Double

        enum CodingKeys: String, CodingKey {
            case layer, pass, shape, callsPerStep = "calls_per_step", chains = "chains_gflops", openBLAS = "openblas_gflops"
        }
    }

    public struct Figures: Codable, Sendable {
        public var rows: [Row]
        /// Milliseconds of sgemm in one training step, on each path and on OpenBLAS.
        public var stepMilliseconds: [String: Double]
        public var openBLASStepMilliseconds: Double

        enum CodingKeys: String, CodingKey {
            case rows, stepMilliseconds = "step_ms", openBLASStepMilliseconds = "openblas_step_ms"
        }
    }

    public func run(_ products: [LayerProduct]) -> Figures {
        var rows: [Row] = []
        var step: [String: Double] = [:], openBLASStep = 0.0
        var stream = RandomStream(seed: 0, name: "bench/chain-sgemm")
        for product in products {
            let a = Tensor(zeros: [product.m * product.k]), b = Tensor(zeros: [product.k * product.n])
            let c = Tensor(zeros: [product.m * product.n])
            for i in 0..<a.count { a[flat: i] = stream.nextUniform(-1, 1) }
            for i in 0..<b.count { b[flat: i] = stream.nextUniform(-1, 1) }
            let lda = product.transposeA ? product.m : product.k, ldb = product.transposeB ? product.k : product.n
            var kernels: [(name: String, call: () -> Void)] = paths.map { isa in
                (isa.rawValue, {
                    ChainGemm.sgemm(on: isa, transposeA: product.transposeA, transposeB: product.transposeB,
                                    m: product.m, n: product.n, k: product.k, a: a.pointer, lda: lda, b: b.pointer,
                                    ldb: ldb, beta: product.beta, c: c.pointer, ldc: product.n)
                })
            }
            kernels.append(("OpenBLAS", {
                BLAS.openBLASSgemm(transposeA: product.transposeA, transposeB: product.transposeB, m: product.m,
                                   n: product.n, k: product.k, a: a.pointer, lda: lda, b: b.pointer, ldb: ldb,
                                   beta: product.beta, c: c.pointer, ldc: product.n)
            }))
            // Calls per repeat, from the slowest kernel's first call, so every kernel's repeat
            // runs at least `secondsPerRepeat`.
            let once = kernels.map { kernel in Stopwatch.time(warmup: 1, repeats: 1, kernel.call)[0] }.max()!
            let calls = max(1, Int((secondsPerRepeat / max(once, 1e-9)).rounded(.up)))
            var seconds = [[Double]](repeating: [], count: kernels.count)
            for _ in 0..<repeats {
                for (index, kernel) in kernels.enumerated() {
                    seconds[index].append(Stopwatch.time(warmup: 0, repeats: 1) {
                        for _ in 0..<calls { kernel.call() }
                    }[0] / Double(calls))
                }
            }
            let medians = seconds.map(Stopwatch.median)
            var chains: [String: Double] = [:]
            for (index, isa) in paths.enumerated() {
                chains[isa.rawValue] = product.flops / medians[index] / 1e9
                step[isa.rawValue, default: 0] += medians[index] * Double(product.callsPerStep) * 1e3
            }
            openBLASStep += medians.last! * Double(product.callsPerStep) * 1e3
            rows.append(Row(layer: product.layer, pass: product.pass.rawValue, shape: product.shape,
                            callsPerStep: product.callsPerStep, chains: chains,
                            openBLAS: product.flops / medians.last! / 1e9))
        }
        return Figures(rows: rows, stepMilliseconds: step, openBLASStepMilliseconds: openBLASStep)
    }

    /// The figures as a table: one row per product, GFLOP/s of each path and of OpenBLAS and
    /// the first path's ratio to OpenBLAS, then the weighted step time.
    public func table(_ figures: Figures) -> String {
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        let names = paths.map(\.rawValue)
        let layerWidth = max(5, figures.rows.map { "\($0.layer) \($0.pass)".count }.max() ?? 0)
        let shapeWidth = max(5, figures.rows.map(\.shape.count).max() ?? 0)
        var lines = [pad("layer", layerWidth, left: true) + "  " + pad("shape", shapeWidth, left: true) + "  calls"
                     + names.map { pad($0, 9) }.joined() + pad("OpenBLAS", 9) + pad("ratio", 7)]
        for row in figures.rows {
            let first = row.chains[names[0]] ?? 0
            lines.append(pad("\(row.layer) \(row.pass)", layerWidth, left: true) + "  " + pad(row.shape, shapeWidth, left: true)
                         + pad("\(row.callsPerStep)", 7)
                         + names.map { pad(String(format: "%.1f", row.chains[$0] ?? 0), 9) }.joined()
                         + pad(String(format: "%.1f", row.openBLAS), 9)
                         + pad(String(format: "%.2fx", first / row.openBLAS), 7))
        }
        let openBLAS = figures.openBLASStepMilliseconds
        lines.append("sgemm time of one training step (ms, calls x median): "
                     + names.map { name in
                         let ours = figures.stepMilliseconds[name] ?? .infinity
                         return "\(name) " + String(format: "%.1f (%.2fx OpenBLAS's speed)", ours, openBLAS / ours)
                     }.joined(separator: ", ")
                     + String(format: ", OpenBLAS %.1f", openBLAS))
        return lines.joined(separator: "\n")
    }
}
