/// Tests of the RFC 6962 Merkle tree against the reference roots and transparency-dev's proof vectors.

import EvidenceSigning
import Foundation
import Testing

@testable import EvidenceArchive

private func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// One vector file of transparency-dev/merkle (testdata/inclusion or testdata/consistency).
private struct ProofVector: Decodable {
    var leafIdx: UInt64?
    var treeSize: UInt64?
    var size1: UInt64?
    var size2: UInt64?
    var root: String?
    var root1: String?
    var root2: String?
    var leafHash: String?
    var proof: [String]?
    var desc: String
    var wantErr: Bool
}

private func vectors(_ kind: String, file: String = #filePath) throws -> [(String, ProofVector)] {
    let root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(
            "scripts/signing-vectors/merkle/\(kind)")
    let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
    var result: [(String, ProofVector)] = []
    for case let relative as String in enumerator where relative.hasSuffix(".json") {
        let data = try Data(contentsOf: root.appendingPathComponent(relative))
        result.append((relative, try JSONDecoder().decode(ProofVector.self, from: data)))
    }
    return result.sorted { $0.0 < $1.0 }
}

private func decode(_ text: String?) -> [UInt8] {
    text.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
}

struct MerkleTreeTests {
    /// The RFC 6962 reference leaves used by Certificate Transparency implementations, and the root
    /// of each prefix (transparency-dev/merkle testonly/constants.go).
    static let leaves = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test func `roots of the reference leaves match RFC 6962 implementations`() {
        let hashes = Self.leaves.map { MerkleTree.leafHash(hex($0)) }
        let tree = MerkleTree(leafHashes: hashes)
        var grown = MerkleTree(leafHashes: [])
        for size in 0...8 {
            #expect(hexString(tree.root(size: size)) == Self.roots[size], "size \(size)")
            #expect(hexString(grown.root()) == Self.roots[size], "appended to size \(size)")
            if size < 8 { grown.append(leafHash: hashes[size]) }
        }
    }

    @Test func `proof shapes match the RFC 6962 section 2.1.3 examples`() throws {
        // Seven leaves a…g: PATH(0) = [b, h, l], PATH(6) = [i, k]; PROOF(3) = [c, d, g, l],
        // PROOF(4) = [l], PROOF(6) = [i, j, k] in the RFC's naming.
        let tree = MerkleTree(leafHashes: (0..<7).map { MerkleTree.leafHash([UInt8($0)]) })
        #expect(try tree.inclusionProof(index: 0, size: 7).count == 3)
        #expect(try tree.inclusionProof(index: 6, size: 7).count == 2)
        #expect(try tree.consistencyProof(from: 3, to: 7).count == 4)
        #expect(try tree.consistencyProof(from: 4, to: 7).count == 1)
        #expect(try tree.consistencyProof(from: 6, to: 7).count == 3)
        #expect(try tree.inclusionProof(index: 0, size: 7)[0] == tree.leafHashes[1])
    }

    @Test func `every transparency-dev inclusion vector gives the expected verdict`() throws {
        let cases = try vectors("inclusion")
        #expect(cases.count > 90)
        for (name, vector) in cases {
            var accepted = false
            if let index = vector.leafIdx.flatMap({ Int(exactly: $0) }),
                let size = vector.treeSize.flatMap({ Int(exactly: $0) })
            {
                accepted =
                    (try? MerkleTree.verifyInclusion(
                        index: index, size: size, leafHash: decode(vector.leafHash),
                        proof: (vector.proof ?? []).map { decode($0) }, root: decode(vector.root)))
                    != nil
            }
            #expect(accepted == !vector.wantErr, "\(name): \(vector.desc)")
        }
    }

    @Test func `every transparency-dev consistency vector gives the expected verdict`() throws {
        let cases = try vectors("consistency")
        #expect(cases.count > 90)
        for (name, vector) in cases {
            var accepted = false
            if let size1 = vector.size1.flatMap({ Int(exactly: $0) }),
                let size2 = vector.size2.flatMap({ Int(exactly: $0) })
            {
                accepted =
                    (try? MerkleTree.verifyConsistency(
                        size1: size1, size2: size2, root1: decode(vector.root1),
                        root2: decode(vector.root2),
                        proof: (vector.proof ?? []).map { decode($0) })) != nil
            }
            #expect(accepted == !vector.wantErr, "\(name): \(vector.desc)")
        }
    }

    @Test func `proofs the tree produces verify for every index and size up to 70`() throws {
        let tree = MerkleTree(
            leafHashes: (0..<70).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) })
        for size in 1...70 {
            let root = tree.root(size: size)
            for index in 0..<size {
                let proof = try tree.inclusionProof(index: index, size: size)
                try MerkleTree.verifyInclusion(
                    index: index, size: size, leafHash: tree.leafHashes[index], proof: proof,
                    root: root)
                if !proof.isEmpty {
                    #expect(throws: ArchiveError.self) {
                        try MerkleTree.verifyInclusion(
                            index: index, size: size, leafHash: tree.leafHashes[index],
                            proof: proof.dropLast(),
                            root: root)
                    }
                }
            }
            for older in 1...size {
                let proof = try tree.consistencyProof(from: older, to: size)
                try MerkleTree.verifyConsistency(
                    size1: older, size2: size, root1: tree.root(size: older), root2: root,
                    proof: proof)
                if older < size {
                    var flipped = proof
                    flipped[0][0] ^= 1
                    #expect(throws: ArchiveError.self) {
                        try MerkleTree.verifyConsistency(
                            size1: older, size2: size, root1: tree.root(size: older), root2: root,
                            proof: flipped)
                    }
                }
            }
        }
    }
}

struct MerklePrefixTests {
    @Test func `the root of a prefix plus one leaf equals the root of that tree built in full`() {
        let hashes = (0..<40).map { MerkleTree.leafHash([UInt8($0)]) }
        let tree = MerkleTree(leafHashes: hashes)
        let extra = MerkleTree.leafHash(Array("extra".utf8))
        for size in 0...40 {
            let full = MerkleTree(leafHashes: Array(hashes.prefix(size)) + [extra])
            #expect(tree.rootAppending(extra, toPrefix: size) == full.root(), "prefix \(size)")
        }
    }
}
