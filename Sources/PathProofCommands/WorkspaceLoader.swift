/// Opens `--workspace`: a SQLite workspace file, or exported log files read into a temporary workspace.

import Foundation
import Workspace

/// A workspace ready to query, and what reading it on the fly refused.
struct LoadedWorkspace {
    let workspace: Workspace
    /// Problems met while ingesting exported logs on the fly (empty for a workspace file).
    let ingestProblems: [String]
    /// How the workspace was obtained, for the report.
    let description: String

    /// The saved responses the workspace holds rows of that carried an `error` object: results
    /// known to be incomplete.
    func incompleteEvidence() throws(CLIError) -> [IncompleteEvidence] {
        do {
            return try workspace.incompleteEvidence()
        } catch {
            throw .runtime("cannot read the workspace's record of incomplete evidence: \(error)")
        }
    }
}

enum WorkspaceLoader {
    /// Whether `path` is an existing SQLite database file (by its 16-byte header).
    static func isSQLiteFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\u{0}".utf8)
    }

    /// Opens a single workspace file, or ingests every given file and directory into a temporary one.
    static func open(_ paths: [String], console: Console) throws(CLIError) -> LoadedWorkspace {
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw .runtime("workspace input \(path) does not exist")
        }
        if paths.count == 1, isSQLiteFile(paths[0]) {
            do {
                return LoadedWorkspace(
                    workspace: try Workspace(path: paths[0]), ingestProblems: [],
                    description: "workspace file \(paths[0])")
            } catch {
                throw .runtime(error.description)
            }
        }
        do {
            let workspace = try Workspace.inMemory()
            let summary = try workspace.ingest(paths: paths)
            let problems = summary.rejected.map(\.description)
            for problem in problems { console.note("warning: \(problem)") }
            // Rows left out on purpose (another table's rows in a saved response, say) are not
            // problems of the evidence, but the user sees that they were not read.
            for warning in summary.warnings { console.note("note: \(warning.description)") }
            return LoadedWorkspace(
                workspace: workspace, ingestProblems: problems,
                description: "exported logs read on the fly: \(paths.joined(separator: ", "))")
        } catch {
            throw .runtime(error.description)
        }
    }
}
