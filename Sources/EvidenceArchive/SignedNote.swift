/// C2SP signed-note lines for Ed25519 checkpoints, so that standard transparency-log tools can check them.

import EvidenceSigning

/// The C2SP signed-note format (c2sp.org/signed-note) for Ed25519 keys (signature type 0x01).
///
/// A note is the checkpoint body, a blank line, then `— <key name> base64(key hash ‖ signature)`,
/// where the dash is U+2014, the key hash is the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖
/// 32-byte public key), and the signature is pure Ed25519 over the body bytes. PathProof writes
/// notes only for Ed25519 keys; ECDSA checkpoints are covered by their DSSE envelope.
public enum SignedNote {
    /// The 4-byte key hash that starts each signature.
    public static func keyHash(name: String, ed25519PublicKey: [UInt8]) -> [UInt8] {
        Array(sha256(Array(name.utf8) + [0x0A, 0x01] + ed25519PublicKey).prefix(4))
    }

    /// The 32-byte Ed25519 key inside an Ed25519 SubjectPublicKeyInfo, or `nil` for other keys.
    public static func ed25519Key(_ publicKey: PublicKey) -> [UInt8]? {
        guard publicKey.algorithm == .ed25519, publicKey.spkiDER.count == 44 else { return nil }
        return Array(publicKey.spkiDER.suffix(32))
    }

    /// Signs `body` (ending in a newline) as a note under key name `name`; `nil` for a non-Ed25519 signer.
    public static func sign(body: String, name: String, signer: any EvidenceSigner) throws
        -> String?
    {
        guard signer.algorithm == .ed25519 else { return nil }
        // Parsing PEM costs milliseconds in OpenSSL 3.0; a local key already holds its public half.
        let publicKey =
            try (signer as? SigningKey)?.publicKey ?? PublicKey(pem: signer.publicKeyPEM)
        guard let raw = ed25519Key(publicKey) else { return nil }
        let signature = try signer.sign(Array(body.utf8))
        let line =
            "\u{2014} \(name) \(Base64.encode(keyHash(name: name, ed25519PublicKey: raw) + signature))\n"
        return body + "\n" + line
    }

    /// Checks that `note` carries a valid signature by `publicKey` under `name`; returns the signed body.
    public static func verify(_ note: String, name: String, publicKey: PublicKey)
        throws(ArchiveError) -> String
    {
        guard let raw = ed25519Key(publicKey) else {
            throw .proofInvalid("signed notes need an Ed25519 key")
        }
        guard let split = note.range(of: "\n\n", options: .backwards) else {
            throw .malformedCheckpoint("the note has no blank line before its signatures")
        }
        let body = String(note[..<split.lowerBound]) + "\n"
        let expectedHash = keyHash(name: name, ed25519PublicKey: raw)
        for line in note[split.upperBound...].split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "\u{2014}", fields[1] == name,
                let bytes = Base64.decode(String(fields[2])), bytes.count == 68,
                Array(bytes.prefix(4)) == expectedHash
            else { continue }
            if publicKey.verify(message: Array(body.utf8), signature: Array(bytes.dropFirst(4))) {
                return body
            }
        }
        throw .proofInvalid("no signature line in the note verifies with key \(publicKey.keyID)")
    }
}
