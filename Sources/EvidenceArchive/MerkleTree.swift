/// RFC 6962 Merkle tree hashing, proofs, and proof verification (RFC 9162 §2.1 algorithms).

import EvidenceSigning

/// An RFC 6962 Merkle tree over a list of leaf hashes, with every complete subtree kept so that
/// any root, inclusion proof or consistency proof costs O(log² n) hashes.
///
/// Hashing: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), empty tree =
/// SHA-256(""). A tree of n leaves splits at the largest power of two below n.
public struct MerkleTree: Sendable {
    /// `levels[h][i]` is the hash of the complete subtree of 2^h leaves starting at leaf i·2^h.
    private var levels: [[[UInt8]]]

    /// Builds the tree over `leafHashes` (each 32 bytes, already leaf-hashed).
    public init(leafHashes: [[UInt8]]) {
        levels = [leafHashes]
        while let below = levels.last, below.count > 1 {
            levels.append(
                stride(from: 0, to: below.count - 1, by: 2).map {
                    Self.nodeHash(below[$0], below[$0 + 1])
                })
        }
    }

    /// Number of leaves.
    public var size: Int { levels[0].count }

    /// The leaf hashes, in order.
    public var leafHashes: [[UInt8]] { levels[0] }

    /// Adds one leaf hash at the end.
    public mutating func append(leafHash: [UInt8]) {
        levels[0].append(leafHash)
        var height = 0
        while levels[height].count % 2 == 0 {
            let below = levels[height]
            let parent = Self.nodeHash(below[below.count - 2], below[below.count - 1])
            if levels.count == height + 1 { levels.append([]) }
            levels[height + 1].append(parent)
            height += 1
        }
    }

    /// SHA-256(0x00 ‖ data): the hash of a leaf whose content is `data`.
    public static func leafHash(_ data: [UInt8]) -> [UInt8] {
        sha256([0x00] + data)
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        sha256([0x01] + left + right)
    }

    /// SHA-256 of the empty string: the root of a tree with no leaves.
    public static let emptyRoot = sha256([])

    /// The root of the first `size` leaves (MTH(D[0:size])).
    public func root(size: Int? = nil) -> [UInt8] {
        let size = size ?? self.size
        precondition(size >= 0 && size <= self.size, "tree size \(size) beyond \(self.size) leaves")
        return size == 0 ? Self.emptyRoot : subtreeHash(start: 0, end: size)
    }

    /// The root the tree would have with only its first `size` leaves and `leafHash` appended,
    /// in O(log n) hashes: the perfect subtrees that make up the prefix, folded with the new leaf.
    public func rootAppending(_ leafHash: [UInt8], toPrefix size: Int) -> [UInt8] {
        precondition(size >= 0 && size <= self.size, "prefix \(size) beyond \(self.size) leaves")
        var subtrees: [[UInt8]] = []
        var start = 0
        for height in stride(from: Int.bitWidth - 1, through: 0, by: -1)
        where size & (1 << height) != 0 {
            subtrees.append(levels[height][start >> height])
            start += 1 << height
        }
        // Subtree sizes shrink from left to right, so folding from the right rebuilds MTH.
        return subtrees.reversed().reduce(leafHash) { running, left in Self.nodeHash(left, running)
        }
    }

    /// MTH(D[start:end]) for a range that the RFC 6962 recursion produces (start aligned to a
    /// power of two at least as large as the range's left part).
    private func subtreeHash(start: Int, end: Int) -> [UInt8] {
        let count = end - start
        if count & (count - 1) == 0 {
            let height = count.trailingZeroBitCount
            return levels[height][start >> height]
        }
        let split = Self.largestPowerOfTwo(below: count)
        return Self.nodeHash(
            subtreeHash(start: start, end: start + split),
            subtreeHash(start: start + split, end: end))
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        1 << (Int.bitWidth - (n - 1).leadingZeroBitCount - 1)
    }

    /// The audit path PATH(index, D[0:size]) proving leaf `index` is in the tree of `size` leaves.
    public func inclusionProof(index: Int, size: Int) throws(ArchiveError) -> [[UInt8]] {
        guard size <= self.size, index >= 0, index < size else {
            throw .outOfRange(
                "leaf \(index) is not in a tree of \(size) leaves (the log holds \(self.size))")
        }
        return path(index: index, start: 0, end: size)
    }

    private func path(index: Int, start: Int, end: Int) -> [[UInt8]] {
        let count = end - start
        if count == 1 { return [] }
        let split = Self.largestPowerOfTwo(below: count)
        if index < split {
            return path(index: index, start: start, end: start + split) + [
                subtreeHash(start: start + split, end: end)
            ]
        }
        return path(index: index - split, start: start + split, end: end) + [
            subtreeHash(start: start, end: start + split)
        ]
    }

