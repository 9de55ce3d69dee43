/// Expressions over one column remember their last answer; these rows repeat cells in ways where a
/// looser notion of "the same value" would give a wrong answer.

import KQLEngine
import TableModel
import Testing

struct RepeatedCellTests {
    @Test func `minus zero and zero are different cells`() throws {
        let table = try OperatorsTests.run(
            "datatable(x:real)[0.0, real(-0.0), real(-0.0), 0.0] | extend s = tostring(x) | project s")
        #expect(table.rows == [[.string("0.0")], [.string("-0.0")], [.string("-0.0")], [.string("0.0")]])
    }

    @Test func `text that differs only in Unicode normalization is not the same cell`() throws {
        let table = try OperatorsTests.run(
            "datatable(s:string)['caf\u{E9}', 'cafe\u{301}', 'cafe\u{301}', 'caf\u{E9}'] | project n = strlen(s)")
        #expect(table.rows == [[.long(4)], [.long(5)], [.long(5)], [.long(4)]])
    }

    @Test func `dynamic cells are compared all the way down`() throws {
        let table = try OperatorsTests.run(
            """
            datatable(d:dynamic)[dynamic({"a":["caf\u{E9}"]}), dynamic({"a":["cafe\u{301}"]}), dynamic({"a":[1]}),
                dynamic({"a":[1,2]})]
            | extend t = strlen(tostring(d.a)) | project t
            """)
        #expect(table.rows == [[.long(8)], [.long(9)], [.long(3)], [.long(5)]])
    }

    @Test func `window functions are evaluated for every row, whatever the cell`() throws {
        let table = try OperatorsTests.run(
            "datatable(x:long)[5, 5, 5] | serialize | extend p = prev(x), n = row_number() | project p, n")
        #expect(table.rows == [[.null, .long(1)], [.long(5), .long(2)], [.long(5), .long(3)]])
    }
}
