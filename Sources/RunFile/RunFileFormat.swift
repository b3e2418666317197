/// The HDF5 layout of a run file, format version 2: one file per spec and seed, written by
/// `RunFileWriter` (atomically: to `<file>.tmp-<pid>`, renamed when complete) and read by
/// `RunFileReader`, h5py and h5dump. README.md, "Run files", has the same table.
///
///     /                       attrs format = "deeprank-run", format_version = 2 (int64),
///                             status = "complete", experiment, seed (uint64),
///                             created, finished (ISO 8601 UTC), checkpoint_every (int64, steps;
///                             absent in the first files of this version: `defaultCheckpointInterval`)
///     /provenance             attrs git_commit, git_dirty (int64 1/0, -1 unknown), swift_version,
///                             blas, blas_core, threads (int64), cpu_model, command_line,
///                             hostname, os, started, finished, deeprank_version
///     /spec                   the spec text as given (UTF-8 string); attr path
///     /dataset                attrs kind, count, categories (int64), test_fraction (double),
///                             digest (`RunDigests.dataset`)
///     /dataset/train_indices  int64 [train]    /dataset/test_indices int64 [test]
///     /dataset/validation_indices  int64 [V] and attr validation_fraction (double): only for a
///                             run with a validation part (`split.validation_fraction` > 0)
///     /dataset/category       int64 [count], the category of every image
///     /dataset/category_names, /dataset/identifiers   newline-joined strings (index order)
///     /evaluation             attrs triplet_count, digest (`EvaluationTripletSet.digest`), source,
///                             top_k (int64, the K of Score-at-top-K)
///     /evaluation/triplets    int64 [T, 3]: query, positive, negative (dataset indices)
///     /evaluation/grid_queries  int64 [G]: test images whose neighbours every row stores
///     /validation             (runs with a validation part) the layout of /evaluation for the
///                             validation triplets (grid_queries empty)
///     /methods/<method>       attrs type (the spec's method type), index (position in the spec)
///       weights/<array>       float32 with its shape (`NamedArray`: deep.conv1.weight, oasis.W)
///       history/<series>      float32 [n]
///       rows/<row>            attrs similarity_precision (double), training_seconds (double),
///                             index (position in the table)
///                             and the metrics (double): score_at_k, score_at_k_counted,
///                             precision_at_1, recall_at_<k>, r_precision, map_at_r
///       rows/<row>/outcomes   float32 [T]: per evaluation triplet 1, 0.5 (tie) or 0
///       rows/<row>/score_contributions  float32 [T]: +1, -1 or 0, the triplet's share of Score@K
///       rows/<row>/neighbours int64 [G, k]: nearest test images of each grid query, best first
///       rows/<row>/validation (runs with a validation part) attrs similarity_precision and the
///                             metrics over the validation split; outcomes float32 [V]
///     /digests                attrs weights, metrics, histories, weights.<method> (SHA-256 hex)
///     /checkpoint             (status "running" only) attrs loop (the method training), step
///                             (int64, steps finished), seconds (double)
///       arrays/param/<name>   float32: the loop's parameters; arrays/optimizer/velocity float32 [P]
///       streams/<stream>      uint64 [4]: xoshiro256** state of each of the loop's streams
///       sampler               uint64 [4] (stream state); attrs queries, dropped, failed_tries, arrivals
///       history/<series>      float32 [n]: the curves so far
///
/// Groups `weights`, `history` and `rows` exist (maybe empty) for every method listed
/// under `/methods` (in a `running` file: the finished ones). A reader accepts only
/// `format == "deeprank-run"` and a `format_version` it knows.
public enum RunFileFormat {
    public static let name = "deeprank-run"
    public static let version: Int64 = 2
    /// The version of this program, recorded in `/provenance`.
    public static let deeprankVersion = "0.1.0"
    /// Training steps between a run's checkpoints unless the run says otherwise
    /// (`deeprank run --checkpoint-every`); also what `checkpoint_every` means when a file
    /// written before that attribute existed lacks it.
    public static let defaultCheckpointInterval = 50
}

/// `status` at the root of a run file.
public enum RunStatus: String, Equatable, Sendable {
    /// Every method finished (completed or failed, see `/methods/<name>` status).
    case complete
    /// A checkpoint of a run that is going on or was interrupted: `/methods` holds the
    /// methods finished so far and `/checkpoint` the loop that was training. Running the
    /// same command again resumes from it.
    case running
}
