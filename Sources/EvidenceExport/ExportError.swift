/// The one error type of EvidenceExport: what stopped an export, a bundle check or a diff.

/// A failure while writing or reading an auditor's export bundle, or comparing reports.
///
/// Each message names the file or argument involved and what to do about it.
public enum ExportError: Error, Sendable, CustomStringConvertible {
    /// A file or directory could not be read or written.
    case fileSystem(path: String, reason: String)
    /// The output directory cannot take a bundle (`reason`: "is not empty", "is not a directory").
    case unusableOutput(path: String, reason: String)
    /// The archive could not be read or proved.
    case archive(String)
    /// A report file is not a PathProof report.
    case malformedReport(source: String, reason: String)
    /// Signing or reading a signature failed.
    case signing(String)
    /// An argument makes no sense, such as a window that ends before it starts.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .fileSystem(let path, let reason): return "\(path): \(reason)"
        case .unusableOutput(let path, let reason):
            return "\(path) \(reason); export into a new or empty directory"
        case .archive(let reason): return "archive: \(reason)"
        case .malformedReport(let source, let reason): return "\(source): not a PathProof report: \(reason)"
        case .signing(let reason): return "signing: \(reason)"
        case .invalidArgument(let reason): return reason
        }
    }
}
