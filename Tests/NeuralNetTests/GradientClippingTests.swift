import NeuralNet
import TensorKit
import XCTest

/// `ParameterStore.clipGradientNorm(to:)` against PyTorch's `torch.nn.utils.clip_grad_norm_`
/// (torch 2.15.0, run once by hand on these gradients; the values below are its output):
/// the norm of all gradients together is returned, and they are scaled to the maximum norm
/// only when theirs is larger.
final class GradientClippingTests: XCTestCase {
    func store() -> ParameterStore {
        let a = Parameter(name: "a", value: Tensor(zeros: [2])), b = Parameter(name: "b", value: Tensor(zeros: [3]))
        let store = ParameterStore([a, b])
        a.grad.copy(from: Tensor(shape: [2], values: [3, -1.5]))
        b.grad.copy(from: Tensor(shape: [3], values: [0.25, 4, -2]))
        return store
    }

    func testScalesToTheMaximumNormAsPyTorchDoes() {
        let store = store()
        XCTAssertEqual(store.clipGradientNorm(to: 1), 5.595757484436035, accuracy: 1e-6)
        let torch: [Float] = [0.5361203551292419, -0.26806017756462097, 0.04467669501900673, 0.7148271203041077,
                              -0.35741356015205383]
        for (ours, theirs) in zip(store.gradients.array, torch) { XCTAssertEqual(ours, theirs, accuracy: 1e-7) }
    }

    func testLeavesSmallerGradientsAlone() {
        let store = store()
        XCTAssertEqual(store.clipGradientNorm(to: 10), 5.595757484436035, accuracy: 1e-6)
        XCTAssertEqual(store.gradients.array, [3, -1.5, 0.25, 4, -2])
    }
}
