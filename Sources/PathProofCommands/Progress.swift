/// Progress lines on standard error: only on a terminal, never with --quiet; more with --verbose.

import Foundation

/// Reports phases and row counts while a command runs.
final class Progress: @unchecked Sendable {
    private let console: Console
    private let enabled: Bool
    private let verbose: Bool
    private var rowsSoFar = 0

    /// `enabled` is normally "standard error is a terminal and --quiet was not given".
    init(console: Console, enabled: Bool, verbose: Bool) {
        self.console = console
        self.enabled = enabled || verbose
        self.verbose = verbose
    }

    /// Whether standard error is a terminal.
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// A silent reporter.
    static func silent(_ console: Console) -> Progress { Progress(console: console, enabled: false, verbose: false) }

    /// A new phase of the run.
    func phase(_ text: String) {
        guard enabled else { return }
        console.note("… \(text)")
    }

    /// Rows received by the latest query.
    func rows(_ count: Int) {
        rowsSoFar += count
        guard enabled else { return }
        console.note("… \(count) rows (\(rowsSoFar) so far)")
    }

    /// A detail shown only with --verbose.
    func detail(_ text: String) {
        guard verbose else { return }
        console.note(text)
    }
}
