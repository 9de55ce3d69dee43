/// Helpers for the archive tests: temporary archives, signed sample reports, and the sqlite3 CLI.

import EvidenceSigning
import Foundation
import TableModel
import Testing

@testable import EvidenceArchive

/// A temporary directory holding one archive file, removed by `cleanUp()`.
struct ArchiveFixture {
    let directory: String
    let key: SigningKey

    init(algorithm: KeyAlgorithm = .ed25519) throws {
        directory = NSTemporaryDirectory() + "pathproof-archive-" + UUID().uuidString
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        key = try SigningKey.generate(algorithm)
    }

    var path: String { directory + "/archive.sqlite" }

    func open() throws -> EvidenceArchive { try EvidenceArchive(path: path) }

    /// A signed report for run `number`: the report bytes and the envelope naming them.
    func signedReport(_ number: Int, signer: (any EvidenceSigner)? = nil) throws -> (
        report: [UInt8], envelope: [UInt8]
    ) {
        let report = try CanonicalJSON.encode(
            .object(["run": .long(Int64(number)), "verdict": .string("PROVEN")]))
        let statement = InToto.statement(
            subjects: [(name: "report.json", sha256: sha256Hex(report))],
            predicateType: "https://pathproof.dev/attestations/private-path/v1",
            predicate: .object(["verdict": .string("PROVEN")]))
        return (report, try InToto.sign(statement: statement, signer: signer ?? key).jsonBytes)
    }

    /// Two raw results for run `number`, in the query API response format.
    func rawResults(_ number: Int) -> [ArchivedResult] {
        [
            ArchivedResult(
                name: "results/keyvault-key-access.json",
                content: Array(
                    #"{"tables":[{"name":"PrimaryResult","columns":[{"name":"n","type":"long"}],"rows":[["#.utf8)
                    + Array("\(number)]]}]}".utf8)),
            ArchivedResult(name: "results/nsp-access.json", content: Array(#"{"tables":[]}"#.utf8)),
        ]
    }

    /// A signed report whose Statement also names `results` (and a policy file): the report bytes,
    /// the envelope and the results.
    func signedReport(_ number: Int, results: [ArchivedResult]) throws -> (
        report: [UInt8], envelope: [UInt8], results: [ArchivedResult]
    ) {
        let report = try CanonicalJSON.encode(
            .object(["run": .long(Int64(number)), "verdict": .string("PROVEN")]))
        let statement = InToto.statement(
            subjects: [(name: "report.json", sha256: sha256Hex(report))]
                + results.map { (name: $0.name, sha256: sha256Hex($0.content)) }
                + [(name: "policy.json", sha256: sha256Hex(Array("{}".utf8)))],
            predicateType: "https://pathproof.dev/attestations/private-path/v1",
            predicate: .object(["verdict": .string("PROVEN")]))
        return (report, try InToto.sign(statement: statement, signer: key).jsonBytes, results)
    }

    /// Creates the archive with `count` appended reports, each with its raw results.
    @discardableResult
    func populateWithResults(_ count: Int) throws -> EvidenceArchive {
        let archive = try open()
        for number in 0..<count {
            let signed = try signedReport(number, results: rawResults(number))
            try archive.append(
                envelope: signed.envelope, report: signed.report, results: signed.results,
                metadata: ArchiveMetadata(runID: "run-\(number)", verdict: "PROVEN"), signer: key)
        }
        return archive
    }

    /// Creates the archive with `count` appended reports.
    @discardableResult
    func populate(_ count: Int) throws -> EvidenceArchive {
        let archive = try open()
        for number in 0..<count {
            let signed = try signedReport(number)
            try archive.append(
                envelope: signed.envelope, report: signed.report,
                metadata: ArchiveMetadata(runID: "run-\(number)", verdict: "PROVEN"), signer: key)
        }
        return archive
    }

    /// Runs SQL through the sqlite3 CLI, as someone with file access would.
    @discardableResult
    func sqlite(_ sql: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-bail", path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Runs SQL that must succeed (a tampering step).
    func tamper(_ sql: String) throws {
        let result = try sqlite(sql)
        guard result.status == 0 else { throw TamperFailed(sql: sql, output: result.output) }
    }

    struct TamperFailed: Error {
        var sql: String
        var output: String
    }

    /// Drops the append-only guards, as an attacker with write access to the file can.
    func dropGuards() throws {
        let drops = ArchiveSchema.guardTriggers.map { "DROP TRIGGER \($0);" }.joined(separator: " ")
        let result = try sqlite(drops)
        precondition(result.status == 0, result.output)
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Runs a program found on PATH; returns its exit status and its stdout followed by its stderr.
func runTool(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// The Python that runs the test peers: `PATHPROOF_TEST_PYTHON` (set by scripts/test.sh to its
/// virtual environment), else `python3` from PATH.
let testPython = ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] ?? "python3"

/// Fails the calling test unless the peer Python can import `module`.
///
/// A peer test that passed without its peer would prove nothing, so a missing module is a failed
/// test, never a skipped one.
func requirePeerModule(_ module: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let found = (try? runTool([testPython, "-c", "import \(module)"]))?.status == 0
    let advice =
        "\(testPython) cannot import \(module): run scripts/test.sh, or pip install -r scripts/test-peers.txt and set "
        + "PATHPROOF_TEST_PYTHON"
    try #require(found, "\(advice)", sourceLocation: sourceLocation)
}

/// The path of a script in the repository's scripts/ folder.
func scriptPath(_ name: String, file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/\(name)").path
}
