/// A scratch workspace for one field case: input files written, `pathproof ingest` run into a real
/// SQLite file, then `pathproof verify` and `pathproof query` run on that file.

import Foundation
import Testing

@testable import TableModel

/// One field case's files, workspace and policy, removed by `cleanUp()`.
struct FieldCaseWorkspace {
    let cli: CLIHarness
    let workspace: String
    var policy: String

    init(policy: String = FieldPolicy.json()) throws {
        cli = try CLIHarness()
        workspace = cli.path("field.sqlite")
        self.policy = cli.path("policy.json")
        try policy.write(toFile: self.policy, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: cli.path("inputs"), withIntermediateDirectories: true)
    }

    /// Writes `text` to `inputs/<name>` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = cli.path("inputs/" + name)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `pathproof ingest` on `paths` (default: every input written) and expects it to read all.
    func ingest(_ paths: [String]? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let inputs = paths ?? [cli.path("inputs")]
        let result = cli.run(["ingest", "--workspace", workspace] + inputs)
        #expect(result.status == 0, "ingest: \(result.out)\(result.err)", sourceLocation: sourceLocation)
    }

    /// Runs `pathproof verify --format json` on the workspace file and parses the report.
    func verify(
        from: String = "2026-11-02T09:00:00Z", to: String = "2026-11-02T11:00:00Z",
        now: String = "2026-11-03T00:00:00Z", extra: [String] = []
    ) throws -> (status: Int32, report: Dynamic, err: String) {
        let result = cli.run(
            [
                "verify", "--workspace", workspace, "--policy", policy, "--from", from, "--to", to, "--now", now,
                "--format", "json", "--ci", "none", "--archive", cli.path("archive.sqlite"),
            ] + extra)
        guard !result.out.isEmpty else { return (result.status, .null, result.err) }
        return (result.status, try JSONParser.parse(result.out), result.err)
    }

    /// Runs one shipped query file on the workspace and returns its rows as objects.
    func query(_ file: String) throws -> [Dynamic] {
        let result = cli.run(
            "query", "--workspace", workspace, "--format", "json", "--file", CLIHarness.repo("Queries/" + file))
        try #require(result.status == 0, "\(result.err)")
        let response = try JSONParser.parse(result.out)
        let table = response["tables"]?.items.first
        guard case .array(let columns)? = table?["columns"], case .array(let rows)? = table?["rows"] else {
            return []
        }
        let names = columns.map { $0["name"]?.stringValue ?? "" }
        return rows.map { row in
            guard case .array(let cells) = row else { return .null }
            return .object(Dictionary(uniqueKeysWithValues: zip(names, cells).map { ($0, $1) }))
        }
    }

    func cleanUp() { cli.cleanUp() }
}

extension Dynamic {
    /// Array elements (empty for anything else).
    var items: [Dynamic] {
        if case .array(let list) = self { return list }
        return []
    }

    /// `self[key]` of each element.
    func each(_ key: String) -> [Dynamic] { items.map { $0[key] ?? .null } }
}
