/// `pathproof keys generate`: creates a signing key pair for reports.

import EvidenceSigning
import Foundation

enum KeysCommand {
    static let help = """
        USAGE: pathproof keys generate --out DIR [--algorithm ecdsa-p256|ed25519]

        Writes DIR/signing-key.pem (PKCS#8 private key, mode 0600) and DIR/signing-key.pub.pem (the
        public key, SubjectPublicKeyInfo) and prints the key id: the SHA-256 of the public key's DER
        encoding. ECDSA P-256 is the default; it also works with cosign and Key Vault-held keys.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(arguments, valueOptions: ["out", "algorithm"])
        guard parsed.positionals == ["generate"] else { throw .usage("the only keys command is 'keys generate'") }
        let directory = try parsed.required("out")
        let algorithmName = try parsed.choice("algorithm", in: ["ecdsa-p256", "ed25519"], default: "ecdsa-p256")
        let algorithm: SigningKey.Algorithm = algorithmName == "ed25519" ? .ed25519 : .ecdsaP256
        let privatePath = (directory as NSString).appendingPathComponent("signing-key.pem")
        guard !FileManager.default.fileExists(atPath: privatePath) else {
            throw .runtime("\(privatePath) already exists; refusing to overwrite a signing key")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let key = try SigningKey.generate(algorithm)
            try key.write(to: directory)
            console.print("wrote \(privatePath) and \(directory)/signing-key.pub.pem")
            console.print("key id (SHA-256 of the public key): \(key.fingerprint)")
        } catch {
            throw .runtime("cannot create the key pair in \(directory): \(error)")
        }
        return ExitCode.success
    }
}
