/// The `parse` operator against the documented outputs of parse-operator.md (dataexplorer-docs).

import KQLEngine
import TableModel
import Testing

struct ParseOperatorTests {
    static let events = """
        datatable(EventText:string)[
            "Event: (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, releaseTime=bad 08:40:01, x)",
            "Event: (resourceName=PipelineScheduler, totalSlices=bad, sliceNumber=20, releaseTime=02/17/2016 08:40:01, x)"
        ]
        """

    @Test func `a relaxed parse leaves only the column that does not convert empty`() throws {
        let table = try OperatorsTests.run(
            Self.events + """
                | parse kind=relaxed EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices:long
                    ", sliceNumber=" sliceNumber:long * "releaseTime=" releaseTime:date "," *
                | project-away EventText
                """)
        #expect(
            table.rows == [
                [.string("PipelineScheduler"), .long(27), .long(23), .null],
                [
                    .string("PipelineScheduler"), .null, .long(20),
                    .datetime(DateTime(iso8601: "2016-02-17T08:40:01Z")!),
                ],
            ])
    }

    @Test func `a simple parse leaves every column empty when one typed column does not convert`() throws {
        let table = try OperatorsTests.run(
            Self.events + """
                | parse EventText with * "totalSlices=" totalSlices:long ", sliceNumber=" sliceNumber:long *
                | project-away EventText
                """)
        #expect(table.rows == [[.long(27), .long(23)], [.null, .null]])
    }

    @Test func `groups inside a regex parse literal do not shift the captured columns`() throws {
        let table = try OperatorsTests.run(
            Self.events + """
                | parse kind=regex EventText with "(.*?)[a-zA-Z]*=" resourceName
                    @", totalSlices=\\w+, sliceNumber=" sliceNumber:long ".*?(release)?Time=" releaseTime ", x\\\\)"
                | project-away EventText
                """)
        #expect(
            table.rows == [
                [.string("PipelineScheduler"), .long(23), .string("bad 08:40:01")],
                [.string("PipelineScheduler"), .long(20), .string("02/17/2016 08:40:01")],
            ])
    }
}
