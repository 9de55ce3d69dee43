/// in-toto Statement v1: the attestation that names what was signed (the subjects) and says what about it.

import TableModel

/// Builds and reads in-toto Statement v1 documents (in-toto/attestation spec/v1/statement.md).
public enum InToto {
    /// The Statement `_type`.
    public static let statementType = "https://in-toto.io/Statement/v1"
    /// The DSSE payloadType of an in-toto Statement.
    public static let payloadType = "application/vnd.in-toto+json"

    /// One subject: a named artefact and its SHA-256 (lowercase hex).
    public struct Subject: Sendable, Equatable {
        public var name: String
        public var sha256: String

        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// A Statement with `subjects` (each `{"name", "digest": {"sha256"}}`), `predicateType` and `predicate`.
    public static func statement(
        subjects: [(name: String, sha256: String)], predicateType: String, predicate: Dynamic
    ) -> Dynamic {
        .object([
            "_type": .string(statementType),
            "subject": .array(
                subjects.map {
                    .object([
                        "name": .string($0.name), "digest": .object(["sha256": .string($0.sha256)]),
                    ])
                }
            ),
            "predicateType": .string(predicateType),
            "predicate": predicate,
        ])
    }

    /// Signs `statement` as a DSSE envelope: payload = its RFC 8785 bytes, payloadType `application/vnd.in-toto+json`.
    public static func sign(statement: Dynamic, signer: any EvidenceSigner) throws -> Envelope {
        try DSSE.sign(
            payload: CanonicalJSON.encode(statement), payloadType: payloadType, signer: signer)
    }

    /// The subjects of a Statement that carry a SHA-256 digest.
    ///
    /// Throws when `statement` is not a v1 Statement, has no subjects, or has a subject without
    /// any digest (the spec requires one); subjects with only other digest algorithms are skipped.
    public static func subjects(of statement: Dynamic) throws(SigningError) -> [Subject] {
        guard statement["_type"]?.stringValue == statementType else {
            throw .malformedEnvelope(
                reason: "the payload is not an in-toto Statement v1 (_type differs)")
        }
        guard case .array(let items) = statement["subject"] ?? .null, !items.isEmpty else {
            throw .malformedEnvelope(reason: "the Statement has no \"subject\" list")
        }
        var subjects: [Subject] = []
        for (index, item) in items.enumerated() {
            guard case .object(let digests) = item["digest"] ?? .null, !digests.isEmpty else {
                throw .malformedEnvelope(reason: "subject[\(index)] has no digest")
            }
            if let digest = digests["sha256"]?.stringValue {
                subjects.append(
                    Subject(name: item["name"]?.stringValue ?? "", sha256: digest.lowercased()))
            }
        }
        return subjects
    }

    /// Verifies an in-toto envelope with `publicKey` and returns the Statement it carries.
    public static func verifiedStatement(_ envelope: Envelope, publicKey: PublicKey)
        throws(SigningError) -> Dynamic
    {
        let payload = try DSSE.verify(
            envelope, publicKey: publicKey, expectedPayloadType: payloadType)
        do {
            return try JSONParser.parse(bytes: payload)
        } catch {
            throw .malformedEnvelope(reason: "the signed payload is not JSON: \(error.description)")
        }
    }
}
