/// `mv-expand kind=array`: bags expand to `[key, value]` arrays.

import KQLEngine
import TableModel
import Testing

struct MvExpandKindTests {
    @Test func `mv-expand kind=array turns each property of a bag into a key and value array`() throws {
        let table = try OperatorsTests.run(
            """
            print c = dynamic({"y": 2, "x": [1]}), d = dynamic([3, {"k": "v"}])
            | mv-expand kind=array c | mv-expand kind=array d | project c, d
            """)
        #expect(
            table.rows == [
                [.dynamic(.array([.string("x"), .array([.long(1)])])), .dynamic(.long(3))],
                [.dynamic(.array([.string("x"), .array([.long(1)])])), .dynamic(.object(["k": .string("v")]))],
                [.dynamic(.array([.string("y"), .long(2)])), .dynamic(.long(3))],
                [.dynamic(.array([.string("y"), .long(2)])), .dynamic(.object(["k": .string("v")]))],
            ])
    }

    @Test func `mv-apply kind=array is refused by name`() throws {
        #expect {
            _ = try OperatorsTests.run("print c = dynamic({\"a\": 1}) | mv-apply kind=array c on (take 1)")
        } throws: { "\($0)".contains("mv-apply kind=array") }
    }
}
