/// Inclusion and consistency proofs as values an export can write and an auditor can check.

import EvidenceSigning
import TableModel

/// Proof that one leaf is in the log at a given tree size.
public struct InclusionProof: Sendable, Equatable {
    /// 0-based leaf index.
    public var leafIndex: Int
    /// The tree size the proof is for.
    public var treeSize: Int
    /// SHA-256(0x00 ‖ leaf data).
    public var leafHash: [UInt8]
    /// The audit path, nearest sibling first.
    public var hashes: [[UInt8]]
    /// The root the proof leads to (the checkpoint's root at `treeSize`).
    public var root: [UInt8]

    /// Checks the proof (RFC 9162 §2.1.3.2).
    public func verify() throws(ArchiveError) {
        try MerkleTree.verifyInclusion(
            index: leafIndex, size: treeSize, leafHash: leafHash, proof: hashes, root: root)
    }

    /// JSON form: `leaf_index`, `tree_size`, `leaf_hash`, `root`, `audit_path` (hashes base64).
    public var jsonValue: Dynamic {
        .object([
            "leaf_index": .long(Int64(leafIndex)),
            "tree_size": .long(Int64(treeSize)),
            "leaf_hash": .string(Base64.encode(leafHash)),
            "root": .string(Base64.encode(root)),
            "audit_path": .array(hashes.map { .string(Base64.encode($0)) }),
        ])
    }
}

/// Proof that the log at `fromSize` is a prefix of the log at `toSize`.
public struct ConsistencyProof: Sendable, Equatable {
    public var fromSize: Int
    public var fromRoot: [UInt8]
    public var toSize: Int
    public var toRoot: [UInt8]
    /// The proof hashes, as RFC 6962 §2.1.2 orders them.
    public var hashes: [[UInt8]]

    /// Checks the proof (RFC 9162 §2.1.4.2).
    public func verify() throws(ArchiveError) {
        try MerkleTree.verifyConsistency(
            size1: fromSize, size2: toSize, root1: fromRoot, root2: toRoot, proof: hashes)
    }

    /// JSON form: `from_size`, `from_root`, `to_size`, `to_root`, `proof` (hashes base64).
    public var jsonValue: Dynamic {
        .object([
            "from_size": .long(Int64(fromSize)),
            "from_root": .string(Base64.encode(fromRoot)),
            "to_size": .long(Int64(toSize)),
            "to_root": .string(Base64.encode(toRoot)),
            "proof": .array(hashes.map { .string(Base64.encode($0)) }),
        ])
    }
}
