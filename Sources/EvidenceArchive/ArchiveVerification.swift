/// Full verification of an archive: every leaf, root, signature and proof, and SQLite's own check.

import EvidenceSigning
import SQLiteSupport
import TableModel

/// One thing wrong with an archive, named so that a user knows what was done to it.
public enum ArchiveProblem: Sendable, Equatable, CustomStringConvertible {
    /// SQLite's integrity check found damage.
    case databaseCorrupt(String)
    /// An append-only guard trigger is gone: someone edited the schema.
    case guardRemoved(trigger: String)
    /// A leaf's envelope no longer hashes to its recorded leaf hash.
    case leafEdited(index: Int)
    /// A leaf index is missing from the sequence.
    case leafDeleted(index: Int)
    /// The log holds fewer leaves than a signed checkpoint covers (deleted, then renumbered or cut off).
    case leavesMissing(signedSize: Int, found: Int)
    /// A leaf sits at the wrong position: it was signed at `belongsAt`.
    case leafReordered(index: Int, belongsAt: Int)
    /// A leaf was put into the middle of the log after the checkpoints were signed.
    case leafInserted(index: Int)
    /// The leaf at `index` differs from the one the checkpoints signed.
    case leafReplaced(index: Int)
    /// Leaves after the last checkpoint: added without going through PathProof's append.
    case leafWithoutCheckpoint(index: Int)
    /// A leaf's envelope signature does not verify with any trusted key.
    case leafSignatureInvalid(index: Int, reason: String)
    /// The stored report is not the one the leaf's Statement names.
    case reportMismatch(index: Int)
    /// No checkpoint stored for a size the log passed through.
    case checkpointMissing(size: Int)
    /// A checkpoint's body or signature is not valid.
    case checkpointInvalid(size: Int, reason: String)
    /// A checkpoint signed by a key that is not trusted (`reason` names both); its root is unchecked.
    case checkpointUntrusted(size: Int, reason: String)
    /// A signed checkpoint's root does not match the archived leaves.
    case checkpointMismatch(size: Int)
    /// The log is not consistent with a checkpoint held outside the archive.
    case trustedCheckpointMismatch(String)
    /// A proof computed from the archive failed to verify.
    case proofFailed(String)
    /// A stored raw result is not the file the leaf's signed Statement names: it was edited.
    case resultEdited(index: Int, name: String)
    /// The leaf's signed Statement names a raw result the archive does not hold: it was deleted.
    case resultMissing(index: Int, name: String)
    /// A stored raw result that the leaf's signed Statement does not name: it was added.
    case resultUnsigned(index: Int, name: String)
    /// An unsigned index column of a leaf contradicts the signed report it describes.
    case metadataMismatch(index: Int, field: String, stored: String, signed: String)

