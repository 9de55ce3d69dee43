/// Helpers shared by the workspace tests: the public fixtures, temporary directories and row lookup.

import Foundation
import TableModel
import Testing

@testable import Workspace

/// Where the shared public fixtures are, and scratch space for each test.
enum Fixtures {
    /// `<package root>/../shared/fixtures/public`, found from this file's path.
    static let publicRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared/fixtures/public").path
    }()

    /// A file of `keyvault-records/`.
    static func record(_ name: String) -> String { publicRoot + "/keyvault-records/" + name }

    /// A file of `la-responses/`.
    static func response(_ name: String) -> String { publicRoot + "/la-responses/" + name }

    /// The `*.json` files of a fixture folder, sorted.
    static func jsonFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: publicRoot + "/" + folder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "pathproof-workspace-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to `name` inside `directory` and returns the path.
    @discardableResult
    static func write(_ text: String, to name: String, in directory: String) throws -> String {
        let path = directory + "/" + name
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Rows of a workspace table as dictionaries by column name, for assertions.
func rows(of table: String, in workspace: Workspace) throws -> [[String: Value]] {
    guard let columns = try workspace.schema(of: table) else { return [] }
    var cursor = try workspace.scan(table)
    var result: [[String: Value]] = []
    while let row = try cursor.next() {
        var named: [String: Value] = [:]
        for (column, value) in zip(columns, row) { named[column.name] = value }
        result.append(named)
    }
    return result
}

/// The column names of `table`, empty when the table does not exist.
func columnNames(of table: String, in workspace: Workspace) throws -> [String] {
    try workspace.schema(of: table)?.map(\.name) ?? []
}
