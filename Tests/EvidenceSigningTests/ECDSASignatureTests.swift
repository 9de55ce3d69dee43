/// Tests of the r‖s ↔ DER conversion a Key Vault-held signer will need, checked with openssl.

import Foundation
import Testing

@testable import EvidenceSigning

struct ECDSASignatureTests {
    /// Stands in for a remote signer that returns JWS r‖s signatures, as Key Vault's ES256 does.
    private struct RawSigningService: EvidenceSigner {
        let key: SigningKey
        var keyID: String { key.keyID }
        var publicKeyPEM: String { key.publicKeyPEM }
        var algorithm: KeyAlgorithm { .ecdsaP256 }

        func sign(_ message: [UInt8]) throws -> [UInt8] {
            let jws = try ECDSASignature.raw(fromDER: key.sign(message))
            return try ECDSASignature.der(fromRaw: jws)
        }
    }

    @Test func `DER and r‖s convert both ways without change`() throws {
        let key = try SigningKey.generate(.ecdsaP256)
        for round in 0..<50 {
            let der = try key.sign(Array("message \(round)".utf8))
            let raw = try ECDSASignature.raw(fromDER: der)
            #expect(raw.count == 64)
            #expect(try ECDSASignature.der(fromRaw: raw) == der)
        }
    }

    @Test func `an envelope from an r‖s signing service verifies with openssl`() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let key = try SigningKey.generate(.ecdsaP256)
        let paths = try key.write(to: directory.path)
        let envelope = try DSSE.sign(
            payload: Array("{}".utf8), payloadType: "application/json",
            signer: RawSigningService(key: key))

        let pae = try directory.write(
            "pae.bin", DSSE.pae(payloadType: "application/json", payload: Array("{}".utf8)))
        let signature = try directory.write(
            "sig.der", try #require(Base64.decode(envelope.signatures[0].sig)))
        let result = try runTool([
            "openssl", "dgst", "-sha256", "-verify", paths.publicKey, "-signature", signature, pae,
        ])
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        #expect(result.output == "Verified OK\n")
    }

    @Test func `malformed signatures are refused`() throws {
        #expect(throws: SigningError.self) {
            try ECDSASignature.der(fromRaw: [UInt8](repeating: 1, count: 63))
        }
        #expect(throws: SigningError.self) {
            try ECDSASignature.raw(fromDER: [0x30, 0x02, 0x02, 0x00])
        }
        let der = try SigningKey.generate(.ecdsaP256).sign([1])
        #expect(throws: SigningError.self) { try ECDSASignature.raw(fromDER: der + [0]) }
    }
}
