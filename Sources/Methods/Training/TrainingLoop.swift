import Foundation
import NeuralNet
import RunFile

/// The SGD loop every network method trains with: momentum SGD with weight decay (the
/// paper's optimisation, with the learning-rate steps of `TrainingSchedule`), resumable
/// from checkpoints and stopped by a non-finite loss. A method supplies its per-step work
/// as a `TrainingTask`; the loop owns the rest.
///
/// Step `s` (0-based, from `first` to `schedule.steps - 1`), in this order:
/// 1. the task draws and fills its batch;
/// 2. the gradients are zeroed; the task runs forward and returns the loss;
/// 3. a non-finite loss stops training: the curves so far are written to `history` and
///    `MethodError.diverged` is thrown;
/// 4. the task back-propagates; with `schedule.clipGradientNorm` the gradients are scaled
///    down to that norm when theirs is larger; the learning rate is set to
///    `schedule.learningRate(at: s)` and the optimiser steps;
/// 5. the loss and the task's extra curves (and the rate, when the schedule records it,
///    and the gradient norm before clipping, when it clips) are appended, progress is
///    reported;
/// 6. with `schedule.selection` (`keep_best`), when a check is due after `s + 1` steps the
///    network is scored on the validation triplets (`validate`) and the parameters are
///    copied when they beat every earlier check;
/// 7. when a checkpoint is due after `s + 1` steps, the curves are written to `history`
///    and the `TrainingState` is saved (with the best parameters so far).
/// After the last step, with `keep_best`, the best parameters replace the last ones.
/// The order is part of the stored results: the same floats and random draws in the same
/// order give the same bits, with or without an interruption.
///
/// The loop is named by its method (`TrainingState.loop`); `first` is 0, or the step of
/// the state an earlier, interrupted run saved for that name.
struct TrainingLoop {
    let name: String
    let schedule: TrainingSchedule
    let context: MethodContext
    /// The state to continue from (`context.checkpoints.resume(name)`), if any.
    let resumed: TrainingState?

    init(name: String, schedule: TrainingSchedule, context: MethodContext) {
        self.name = name; self.schedule = schedule; self.context = context
        resumed = context.checkpoints.resume(name)
    }

    /// Trains `task` for the schedule's remaining steps. `history` holds the method's
    /// curves: replaced by the saved ones when resuming, then `loss` and the task's extra
    /// series are set (also on divergence and at every checkpoint); other series in it
    /// (`pretrain_loss`) are kept and saved with checkpoints. `started`: when the method's
    /// training began in this process, for the training seconds a checkpoint records
    /// (added to those saved by earlier runs).
    /// `validate` scores the task's network as it is on the given validation triplets
    /// (similarity precision); it is called only with `schedule.selection`, which fails before
    /// the first step when the run has no validation triplets or the method cannot score.
    func run<Task: TrainingTask>(_ task: inout Task, history: inout [String: [Float]], started: Date,
                                 validate: ((ValidationTriplets) throws -> Double)? = nil) throws {
        let optimizer = SGD(store: task.store, learningRate: schedule.learningRate, momentum: schedule.momentum,
                            weightDecay: schedule.weightDecay, nesterov: schedule.nesterov)
        var first = 0, earlierSeconds = 0.0
        var best = BestParameters()
        if let state = resumed {
            try state.restore(into: task.store, optimizer: optimizer)
            try task.restore(from: state)
            history = state.history
            first = state.step; earlierSeconds = state.seconds
            best = try BestParameters(state: state, store: task.store)
            context.log("\(name): resuming at step \(first) of \(schedule.steps)")
        }
        let selection = try schedule.selection.map { selection -> (ValidationSelection, () throws -> Double) in
            guard let validate, let validation = context.validation else {
                throw MethodError.invalidSetting(method: name, key: "keep_best",
                                                 reason: "the run has no validation split to choose on")
            }
            return (selection, { try validate(validation) })
        }
        let recorded = [HistorySeries.loss] + Task.extraSeries
            + (schedule.recordsLearningRate ? [HistorySeries.learningRate] : [])
            + (schedule.clipGradientNorm != nil ? [HistorySeries.gradientNorm] : [])
            + (selection != nil ? [HistorySeries.validationStep, .validationPrecision] : [])
        var curves = Dictionary(uniqueKeysWithValues: recorded.map { ($0, history[$0] ?? []) })
        func writeCurves() {
            for (series, values) in curves { history[series] = values }
        }
        let meter = ProgressMeter(method: name, steps: schedule.steps, imagesPerStep: task.imagesPerStep,
                                  context: context, firstStep: first)
        for step in first..<schedule.steps {
            try task.drawBatch(step: step)
            task.store.zeroGradients()
            let loss = try task.forward()
            precondition(loss.extras.count == Task.extraSeries.count, "one value per extra series")
            guard loss.value.isFinite else {
                writeCurves()
                throw MethodError.diverged(method: name, step: step, loss: loss.value)
            }
            task.backward(loss.gradient)
            if let maxNorm = schedule.clipGradientNorm {
                curves[.gradientNorm]!.append(task.store.clipGradientNorm(to: maxNorm))
            }
            optimizer.learningRate = schedule.learningRate(at: step)
            optimizer.step()
            curves[.loss]!.append(loss.value)
            curves[.learningRate]?.append(optimizer.learningRate)
            for (extra, value) in zip(Task.extraSeries, loss.extras) { curves[extra]!.append(value) }
            meter.report(step: step, loss: loss.value, label: Task.lossName)
            if let (selection, validate) = selection, selection.isDue(afterStep: step + 1, of: schedule.steps) {
                let precision = try validate()
                curves[.validationStep]!.append(Float(step + 1))
                curves[.validationPrecision]!.append(Float(precision))
                if best.offer(precision, step: step + 1, store: task.store) {
                    context.log(String(format: "%@: step %d: validation similarity precision %.2f%% (best so far)",
                                       name, step + 1, 100 * precision))
                }
            }
            if context.checkpoints.isDue(afterStep: step + 1, of: schedule.steps) {
                writeCurves()
                try context.checkpoints.save(TrainingState(
                    loop: name, step: step + 1, store: task.store, optimizer: optimizer,
                    streams: Dictionary(uniqueKeysWithValues: task.streams.map { streamName, stream in (streamName.key, stream) }),
                    sampler: task.samplerState, history: history,
                    seconds: earlierSeconds + Date().timeIntervalSince(started), best: best.parameters))
            }
        }
        writeCurves()
        if selection != nil, let kept = best.step {
            best.restore(into: task.store)
            context.log("\(name): keeping the parameters of step \(kept), the best on the validation split")
        }
    }
}
