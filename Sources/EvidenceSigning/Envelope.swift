/// The DSSE envelope: its fields, its JSON bytes, and strict parsing of envelope files.

import TableModel

/// A DSSE envelope (secure-systems-lab/dsse, envelope.md): a payload, its type, and signatures.
public struct Envelope: Codable, Sendable, Equatable {
    /// One signature over the envelope's PAE.
    public struct Signature: Codable, Sendable, Equatable {
        /// Unauthenticated hint naming the key; PathProof writes the key's SPKI SHA-256.
        public var keyid: String
        /// Base64 of the signature bytes (DER for ECDSA, 64 bytes for Ed25519).
        public var sig: String

        public init(keyid: String, sig: String) {
            self.keyid = keyid
            self.sig = sig
        }
    }

    /// Base64 of the exact payload bytes that were signed.
    public var payload: String
    /// The payload's type, for example `application/vnd.in-toto+json`.
    public var payloadType: String
    /// The signatures, at least one in an envelope PathProof writes.
    public var signatures: [Signature]

    public init(payload: String, payloadType: String, signatures: [Signature]) {
        self.payload = payload
        self.payloadType = payloadType
        self.signatures = signatures
    }

    /// The decoded payload bytes; `nil` when `payload` is not base64.
    public var payloadBytes: [UInt8]? { Base64.decode(payload) }

    /// The envelope as RFC 8785 canonical JSON, the exact bytes PathProof writes to a
    /// `*.dsse.json` file and appends to the archive (no trailing newline).
    public var jsonBytes: [UInt8] {
        let signatureValues: [Dynamic] = signatures.map {
            .object(["keyid": .string($0.keyid), "sig": .string($0.sig)])
        }
        let value = Dynamic.object([
            "payload": .string(payload),
            "payloadType": .string(payloadType),
            "signatures": .array(signatureValues),
        ])
        // Strings and arrays only: canonical JSON cannot fail on this value.
        return try! CanonicalJSON.encode(value)
    }

    /// Parses envelope JSON; unknown members are ignored, as the DSSE spec allows.
    public init(jsonBytes bytes: [UInt8]) throws(SigningError) {
        let value: Dynamic
        do {
            value = try JSONParser.parse(bytes: bytes)
        } catch {
            throw .malformedEnvelope(reason: error.description)
        }
        guard case .object = value else {
            throw .malformedEnvelope(reason: "the top level is not an object")
        }
        guard let payload = value["payload"]?.stringValue else {
            throw .malformedEnvelope(reason: "\"payload\" is missing or not a string")
        }
        guard let payloadType = value["payloadType"]?.stringValue else {
            throw .malformedEnvelope(reason: "\"payloadType\" is missing or not a string")
        }
        guard case .array(let items) = value["signatures"] ?? .null else {
            throw .malformedEnvelope(reason: "\"signatures\" is missing or not an array")
        }
        var signatures: [Signature] = []
        for (index, item) in items.enumerated() {
            guard let sig = item["sig"]?.stringValue else {
                throw .malformedEnvelope(
                    reason: "signatures[\(index)].sig is missing or not a string")
            }
            let keyid = item["keyid"]
            guard keyid == nil || keyid == .null || keyid?.stringValue != nil else {
                throw .malformedEnvelope(reason: "signatures[\(index)].keyid is not a string")
            }
            signatures.append(Signature(keyid: keyid?.stringValue ?? "", sig: sig))
        }
        self.init(payload: payload, payloadType: payloadType, signatures: signatures)
    }
}
