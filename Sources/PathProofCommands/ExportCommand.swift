/// `pathproof export` and `pathproof export verify`: the auditor's bundle and its check.

import EvidenceArchive
import EvidenceExport
import EvidenceSigning
import Foundation
import TableModel

enum ExportCommand {
    static let help = """
        USAGE: pathproof export --archive A --from T --to T --out DIR [--since-checkpoint N] [--key K]
               pathproof export verify DIR [--public-key PUB.pem]

        export: writes to DIR (new or empty) every archived report whose window intersects [--from, --to):
        report.json, report.dsse.json, the KQL of its queries, its raw query results and its inclusion
        proof; the latest signed checkpoint; with --since-checkpoint N, a consistency proof from the
        checkpoint of size N; the public keys; summary.md, report.html, findings.ocsf.ndjson (OCSF
        Compliance Findings), TEST-pathproof.xml (JUnit); VERIFY.md and tools/check_bundle.py for checking
        without PathProof; and MANIFEST.json (every file's size and SHA-256) signed as MANIFEST.dsse.json
        with the key K (default: the PathProof home key). The archive A defaults to archive.sqlite in the
        PathProof home.

        export verify: re-checks the manifest signature, every file's digest, every envelope signature, each
        raw result against its signed subject and every inclusion and consistency proof of the bundle DIR,
        naming each problem. Signatures are checked against PUB.pem (repeat for several keys); without it,
        against the keys inside the bundle, which proves integrity but not authorship. Exit 0 when the
        bundle is intact, 3 otherwise.
        """

    static func run(_ arguments: [String], _ environment: [String: String], _ console: Console) throws(CLIError)
        -> Int32
    {
        let parsed = try Arguments(
            arguments, valueOptions: ["archive", "from", "to", "out", "since-checkpoint", "key", "public-key"])
        if parsed.positionals.first == "verify" {
            guard parsed.positionals.count == 2 else { throw .usage("export verify takes one bundle directory") }
            return try verify(directory: parsed.positionals[1], keyFiles: parsed.all("public-key"), console: console)
        }
        guard parsed.positionals.isEmpty else {
            throw .usage("unexpected argument '\(parsed.positionals[0])' (did you mean 'export verify DIR'?)")
        }
        return try export(parsed, environment: environment, console: console)
    }

    private static func export(_ parsed: Arguments, environment: [String: String], console: Console)
        throws(CLIError) -> Int32
    {
        let home = PathProofHome(environment: environment)
        let archivePath = parsed.value("archive") ?? home.archivePath
        let from = try TimeWindowOptions.instant(try parsed.required("from"), option: "from")
        let to = try TimeWindowOptions.instant(try parsed.required("to"), option: "to")
        guard from < to else { throw .usage("--from must be before --to") }
        let out = try parsed.required("out")
        var since: Int?
        if let text = parsed.value("since-checkpoint") {
            guard let size = Int(text), size >= 1 else {
                throw .usage("--since-checkpoint takes a checkpoint size (a tree size of 1 or more), not '\(text)'")
            }
            since = size
        }
        guard FileManager.default.fileExists(atPath: archivePath) else {
            throw .runtime("no archive at \(archivePath)")
        }
        let signer = try SigningKeyLocator.load(
            keyPath: parsed.value("key"), home: home, createIfMissing: false, console: console)
        let request = ExportRequest(
            from: from, to: to, sinceCheckpoint: since, outDirectory: out,
            tool: "pathproof \(PathProofVersion.current)", createdAt: ArchiveMetadata.now())
        let summary: ExportSummary
        do {
            let archive = try EvidenceArchive(path: archivePath)
            summary = try BundleExporter.export(archive: archive, request: request, signer: signer)
        } catch let error as ExportError {
            if case .invalidArgument(let message) = error { throw .usage(message) }
            throw .runtime("cannot export from \(archivePath): \(error)")
        } catch {
            throw .runtime("cannot open the archive \(archivePath): \(error)")
        }
        let leaves = summary.leafIndexes.map(String.init).joined(separator: ", ")
        console.print(
            "exported \(summary.leafIndexes.count) report(s)\(leaves.isEmpty ? "" : " (leaves \(leaves))") to \(out)")
        console.print(
            "checkpoint size \(summary.checkpointSize); \(summary.files.count) files in MANIFEST.json, signed by key "
                + signer.keyID)
        if summary.leafIndexes.isEmpty {
            console.note("warning: no archived report's window intersects \(from.apiText) to \(to.apiText)")
        }
        return ExitCode.success
    }

    private static func verify(directory: String, keyFiles: [String], console: Console) throws(CLIError) -> Int32 {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw .runtime("no bundle directory at \(directory)") }
        var files = keyFiles
        if files.isEmpty {
            let keyDirectory = (directory as NSString).appendingPathComponent("keys")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: keyDirectory)) ?? []
            files = names.filter { $0.hasSuffix(".pem") }.sorted().map {
                (keyDirectory as NSString).appendingPathComponent($0)
            }
            console.note(
                "warning: no trusted public key given; checking against the keys inside the bundle, which proves "
                    + "integrity but not who signed it")
        }
        let keys: [PublicKey]
        do {
            keys = try files.map { path throws(SigningError) in try PublicKey.load(pemAt: path) }
        } catch {
            throw .runtime("cannot read a public key: \(error)")
        }
        let result = BundleVerifier.verify(directory: directory, trustedKeys: keys)
        console.print(
            "bundle \(directory): \(result.filesListed) files, \(result.reports) report(s), "
                + "\(result.signaturesVerified) signatures and \(result.proofsVerified) proofs verified"
                + (result.checkpointSize.map { ", checkpoint size \($0)" } ?? ""))
        for problem in result.problems { console.print("problem: \(problem.description)") }
        console.print(result.isIntact ? "intact" : "NOT INTACT: \(result.problems.count) problem(s)")
        return result.isIntact ? ExitCode.success : ExitCode.runtimeError
    }
}
