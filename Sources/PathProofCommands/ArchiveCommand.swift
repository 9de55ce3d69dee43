/// `pathproof archive verify`: re-checks every leaf, root, proof and signature of the archive.

import EvidenceArchive
import EvidenceSigning
import Foundation

enum ArchiveCommand {
    static let help = """
        USAGE: pathproof archive verify [--archive A] [--public-key PUB.pem]

        Recomputes every leaf hash, tree root, checkpoint signature and envelope signature of the archive
        A (default: archive.sqlite in the PathProof home) and runs SQLite's integrity check. Any edit,
        deletion, insertion or reordering is named. Exit 0 when the archive is intact, 3 otherwise.
        Without --public-key, the key recorded in the archive is used, and the verdict says so.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(arguments, valueOptions: ["archive", "public-key"])
        guard parsed.positionals == ["verify"] else { throw .usage("the only archive command is 'archive verify'") }
        let path = parsed.value("archive") ?? PathProofHome(environment: environment).archivePath
        guard FileManager.default.fileExists(atPath: path) else { throw .runtime("no archive at \(path)") }
        do {
            let publicKey = try parsed.value("public-key").map { try PublicKey.load(pemAt: $0) }
            let archive = try EvidenceArchive(path: path, signer: nil)
            let result = try archive.verify(publicKey: publicKey)
            console.print(result.description)
            return result.isIntact ? ExitCode.success : ExitCode.runtimeError
        } catch {
            throw .runtime("cannot verify the archive \(path): \(error)")
        }
    }
}
