/// The user's PathProof home: the default archive and signing key live there.

import Foundation

/// Locates `$PATHPROOF_HOME`, or `~/.pathproof` when it is not set.
struct PathProofHome {
    let path: String

    init(environment: [String: String]) {
        if let configured = environment["PATHPROOF_HOME"], !configured.isEmpty {
            path = configured
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            path = (home as NSString).appendingPathComponent(".pathproof")
        }
    }

    /// The default archive file.
    var archivePath: String { (path as NSString).appendingPathComponent("archive.sqlite") }

    /// The directory that holds the default signing key.
    var keyDirectory: String { path }

    /// The default signing key file.
    var privateKeyPath: String { (path as NSString).appendingPathComponent("signing-key.pem") }

    /// Creates the home directory (mode 0700) when it does not exist.
    func create() throws(CLIError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .runtime("cannot create the PathProof home \(path): \(error.localizedDescription)")
        }
    }
}

extension PathProofHome {
    /// The public half of the default signing key.
    var publicKeyPath: String { (path as NSString).appendingPathComponent("signing-key.pub.pem") }
}
