/// `export verify`: re-checks a bundle's manifest signature, every digest, envelope and Merkle proof.

import EvidenceArchive
import EvidenceSigning
import Foundation
import TableModel

/// One thing wrong with a bundle, naming the file.
public struct BundleProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the bundle directory.
    public var path: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}

/// The outcome of checking a bundle.
public struct BundleVerification: Sendable {
    /// Files the manifest lists.
    public var filesListed = 0
    /// Envelopes whose signatures verified.
    public var signaturesVerified = 0
    /// Inclusion and consistency proofs that verified.
    public var proofsVerified = 0
    /// Reports the manifest names.
    public var reports = 0
    /// Size of the bundle's checkpoint, when it could be read.
    public var checkpointSize: Int?
    /// Everything wrong; empty when the bundle is intact.
    public var problems: [BundleProblem] = []

    /// Whether nothing is wrong.
    public var isIntact: Bool { problems.isEmpty }
}

/// Checks an export bundle the way VERIFY.md tells an auditor to, with PathProof's own code.
public enum BundleVerifier {
    /// Checks the bundle at `directory` against `trustedKeys` (the signers the caller trusts).
    ///
    /// Never throws: an unreadable or altered file is a problem in the result.
    public static func verify(directory: String, trustedKeys: [PublicKey]) -> BundleVerification {
        var result = BundleVerification()
        func problem(_ path: String, _ reason: String) {
            result.problems.append(BundleProblem(path: path, reason: reason))
        }
        func read(_ relative: String) -> [UInt8]? {
            do {
                return try BundleFiles.read(directory, relative)
            } catch {
                problem(
                    relative,
                    FileManager.default.fileExists(atPath: BundleFiles.join(directory, relative))
                        ? "cannot be read (unreadable)" : "cannot be read (missing)"
                )
                return nil
            }
        }
        func signedPayload(_ relative: String, payloadType: String?) -> [UInt8]? {
            guard let bytes = read(relative) else { return nil }
            let envelope: Envelope
            do {
                envelope = try Envelope(jsonBytes: bytes)
            } catch {
                problem(relative, "\(error)")
                return nil
            }
            guard !trustedKeys.isEmpty else {
                problem(relative, "no trusted key to check it with")
                return nil
            }
            do {
                let verified = try DSSE.verify(envelope, trustedKeys: trustedKeys, expectedPayloadType: payloadType)
                result.signaturesVerified += 1
                return verified.payload
            } catch {
                problem(relative, error.description)
                return nil
            }
        }

        // The manifest and its signature.
        guard let manifest = read(ExportManifest.fileName) else { return result }
        if let payload = signedPayload(ExportManifest.envelopeFileName, payloadType: ExportManifest.payloadType),
            payload != manifest
        {
            problem(ExportManifest.fileName, "differs from the manifest MANIFEST.dsse.json signs")
        }
        let files: [ManifestFile]
        let facts: Dynamic
        do {
            files = try ExportManifest.files(in: manifest)
            facts = try JSONParser.parse(bytes: manifest)
        } catch {
            problem(ExportManifest.fileName, "\(error)")
            return result
        }
        result.filesListed = files.count

        // Every file's size and digest; nothing missing or added.
        for file in files {
            guard let bytes = read(file.path) else { continue }
            if bytes.count != file.size {
                problem(file.path, "size is \(bytes.count) bytes, MANIFEST.json says \(file.size)")
            } else if sha256Hex(bytes) != file.sha256 {
                problem(file.path, "SHA-256 is \(sha256Hex(bytes)), MANIFEST.json says \(file.sha256)")
            }
        }
        let listed = Set(files.map(\.path) + [ExportManifest.fileName, ExportManifest.envelopeFileName])
        for relative in BundleFiles.list(directory) where !listed.contains(relative) {
            problem(relative, "is not listed in MANIFEST.json")
        }

        // The checkpoint.
        var checkpoint: Checkpoint?
        if let body = read("log/checkpoint.txt") {
            do {
                let parsed = try Checkpoint(body: String(decoding: body, as: UTF8.self))
                let note = try? BundleFiles.read(directory, "log/checkpoint.note")
                let signed = SignedCheckpoint(
                    checkpoint: parsed, envelope: read("log/checkpoint.dsse.json") ?? [],
                    note: note.map { String(decoding: $0, as: UTF8.self) })
                _ = try signed.verify(keys: trustedKeys)
                result.signaturesVerified += 1
                checkpoint = parsed
                result.checkpointSize = parsed.size
            } catch {
                problem("log/checkpoint.dsse.json", "\(error)")
            }
        }

        // Each report: its envelope, the subject digest and the inclusion proof.
        let reports: [Dynamic]
        if case .array(let items)? = facts["reports"] { reports = items } else { reports = [] }
        result.reports = reports.count
        for report in reports {
            guard let directoryName = report["directory"]?.stringValue else {
                problem(ExportManifest.fileName, "a report entry has no directory")
                continue
            }
            let envelopePath = directoryName + "/report.dsse.json"
            guard let envelopeBytes = read(envelopePath) else { continue }
            // A leaf without a stored report may be another kind of signed record: any payloadType.
            let reportBytes = try? BundleFiles.read(directory, directoryName + "/report.json")
            let payload = signedPayload(envelopePath, payloadType: reportBytes == nil ? nil : InToto.payloadType)
            if let payload, let reportBytes {
                let digest = sha256Hex(reportBytes)
                let subjects = (try? JSONParser.parse(bytes: payload)).flatMap { try? InToto.subjects(of: $0) } ?? []
                if !subjects.contains(where: { $0.name == "report.json" && $0.sha256 == digest }) {
                    problem(directoryName + "/report.json", "its SHA-256 \(digest) is not the signed report subject")
                }
                for found in checkRawResults(in: directory, report: directoryName, subjects: subjects) {
                    problem(found.path, found.reason)
                }
            }
            guard let proofBytes = read(directoryName + "/inclusion.json"), let checkpoint else { continue }
            do {
                let proof = try inclusionProof(proofBytes)
                guard proof.leafHash == MerkleTree.leafHash(envelopeBytes) else {
                    throw ArchiveError.proofInvalid("the leaf hash is not that of report.dsse.json")
                }
                guard proof.treeSize == checkpoint.size, proof.root == checkpoint.root else {
                    throw ArchiveError.proofInvalid("the proof is not for the checkpoint in log/checkpoint.txt")
                }
                try proof.verify()
                result.proofsVerified += 1
            } catch {
                problem(directoryName + "/inclusion.json", "\(error)")
            }
        }

        // The consistency proof from an earlier checkpoint, when the export has one.
        if let checkpoint, let bytes = try? BundleFiles.read(directory, "log/consistency.json") {
            do {
                let proof = try consistencyProof(bytes)
                guard proof.toSize == checkpoint.size, proof.toRoot == checkpoint.root else {
                    throw ArchiveError.proofInvalid("the proof does not end at the checkpoint in log/checkpoint.txt")
                }
                if let earlier = try? BundleFiles.read(directory, "log/since-checkpoint.txt") {
                    let parsed = try Checkpoint(body: String(decoding: earlier, as: UTF8.self))
                    let signed = SignedCheckpoint(
                        checkpoint: parsed, envelope: read("log/since-checkpoint.dsse.json") ?? [])
                    _ = try signed.verify(keys: trustedKeys)
                    result.signaturesVerified += 1
                    guard parsed.size == proof.fromSize, parsed.root == proof.fromRoot else {
                        throw ArchiveError.proofInvalid("the proof does not start at log/since-checkpoint.txt")
                    }
                }
                try proof.verify()
                result.proofsVerified += 1
            } catch {
                problem("log/consistency.json", "\(error)")
            }
        }
        return result
    }

