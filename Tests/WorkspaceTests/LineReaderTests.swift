/// Tests of reading files line by line across chunk boundaries.

import Foundation
import Testing

@testable import Workspace

struct LineReaderTests {
    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func `lines come back whole whatever the chunk size`(chunkSize: Int) throws {
        let long = String(repeating: "x", count: 300)
        let text = "first\r\n\nsecond line\n\(long)\r\nlast without break"
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write(text, to: "lines.txt", in: directory)
        var reader = try LineReader(path: path, chunkSize: chunkSize)
        defer { reader.close() }
        var lines: [String] = []
        var numbers: [Int] = []
        while let line = try reader.next() {
            lines.append(String(decoding: line, as: UTF8.self))
            numbers.append(reader.lineNumber)
        }
        #expect(lines == ["first", "", "second line", long, "last without break"])
        #expect(numbers == [1, 2, 3, 4, 5])
    }

    @Test func `reading can start at a byte offset with the line count carried on`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write("a\nbb\nccc\n", to: "lines.txt", in: directory)
        var reader = try LineReader(path: path, offset: 2, linesBefore: 1, chunkSize: 2)
        defer { reader.close() }
        #expect(try reader.next() == Array("bb".utf8) && reader.lineNumber == 2)
        #expect(try reader.next() == Array("ccc".utf8) && reader.lineNumber == 3)
        #expect(try reader.next() == nil)
    }
}