    public var description: String {
        switch self {
        case .databaseCorrupt(let detail): return "SQLite integrity check failed: \(detail)"
        case .guardRemoved(let trigger): return "append-only guard trigger \(trigger) was removed"
        case .leafEdited(let index):
            return "leaf \(index) was edited: its envelope no longer matches its leaf hash"
        case .leafDeleted(let index): return "leaf \(index) was deleted"
        case .leavesMissing(let signedSize, let found):
            return
                "leaves were deleted: a signed checkpoint covers \(signedSize) leaves but the archive holds \(found)"
        case .leafReordered(let index, let belongsAt):
            return "leaves were reordered: leaf \(index) was signed at position \(belongsAt)"
        case .leafInserted(let index):
            return "leaf \(index) was inserted after the checkpoints were signed"
        case .leafReplaced(let index):
            return "leaf \(index) was replaced: it is not the leaf the signed checkpoints cover"
        case .leafWithoutCheckpoint(let index):
            return "leaf \(index) has no signed checkpoint: it was added outside PathProof"
        case .leafSignatureInvalid(let index, let reason):
            return "leaf \(index) envelope signature: \(reason)"
        case .reportMismatch(let index):
            return "leaf \(index): the stored report is not the one its signed Statement names"
        case .checkpointMissing(let size): return "checkpoint for tree size \(size) is missing"
        case .checkpointInvalid(let size, let reason):
            return "checkpoint \(size) is invalid: \(reason)"
        case .checkpointUntrusted(_, let reason): return reason
        case .checkpointMismatch(let size):
            return "signed checkpoint \(size) does not match the archived leaves"
        case .trustedCheckpointMismatch(let detail):
            return "not consistent with the trusted checkpoint: \(detail)"
        case .proofFailed(let detail): return "proof check failed: \(detail)"
        case .resultEdited(let index, let name):
            return "leaf \(index): the raw result \(name) was edited: its SHA-256 is not the one the signed "
                + "Statement names"
        case .resultMissing(let index, let name):
            return "leaf \(index): the raw result \(name) named by the signed Statement is missing"
        case .resultUnsigned(let index, let name):
            return "leaf \(index): the raw result \(name) is not named by the signed Statement (it was added)"
        case .metadataMismatch(let index, let field, let stored, let signed):
            return "leaf \(index): stored \(field) \"\(stored)\" differs from the signed report's \"\(signed)\""
        }
    }
}

/// The outcome of verifying an archive.
public struct ArchiveVerification: Sendable {
    /// Leaves found.
    public var leafCount: Int
    /// Checkpoints found.
    public var checkpointCount: Int
    /// The newest checkpoint whose signature verified and whose root matches the leaves.
    public var latestVerified: Checkpoint?
    /// Key IDs that verified checkpoints or leaves.
    public var keyIDsUsed: Set<String>
    /// Everything wrong, in the order found; empty when the archive is sound.
    public var problems: [ArchiveProblem]

    /// Whether nothing is wrong.
    public var isValid: Bool { problems.isEmpty }
}

extension EvidenceArchive {
    /// Checks the whole archive against keys obtained outside it.
    ///
    /// Recomputes every leaf hash from the stored envelope bytes, verifies every leaf envelope and
    /// checkpoint signature with `trustedKeys`, recomputes the root at every checkpoint, checks a
    /// consistency proof between consecutive checkpoints and an inclusion proof for every leaf,
    /// binds each stored report to its signed Statement, and runs `PRAGMA integrity_check`.
    /// With `trustedCheckpoint` (one an auditor kept from earlier), also proves the archive
    /// still extends it, which catches a log rewritten or cut back after that checkpoint.
    public func verify(trustedKeys: [PublicKey], trustedCheckpoint: Checkpoint? = nil)
        throws(ArchiveError)
        -> ArchiveVerification
    {
        var problems: [ArchiveProblem] = []
        do {
            for detail in try integrityProblems() { problems.append(.databaseCorrupt(detail)) }
            let triggers = Set(
                try rows("SELECT name FROM sqlite_master WHERE type = 'trigger'").compactMap {
                    $0[0].text
                })
            let required =
                schemaVersion >= ArchiveSchema.version ? ArchiveSchema.guardTriggers : ArchiveSchema.leafGuardTriggers
            for name in required where !triggers.contains(name) {
                problems.append(.guardRemoved(trigger: name))
            }
            return try verifyContents(
                trustedKeys: trustedKeys, trustedCheckpoint: trustedCheckpoint, problems: problems)
        } catch .database(let error) {
            // A damaged file can fail to read at all; that is a finding, never a pass.
            problems.append(.databaseCorrupt("reading the archive failed: \(error)"))
            return ArchiveVerification(
                leafCount: 0, checkpointCount: 0, latestVerified: nil, keyIDsUsed: [],
                problems: problems)
        }
    }

