/// The one error type of EvidenceSigning: what went wrong with a key, a signature or an envelope.

/// A failure while creating, loading or using a signing key, or while checking a signed envelope.
///
/// Each message names the file, field or key involved and says what the user can do about it.
public enum SigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// OpenSSL refused an operation; `operation` is what PathProof asked for, `detail` OpenSSL's text.
    case openSSL(operation: String, detail: String)
    /// A file could not be read or written; `reason` is the system's text (`strerror`).
    case fileSystem(path: String, reason: String)
    /// A private key file can be read by its group or by others.
    case privateKeyTooOpen(path: String, mode: UInt32)
    /// A key file would be overwritten.
    case keyFileExists(path: String)
    /// A PEM text or file does not hold a key of a kind PathProof signs with.
    case unsupportedKey(source: String, reason: String)
    /// A PEM text or file could not be parsed.
    case invalidPEM(source: String, reason: String)
    /// A DSSE envelope is not well-formed JSON of the expected shape.
    case malformedEnvelope(reason: String)
    /// No signature in an envelope verifies with the trusted key.
    case signatureInvalid(reason: String)
    /// Every signature names a key (its keyid) that is none of the trusted keys: the envelope may be
    /// intact, but it was signed by someone else.
    case untrustedSigner(signers: [String], trusted: [String])
    /// The envelope's payloadType is not the one the caller expects.
    case unexpectedPayloadType(expected: String, found: String)
    /// A value cannot be written as RFC 8785 canonical JSON.
    case notCanonicalizable(path: String, reason: String)

    public var description: String {
        switch self {
        case .openSSL(let operation, let detail):
            return "OpenSSL could not \(operation): \(detail)"
        case .fileSystem(let path, let reason):
            return "\(path): \(reason)"
        case .privateKeyTooOpen(let path, let mode):
            let octal = String(mode & 0o777, radix: 8)
            return "\(path): private key file has mode \(octal) and can be read by other users; "
                + "run `chmod 600 \(path)` and try again"
        case .keyFileExists(let path):
            return "\(path): a key file already exists; move it away or choose another directory "
                + "(PathProof never overwrites a key)"
        case .unsupportedKey(let source, let reason):
            return "\(source): \(reason); PathProof signs with ECDSA P-256 or Ed25519 keys"
        case .invalidPEM(let source, let reason):
            return "\(source): not a usable PEM key: \(reason)"
        case .malformedEnvelope(let reason):
            return "malformed DSSE envelope: \(reason)"
        case .signatureInvalid(let reason):
            return "signature check failed: \(reason)"
        case .untrustedSigner(let signers, let trusted):
            let by = signers.count == 1 ? "key \(signers[0])" : "keys \(signers.joined(separator: ", "))"
            let not = trusted.count == 1 ? "key \(trusted[0])" : "keys \(trusted.joined(separator: ", "))"
            return
                "signed by \(by) (as its keyid says), not by the trusted \(not); give the signer's public key "
                + "with --public-key if you trust it"
        case .unexpectedPayloadType(let expected, let found):
            return "DSSE payloadType is \"\(found)\", expected \"\(expected)\""
        case .notCanonicalizable(let path, let reason):
            return "cannot write canonical JSON (RFC 8785) at \(path): \(reason)"
        }
    }
}
