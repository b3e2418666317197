import ArgumentParser
import Experiments
import DatasetKit
import Foundation
import TensorKit

/// The options `embed` and `query` share: the run file and row whose trained model they
/// rebuild, how to treat an unreadable image, and the worker threads.
struct StoredRowOptions: ParsableArguments {
    @Argument(help: "A run file written by `deeprank run`.")
    var runFile: String

    @Option(name: .customLong("method"),
            help: "The row (or single-row method) of the run whose trained model compares the images.")
    var name: String

    @Flag(name: .customLong("skip-unreadable"),
          help: ArgumentHelp("When embedding a folder, leave out images that cannot be decoded "
              + "(with a warning each) instead of stopping."))
    var skipUnreadable = false

    @Option(help: "Worker threads (the vectors and results do not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Configures the worker threads and rebuilds the row's model from the run file.
    func model() throws -> StoredModel {
        Parallel.configure(threads: threads)
        return try StoredModel(path: runFile, name: name)
    }
}

/// Writes `line` to standard error.
func printWarning(_ line: String) {
    FileHandle.standardError.write(Data(("warning: " + line + "\n").utf8))
}

/// Runs `body`; an error (the library's errors name their file) is printed to standard
/// error and the command exits with status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        var message = "\(error)"
        if case DatasetError.unreadableImage = error {
            message += " (give --skip-unreadable to leave unreadable images out)"
        }
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
        throw ExitCode.failure
    }
}