    private func verifyContents(
        trustedKeys: [PublicKey], trustedCheckpoint: Checkpoint?, problems initial: [ArchiveProblem]
    ) throws(ArchiveError) -> ArchiveVerification {
        var problems = initial
        var keysUsed: Set<String> = []

        // Leaves: dense indices, hashes, signatures, report binding.
        let leafRows = try rows(
            "SELECT idx, leaf_hash, envelope, report, verdict FROM leaves ORDER BY idx")
        let resultsStored = try hasResultsTable()
        if resultsStored {
            for row in try rows("SELECT leaf_idx, name FROM results WHERE leaf_idx NOT IN (SELECT idx FROM leaves)") {
                problems.append(.resultUnsigned(index: Int(row[0].integer ?? -1), name: row[1].text ?? ""))
            }
        }
        var hashes: [[UInt8]] = []
        var explained: Set<Int> = []
        var expectedIndex = 0
        for (position, row) in leafRows.enumerated() {
            let index = Int(row[0].integer ?? -1)
            let envelope = row[2].bytes ?? []
            let computed = MerkleTree.leafHash(envelope)
            hashes.append(computed)
            if index > expectedIndex {
                for missing in expectedIndex..<index {
                    problems.append(.leafDeleted(index: missing))
                }
                explained.insert(position)
            }
            expectedIndex = index + 1
            if row[1].bytes != computed {
                problems.append(.leafEdited(index: index))
                explained.insert(position)
            }
            let subjects = checkLeafSignature(
                index: index, envelope: envelope, report: row[3].bytes ?? [], keys: trustedKeys,
                problems: &problems, keysUsed: &keysUsed)
            if let subjects {
                try checkResults(index: index, subjects: subjects, tablePresent: resultsStored, problems: &problems)
            }
            // The index columns are not signed; the verdict at least must agree with the report.
            if let stored = row[4].text, let report = row[3].bytes, !report.isEmpty,
                let signed = (try? JSONParser.parse(bytes: report))?["verdict"]?.stringValue,
                stored != signed
            {
                problems.append(
                    .metadataMismatch(index: index, field: "verdict", stored: stored, signed: signed))
            }
        }
        let tree = MerkleTree(leafHashes: hashes)

        // The size and root columns must say what the signed body says.
        for row in try rows("SELECT size, root, body FROM checkpoints ORDER BY size") {
            let size = Int(row[0].integer ?? -1)
            let parsed = try? Checkpoint(body: row[2].text ?? "")
            if parsed?.size != size || parsed?.root != row[1].bytes {
                problems.append(
                    .checkpointInvalid(size: size, reason: "its size, root and body columns disagree"))
            }
        }

        // Checkpoints: body, signature, root against the recomputed tree.
        let stored = try checkpoints()
        var verifiedRoots: [Int: [UInt8]] = [:]
        // Checkpoints signed by a key that is not trusted: their leaves are not "added outside PathProof".
        var otherSignerSize = 0
        for signed in stored {
            let checkpoint = signed.checkpoint
            guard checkpoint.origin == origin else {
                problems.append(
                    .checkpointInvalid(
                        size: checkpoint.size, reason: "origin \"\(checkpoint.origin)\""))
                continue
            }
            do {
                keysUsed.insert(try signed.verify(keys: trustedKeys))
                verifiedRoots[checkpoint.size] = checkpoint.root
            } catch {
                if case .signature(_, .untrustedSigner) = error {
                    problems.append(.checkpointUntrusted(size: checkpoint.size, reason: error.description))
                    otherSignerSize = max(otherSignerSize, checkpoint.size)
                } else {
                    problems.append(.checkpointInvalid(size: checkpoint.size, reason: "\(error)"))
                }
            }
        }
        let signedSize = verifiedRoots.keys.max() ?? 0
        let storedSizes = Set(stored.map(\.checkpoint.size))
        for size in 1..<max(1, (storedSizes.max() ?? 0) + 1) where !storedSizes.contains(size) {
            problems.append(.checkpointMissing(size: size))
        }
        for index in max(signedSize, otherSignerSize)..<max(signedSize, otherSignerSize, tree.size) {
            problems.append(.leafWithoutCheckpoint(index: index))
        }
        let latest = compareRoots(
            tree: tree, verifiedRoots: verifiedRoots, explained: explained, problems: &problems)
        let deletionNamed = problems.contains { if case .leafDeleted = $0 { true } else { false } }
        if signedSize > tree.size && !deletionNamed {
            problems.append(.leavesMissing(signedSize: signedSize, found: tree.size))
        }
        checkProofs(
            tree: tree, verifiedRoots: verifiedRoots, upTo: latest?.size ?? 0, problems: &problems)
        if let trustedCheckpoint {
            checkTrusted(trustedCheckpoint, tree: tree, problems: &problems)
        }
        return ArchiveVerification(
            leafCount: leafRows.count, checkpointCount: stored.count, latestVerified: latest,
            keyIDsUsed: keysUsed,
            problems: problems)
    }

