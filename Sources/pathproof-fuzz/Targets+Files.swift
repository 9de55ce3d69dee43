/// Fuzz targets that read files: record ingest into a workspace, and the evidence archive reader.

import EvidenceArchive
import EvidenceSigning
import Foundation
import TableModel
import Workspace

/// A scratch directory for targets that must read their input from a file.
///
/// It lives in /dev/shm when that exists: every execution writes a file and SQLite syncs the archive,
/// which on a disk costs more than the execution itself.
final class Scratch {
    let directory: String

    init(_ name: String) {
        var isDirectory: ObjCBool = false
        let memory =
            FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
        let base = memory ? "/dev/shm/" : NSTemporaryDirectory()
        directory = base + "pathproof-fuzz-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes `bytes` to `name` in the directory and returns the path.
    func write(_ bytes: [UInt8], to name: String) -> String {
        let path = "\(directory)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

/// A workspace reused across executions and replaced now and then, so memory stays bounded.
final class WorkspaceHolder {
    private var workspace: Workspace?
    private var uses = 0

    /// The current in-memory workspace.
    func next() throws -> Workspace {
        uses += 1
        if workspace == nil || uses % 200 == 0 { workspace = try Workspace.inMemory() }
        return workspace!
    }
}

extension FuzzTarget {
    /// `Workspace.inMemory().ingest(paths:)` on a mutated records file.
    static func ingest(_ sources: SeedSources) -> FuzzTarget {
        var seeds = Seeds.fixtureFiles(sources, folders: ["keyvault-records", "la-responses"])
        seeds += Seeds.userSeeds(sources, target: "ingest")
        if seeds.isEmpty { seeds = [Array(#"{"records":[{"operationName":"KeyGet"}]}"#.utf8)] }
        let scratch = Scratch("ingest")
        let holder = WorkspaceHolder()
        return FuzzTarget(
            name: "ingest", summary: "Workspace ingest of records files", maxLength: 65_536,
            dictionary: jsonDictionary + [
                "\n", "\r\n", "\"operationName\"", "\"KeyGet\"", "\"properties\"",
                "\"identity\"", "\"claim\"", "\"time\"", "\"resourceId\"", "\"callerIpAddress\"",
                "\"xms_az_nwperimid\"",
            ],
            seeds: seeds
        ) { input in
            let path = scratch.write(input, to: "PT1H.json")
            do {
                let summary = try holder.next().ingest(paths: [path])
                return summary.rejected.isEmpty
            } catch {
                return false
            }
        }
    }

    /// `EvidenceArchive` open and `verify` on a mutated archive file.
    static func archiveReader(_ sources: SeedSources) -> FuzzTarget {
        let scratch = Scratch("archive")
        let key: SigningKey
        var seed: [UInt8] = []
        do {
            key = try SigningKey.generate()
            seed = try makeArchive(in: scratch, key: key)
        } catch {
            FuzzReport.note("cannot build the seed archive: \(error)")
            exit(3)
        }
        var seeds = [seed]
        seeds += Seeds.userSeeds(sources, target: "archive-reader")
        let trusted = [key.publicKey]
        return FuzzTarget(
            name: "archive-reader", summary: "EvidenceArchive open and verify on a mutated file",
            maxLength: seed.count * 2, dictionary: ["SQLite format 3\u{0}", "\u{0}\u{0}\u{0}\u{0}", "\u{FF}\u{FF}"],
            seeds: seeds
        ) { input in
            let path = "\(scratch.directory)/fuzzed.sqlite"
            for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
            _ = scratch.write(input, to: "fuzzed.sqlite")
            do {
                let archive = try EvidenceArchive(path: path)
                let verification = try archive.verify(trustedKeys: trusted)
                _ = try? archive.entries()
                return verification.isValid
            } catch {
                return false
            }
        }
    }

    /// A small real archive of three signed reports, as one self-contained file (WAL folded in).
    private static func makeArchive(in scratch: Scratch, key: SigningKey) throws -> [UInt8] {
        let path = "\(scratch.directory)/seed.sqlite"
        do {
            let archive = try EvidenceArchive(path: path, origin: "pathproof.local/archive/fuzz")
            for number in 0..<3 {
                let report = try CanonicalJSON.encode(.object(["run": .long(Int64(number))]))
                let statement = InToto.statement(
                    subjects: [(name: "report.json", sha256: sha256Hex(report))],
                    predicateType: "https://pathproof.dev/attestations/private-path/v1",
                    predicate: .object(["verdict": .string("PROVEN")]))
                let envelope = try InToto.sign(statement: statement, signer: key).jsonBytes
                try archive.append(
                    envelope: envelope, report: report,
                    metadata: ArchiveMetadata(runID: "run-\(number)", verdict: "PROVEN"), signer: key)
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArchiveError.notAnArchive(path: path, reason: "the seed archive was not written")
        }
        return Array(data)
    }
}
