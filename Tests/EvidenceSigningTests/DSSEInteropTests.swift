/// Cross-checks of DSSE with securesystemslib (Python), which shares no code with PathProof.

import Foundation
import TableModel
import Testing

@testable import EvidenceSigning

struct DSSEInteropTests {
    private let peer = scriptPath("signing-dsse-peer.py")

    @Test func `securesystemslib builds the same PAE bytes`() throws {
        try requirePeerModule("securesystemslib")
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let payload = Array("{\"é\":\"✓\"}\n".utf8) + [0x00, 0xFF]
        let path = try directory.write("payload.bin", payload)
        let result = try runTool([testPython, peer, "pae", InToto.payloadType, path])
        #expect(result.status == 0, "\(result.errors)")
        #expect(
            result.output == hexString(DSSE.pae(payloadType: InToto.payloadType, payload: payload))
                + "\n")
    }

    @Test(arguments: KeyAlgorithm.allCases)
    func `securesystemslib verifies PathProof envelopes and refuses tampered ones`(
        algorithm: KeyAlgorithm
    ) throws {
        try requirePeerModule("securesystemslib")
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let key = try SigningKey.generate(algorithm)
        let paths = try key.write(to: directory.path)
        let statement = InToto.statement(
            subjects: [(name: "report.json", sha256: sha256Hex([1, 2, 3]))],
            predicateType: "https://pathproof.dev/attestations/private-path/v1",
            predicate: .object([:]))
        let envelope = try InToto.sign(statement: statement, signer: key)

        let good = try directory.write("good.json", envelope.jsonBytes)
        var payload = try #require(envelope.payloadBytes)
        payload[10] ^= 0x20
        var tampered = envelope
        tampered.payload = Base64.encode(payload)
        var retyped = envelope
        retyped.payloadType = "application/json"
        var rekeyed = envelope
        rekeyed.signatures[0].keyid = String(key.keyID.reversed())
        var files: [String] = []
        for (name, bad) in [("payload", tampered), ("payloadType", retyped), ("keyid", rekeyed)] {
            files.append(try directory.write("\(name).json", bad.jsonBytes))
        }

        let result = try runTool([testPython, peer, "verify", paths.publicKey, good] + files)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(result.status == 1, "\(result.output)\(result.errors)")
        #expect(lines.count == 4)
        #expect(lines.first?.hasPrefix("\(good): verified by \(key.keyID)") == true, "\(lines)")
        for (file, line) in zip(files, lines.dropFirst()) {
            #expect(
                line.hasPrefix("\(file): refused:"),
                "securesystemslib accepted a tampered envelope: \(line)")
        }
    }

    @Test(arguments: ["ed25519", "ecdsa"])
    func `PathProof verifies envelopes signed by securesystemslib`(algorithm: String) throws {
        try requirePeerModule("securesystemslib")
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let payload = try CanonicalJSON.encode(
            InToto.statement(
                subjects: [(name: "a.txt", sha256: sha256Hex([]))],
                predicateType: "https://example.com/p",
                predicate: .null))
        let payloadPath = try directory.write("payload.json", payload)
        let signed = try runTool([
            testPython, peer, "sign", algorithm, InToto.payloadType, payloadPath, directory.path,
        ])
        #expect(signed.status == 0, "\(signed.errors)")

        let publicKey = try PublicKey.load(pemAt: directory.file("public.pem"))
        #expect(publicKey.keyID + "\n" == signed.output)
        let bytes = try [UInt8](
            Data(contentsOf: URL(fileURLWithPath: directory.file("envelope.json"))))
        let verified = try DSSE.verify(
            envelopeJSON: bytes, publicKey: publicKey, expectedPayloadType: InToto.payloadType)
        #expect(verified == payload)
        let statement = try InToto.verifiedStatement(
            Envelope(jsonBytes: bytes), publicKey: publicKey)
        #expect(
            try InToto.subjects(of: statement) == [
                InToto.Subject(name: "a.txt", sha256: sha256Hex([]))
            ])
    }
}

struct InTotoInteropTests {
    @Test func `in-toto-attestation accepts the Statement and refuses one lacking digests`() throws {
        try requirePeerModule("in_toto_attestation")
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let key = try SigningKey.generate(.ecdsaP256)
        let subjects = [
            (name: "report.json", sha256: sha256Hex(Array("r".utf8))),
            (name: "raw/result-1.json", sha256: sha256Hex(Array("q".utf8))),
            (name: "policy.json", sha256: sha256Hex(Array("p".utf8))),
        ]
        let good = try InToto.sign(
            statement: InToto.statement(
                subjects: subjects,
                predicateType: "https://pathproof.dev/attestations/private-path/v1",
                predicate: .object(["verdict": .string("PROVEN"), "accesses": .long(12)])),
            signer: key)
        let goodPath = try directory.write("good.json", good.jsonBytes)
        let accepted = try runTool([
            testPython, scriptPath("signing-dsse-peer.py"), "statement", goodPath,
        ])
        #expect(accepted.status == 0, "\(accepted.output)\(accepted.errors)")

        let noDigest = Dynamic.object([
            "_type": .string(InToto.statementType), "predicateType": .string("https://x/y"),
            "subject": .array([.object(["name": .string("report.json"), "digest": .object([:])])]),
            "predicate": .object([:]),
        ])
        let bad = try InToto.sign(statement: noDigest, signer: key)
        let badPath = try directory.write("bad.json", bad.jsonBytes)
        let refused = try runTool([
            testPython, scriptPath("signing-dsse-peer.py"), "statement", badPath,
        ])
        #expect(refused.status == 1, "\(refused.output)")
        #expect(throws: SigningError.malformedEnvelope(reason: "subject[0] has no digest")) {
            try InToto.subjects(of: noDigest)
        }
    }
}