    /// Checks leaf `index`'s stored raw results against the subjects of its signed Statement; without
    /// the `results` table every `results/…` subject is missing.
    private func checkResults(
        index: Int, subjects: [InToto.Subject], tablePresent: Bool, problems: inout [ArchiveProblem]
    ) throws(ArchiveError) {
        var signed: [String: String] = [:]
        for subject in subjects where subject.name.hasPrefix(ArchivedResult.namePrefix) {
            signed[subject.name] = subject.sha256
        }
        var stored: Set<String> = []
        let storedRows =
            tablePresent
            ? try rows(
                "SELECT name, sha256, content FROM results WHERE leaf_idx = ?1 ORDER BY name",
                [.integer(Int64(index))]) : []
        for row in storedRows {
            let name = row[0].text ?? ""
            stored.insert(name)
            guard let digest = signed[name] else {
                problems.append(.resultUnsigned(index: index, name: name))
                continue
            }
            let computed = sha256Hex(row[2].bytes ?? [])
            if computed != digest || row[1].text != computed {
                problems.append(.resultEdited(index: index, name: name))
            }
        }
        for name in signed.keys.sorted() where !stored.contains(name) {
            problems.append(.resultMissing(index: index, name: name))
        }
    }

    /// Verifies leaf `index`'s envelope and the stored report's binding; returns the subjects of the
    /// verified Statement (`nil` when the signature does not verify or there is no Statement).
    private func checkLeafSignature(
        index: Int, envelope bytes: [UInt8], report: [UInt8], keys: [PublicKey],
        problems: inout [ArchiveProblem], keysUsed: inout Set<String>
    ) -> [InToto.Subject]? {
        guard let envelope = try? Envelope(jsonBytes: bytes) else {
            problems.append(.leafSignatureInvalid(index: index, reason: "not a DSSE envelope"))
            return nil
        }
        let verified: (payload: [UInt8], keyID: String)
        do {
            verified = try DSSE.verify(envelope, trustedKeys: keys)
        } catch {
            problems.append(.leafSignatureInvalid(index: index, reason: error.description))
            return nil
        }
        keysUsed.insert(verified.keyID)
        let statement = try? JSONParser.parse(bytes: verified.payload)
        let subjects = statement.flatMap { try? InToto.subjects(of: $0) }
        if !report.isEmpty {
            let digest = sha256Hex(report)
            if !(subjects ?? []).contains(where: { $0.sha256 == digest }) {
                problems.append(.reportMismatch(index: index))
            }
        }
        return subjects
    }

    /// Compares each verified checkpoint root with the root recomputed from the leaves, names how
    /// the leaves diverge at the first mismatch, and returns the newest checkpoint that matches.
    private func compareRoots(
        tree: MerkleTree, verifiedRoots: [Int: [UInt8]], explained: Set<Int>,
        problems: inout [ArchiveProblem]
    ) -> Checkpoint? {
        var latest: Checkpoint?
        var diverged = false
        for size in verifiedRoots.keys.sorted() where size <= tree.size {
            let root = verifiedRoots[size]!
            if tree.root(size: size) == root {
                if !diverged { latest = Checkpoint(origin: origin, size: size, root: root) }
                continue
            }
            problems.append(.checkpointMismatch(size: size))
            if diverged { continue }
            diverged = true
            let position = (latest?.size ?? 0)
            if size == position + 1, !explained.contains(position) {
                problems.append(
                    classifyDivergence(at: position, tree: tree, verifiedRoots: verifiedRoots))
            }
        }
        return latest
    }

