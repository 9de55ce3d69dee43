/// The one error type of the Workspace module: what went wrong opening, reading or writing a workspace.

import SQLiteSupport

/// Why a workspace could not be opened, read or written.
///
/// Problems with single records or single input files are not thrown: they are reported in
/// ``IngestSummary/rejected`` so that one bad file never loses the good ones.
public enum WorkspaceError: Error, Sendable, CustomStringConvertible {
    /// The SQLite file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The file is a SQLite database, but not a PathProof workspace (or a newer one).
    case notAWorkspace(path: String, reason: String)
    /// SQLite failed while reading or writing; the running file's transaction was rolled back.
    case storage(SQLiteError)
    /// A path given to ingest does not exist.
    case noSuchInput(path: String)
    /// A directory given to ingest holds no `*.json` or `*.jsonl` file.
    case noLogFiles(directory: String)
    /// An input file could not be read from disk.
    case unreadable(path: String, reason: String)
    /// The workspace has no table of this name.
    case noSuchTable(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open workspace \(path): \(reason)"
        case .notAWorkspace(let path, let reason):
            return "\(path) is not a PathProof workspace: \(reason)"
        case .storage(let error):
            return "workspace storage failed: \(error.description)"
        case .noSuchInput(let path):
            return "no such file or directory: \(path)"
        case .noLogFiles(let directory):
            return "directory \(directory) holds no *.json or *.jsonl log file"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .noSuchTable(let name):
            return "the workspace has no table named '\(name)'"
        }
    }
}
