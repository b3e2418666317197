import Foundation
import Methods

/// Progress on a terminal: one line per training method, redrawn in place with the step,
/// loss, image rate and time left. When standard output is not a terminal (a log file, CI)
/// it draws nothing and the runner's plain log lines (every tenth of a run) are all there is.
final class ProgressBar {
    let isTerminal = isatty(STDOUT_FILENO) == 1
    private var drawn = false
    private var lastDraw = Date.distantPast

    /// Prints a log line, first ending a bar that is on screen.
    func log(_ line: String) {
        if drawn { print("\r\u{1B}[K", terminator: "") }
        print(line)
        drawn = false
    }

    /// Redraws the bar (at most ten times a second, and always at the last step).
    func update(_ p: TrainingProgress) {
        guard isTerminal else { return }
        let now = Date()
        guard p.step == p.steps || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let width = 24
        let filled = width * p.step / max(p.steps, 1)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta = Int(p.secondsLeft.rounded())
        print(String(format: "\r\u{1B}[K%@ [%@] %d/%d loss %.4f, %.0f images/s, %d:%02d left",
                     p.method, bar, p.step, p.steps, p.loss, p.imagesPerSecond, eta / 60, eta % 60), terminator: "")
        fflush(stdout)
        drawn = true
    }
}
