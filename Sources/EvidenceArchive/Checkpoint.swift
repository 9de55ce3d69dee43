/// Checkpoints (signed tree heads) in the C2SP tlog-checkpoint text form, signed as DSSE envelopes.

import EvidenceSigning

/// The state of the log at one size: origin, tree size and root, as C2SP tlog-checkpoint text.
///
/// The body is three lines, each ending in a newline: the origin (unique per archive), the tree
/// size in decimal, and the base64 RFC 6962 root. The signature covers these exact bytes.
public struct Checkpoint: Sendable, Equatable {
    /// The DSSE payloadType of a signed checkpoint body.
    public static let payloadType = "application/vnd.pathproof.tlog-checkpoint+text"

    /// The log's name, the same in every checkpoint of one archive.
    public var origin: String
    /// Number of leaves covered.
    public var size: Int
    /// RFC 6962 root of the first `size` leaves.
    public var root: [UInt8]

    public init(origin: String, size: Int, root: [UInt8]) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The C2SP body text that is signed.
    public var body: String { "\(origin)\n\(size)\n\(Base64.encode(root))\n" }

    /// Parses a C2SP checkpoint body (extension lines after the root are refused: PathProof writes none).
    public init(body: String) throws(ArchiveError) {
        guard body.hasSuffix("\n") else {
            throw .malformedCheckpoint("the body does not end with a newline")
        }
        let lines = body.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        guard lines.count == 3 else {
            throw .malformedCheckpoint(
                "expected 3 lines (origin, size, root), found \(lines.count)")
        }
        guard !lines[0].isEmpty else { throw .malformedCheckpoint("the origin line is empty") }
        guard let size = Int(lines[1]), size >= 0, String(size) == lines[1] else {
            throw .malformedCheckpoint(
                "tree size \"\(lines[1])\" is not a decimal number without leading zeros")
        }
        guard let root = Base64.decode(lines[2]), root.count == 32, Base64.encode(root) == lines[2]
        else {
            throw .malformedCheckpoint("root \"\(lines[2])\" is not a base64 SHA-256 hash")
        }
        self.init(origin: lines[0], size: size, root: root)
    }
}

/// A checkpoint together with the DSSE envelope that signs its body.
public struct SignedCheckpoint: Sendable, Equatable {
    /// The checkpoint the envelope vouches for.
    public var checkpoint: Checkpoint
    /// The DSSE envelope JSON bytes (payloadType `Checkpoint.payloadType`, payload = body).
    public var envelope: [UInt8]
    /// The C2SP signed note (body, blank line, signature line) when the key is Ed25519.
    public var note: String?

    public init(checkpoint: Checkpoint, envelope: [UInt8], note: String? = nil) {
        self.checkpoint = checkpoint
        self.envelope = envelope
        self.note = note
    }

    /// Signs `checkpoint`'s body with `signer`.
    public static func sign(_ checkpoint: Checkpoint, signer: any EvidenceSigner)
        throws(ArchiveError)
        -> SignedCheckpoint
    {
        do {
            let envelope = try DSSE.sign(
                payload: Array(checkpoint.body.utf8), payloadType: Checkpoint.payloadType,
                signer: signer)
            let note = try SignedNote.sign(
                body: checkpoint.body, name: checkpoint.origin, signer: signer)
            return SignedCheckpoint(
                checkpoint: checkpoint, envelope: envelope.jsonBytes, note: note)
        } catch {
            throw .signingFailed("\(error)")
        }
    }

    /// Verifies the envelope with any of `keys` and that it signs exactly this checkpoint's body
    /// (and, for an Ed25519 key, that the signed note does too); returns the ID of the key that verified it.
    public func verify(keys: [PublicKey]) throws(ArchiveError) -> String {
        let envelope: Envelope
        do {
            envelope = try Envelope(jsonBytes: self.envelope)
        } catch {
            throw .proofInvalid("checkpoint \(checkpoint.size): \(error)")
        }
        let verified: (payload: [UInt8], keyID: String)
        do {
            verified = try DSSE.verify(envelope, trustedKeys: keys, expectedPayloadType: Checkpoint.payloadType)
        } catch {
            throw .signature(of: "checkpoint \(checkpoint.size)", error)
        }
        guard verified.payload == Array(checkpoint.body.utf8) else {
            throw .proofInvalid("checkpoint \(checkpoint.size): the signed body differs from the stored checkpoint")
        }
        if let note, let key = keys.first(where: { $0.keyID == verified.keyID }), key.algorithm == .ed25519 {
            guard try SignedNote.verify(note, name: checkpoint.origin, publicKey: key) == checkpoint.body else {
                throw .proofInvalid("checkpoint \(checkpoint.size): the signed note covers a different body")
            }
        }
        return verified.keyID
    }
}

extension Checkpoint {
    /// Reads a checkpoint an auditor kept from earlier, in any form PathProof writes it.
    ///
    /// Accepted forms: the C2SP body (`log/checkpoint.txt` of an export bundle), a C2SP signed
    /// note (`log/checkpoint.note`: body, blank line, signature lines), or the DSSE envelope that
    /// signs the body (`log/checkpoint.dsse.json`). A signed form must verify with one of `keys`
    /// (a note only with an Ed25519 key, the only kind PathProof writes notes for); the plain body
    /// is taken as the auditor kept it.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - keys: The keys trusted to have signed the checkpoint.
    /// - Returns: The checkpoint the file states.
    /// - Throws: `ArchiveError.malformedCheckpoint` when the text is in none of the forms, or
    ///   `ArchiveError.proofInvalid` when a signed form does not verify.
    public init(kept bytes: [UInt8], keys: [PublicKey]) throws(ArchiveError) {
        try self.init(body: Self.keptBody(bytes, keys: keys))
    }

    /// The body of a kept checkpoint file, its signature checked when it has one.
    private static func keptBody(_ bytes: [UInt8], keys: [PublicKey]) throws(ArchiveError) -> String {
        if bytes.first == UInt8(ascii: "{") {
            let envelope: Envelope
            do { envelope = try Envelope(jsonBytes: bytes) } catch {
                throw .malformedCheckpoint("the file starts with { but is not a DSSE envelope: \(error)")
            }
            do {
                let body = try DSSE.verify(envelope, trustedKeys: keys, expectedPayloadType: Checkpoint.payloadType)
                return String(decoding: body.payload, as: UTF8.self)
            } catch {
                throw .signature(of: "the kept checkpoint's DSSE envelope", error)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformedCheckpoint("the file is neither UTF-8 text nor a DSSE envelope")
        }
        guard let split = text.range(of: "\n\n") else { return text }
        let body = try Checkpoint(body: String(text[..<split.lowerBound]) + "\n")
        let ed25519 = keys.filter { $0.algorithm == .ed25519 }
        var failures: [String] = []
        for key in ed25519 {
            do {
                if try SignedNote.verify(text, name: body.origin, publicKey: key) == body.body { return body.body }
                failures.append("key \(key.keyID) signs a different body")
            } catch {
                failures.append("\(error)")
            }
        }
        let detail = ed25519.isEmpty ? "no trusted Ed25519 key given" : failures.joined(separator: "; ")
        throw .proofInvalid("the kept checkpoint's signed note does not verify: \(detail)")
    }
}