    /// The consistency proof PROOF(oldSize, D[0:newSize]) that the tree of `oldSize` leaves is a prefix
    /// of the tree of `newSize` leaves. Empty when the sizes are equal.
    public func consistencyProof(from oldSize: Int, to newSize: Int) throws(ArchiveError)
        -> [[UInt8]]
    {
        guard oldSize > 0, oldSize <= newSize, newSize <= size else {
            throw .outOfRange(
                "no consistency proof from size \(oldSize) to \(newSize) (the log holds \(size))")
        }
        if oldSize == newSize { return [] }
        return subproof(oldSize, start: 0, end: newSize, whole: true)
    }

    private func subproof(_ m: Int, start: Int, end: Int, whole: Bool) -> [[UInt8]] {
        let count = end - start
        if m == count { return whole ? [] : [subtreeHash(start: start, end: end)] }
        let split = Self.largestPowerOfTwo(below: count)
        if m <= split {
            return subproof(m, start: start, end: start + split, whole: whole)
                + [subtreeHash(start: start + split, end: end)]
        }
        return subproof(m - split, start: start + split, end: end, whole: false)
            + [subtreeHash(start: start, end: start + split)]
    }
}

// MARK: - Verification, independent of any stored tree

extension MerkleTree {
    /// Checks that `proof` shows the leaf hashed to `leafHash` at `index` in a tree of `size` leaves
    /// with root `root` (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(
        index: Int, size: Int, leafHash: [UInt8], proof: [[UInt8]], root: [UInt8]
    ) throws(ArchiveError) {
        let computed = try rootFromInclusion(
            index: index, size: size, leafHash: leafHash, proof: proof)
        guard computed == root else {
            throw .proofInvalid(
                "leaf \(index) does not lead to the expected root of tree size \(size)")
        }
    }

    /// The root that an inclusion proof leads to.
    public static func rootFromInclusion(
        index: Int, size: Int, leafHash: [UInt8], proof: [[UInt8]]
    ) throws(ArchiveError) -> [UInt8] {
        guard index >= 0, index < size else {
            throw .proofInvalid("leaf index \(index) is not below tree size \(size)")
        }
        guard leafHash.count == 32 else {
            throw .proofInvalid("leaf hash has \(leafHash.count) bytes, not 32")
        }
        var fn = index
        var sn = size - 1
        var running = leafHash
        for element in proof {
            guard sn > 0 else {
                throw .proofInvalid("inclusion proof for leaf \(index) has too many hashes")
            }
            if fn & 1 == 1 || fn == sn {
                running = nodeHash(element, running)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                running = nodeHash(running, element)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw .proofInvalid("inclusion proof for leaf \(index) has too few hashes")
        }
        return running
    }

    /// Checks that `proof` shows the tree of `size1` leaves (root `root1`) is a prefix of the tree of
    /// `size2` leaves (root `root2`), per RFC 9162 §2.1.4.2. A proof from size 0 is refused as meaningless.
    public static func verifyConsistency(
        size1: Int, size2: Int, root1: [UInt8], root2: [UInt8], proof: [[UInt8]]
    ) throws(ArchiveError) {
        guard size1 <= size2 else {
            throw .proofInvalid("old tree size \(size1) is larger than new size \(size2)")
        }
        guard size1 > 0 else {
            throw .proofInvalid("a consistency proof from an empty tree proves nothing")
        }
        if size1 == size2 {
            guard proof.isEmpty else {
                throw .proofInvalid("equal tree sizes need an empty consistency proof")
            }
            guard root1 == root2 else {
                throw .proofInvalid("two different roots for tree size \(size1)")
            }
            return
        }
        guard !proof.isEmpty else {
            throw .proofInvalid("empty consistency proof from \(size1) to \(size2)")
        }
        var hashes = proof
        if size1 & (size1 - 1) == 0 { hashes.insert(root1, at: 0) }
        var fn = size1 - 1
        var sn = size2 - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldRoot = hashes[0]
        var newRoot = hashes[0]
        for element in hashes.dropFirst() {
            guard sn > 0 else {
                throw .proofInvalid("consistency proof \(size1)→\(size2) has too many hashes")
            }
            if fn & 1 == 1 || fn == sn {
                oldRoot = nodeHash(element, oldRoot)
                newRoot = nodeHash(element, newRoot)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newRoot = nodeHash(newRoot, element)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw .proofInvalid("consistency proof \(size1)→\(size2) has too few hashes")
        }
        guard oldRoot == root1 else {
            throw .proofInvalid("consistency proof does not lead to the old root (size \(size1))")
        }
        guard newRoot == root2 else {
            throw .proofInvalid("consistency proof does not lead to the new root (size \(size2))")
        }
    }
}