    /// Checks the raw result files of the report in `report` (a bundle-relative directory) against the
    /// `results/…` subjects of its verified Statement: each present with the signed SHA-256, and no
    /// other file in its `results/` folder.
    static func checkRawResults(in bundle: String, report: String, subjects: [InToto.Subject]) -> [BundleProblem] {
        var problems: [BundleProblem] = []
        var signed: Set<String> = []
        for subject in subjects where subject.name.hasPrefix(ArchivedResult.namePrefix) {
            let path = report + "/" + subject.name
            guard ArchivedResult.isSafeName(subject.name) else {
                problems.append(BundleProblem(path: path, reason: "the signed subject name is not a safe file name"))
                continue
            }
            signed.insert(subject.name)
            guard let bytes = try? BundleFiles.read(bundle, path) else {
                problems.append(
                    BundleProblem(path: path, reason: "the raw result the signed Statement names is missing"))
                continue
            }
            let digest = sha256Hex(bytes)
            if digest != subject.sha256 {
                problems.append(
                    BundleProblem(
                        path: path,
                        reason: "raw result SHA-256 is \(digest), the signed Statement says \(subject.sha256)"))
            }
        }
        let folder = report + "/" + ArchivedResult.namePrefix
        for relative in BundleFiles.list(BundleFiles.join(bundle, folder))
        where !signed.contains(ArchivedResult.namePrefix + relative) {
            problems.append(
                BundleProblem(path: folder + relative, reason: "is not a raw result the signed Statement names"))
        }
        return problems
    }

