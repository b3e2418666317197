import DatasetKit
import RunFile

extension RunRecord {
    /// The record of a run of `spec` for `result.seed`; `dataset` is the data set the run
    /// used (for its identifiers and categories). A `result` with unfinished methods gives a
    /// `running` record of the finished ones and `checkpoint`.
    public init(spec: ExperimentSpec, result: ExperimentResult, dataset: any ImageDataset, provenance: RunProvenance,
                checkpoint: TrainingState? = nil) {
        let finished = Set(result.finished)
        let complete = spec.methods.allSatisfy { finished.contains($0.name) }
        self.init(
            status: complete ? .complete : .running, experiment: spec.experiment, seed: result.seed, specPath: spec.path, specText: spec.text,
            provenance: provenance,
            dataset: DatasetRecord(dataset: dataset, split: result.split, testFraction: spec.testFraction,
                                   validationFraction: spec.validationFraction),
            evaluation: EvaluationRecord(result.evaluationTriplets, topK: result.topK, gridQueries: result.gridQueries),
            methods: spec.methods.filter { finished.contains($0.name) }.map { method in
                MethodRecord(name: method.name, type: method.type, weights: result.learned[method.name] ?? [],
                             history: result.histories[method.name] ?? [:], failure: result.failures[method.name],
                             weightsStored: !complete || spec.storeWeights.keeps(result.learned[method.name] ?? []),
                             initialWeights: method.initialWeights)
            },
            rows: result.rows.map(RowRecord.init),
            sweepPoint: spec.sweepPoint, checkpoint: complete ? nil : checkpoint,
            validation: result.validationTriplets.map { EvaluationRecord($0, topK: result.topK) })
    }
}

extension RowRecord {
    public init(_ result: MethodResult) {
        self.init(method: result.method, row: result.row, similarityPrecision: result.similarityPrecision,
                  outcomes: result.outcomes, trainingSeconds: result.trainingSeconds, metrics: result.metrics,
                  scoreContributions: result.scoreContributions, neighbours: result.neighbours,
                  validation: result.validation)
    }
}
