/// The one error type of the KQL engine: syntax, unsupported constructs, unresolved names, runtime.

/// Why a query could not be parsed or run.
///
/// The engine prefers refusing a query to answering it wrongly: anything it does not implement is
/// `.unsupported`, naming the operator or function.
public enum KQLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not valid KQL at `line`:`column` (1-based); `expected` says what would fit there.
    case syntax(line: Int, column: Int, expected: String, found: String)
    /// A construct the embedded engine does not implement; the text names it. A text that starts with
    /// "unknown" is a name neither KQL (as far as the engine knows) nor the query defines, and is shown
    /// as it is.
    case unsupported(String)
    /// A table or tabular name that neither the provider nor a `let` defines (SEM0100).
    case unknownTable(String)
    /// A scalar name that is neither a column nor a `let` value (SEM0100).
    case unknownColumn(String)
    /// The query is well formed but ill typed or misused (wrong argument count, wrong type).
    case semantic(String)
    /// Running the query failed (the table provider failed, a limit was exceeded).
    case runtime(String)

    public var description: String {
        switch self {
        case .syntax(let line, let column, let expected, let found):
            return "syntax error at \(line):\(column): expected \(expected), found \(found)"
        case .unsupported(let construct) where construct.hasPrefix("unknown "):
            return "unsupported: \(construct)"
        case .unsupported(let construct):
            return "unsupported: \(construct) is not supported by the embedded KQL engine"
        case .unknownTable(let name):
            return "SEM0100: Failed to resolve table or column expression named '\(name)'"
        case .unknownColumn(let name):
            return "SEM0100: Failed to resolve scalar expression named '\(name)'"
        case .semantic(let message):
            return "semantic error: \(message)"
        case .runtime(let message):
            return "query failed: \(message)"
        }
    }
}
