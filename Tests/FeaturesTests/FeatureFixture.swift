import DatasetKit
import Foundation
import Storage

/// `Tests/Fixtures/features.h5`, written by `Tests/Reference/make_feature_fixtures.py`
/// (scikit-image 0.26 HOG and uniform LBP on fixed float32 images).
enum FeatureFixture {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/features.h5").path

    static func open() throws -> HDF5File { try HDF5File(reading: path) }

    /// A fixture image: `[H, W]` gray or `[C, H, W]` colour, as a `PlanarImage`.
    static func image(_ name: String, in file: HDF5File) throws -> PlanarImage {
        let (values, shape) = try file.root.read(Float.self, from: "images/\(name)")
        if shape.count == 2 {
            return PlanarImage(channels: 1, height: shape[0], width: shape[1], pixels: values)
        }
        return PlanarImage(channels: shape[0], height: shape[1], width: shape[2], pixels: values)
    }
}
