import NeuralNet
import XCTest

/// `MultiScaleConfig.layerProducts` (what `deeprank bench sgemm` and `LayerShapeChainTests`
/// time and check) adds up to the network's own FLOP count: per image, the forward products
/// are `forwardFlopsPerImage`, each layer's weight gradient as many again, and its input
/// gradient as many again where the layer computes one.
final class LayerProductsTests: XCTestCase {
    func testTheProductsAddUpToTheNetworksFlops() {
        for (config, images) in [(MultiScaleConfig.reference, 96), (.paperSized, 24), (.tiny, 7), (.reference, 1)] {
            let products = config.layerProducts(images: images)
            func total(_ pass: LayerProduct.Pass, _ layer: String? = nil) -> Double {
                products.filter { $0.pass == pass && (layer == nil || $0.layer == layer) }
                    .reduce(0) { $0 + $1.flops * Double($1.callsPerStep) }
            }
            XCTAssertEqual(total(.forward), Double(images) * config.forwardFlopsPerImage, accuracy: 1)
            XCTAssertEqual(total(.weightGradient), total(.forward), accuracy: 1)
            // No input gradient for the layers that read the image (first deep conv, shallow convs).
            for layer in Set(products.map(\.layer)) {
                let readsImage = layer == "deep.conv1" || layer.hasPrefix("shallow")
                XCTAssertEqual(total(.inputGradient, layer), readsImage ? 0 : total(.forward, layer), accuracy: 1, layer)
            }
            XCTAssertTrue(products.allSatisfy { $0.callsPerStep >= 1 })
        }
    }
}
