/// The names KQL gives unnamed columns, as the documentation and recorded queries show them.

import KQLEngine
import TableModel
import Testing

struct ColumnNamingTests {
    @Test func `an aggregate inside round or tostring keeps the aggregate's name`() throws {
        // dataexplorer-docs: `summarize ... round(avg(DamageProperty))` is avg_DamageProperty and
        // `summarize tostring(make_set(user))` is set_user.
        let table = try OperatorsTests.run(
            """
            datatable(x:long, g:string)[1, "a", 2, "a"]
            | summarize round(avg(x)), tostring(make_set(x)), sum(x) * 2 by g
            """)
        #expect(table.columns.map(\.name) == ["g", "avg_x", "set_x", "Column1"])
        #expect(table.rows == [[.string("a"), .real(2), .string("[1,2]"), .long(6)]])
    }

    @Test func `an aggregate of a conversion is named after the converted column`() throws {
        // summarize-operator.md: buildschema(todynamic(tostring(x))) is schema_x.
        let table = try OperatorsTests.run(
            "datatable(x:long)[1, 2] | summarize make_list(toint(x)), make_set(tostring(x)), sum(tolong(x))")
        #expect(table.columns.map(\.name) == ["list_x", "set_x", "sum_x"])
    }

    @Test func `project of a conversion is named after its argument`() throws {
        // Microsoft's hunting queries read `project tostring(ClientInfoString)` back as ClientInfoString.
        let table = try OperatorsTests.run(
            #"print x = 1, d = dynamic({"a": "b"}) | project tostring(x), tostring(d.a), isempty(x)"#)
        #expect(table.columns == [Column("x", .string), Column("d_a", .string), Column("Column1", .bool)])
        #expect(table.rows == [[.string("1"), .string("b"), .bool(false)]])
    }

    @Test(arguments: [
        "print x = 1 | extend tostring(x)",
        "datatable(t:datetime)[datetime(2020-01-01)] | summarize count() by bin(t, 1d), tostring(t)",
        "datatable(x:long)[1] | summarize count() by x, x",
    ])
    func `a derived name that clashes in extend or among summarize keys is refused`(query: String) {
        #expect {
            try OperatorsTests.run(query)
        } throws: { error in
            "\(error)".contains("unsupported")
        }
    }
}
