/// The one error type of EvidenceArchive: failures opening, appending to or proving from an archive.

import EvidenceSigning
import SQLiteSupport

/// A failure while using the evidence archive or checking a Merkle proof.
public enum ArchiveError: Error, Sendable, CustomStringConvertible {
    /// SQLite failed; the wrapped error names the file and SQLite's message.
    case database(SQLiteError)
    /// The file is a SQLite database but not a PathProof archive (or a newer schema).
    case notAnArchive(path: String, reason: String)
    /// A leaf index or tree size outside the log.
    case outOfRange(String)
    /// A Merkle proof does not check out.
    case proofInvalid(String)
    /// A signed checkpoint (`of` names it) does not verify with a trusted key, or it names a key that is
    /// not trusted (`SigningError.untrustedSigner`); the Merkle proofs are not in question.
    case signature(of: String, SigningError)
    /// Signing the checkpoint failed; nothing was appended.
    case signingFailed(String)
    /// A checkpoint text is not in the C2SP tlog-checkpoint form.
    case malformedCheckpoint(String)

    public var description: String {
        switch self {
        case .database(let error): return "archive database error: \(error)"
        case .notAnArchive(let path, let reason):
            return "\(path) is not a PathProof evidence archive: \(reason)"
        case .outOfRange(let detail): return "out of range: \(detail)"
        case .proofInvalid(let detail): return "Merkle proof invalid: \(detail)"
        case .signature(let subject, let error): return "\(subject): \(error)"
        case .signingFailed(let detail):
            return "could not sign the checkpoint, nothing was appended: \(detail)"
        case .malformedCheckpoint(let detail): return "malformed checkpoint: \(detail)"
        }
    }
}
