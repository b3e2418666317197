import RunFile
import Foundation

/// The runs of one table: one experiment, or one value of its sweep, with one run per seed
/// (sorted by seed).
public struct ExperimentGroup: Equatable {
    public var experiment: String
    public var sweepPoint: SweepPoint?
    public var runs: [ReportRun]

    public init(experiment: String, sweepPoint: SweepPoint?, runs: [ReportRun]) {
        self.experiment = experiment; self.sweepPoint = sweepPoint; self.runs = runs.sorted { $0.record.seed < $1.record.seed }
    }

    public var seeds: [UInt64] { runs.map(\.record.seed) }

    /// A name for the group's files: `<experiment>` or `<experiment>-<key's last segment>=<value>`,
    /// with anything but letters, digits and `._=-` replaced by `_`.
    public var slug: String {
        let name = experiment + (sweepPoint.map { "-" + $0.folderName } ?? "")
        return String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._=-".contains($0)) ? $0 : "_" })
    }

    /// The heading of the group: `default-comparison` or `default-comparison, out_of_class_fraction = 0.2`.
    public var title: String {
        experiment + (sweepPoint.map { ", \(Self.shortKey($0.key)) = \($0.label)" } ?? "")
    }

    /// The last segment of a dotted sweep key.
    static func shortKey(_ key: String) -> String { key.split(separator: ".").last.map(String.init) ?? key }

    /// Groups runs by experiment and sweep value: experiments by name, a plain run before
    /// sweep values, sweep values by number when every label is a number, else by label.
    /// Two runs of one group with the same seed are an error naming both files.
    public static func grouping(_ runs: [ReportRun]) throws -> [ExperimentGroup] {
        var byKey: [String: [ReportRun]] = [:]
        var order: [(experiment: String, point: SweepPoint?, key: String)] = []
        for run in runs {
            let key = run.record.experiment + "\u{0}" + (run.record.sweepPoint.map { $0.key + "\u{0}" + $0.label } ?? "")
            if byKey[key] == nil { order.append((run.record.experiment, run.record.sweepPoint, key)) }
            byKey[key, default: []].append(run)
        }
        var groups: [ExperimentGroup] = []
        for entry in order {
            let group = ExperimentGroup(experiment: entry.experiment, sweepPoint: entry.point, runs: byKey[entry.key] ?? [])
            for (a, b) in zip(group.runs, group.runs.dropFirst()) where a.record.seed == b.record.seed {
                throw ReportError.duplicateRun(experiment: group.title, seed: a.record.seed, files: [a.path, b.path])
            }
            groups.append(group)
        }
        let numericLabels = groups.allSatisfy { $0.sweepPoint.map { Double($0.label) != nil } ?? true }
        return groups.sorted { a, b in
            if a.experiment != b.experiment { return a.experiment < b.experiment }
            guard let pa = a.sweepPoint else { return b.sweepPoint != nil }
            guard let pb = b.sweepPoint else { return false }
            if pa.key != pb.key { return pa.key < pb.key }
            if numericLabels, let x = Double(pa.label), let y = Double(pb.label), x != y { return x < y }
            return pa.label < pb.label
        }
    }
}
