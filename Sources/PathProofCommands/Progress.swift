/// Progress on standard error: one line rewritten in place on a terminal, nothing when standard
/// error is not a terminal or with --quiet, a line per step with --verbose (terminal or not).

import Foundation

/// Reports phases, slices and row counts while a command runs.
final class Progress: @unchecked Sendable {
    private let console: Console
    private let enabled: Bool
    private let verbose: Bool
    /// One status line rewritten in place (a terminal without --verbose), or a line per step.
    private let inPlace: Bool
    private var rowsSoFar = 0
    private var currentPhase = ""

    /// `enabled` is normally "standard error is a terminal and --quiet was not given".
    init(console: Console, enabled: Bool, verbose: Bool, inPlace: Bool = false) {
        self.console = console
        self.enabled = enabled || verbose
        self.verbose = verbose
        self.inPlace = inPlace && !verbose
    }

    /// The progress of a command run with --quiet / --verbose, on a terminal or not.
    static func forCommand(
        console: Console, quiet: Bool, verbose: Bool, terminal: Bool = standardErrorIsTerminal
    ) -> Progress {
        Progress(console: console, enabled: terminal && !quiet, verbose: verbose, inPlace: terminal)
    }

    /// Whether standard error is a terminal.
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// A silent reporter.
    static func silent(_ console: Console) -> Progress { Progress(console: console, enabled: false, verbose: false) }

    /// A new phase of the run.
    func phase(_ text: String) {
        currentPhase = text
        show("… \(text)")
    }

    /// Rows received by the latest query, fetched in `slices` requests.
    func rows(_ count: Int, slices: Int = 1) {
        rowsSoFar += count
        let sliced = slices > 1 ? " in \(slices) slices" : ""
        show("… \(currentPhase): \(count) rows\(sliced) (\(rowsSoFar) so far)")
    }

    /// A detail shown only with --verbose.
    func detail(_ text: String) {
        guard verbose else { return }
        console.note(text)
    }

    /// Takes the status line away (the run is over; results follow).
    func finish() {
        if inPlace { console.clearStatus() }
    }

    private func show(_ line: String) {
        guard enabled else { return }
        if inPlace { console.status(line) } else { console.note(line) }
    }
}
