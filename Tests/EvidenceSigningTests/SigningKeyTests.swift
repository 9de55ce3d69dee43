/// Tests of key generation, key files and their permissions, checked with the openssl CLI.

import Foundation
import Testing

@testable import EvidenceSigning

struct SigningKeyTests {
    @Test(arguments: SigningKey.Algorithm.allCases)
    func `written keys have the right modes, formats and fingerprint`(
        algorithm: SigningKey.Algorithm
    ) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let key = try SigningKey.generate(algorithm)
        let paths = try key.write(to: directory.file("keys"))

        #expect(try permissions(of: paths.privateKey) == 0o600)
        #expect(try permissions(of: paths.publicKey) == 0o644)
        #expect(try permissions(of: directory.file("keys")) == 0o700)
        let privateText = try String(contentsOfFile: paths.privateKey, encoding: .utf8)
        #expect(privateText.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let publicText = try String(contentsOfFile: paths.publicKey, encoding: .utf8)
        #expect(publicText.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))

        // openssl reads both files, and the fingerprint is SHA-256 of the DER SPKI it derives.
        let check = try runTool(["openssl", "pkey", "-in", paths.privateKey, "-noout", "-text"])
        #expect(check.status == 0, "\(check.errors)")
        let der = directory.file("pub.der")
        let convert = try runTool([
            "openssl", "pkey", "-pubin", "-in", paths.publicKey, "-outform", "DER", "-out", der,
        ])
        #expect(convert.status == 0, "\(convert.errors)")
        let digest = try runTool(["openssl", "dgst", "-sha256", "-r", der])
        #expect(digest.output.split(separator: " ").first.map(String.init) == key.fingerprint)
        #expect(key.fingerprint.count == 64)

        let loaded = try SigningKey.load(privateKeyPEMAt: paths.privateKey)
        #expect(loaded.keyID == key.keyID)
        #expect(loaded.algorithm == algorithm)
        let loadedPublic = try PublicKey.load(pemAt: paths.publicKey)
        #expect(loadedPublic.keyID == key.keyID)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func `a private key readable by others is refused`(mode: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let paths = try SigningKey.generate(.ed25519).write(to: directory.path)
        #expect(chmod(paths.privateKey, mode_t(mode)) == 0)

        #expect(
            throws: SigningError.privateKeyTooOpen(
                path: paths.privateKey, mode: UInt32(0o100000 | mode))
        ) {
            try SigningKey.load(privateKeyPEMAt: paths.privateKey)
        }
        let message =
            "\(SigningError.privateKeyTooOpen(path: paths.privateKey, mode: UInt32(mode)))"
        #expect(message.contains("chmod 600 \(paths.privateKey)"))
    }

    @Test func `writing never overwrites an existing key`() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let first = try SigningKey.generate(.ecdsaP256)
        let paths = try first.write(to: directory.path)
        let before = try String(contentsOfFile: paths.privateKey, encoding: .utf8)

        #expect(throws: SigningError.keyFileExists(path: paths.privateKey)) {
            try SigningKey.generate(.ecdsaP256).write(to: directory.path)
        }
        #expect(try String(contentsOfFile: paths.privateKey, encoding: .utf8) == before)
    }

    @Test func `keys made by the openssl CLI load and sign verifiably`() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let commands: [(SigningKey.Algorithm, [String])] = [
            (.ed25519, ["openssl", "genpkey", "-algorithm", "ed25519"]),
            (
                .ecdsaP256,
                ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
            ),
        ]
        for (algorithm, command) in commands {
            let path = directory.file("\(algorithm.rawValue).pem")
            let made = try runTool(command + ["-out", path])
            #expect(made.status == 0, "\(made.errors)")
            #expect(chmod(path, 0o600) == 0)
            let key = try SigningKey.load(privateKeyPEMAt: path)
            #expect(key.algorithm == algorithm)
            let message = Array("evidence".utf8)
            #expect(key.publicKey.verify(message: message, signature: try key.sign(message)))
        }
    }

    @Test func `Ed25519 signatures equal the openssl CLI's byte for byte`() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let key = try SigningKey.generate(.ed25519)
        let paths = try key.write(to: directory.path)
        let message = Array("DSSEv1 4 test 5 hello".utf8)
        let input = try directory.write("message.bin", message)

        let signed = try runTool([
            "openssl", "pkeyutl", "-sign", "-inkey", paths.privateKey, "-rawin", "-in", input,
            "-out", directory.file("cli.sig"),
        ])
        #expect(signed.status == 0, "\(signed.errors)")
        let cliSignature = try [UInt8](
            Data(contentsOf: URL(fileURLWithPath: directory.file("cli.sig"))))
        #expect(try key.sign(message) == cliSignature)
        #expect(cliSignature.count == 64)
    }

    @Test func `keys of other kinds are refused with their kind named`() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let cases: [(String, [String])] = [
            (
                "RSA",
                ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]
            ),
            (
                "secp384r1",
                ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]
            ),
        ]
        for (kind, command) in cases {
            let made = try runTool(command)
            #expect(made.status == 0, "\(made.errors)")
            do {
                _ = try SigningKey.load(privateKeyPEM: made.output, source: "k.pem")
                Issue.record("a \(kind) key was accepted")
            } catch {
                #expect("\(error)".contains(kind))
                #expect("\(error)".hasPrefix("k.pem: "))
            }
        }
        #expect(throws: SigningError.self) { try SigningKey.load(privateKeyPEM: "not a key") }
        #expect(throws: SigningError.self) {
            try PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
        }
    }

    @Test func `a missing key file names the path and the system error`() {
        do {
            _ = try SigningKey.load(privateKeyPEMAt: "/nonexistent/signing-key.pem")
            Issue.record("loaded a missing file")
        } catch {
            #expect("\(error)" == "/nonexistent/signing-key.pem: No such file or directory")
        }
    }
}