    /// An inclusion proof as the bundle stores it.
    private struct StoredInclusion {
        var leafIndex: Int, treeSize: Int, leafHash: [UInt8], hashes: [[UInt8]], root: [UInt8]

        func verify() throws {
            try MerkleTree.verifyInclusion(
                index: leafIndex, size: treeSize, leafHash: leafHash, proof: hashes, root: root)
        }
    }

    /// A consistency proof as the bundle stores it.
    private struct StoredConsistency {
        var fromSize: Int, fromRoot: [UInt8], toSize: Int, toRoot: [UInt8], hashes: [[UInt8]]

        func verify() throws {
            try MerkleTree.verifyConsistency(
                size1: fromSize, size2: toSize, root1: fromRoot, root2: toRoot, proof: hashes)
        }
    }

    private static func inclusionProof(_ bytes: [UInt8]) throws -> StoredInclusion {
        let value = try JSONParser.parse(bytes: bytes)
        return StoredInclusion(
            leafIndex: try integer(value, "leaf_index"), treeSize: try integer(value, "tree_size"),
            leafHash: try hash(value["leaf_hash"], "leaf_hash"),
            hashes: try hashes(value["audit_path"], "audit_path"), root: try hash(value["root"], "root"))
    }

    private static func consistencyProof(_ bytes: [UInt8]) throws -> StoredConsistency {
        let value = try JSONParser.parse(bytes: bytes)
        return StoredConsistency(
            fromSize: try integer(value, "from_size"), fromRoot: try hash(value["from_root"], "from_root"),
            toSize: try integer(value, "to_size"), toRoot: try hash(value["to_root"], "to_root"),
            hashes: try hashes(value["proof"], "proof"))
    }

    private static func integer(_ value: Dynamic, _ name: String) throws -> Int {
        guard case .long(let number)? = value[name], number >= 0 else {
            throw ArchiveError.proofInvalid("\"\(name)\" is missing or not a non-negative integer")
        }
        return Int(number)
    }

    private static func hash(_ value: Dynamic?, _ name: String) throws -> [UInt8] {
        guard let text = value?.stringValue, let bytes = Base64.decode(text), bytes.count == 32 else {
            throw ArchiveError.proofInvalid("\"\(name)\" is not a base64 SHA-256 hash")
        }
        return bytes
    }

    private static func hashes(_ value: Dynamic?, _ name: String) throws -> [[UInt8]] {
        guard case .array(let items)? = value else {
            throw ArchiveError.proofInvalid("\"\(name)\" is missing or not a list")
        }
        return try items.map { try hash($0, name) }
    }
}
