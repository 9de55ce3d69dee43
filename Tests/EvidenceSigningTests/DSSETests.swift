/// Tests of DSSE signing: the PAE, openssl CLI verification of both key kinds, and tampering.

import Foundation
import TableModel
import Testing

@testable import EvidenceSigning

struct DSSETests {
    /// Builds the PAE the way an auditor's shell would, without PathProof's `DSSE.pae`.
    private func independentPAE(_ envelope: Envelope) throws -> [UInt8] {
        let payload = try #require(Data(base64Encoded: envelope.payload))
        let header =
            "DSSEv1 \(envelope.payloadType.utf8.count) \(envelope.payloadType) \(payload.count) "
        return Array(header.utf8) + [UInt8](payload)
    }

    /// Verifies `envelope` with the openssl CLI as VERIFY.md tells an auditor to; returns openssl's exit status.
    private func opensslVerify(
        _ envelope: Envelope, publicKeyPath: String, algorithm: KeyAlgorithm,
        in directory: TemporaryDirectory
    ) throws -> Int32 {
        let pae = try directory.write("pae.bin", independentPAE(envelope))
        let signature = try #require(Data(base64Encoded: envelope.signatures[0].sig, options: []))
        let signaturePath = try directory.write("sig.bin", [UInt8](signature))
        let command: [String]
        switch algorithm {
        case .ed25519:
            command = [
                "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicKeyPath, "-rawin",
                "-in", pae, "-sigfile", signaturePath,
            ]
        case .ecdsaP256:
            command = [
                "openssl", "dgst", "-sha256", "-verify", publicKeyPath, "-signature", signaturePath,
                pae,
            ]
        }
        return try runTool(command).status
    }

    private func sampleStatement() -> Dynamic {
        InToto.statement(
            subjects: [
                (name: "report.json", sha256: sha256Hex(Array("{\"verdict\":\"PROVEN\"}".utf8)))
            ],
            predicateType: "https://pathproof.dev/attestations/private-path/v1",
            predicate: .object(["verdict": .string("PROVEN"), "accesses": .long(3)]))
    }

    @Test func `PAE matches the DSSE specification's example`() {
        let pae = DSSE.pae(
            payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(
            String(decoding: pae, as: UTF8.self)
                == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
        let empty = DSSE.pae(payloadType: "", payload: [])
        #expect(String(decoding: empty, as: UTF8.self) == "DSSEv1 0  0 ")
        // Lengths count UTF-8 bytes, not characters.
        let wide = DSSE.pae(payloadType: "é", payload: Array("✓".utf8))
        #expect(String(decoding: wide, as: UTF8.self) == "DSSEv1 2 é 3 ✓")
    }

    @Test(arguments: KeyAlgorithm.allCases)
    func `openssl verifies a signed in-toto envelope`(algorithm: KeyAlgorithm) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let key = try SigningKey.generate(algorithm)
        let paths = try key.write(to: directory.path)
        let envelope = try InToto.sign(statement: sampleStatement(), signer: key)

        #expect(envelope.payloadType == "application/vnd.in-toto+json")
        #expect(envelope.signatures.map(\.keyid) == [key.keyID])
        #expect(
            try opensslVerify(
                envelope, publicKeyPath: paths.publicKey, algorithm: algorithm, in: directory) == 0)
        let signature = try #require(Base64.decode(envelope.signatures[0].sig))
        if algorithm == .ecdsaP256 {
            #expect(signature.first == 0x30, "ECDSA signatures are ASN.1 DER sequences")
        } else {
            #expect(signature.count == 64)
        }

        let statement = try InToto.verifiedStatement(envelope, publicKey: key.publicKey)
        #expect(statement == sampleStatement())
        #expect(try InToto.subjects(of: statement).map(\.name) == ["report.json"])
    }

