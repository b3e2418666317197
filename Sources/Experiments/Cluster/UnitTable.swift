/// The table of units that `deeprank plan` and `deeprank status` print: one line per unit
/// (index, sweep value, seed, state, the SLURM task that holds or last ran it, the step its
/// checkpoint reached, the run file relative to the plan's folder), then any failure
/// reasons, then the count of units in each state.
public enum UnitTable {
    public static func text(_ statuses: [UnitStatus], directory: String, showTasks: Bool) -> String {
        let sweeps = statuses.contains { $0.unit.sweepPoint != nil }
        var header = ["unit"] + (sweeps ? ["sweep"] : []) + ["seed", "state"]
        if showTasks { header.append("task") }
        header += ["progress", "run file"]
        var rows = [header]
        for status in statuses {
            var row = ["\(status.unit.index)"] + (sweeps ? [status.unit.sweepPoint?.folderName ?? "-"] : [])
            row += ["\(status.unit.seed)", status.state.rawValue]
            if showTasks { row.append(status.task.map { $0 + (status.holder.map { " (\($0))" } ?? "") } ?? "-") }
            row.append(status.state == .complete ? "done" : status.progress ?? "-")
            row.append(relative(status.unit.output, to: directory))
            rows.append(row)
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingTrailingSpaces()
        }
        let failures = statuses.filter { $0.reason != nil }
        if !failures.isEmpty {
            lines.append("")
            lines += failures.map { "unit \($0.unit.index) failed: \($0.reason!)" }
        }
        let counts = UnitStatus.State.allCases.compactMap { state -> String? in
            let count = statuses.filter { $0.state == state }.count
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        lines.append("")
        lines.append("\(statuses.count) units in \(directory): " + counts.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    static func relative(_ path: String, to directory: String) -> String {
        path.hasPrefix(directory + "/") ? String(path.dropFirst(directory.count + 1)) : path
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
