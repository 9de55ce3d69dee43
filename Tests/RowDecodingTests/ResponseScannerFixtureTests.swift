/// The streaming scanner over every real recorded response: chunking never changes the result.

import Foundation
import RowDecoding
import TableModel
import Testing

struct ResponseScannerFixtureTests {
    @Test func `the recorded fixtures are present`() {
        #expect(LAFixtures.names.count >= 21, "fixtures looked up in \(LAFixtures.directory.path)")
    }

    @Test(arguments: LAFixtures.names)
    func `feeding in 1 to 7 byte chunks gives the same events as feeding whole`(name: String) throws {
        let bytes = try LAFixtures.bytes(name)
        let whole = Canonical.scan(bytes, chunkSizes: [bytes.count])
        #expect(!whole.isEmpty)
        for size in 1...7 {
            #expect(Canonical.scan(bytes, chunkSizes: [size]) == whole, "chunk size \(size)")
        }
        #expect(Canonical.scan(bytes, chunkSizes: [3, 1, 7, 2, 5, 4, 6, 1, 1]) == whole)
    }

    @Test(arguments: LAFixtures.names)
    func `reading the file in small chunks gives the same events as feeding whole`(name: String) throws {
        let bytes = try LAFixtures.bytes(name)
        let whole = Canonical.scan(bytes, chunkSizes: [bytes.count])
        var fromFile: [String] = []
        do {
            let reader = try ResponseFileReader(path: LAFixtures.url(name).path, chunkSize: 5)
            while let event = try reader.next() { fromFile.append(Canonical.event(event)) }
        } catch {
            fromFile.append("failed: \(error)")
        }
        #expect(fromFile == whole)
    }

    /// An independent decoding: the whole-tree JSON parser plus `Value.fromAPI`, cell by cell.
    @Test(arguments: LAFixtures.names)
    func `the scanner agrees with the tree parser and Value.fromAPI`(name: String) throws {
        let bytes = try LAFixtures.bytes(name)
        let root = try JSONParser.parse(bytes: bytes)
        guard case .array(let rawTables)? = root["tables"] else {
            #expect(Canonical.scan(bytes, chunkSizes: [bytes.count]).last?.contains("no 'tables' array") == true)
            return
        }
        var expected: [String] = []
        for rawTable in rawTables {
            let name = rawTable["name"]?.stringValue ?? "PrimaryResult"
            guard case .array(let rawColumns)? = rawTable["columns"], case .array(let rawRows)? = rawTable["rows"]
            else { throw TestFailure("table without columns or rows") }
            let columns = rawColumns.map {
                Column($0["name"]!.stringValue!, ColumnType(kqlName: $0["type"]!.stringValue!)!)
            }
            expected.append(Canonical.event(.tableStart(name: name, columns: columns)))
            for rawRow in rawRows {
                guard case .array(let cells) = rawRow else { throw TestFailure("row is not an array") }
                let row = try zip(cells, columns).map { try Value.fromAPI($0, as: $1.type, column: $1.name) }
                expected.append(Canonical.event(.row(row)))
            }
            expected.append(Canonical.event(.tableEnd(name: name, rowCount: rawRows.count)))
        }
        if let error = root["error"] { expected.append(Canonical.event(.partialError(error))) }
        #expect(Canonical.scan(bytes, chunkSizes: [bytes.count]) == expected)
    }

    @Test func `every strict prefix of a body is refused as cut short`() throws {
        let bytes = try LAFixtures.bytes("all-types.json")
        for length in 0..<bytes.count {
            let result = Canonical.scan(Array(bytes[0..<length]), chunkSizes: [7])
            #expect(result.last?.hasPrefix("failed:") == true, "prefix of \(length) bytes was accepted")
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