    @Test(arguments: KeyAlgorithm.allCases)
    func `every kind of tampering is caught by PathProof and by openssl`(algorithm: KeyAlgorithm)
        throws
    {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let key = try SigningKey.generate(algorithm)
        let paths = try key.write(to: directory.path)
        let good = try InToto.sign(statement: sampleStatement(), signer: key)
        let payload = try #require(good.payloadBytes)
        let signature = try #require(Base64.decode(good.signatures[0].sig))

        var flipped = payload
        flipped[flipped.count / 2] ^= 0x01
        var payloadTampered = good
        payloadTampered.payload = Base64.encode(flipped)
        var typeTampered = good
        typeTampered.payloadType = "application/vnd.in-toto.other+json"
        var truncated = good
        truncated.signatures[0].sig = Base64.encode(Array(signature.dropLast(1)))
        var keyidTampered = good
        keyidTampered.signatures[0].keyid = String(repeating: "0", count: 64)

        for (name, tampered) in [
            ("payload", payloadTampered), ("payloadType", typeTampered),
            ("signature", truncated),
        ] {
            #expect(throws: SigningError.self, "\(name)") {
                try DSSE.verify(tampered, publicKey: key.publicKey)
            }
            let status = try opensslVerify(
                tampered, publicKeyPath: paths.publicKey, algorithm: algorithm,
                in: directory)
            #expect(status != 0, "openssl accepted a tampered \(name)")
        }
        do {
            _ = try DSSE.verify(keyidTampered, publicKey: key.publicKey)
            Issue.record("a signature naming another keyid was accepted")
        } catch {
            #expect("\(error)".contains("names keyid 0000"))
        }
        #expect(try DSSE.verify(good, publicKey: key.publicKey) == payload)
    }

    @Test func `a signature by another key is refused`() throws {
        let signer = try SigningKey.generate(.ecdsaP256)
        let stranger = try SigningKey.generate(.ecdsaP256)
        var envelope = try DSSE.sign(
            payload: Array("x".utf8), payloadType: "text/plain", signer: signer)
        #expect(throws: SigningError.self) {
            try DSSE.verify(envelope, publicKey: stranger.publicKey)
        }
        // Even with the keyid hint removed, the wrong key does not verify.
        envelope.signatures[0].keyid = ""
        #expect(throws: SigningError.self) {
            try DSSE.verify(envelope, publicKey: stranger.publicKey)
        }
        #expect(try DSSE.verify(envelope, publicKey: signer.publicKey) == Array("x".utf8))
    }

    @Test func `the payloadType is compared only after the signature verifies`() throws {
        let key = try SigningKey.generate(.ed25519)
        let envelope = try DSSE.sign(payload: [1, 2, 3], payloadType: "text/plain", signer: key)
        #expect(
            throws: SigningError.unexpectedPayloadType(
                expected: InToto.payloadType, found: "text/plain")
        ) {
            try DSSE.verify(
                envelope, publicKey: key.publicKey, expectedPayloadType: InToto.payloadType)
        }
    }

    @Test func `envelope JSON round-trips and URL-safe base64 is accepted`() throws {
        let key = try SigningKey.generate(.ed25519)
        let payload: [UInt8] = (0..<64).map { UInt8($0 * 4 + 3) }  // has + and / in base64
        let envelope = try DSSE.sign(
            payload: payload, payloadType: "application/octet-stream", signer: key)
        let json = envelope.jsonBytes
        #expect(try Envelope(jsonBytes: json) == envelope)
        #expect(String(decoding: json, as: UTF8.self).hasPrefix("{\"payload\":\""))

        var urlSafe = envelope
        urlSafe.payload = envelope.payload.replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(urlSafe.payload != envelope.payload)
        #expect(try DSSE.verify(urlSafe, publicKey: key.publicKey) == payload)
    }

    @Test(arguments: [
        ("[]", "the top level is not an object"),
        ("{\"payloadType\":\"t\",\"signatures\":[]}", "\"payload\" is missing or not a string"),
        ("{\"payload\":\"AA==\",\"signatures\":[]}", "\"payloadType\" is missing or not a string"),
        (
            "{\"payload\":\"AA==\",\"payloadType\":\"t\"}",
            "\"signatures\" is missing or not an array"
        ),
        (
            "{\"payload\":\"AA==\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"k\"}]}",
            "signatures[0].sig is missing or not a string"
        ),
    ])
    func `malformed envelopes are refused with the field named`(json: String, reason: String) {
        #expect(throws: SigningError.malformedEnvelope(reason: reason)) {
            try Envelope(jsonBytes: Array(json.utf8))
        }
    }
}