    /// Why the leaf at `position` differs from what checkpoint `position + 1` signed.
    private func classifyDivergence(
        at position: Int, tree: MerkleTree, verifiedRoots: [Int: [UInt8]]
    )
        -> ArchiveProblem
    {
        let hashes = tree.leafHashes
        let signedRoot = verifiedRoots[position + 1]!
        for candidate in (position + 1)..<hashes.count
        where tree.rootAppending(hashes[candidate], toPrefix: position) == signedRoot {
            if candidate == position + 1 {
                // The next leaf fits here: either the leaf at `position` was inserted, or two were swapped.
                var without = hashes
                without.remove(at: position)
                let rest = MerkleTree(leafHashes: without)
                let insertion = verifiedRoots.allSatisfy { size, root in
                    size > rest.size || rest.root(size: size) == root
                }
                if insertion { return .leafInserted(index: position) }
            }
            return .leafReordered(index: candidate, belongsAt: position)
        }
        // No archived leaf fits: with fewer leaves than were signed, this one was deleted and
        // the later leaves moved up; otherwise it was replaced.
        let signedSize = verifiedRoots.keys.max() ?? 0
        return signedSize > hashes.count
            ? .leafDeleted(index: position) : .leafReplaced(index: position)
    }

    private func checkProofs(
        tree: MerkleTree, verifiedRoots: [Int: [UInt8]], upTo latestSize: Int,
        problems: inout [ArchiveProblem]
    ) {
        guard latestSize > 0, let latestRoot = verifiedRoots[latestSize] else { return }
        let sizes = verifiedRoots.keys.sorted().filter { $0 <= latestSize }
        for (older, newer) in zip(sizes, sizes.dropFirst()) {
            do {
                try MerkleTree.verifyConsistency(
                    size1: older, size2: newer, root1: verifiedRoots[older]!,
                    root2: verifiedRoots[newer]!,
                    proof: tree.consistencyProof(from: older, to: newer))
            } catch {
                problems.append(.proofFailed("checkpoint \(older) → \(newer): \(error)"))
            }
        }
        for index in 0..<latestSize {
            do {
                try MerkleTree.verifyInclusion(
                    index: index, size: latestSize, leafHash: tree.leafHashes[index],
                    proof: tree.inclusionProof(index: index, size: latestSize), root: latestRoot)
            } catch {
                problems.append(.proofFailed("leaf \(index) in checkpoint \(latestSize): \(error)"))
            }
        }
    }

    private func checkTrusted(
        _ trusted: Checkpoint, tree: MerkleTree, problems: inout [ArchiveProblem]
    ) {
        guard trusted.origin == origin else {
            problems.append(
                .trustedCheckpointMismatch(
                    "it is for log \"\(trusted.origin)\", this archive is \"\(origin)\""))
            return
        }
        guard trusted.size <= tree.size else {
            problems.append(
                .trustedCheckpointMismatch(
                    "the archive holds \(tree.size) leaves but the trusted checkpoint has \(trusted.size): "
                        + "reports were removed"))
            return
        }
        guard trusted.size > 0 else { return }
        do {
            try MerkleTree.verifyConsistency(
                size1: trusted.size, size2: tree.size, root1: trusted.root, root2: tree.root(),
                proof: tree.consistencyProof(from: trusted.size, to: tree.size))
        } catch {
            problems.append(
                .trustedCheckpointMismatch(
                    "the archive's first \(trusted.size) leaves are not the ones the trusted checkpoint covers: "
                        + "reports were rewritten, replaced or reordered (\(error))"))
        }
    }
}
