/// The errors of the evidence-analysis module: a proof policy that cannot be read or is not valid.

/// Why a proof policy was refused.
///
/// Every case names the file and, where there is one, the field, so the user can fix the policy.
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid JSON; `line` and `column` count from 1.
    case invalidJSON(file: String, line: Int, column: Int, reason: String)
    /// A field is missing, has the wrong type, or holds a value the analyzer cannot honour.
    case invalidField(file: String, field: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the proof policy: \(reason)"
        case .invalidJSON(let file, let line, let column, let reason):
            return "\(file):\(line):\(column): the proof policy is not valid JSON: \(reason)"
        case .invalidField(let file, let field, let reason):
            return "\(file): proof policy field '\(field)': \(reason)"
        }
    }
}
