/// `pathproof archive verify`: re-checks every leaf, root, proof and signature of the archive.

import EvidenceArchive
import EvidenceSigning
import Foundation

enum ArchiveCommand {
    static let help = """
        USAGE: pathproof archive verify [--archive A] [--public-key PUB.pem] [--checkpoint FILE]
               pathproof archive history [--archive A]

        Recomputes every leaf hash, tree root, checkpoint signature and envelope signature of the archive
        A (default: archive.sqlite in the PathProof home), checks every stored report and raw query result
        against the subjects of its signed in-toto Statement, checks that each report's 'previous' names an
        earlier leaf of its series with that leaf's exact digests, and runs SQLite's integrity check. Any edit,
        deletion, insertion or reordering is named. Exit 0 when the archive is intact, 3 otherwise.
        The signatures are checked against PUB.pem (repeat --public-key for several keys), by default the
        public key in the PathProof home. Without either, the keys recorded in the archive itself are
        used, which proves integrity but not authorship; the output says so.

        On its own, verify cannot tell a cut-back archive from an older honest one: whoever can write the
        file can delete the newest reports together with their checkpoints and put the guard triggers back.
        --checkpoint FILE closes that gap: FILE is a checkpoint kept outside the archive earlier (an export
        bundle's log/checkpoint.txt, log/checkpoint.note or log/checkpoint.dsse.json, or the checkpoint
        text as the archive signs it: origin, tree size and root, one per line). The archive must then be
        a consistent extension of it: fewer leaves than FILE covers means reports were removed; a failed
        consistency proof means they were rewritten. A signed FILE must verify with a trusted key.

        'archive history' lists each series' windows, verdicts and late arrivals, and its continuity:
        gaps and overlaps between scheduled windows, and since when it has been proven without a gap.
        Exit 0, or 1 when a schedule has a gap or an overlap.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(arguments, valueOptions: ["archive", "public-key", "checkpoint"])
        let home = PathProofHome(environment: environment)
        let path = parsed.value("archive") ?? home.archivePath
        if parsed.positionals == ["history"] { return try ArchiveHistory.run(archivePath: path, console: console) }
        guard parsed.positionals == ["verify"] else {
            throw .usage("the archive commands are 'archive verify' and 'archive history'")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw .runtime("no archive at \(path)") }
        do {
            let archive = try EvidenceArchive(path: path)
            var keyFiles = parsed.all("public-key")
            if keyFiles.isEmpty, FileManager.default.fileExists(atPath: home.publicKeyPath) {
                keyFiles = [home.publicKeyPath]
            }
            var keys = try keyFiles.map { try PublicKey.load(pemAt: $0) }
            if keys.isEmpty {
                keys = try archive.recordedPublicKeys().values.map { try PublicKey(pem: $0) }
                console.note("warning: no trusted public key given; checking against the keys recorded in the archive")
            }
            var trusted: Checkpoint?
            if let file = parsed.value("checkpoint") { trusted = try keptCheckpoint(file, keys: keys) }
            let result = try archive.verify(trustedKeys: keys, trustedCheckpoint: trusted)
            console.print(
                "archive \(path): \(result.leafCount) reports, \(result.checkpointCount) checkpoints")
            for problem in result.problems { console.print("problem: \(problem.description)") }
            let chain = PreviousReportChain.problems(in: try archive.entries())
            for problem in chain { console.print("problem: \(problem)") }
            let intact = result.isValid && chain.isEmpty
            let contradicted = result.problems.contains {
                if case .trustedCheckpointMismatch = $0 { true } else { false }
            }
            if let trusted, !contradicted {
                console.print(
                    "consistent with the trusted checkpoint of \(trusted.size) leaves "
                        + "(root \(Base64.encode(trusted.root)))")
            }
            console.print(intact ? "intact" : "NOT INTACT: \(result.problems.count + chain.count) problem(s)")
            return intact ? ExitCode.success : ExitCode.runtimeError
        } catch let error as CLIError {
            throw error
        } catch {
            throw .runtime("cannot verify the archive \(path): \(error)")
        }
    }

    /// Reads the checkpoint an auditor kept (`--checkpoint FILE`).
    private static func keptCheckpoint(_ file: String, keys: [PublicKey]) throws(CLIError) -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .runtime("cannot read the trusted checkpoint \(file)")
        }
        do {
            return try Checkpoint(kept: Array(data), keys: keys)
        } catch {
            throw .runtime(
                "the trusted checkpoint \(file) cannot be used: \(error); give the checkpoint text you kept "
                    + "(log/checkpoint.txt of an export bundle) or its signed form with the key that signed it")
        }
    }
}
