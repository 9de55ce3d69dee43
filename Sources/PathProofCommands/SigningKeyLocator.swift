/// Finds the key commands sign with: `--key K`, else the PathProof home key.

import EvidenceSigning
import Foundation

/// Loads the signing key that `verify` and `export` share.
enum SigningKeyLocator {
    /// The key at `keyPath` when given, else the home key; when the home has no key yet, creates one
    /// (ECDSA P-256) with a one-line notice if `createIfMissing`, or fails saying how to get one.
    static func load(
        keyPath: String?, home: PathProofHome, createIfMissing: Bool, console: Console
    ) throws(CLIError) -> SigningKey {
        do {
            if let keyPath { return try SigningKey.load(privateKeyPEMAt: keyPath) }
            if FileManager.default.fileExists(atPath: home.privateKeyPath) {
                return try SigningKey.load(privateKeyPEMAt: home.privateKeyPath)
            }
            guard createIfMissing else {
                throw CLIError.runtime(
                    "no signing key: pass --key K or create \(home.privateKeyPath) (pathproof keys generate --out "
                        + "\(home.keyDirectory))")
            }
            try home.create()
            let key = try SigningKey.generate(.ecdsaP256)
            try key.write(to: home.keyDirectory)
            console.note("created signing key \(home.privateKeyPath) (ECDSA P-256, fingerprint \(key.fingerprint))")
            return key
        } catch let error as CLIError {
            throw error
        } catch {
            throw .runtime("signing key: \(error)")
        }
    }
}
