import DatasetKit
import RunFile
import TensorKit

/// Re-opens the data set a run used, for its images (the retrieval grids of
/// `deeprank report`, which hands this to `Report.Options.datasets`): the stored spec is
/// parsed again (the run's sweep variant, when it has one), the data set opened with the
/// run's seed (`RandomStreams(seed:)`, as `ExperimentRunner` does), and its digest
/// (`RunDigests.dataset`) compared with the one stored at `/dataset`, so a grid never shows
/// images of another data set. Relative data paths resolve against the stored spec path,
/// as when the run started.
public enum RunDataset {
    /// The data set of `record`, read from the run file `file` (named in errors).
    public static func open(_ record: RunRecord, file: String) throws -> any ImageDataset {
        var spec = try SpecParser.parse(text: record.specText, path: record.specPath)
        if let point = record.sweepPoint {
            guard let variant = spec.sweep?.variants.first(where: { $0.sweepPoint == point }) else {
                throw RunFileError.invalid(file: file, path: "/" + RunFileKey.Spec.dataset,
                                           reason: "the stored spec has no sweep value \(point.key) = \(point.label)")
            }
            spec = variant
        }
        let dataset = try spec.dataset.open(streams: RandomStreams(seed: record.seed))
        let digest = RunDigests.dataset(kind: dataset.kind, categoryNames: dataset.categoryNames,
                                        categories: (0..<dataset.count).map(dataset.category(of:)),
                                        identifiers: (0..<dataset.count).map(dataset.identifier(of:)))
        guard digest == record.dataset.digest else {
            throw RunFileError.invalid(
                file: file, path: "/" + RunFileKey.Dataset.group,
                reason: "the data set opened from the stored spec has digest \(digest.prefix(16))…, the run used "
                    + "\(record.dataset.digest.prefix(16))… (its images changed or moved)")
        }
        return dataset
    }
}
