import Foundation
import NeuralNet

/// A network as `Tests/Reference/multiscale_twin.py` describes it: the dict its
/// `MultiScaleTwin(config)` takes, in the format of its `PRESETS`, so that
/// `bench_torch.py --config-json` builds the PyTorch twin of whatever network the engine
/// benchmark trains.
///
/// ```
/// {"input_size": 64, "deep_features": 256, "dropout_keep": 0.6, "embedding": 128,
///  "deep_stages": [STAGE, ...], "shallow_parts": [[subsample, STAGE], ...]}
/// STAGE = {"channels", "kernel", "stride", "padding", "pool_kernel" (null: no pool),
///          "pool_stride" (null: the pool kernel), "lrn"}
/// ```
/// The twin always reads 3 input channels (`conv_for(3, ...)`), so a network with another
/// count has no twin.
public enum PyTorchTwinConfig {
    /// A network the twin cannot build.
    public struct Unsupported: Error, CustomStringConvertible {
        public var inputChannels: Int
        public var orientationChannels: Int = 0

        public var description: String {
            orientationChannels > 0
                ? "the network appends \(orientationChannels) orientation channel(s) to its input; its PyTorch twin (Tests/Reference/multiscale_twin.py) has none"
                : "the network reads \(inputChannels) input channel(s); its PyTorch twin (Tests/Reference/multiscale_twin.py) reads 3"
        }
    }

    /// The twin's config dict for `config` (JSON types: `Int`, `Double`, `Bool`, `NSNull`,
    /// arrays and dictionaries).
    public static func dictionary(for config: MultiScaleConfig) throws -> [String: Any] {
        guard config.inputChannels == 3, config.orientationChannels == 0 else {
            throw Unsupported(inputChannels: config.inputChannels, orientationChannels: config.orientationChannels)
        }
        return [
            "input_size": config.inputSize,
            "deep_stages": config.deepStages.map(stage),
            "deep_features": config.deepFeatures,
            // Through the Float's shortest decimal, so 0.6 stays 0.6 (not 0.6000000238...).
            "dropout_keep": Double("\(config.dropoutKeep)")!,
            "shallow_parts": config.shallowParts.map { [$0.subsample, stage($0.stage)] as [Any] },
            "embedding": config.embedding,
        ]
    }

    /// `dictionary(for:)` as one line of JSON with sorted keys (what the engine benchmark
    /// passes to `bench_torch.py --config-json`).
    public static func json(for config: MultiScaleConfig) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: dictionary(for: config), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// multiscale_twin.py's `stage(...)` dict.
    static func stage(_ s: ConvStage) -> [String: Any] {
        ["channels": s.channels, "kernel": s.kernel, "stride": s.stride, "padding": s.padding,
         "pool_kernel": s.poolKernel.map { $0 as Any } ?? NSNull(),
         "pool_stride": s.poolStride.map { $0 as Any } ?? NSNull(),
         "lrn": s.localResponseNorm]
    }
}
