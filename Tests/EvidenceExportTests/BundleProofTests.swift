/// The bundle's Merkle proofs at many tree sizes, checked by export verify and by the shipped Python checker.

import EvidenceArchive
import EvidenceSigning
import Foundation
import Testing

@testable import EvidenceExport
@testable import TableModel

struct BundleProofTests {
    /// A scratch directory removed at the end of the test.
    final class Scratch {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Runs the Python checker shipped in the first bundle over every bundle; one exit status a line.
    func pythonCheck(_ bundles: [String], scratch: String) throws -> (status: Int32, out: String) {
        let python = ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] ?? "/usr/bin/python3"
        let driver = """
            import contextlib, importlib.util, io, sys
            spec = importlib.util.spec_from_file_location("check", sys.argv[1] + "/tools/check_bundle.py")
            check = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(check)
            for number, bundle in enumerate(sys.argv[1:]):
                with contextlib.redirect_stdout(io.StringIO()):
                    status = check.main(bundle, sys.argv[1] + "-pae-%d" % number)
                print(status)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", driver] + bundles
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    @Test func `every inclusion and consistency proof from size 1 to 8 passes both checkers`() throws {
        let scratch = try Scratch()
        // Ed25519 here (the CLI tests use the default ECDSA P-256): checkpoints then carry signed notes.
        let key = try SigningKey.generate(.ed25519)
        let archive = try EvidenceArchive(path: scratch.path + "/archive.sqlite")
        let day = DateTime(iso8601: "2026-11-02T00:00:00Z")!
        var bundles: [String] = []
        for size in 1...8 {
            let statement = InToto.statement(
                subjects: [(name: "record-\(size)", sha256: sha256Hex(Array("record \(size)".utf8)))],
                predicateType: "https://example.test/record", predicate: .object([:]))
            try archive.append(
                envelope: try InToto.sign(statement: statement, signer: key).jsonBytes, report: [],
                metadata: ArchiveMetadata(
                    kind: "record", windowStart: "2026-11-02T0\(size % 10):00:00Z", windowEnd: "2026-11-02T10:00:00Z"),
                signer: key)
            for since in Set([1, max(1, size / 2), size]).sorted() {
                let out = scratch.path + "/bundle-\(size)-\(since)"
                let summary = try BundleExporter.export(
                    archive: archive,
                    request: ExportRequest(
                        from: day, to: DateTime(ticks: day.ticks + DateTime.ticksPerDay), sinceCheckpoint: since,
                        outDirectory: out, tool: "pathproof test", createdAt: "2026-11-03T00:00:00Z"),
                    signer: key)
                #expect(summary.leafIndexes == Array(0..<size))
                let result = BundleVerifier.verify(directory: out, trustedKeys: [key.publicKey])
                #expect(result.isIntact, "size \(size) since \(since): \(result.problems)")
                #expect(result.proofsVerified == size + 1)
                bundles.append(out)
            }
        }
        let checked = try pythonCheck(bundles, scratch: scratch.path)
        #expect(checked.status == 0)
        #expect(checked.out == String(repeating: "0\n", count: bundles.count), "\(checked.out)")
        #expect(FileManager.default.fileExists(atPath: bundles[0] + "/log/checkpoint.note"))

        // The openssl step of VERIFY.md for Ed25519 (pkeyutl -rawin) on the largest bundle.
        let openssl = try #require(["/usr/bin/openssl", "/bin/openssl"].first(where: FileManager.default.fileExists))
        let listing = try String(
            contentsOfFile: bundles[0] + "-pae-\(bundles.count - 1)/signatures.tsv", encoding: .utf8)
        let lines = listing.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines.count == 8 + 1 + 1 + 1, "manifest, checkpoint, earlier checkpoint and 8 leaves")
        for fields in lines {
            #expect(fields.count == 5 && fields[4] == "ed25519")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: openssl)
            process.arguments = [
                "pkeyutl", "-verify", "-pubin", "-inkey", fields[3], "-rawin", "-in", fields[1], "-sigfile", fields[2],
            ]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "openssl refused \(fields[0])")
        }

        // One flipped bit in a consistency proof hash: both checkers refuse it.
        let altered = try #require(bundles.last { $0.hasSuffix("-7-3") })
        let path = altered + "/log/consistency.json"
        var proof = try JSONParser.parse(bytes: Array(Data(contentsOf: URL(fileURLWithPath: path))))
        guard case .object(var members) = proof, case .array(var hashes)? = members["proof"],
            var first = Base64.decode(hashes[0].stringValue ?? "")
        else {
            Issue.record("the consistency proof has no hashes")
            return
        }
        first[0] ^= 1
        hashes[0] = .string(Base64.encode(first))
        members["proof"] = .array(hashes)
        proof = .object(members)
        try Data(try CanonicalJSON.encode(proof)).write(to: URL(fileURLWithPath: path))
        let result = BundleVerifier.verify(directory: altered, trustedKeys: [key.publicKey])
        #expect(result.problems.map(\.path).contains("log/consistency.json"))
        #expect(try pythonCheck([altered], scratch: scratch.path).out == "1\n")
    }
}
