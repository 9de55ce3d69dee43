/// Where commands write: results to standard output, diagnostics to standard error.

import Foundation

/// The two output streams of a command; tests capture them, the executable uses the process's own.
public final class Console: @unchecked Sendable {
    private let writeOut: (String) -> Void
    private let writeOutBytes: ((UnsafeRawBufferPointer) -> Void)?
    private let writeErr: (String) -> Void
    private let lock = NSLock()
    /// Whether a transient status line is on standard error now.
    private var statusShown = false

    /// A console over custom writers (used by tests); without `outBytes`, bytes written to standard
    /// output reach `out` as text.
    public init(
        out: @escaping (String) -> Void, err: @escaping (String) -> Void,
        outBytes: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) {
        self.writeOut = out
        self.writeErr = err
        self.writeOutBytes = outBytes
    }

    /// The process's standard output and standard error.
    public static func standard() -> Console {
        Console(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            err: { FileHandle.standardError.write(Data($0.utf8)) },
            outBytes: { FileHandle.standardOutput.write(Data($0)) }
        )
    }

    /// Writes `text` and a newline to standard output.
    public func print(_ text: String) { write(text + "\n") }

    /// Writes `text` to standard output as is.
    public func write(_ text: String) {
        clearStatus()
        writeOut(text)
    }

    /// Writes UTF-8 `bytes` to standard output as they are (CSV results); a console over custom
    /// writers receives them as text.
    public func write(bytes: UnsafeRawBufferPointer) {
        clearStatus()
        if let writeOutBytes {
            writeOutBytes(bytes)
        } else {
            writeOut(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Writes `text` and a newline to standard error. Messages quote log text and service answers,
    /// and CI runners read standard error too, so each line is guarded (`OutputGuard`).
    public func note(_ text: String) {
        clearStatus()
        writeErr(OutputGuard.text(text + "\n"))
    }

    /// Shows `text` as the one transient status line on standard error (a terminal), in place of the
    /// previous one; any other output clears it first, so it never mixes with results or messages.
    public func status(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        writeErr(Self.eraseLine + text)
        statusShown = true
    }

    /// Erases the status line, if one is shown.
    public func clearStatus() {
        lock.lock()
        defer { lock.unlock() }
        guard statusShown else { return }
        writeErr(Self.eraseLine)
        statusShown = false
    }

    /// Carriage return and "erase the whole line" (ANSI EL 2).
    static let eraseLine = "\r\u{1B}[2K"
}
