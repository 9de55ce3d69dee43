/// DSSE v1 signing and verification: the pre-authentication encoding (PAE) and its signatures.

/// Dead Simple Signing Envelope v1 (secure-systems-lab/dsse protocol.md).
public enum DSSE {
    /// The pre-authentication encoding: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`,
    /// lengths as ASCII decimal byte counts. This, not the payload, is what gets signed.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        var output = Array("DSSEv1 \(type.count) ".utf8)
        output += type
        output += Array(" \(payload.count) ".utf8)
        output += payload
        return output
    }

    /// Signs `payload` with `signer` and wraps it in an envelope with one signature whose keyid is the
    /// signer's key ID.
    public static func sign(payload: [UInt8], payloadType: String, signer: any EvidenceSigner)
        throws -> Envelope
    {
        let signature = try signer.sign(pae(payloadType: payloadType, payload: payload))
        return Envelope(
            payload: Base64.encode(payload), payloadType: payloadType,
            signatures: [Envelope.Signature(keyid: signer.keyID, sig: Base64.encode(signature))])
    }

    /// Checks `envelope` against one trusted key and returns the payload bytes it vouches for.
    ///
    /// Order as the DSSE protocol requires: decode, verify a signature over the PAE, and only then
    /// compare payloadType with `expectedPayloadType` (when given). A signature counts only when it
    /// verifies with `publicKey` and its keyid is empty or equals the key's ID: the keyid is an
    /// unauthenticated hint, but a keyid naming another key means the envelope was altered or
    /// meant for a different key (securesystemslib applies the same rule).
    public static func verify(
        _ envelope: Envelope, publicKey: PublicKey, expectedPayloadType: String? = nil
    ) throws(SigningError) -> [UInt8] {
        guard let payload = envelope.payloadBytes else {
            throw .malformedEnvelope(reason: "\"payload\" is not base64")
        }
        guard !envelope.signatures.isEmpty else {
            throw .signatureInvalid(reason: "the envelope has no signatures")
        }
        let message = pae(payloadType: envelope.payloadType, payload: payload)
        var reasons: [String] = []
        var verified = false
        for (index, signature) in envelope.signatures.enumerated() {
            if !signature.keyid.isEmpty, signature.keyid != publicKey.keyID {
                reasons.append(
                    "signatures[\(index)] names keyid \(signature.keyid), not the trusted key")
                continue
            }
            guard let bytes = Base64.decode(signature.sig) else {
                reasons.append("signatures[\(index)].sig is not base64")
                continue
            }
            if publicKey.verify(message: message, signature: bytes) {
                verified = true
                break
            }
            reasons.append("signatures[\(index)] does not verify over the payload and payloadType")
        }
        guard verified else {
            throw .signatureInvalid(
                reason: "no signature verifies with key \(publicKey.keyID): "
                    + reasons.joined(separator: "; "))
        }
        if let expectedPayloadType, envelope.payloadType != expectedPayloadType {
            throw .unexpectedPayloadType(expected: expectedPayloadType, found: envelope.payloadType)
        }
        return payload
    }

    /// Checks `envelope` against each of `trustedKeys` in turn and returns the payload and the ID of
    /// the first key that verifies it.
    ///
    /// When none does and every signature names, by keyid, a key that is not trusted, the error is
    /// `untrustedSigner`: the envelope was signed, just not by a key the caller trusts. Otherwise it
    /// is the one key's error, or each key's reason in one `signatureInvalid`.
    public static func verify(
        _ envelope: Envelope, trustedKeys: [PublicKey], expectedPayloadType: String? = nil
    ) throws(SigningError) -> (payload: [UInt8], keyID: String) {
        var errors: [SigningError] = []
        for key in trustedKeys {
            do {
                return (try verify(envelope, publicKey: key, expectedPayloadType: expectedPayloadType), key.keyID)
            } catch {
                errors.append(error)
            }
        }
        let trusted = trustedKeys.map(\.keyID)
        let signers = envelope.signatures.map(\.keyid)
        if !trusted.isEmpty, !signers.isEmpty, signers.allSatisfy({ !$0.isEmpty && !trusted.contains($0) }) {
            throw .untrustedSigner(signers: Array(Set(signers)).sorted(), trusted: trusted)
        }
        if errors.count == 1 { throw errors[0] }
        let reasons = errors.isEmpty ? ["no trusted key given"] : errors.map(\.description)
        throw .signatureInvalid(reason: reasons.joined(separator: "; "))
    }

    /// Parses envelope JSON bytes and verifies them (see `verify(_:publicKey:expectedPayloadType:)`).
    public static func verify(
        envelopeJSON bytes: [UInt8], publicKey: PublicKey, expectedPayloadType: String? = nil
    ) throws(SigningError) -> [UInt8] {
        try verify(
            Envelope(jsonBytes: bytes), publicKey: publicKey,
            expectedPayloadType: expectedPayloadType)
    }
}
