/// Where a SLURM task writes its output: `<out>/slurm/logs/<job>_<task>.log`.
public enum TaskLog {
    public static func folder(directory: String) -> String { SubmissionRecord.folder(of: directory) + "/logs" }
    public static func path(directory: String, task: String) -> String { folder(directory: directory) + "/\(task).log" }
    /// The sbatch `--output` pattern that gives `path` (`%A` the array job, `%a` the task).
    public static func pattern(directory: String) -> String { folder(directory: directory) + "/%A_%a.log" }
}
