import Foundation
import KQLEngine
import TableModel
import Testing

struct ZZProbe {
    @Test func `probe`() throws {
        guard let path = ProcessInfo.processInfo.environment["KQL_PROBE"] else { return }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var out = ""
        for query in text.components(separatedBy: "\n---\n") where !query.isEmpty {
            do {
                for table in try KQLEngine(tables: InMemoryTables([]), now: Conformance.now).run(query) {
                    out += "OK " + query.prefix(80) + "\n  " + table.columns.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ", ") + "\n"
                    for row in table.rows.prefix(5) { out += "  " + Conformance.render(row, table.columns) + "\n" }
                }
            } catch {
                out += "ERR " + query.prefix(80) + "\n  \(error)\n"
            }
        }
        try out.write(toFile: path + ".out", atomically: true, encoding: .utf8)
    }
}
