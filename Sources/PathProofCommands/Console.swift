/// Where commands write: results to standard output, diagnostics to standard error.

import Foundation

/// The two output streams of a command; tests capture them, the executable uses the process's own.
public final class Console: @unchecked Sendable {
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void

    /// A console over custom writers (used by tests).
    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
        self.writeOut = out
        self.writeErr = err
    }

    /// The process's standard output and standard error.
    public static func standard() -> Console {
        Console(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) }
        )
    }

    /// Writes `text` and a newline to standard output.
    public func print(_ text: String) { writeOut(text + "\n") }

    /// Writes `text` to standard output as is.
    public func write(_ text: String) { writeOut(text) }

    /// Writes `text` and a newline to standard error.
    public func note(_ text: String) { writeErr(text + "\n") }
}
