import Evaluation

/// Every name in a run file, spelled once: `RunFileWriter` writes these, `RunFileReader`
/// reads them and names them in its errors (`/dataset attribute kind`). The layout they
/// make is `RunFileFormat`'s.
public enum RunFileKey {
    /// Attributes of `/`.
    public enum Root {
        public static let format = "format"
        public static let formatVersion = "format_version"
        public static let status = "status"
        public static let experiment = "experiment"
        public static let seed = "seed"
        public static let created = "created"
        public static let finished = "finished"
        public static let checkpointEvery = "checkpoint_every"
    }

    /// `/provenance` and its attributes.
    public enum Provenance {
        public static let group = "provenance"
        public static let gitCommit = "git_commit"
        public static let gitDirty = "git_dirty"
        public static let swiftVersion = "swift_version"
        public static let blas = "blas"
        public static let blasCore = "blas_core"
        /// The chain kernels' instruction-set path (`InstructionSet`); absent in files made
        /// before the chain kernels computed the stored bits.
        public static let instructionSet = "isa"
        public static let threads = "threads"
        public static let cpuModel = "cpu_model"
        public static let commandLine = "command_line"
        public static let hostname = "hostname"
        public static let os = "os"
        public static let started = "started"
        public static let finished = "finished"
        public static let deeprankVersion = "deeprank_version"
    }

    /// `/spec` (the spec text) and its attributes.
    public enum Spec {
        public static let dataset = "spec"
        public static let path = "path"
        public static let sweepKey = "sweep_key"
        public static let sweepValue = "sweep_value"
    }

    /// `/dataset`, its attributes and datasets.
    public enum Dataset {
        public static let group = "dataset"
        public static let kind = "kind"
        public static let count = "count"
        public static let categories = "categories"
        public static let testFraction = "test_fraction"
        public static let validationFraction = "validation_fraction"
        public static let digest = "digest"
        public static let trainIndices = "train_indices"
        public static let validationIndices = "validation_indices"
        public static let testIndices = "test_indices"
        public static let category = "category"
        public static let categoryNames = "category_names"
        public static let identifiers = "identifiers"
    }

    /// `/evaluation` (and `/validation`, the same layout for the validation triplets), its
    /// attributes and datasets.
    public enum Evaluation {
        public static let group = "evaluation"
        public static let validationGroup = "validation"
        public static let tripletCount = "triplet_count"
        public static let digest = "digest"
        public static let source = "source"
        public static let topK = "top_k"
        public static let triplets = "triplets"
        public static let gridQueries = "grid_queries"
    }

    /// `/methods/<method>`: its attributes and groups.
    public enum Method {
        public static let group = "methods"
        public static let type = "type"
        public static let index = "index"
        public static let status = "status"
        public static let reason = "reason"
        /// The weights file a network started from (`network.init_from`, as resolved) and
        /// the SHA-256 of its bytes; only on such methods.
        public static let initFrom = "init_from"
        public static let initFromSHA256 = "init_from_sha256"
        public static let weights = "weights"
        /// Attribute of `weights`: 1 when the arrays are stored (`store_weights`).
        public static let weightsStored = "stored"
        public static let history = "history"
        public static let rows = "rows"
        /// `status` of a method that completed or failed.
        public static let completed = "complete"
        public static let failed = "failed"
    }

    /// `/methods/<method>/rows/<row>`: its attributes (besides the metrics, `MetricName`)
    /// and datasets.
    public enum Row {
        public static let similarityPrecision = MetricName.similarityPrecision
        public static let trainingSeconds = "training_seconds"
        public static let index = "index"
        public static let outcomes = "outcomes"
        public static let scoreContributions = "score_contributions"
        public static let neighbours = "neighbours"
        /// The group of the row's validation scores (`ValidationScores`): attributes
        /// similarity_precision and the metrics, dataset outcomes.
        public static let validation = "validation"
        /// Attributes of a row group that are not metrics of `RowRecord.metrics`.
        public static let nonMetricAttributes: Set<String> = [similarityPrecision, trainingSeconds, index]
    }

    /// `/digests` and its attributes.
    public enum Digests {
        public static let group = "digests"
        public static let weights = "weights"
        public static let metrics = "metrics"
        public static let histories = "histories"
        /// `weights.<method>`: one method's weights.
        public static func methodWeights(_ method: String) -> String { methodWeightsPrefix + method }
        public static let methodWeightsPrefix = "weights."
    }

    /// `/checkpoint` of a `running` file: its attributes, groups and datasets.
    public enum Checkpoint {
        public static let group = "checkpoint"
        public static let loop = "loop"
        public static let step = "step"
        public static let seconds = "seconds"
        public static let arrays = "arrays"
        public static let streams = "streams"
        public static let sampler = "sampler"
        public static let history = "history"
        /// Attributes of `sampler`.
        public static let queries = "queries"
        public static let dropped = "dropped"
        public static let failedTries = "failed_tries"
        public static let arrivals = "arrivals"
    }
}
