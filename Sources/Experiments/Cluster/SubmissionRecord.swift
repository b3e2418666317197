import Foundation

/// What `deeprank submit` leaves in `<out>/slurm/submission.json`, so that `deeprank status
/// <out>` can show the units of a folder and which SLURM task last held each: the spec (its
/// text, so the record stands alone), the seeds the units were planned with, and every job
/// submitted so far. Written whole or not at all (temporary file, then rename).
public struct SubmissionRecord: Codable, Equatable, Sendable {
    public var experiment: String
    /// The spec file's absolute path, as the job scripts run it.
    public var specPath: String
    public var specText: String
    /// The seeds given to `submit` (nil: the spec's); they fix the unit indices.
    public var seeds: [UInt64]?
    public var jobs: [Job]

    public struct Job: Codable, Equatable, Sendable {
        /// SLURM's job id of the array.
        public var id: String
        /// The unit indices it runs (its array task ids).
        public var units: [Int]
        /// ISO 8601 UTC.
        public var submitted: String

        public init(id: String, units: [Int], submitted: String) { self.id = id; self.units = units; self.submitted = submitted }
    }

    public init(experiment: String, specPath: String, specText: String, seeds: [UInt64]?, jobs: [Job] = []) {
        self.experiment = experiment; self.specPath = specPath; self.specText = specText; self.seeds = seeds; self.jobs = jobs
    }

    enum CodingKeys: String, CodingKey {
        case experiment, specPath = "spec_path", specText = "spec_text", seeds, jobs
    }

    /// `<directory>/slurm`: the job scripts, this record and the tasks' logs (`logs/`).
    public static func folder(of directory: String) -> String { directory + "/slurm" }

    /// `<directory>/slurm/submission.json`.
    public static func path(in directory: String) -> String { folder(of: directory) + "/submission.json" }

    /// The SLURM task that last ran unit `index` (`<job>_<index>`), or nil if none did.
    public func lastTask(ofUnit index: Int) -> String? {
        jobs.last { $0.units.contains(index) }.map { "\($0.id)_\(index)" }
    }

    /// The record in `directory`, nil when there is none.
    public static func load(from directory: String) throws -> SubmissionRecord? {
        let file = path(in: directory)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        do {
            return try JSONDecoder().decode(SubmissionRecord.self, from: try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw ClusterError.invalidRecord(file: file, reason: "\(error)")
        }
    }

    /// Writes the record atomically.
    public func save(in directory: String) throws {
        let file = Self.path(in: directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw ClusterError.cannotWrite(file: file, reason: error.localizedDescription)
        }
    }
}
