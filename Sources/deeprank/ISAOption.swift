import ArgumentParser
import Foundation
import TensorKit

/// `--isa portable|avx2|avx512|automatic`, shared by every command that computes: the
/// instruction-set path of the chain kernels (`InstructionSet`). Every path gives the same
/// bits; only the speed differs. It sets `DEEPRANK_ISA` for this process (and the processes it
/// starts), so it wins over a value from the environment.
struct ISAOption: ParsableArguments {
    @Option(help: ArgumentHelp("Instruction-set path: portable, avx2, avx512 or automatic (the fastest this CPU "
                               + "runs; default: $DEEPRANK_ISA, else automatic). Results do not depend on it."))
    var isa: String?

    func validate() throws {
        guard let isa else { return }
        do {
            _ = try InstructionSet.parse(isa)
        } catch {
            throw ValidationError("--isa \(isa): \(error)")
        }
    }

    /// Fixes the path before anything computes; returns it.
    @discardableResult
    func apply() -> InstructionSet {
        if let isa { setenv(InstructionSet.environmentVariable, isa, 1) }
        return InstructionSet.selected
    }
}
