import NeuralNet
import TensorKit
import XCTest

/// Finite-difference gradient checking for layers and losses.
///
/// The scalar objective is `L = sum(y * r)` with a fixed random `r`, so `dL/dy = r`. Each
/// checked coordinate is perturbed by `+-h` and `(L(+h) - L(-h)) / 2h` (accumulated in
/// Double) is compared with the analytic gradient from `backward`.
enum GradientCheck {
    static func random(_ shape: [Int], seed: UInt64, name: String, scale: Float = 1) -> Tensor {
        var s = RandomStream(seed: seed, name: name)
        let t = Tensor(zeros: shape)
        for i in 0..<t.count { t[flat: i] = s.nextUniform(-scale, scale) }
        return t
    }

    static func objective(_ y: Tensor, _ r: Tensor) -> Double {
        var sum = 0.0
        for i in 0..<y.count { sum += Double(y[flat: i]) * Double(r[flat: i]) }
        return sum
    }

    /// Compares the analytic gradient `analytic` of `loss(target)` with central differences
    /// over (a sample of) the coordinates of `target`. Returns the maximum absolute error.
    ///
    /// With `skipKinks`, a coordinate whose one-sided slopes disagree (the step crossed a
    /// ReLU, max-pool or hinge kink) is skipped and counted in the returned `skipped`.
    @discardableResult
    static func compare(_ target: Tensor, analytic: [Float], h: Float = 1e-2, atol: Double = 2e-3,
                        rtol: Double = 2e-2, maxCoordinates: Int = 200, skipKinks: Bool = false, label: String,
                        file: StaticString = #filePath, line: UInt = #line,
                        loss: () -> Double) -> (worst: Double, checked: Int, skipped: Int) {
        XCTAssertEqual(analytic.count, target.count, "\(label): gradient size", file: file, line: line)
        let step = max(1, target.count / maxCoordinates)
        var worst = 0.0, checked = 0, skipped = 0
        let center = skipKinks ? loss() : 0
        for i in stride(from: 0, to: target.count, by: step) {
            let saved = target[flat: i]
            target[flat: i] = saved + h
            let plus = loss()
            target[flat: i] = saved - h
            let minus = loss()
            target[flat: i] = saved
            if skipKinks {
                let right = (plus - center) / Double(h), left = (center - minus) / Double(h)
                if abs(right - left) > atol + rtol * abs(right + left) { skipped += 1; continue }
            }
            checked += 1
            let numeric = (plus - minus) / (2 * Double(h))
            let error = abs(numeric - Double(analytic[i]))
            worst = max(worst, error)
            XCTAssertLessThanOrEqual(error, atol + rtol * abs(numeric),
                                     "\(label)[\(i)]: numeric \(numeric), analytic \(analytic[i])",
                                     file: file, line: line)
        }
        return (worst, checked, skipped)
    }

    /// Checks a layer's input gradient and every parameter gradient.
    static func check(_ layer: Layer, input x: Tensor, seed: UInt64 = 7, h: Float = 1e-2,
                      atol: Double = 2e-3, rtol: Double = 2e-2, label: String,
                      file: StaticString = #filePath, line: UInt = #line) {
        let y0 = layer.forward(x, training: true)
        let r = random(y0.shape, seed: seed, name: "r/\(label)")
        for p in layer.parameters { p.grad.zero() }
        let dx = layer.backward(r).map(\.array)
        let parameterGradients = layer.parameters.map(\.grad.array)
        let loss = { objective(layer.forward(x, training: true), r) }
        if let dx {
            compare(x, analytic: dx, h: h, atol: atol, rtol: rtol, label: "\(label) dx",
                    file: file, line: line, loss: loss)
        }
        for (p, g) in zip(layer.parameters, parameterGradients) {
            compare(p.value, analytic: g, h: h, atol: atol, rtol: rtol, label: "\(label) \(p.name)",
                    file: file, line: line, loss: loss)
        }
    }
}
