/// Prints the result of the query in KQL_DEBUG_QUERY (a developer aid; does nothing otherwise).

import Foundation
import KQLEngine
import TableModel
import Testing

struct DebugRunner {
    @Test func `debug query`() throws {
        guard let query = ProcessInfo.processInfo.environment["KQL_DEBUG_QUERY"] else { return }
        do {
            for table in try KQLEngine(tables: InMemoryTables([]), now: Conformance.now).run(query) {
                print(table.columns.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ", "))
                for row in table.rows { print(Conformance.render(row, table.columns)) }
            }
        } catch {
            print("ERROR: \(error)")
        }
    }
}
