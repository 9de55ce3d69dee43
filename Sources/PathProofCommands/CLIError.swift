/// Errors the commands report, each with the exit code it maps to.

/// A failure of a `pathproof` command.
public enum CLIError: Error, CustomStringConvertible {
    /// The command line is wrong: exit 64, with the usage line.
    case usage(String)
    /// Something went wrong while running: exit 3.
    case runtime(String)
    /// Input data was refused (some records could not be read): exit 65.
    case data(String)

    /// The process exit code for this error.
    public var exitCode: Int32 {
        switch self {
        case .usage: return ExitCode.usage
        case .runtime: return ExitCode.runtimeError
        case .data: return ExitCode.dataError
        }
    }

    public var description: String {
        switch self {
        case .usage(let message), .runtime(let message), .data(let message): return message
        }
    }
}

/// The exit codes of `pathproof`, documented in the README.
public enum ExitCode {
    /// Success; for `verify`, the verdict is PROVEN.
    public static let success: Int32 = 0
    /// `verify`: the verdict is VIOLATED.
    public static let violated: Int32 = 1
    /// `verify`: the verdict is UNPROVEN (the evidence cannot decide).
    public static let unproven: Int32 = 2
    /// A runtime error (unreadable file, failed query, signing failure, …).
    public static let runtimeError: Int32 = 3
    /// A usage error: unknown command or option, missing or bad argument.
    public static let usage: Int32 = 64
    /// `ingest`: some input was refused; the good records were stored.
    public static let dataError: Int32 = 65
}
