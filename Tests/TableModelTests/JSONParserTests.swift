/// Tests of the JSON parser and writer used for dynamic values and records.

import Testing

@testable import TableModel

struct JSONParserTests {
    @Test func `keeps 64-bit integers exact`() throws {
        let value = try JSONParser.parse("[9223372036854775807, -9223372036854775808, 9007199254740993]")
        #expect(value == .array([.long(.max), .long(.min), .long(9_007_199_254_740_993)]))
    }

    @Test func `reads reals, escapes and surrogate pairs`() throws {
        let value = try JSONParser.parse(#"{"a": 1.5e2, "b": "q\"\\\/\n\u00e9\ud83d\ude00", "c": [true, false, null]}"#)
        #expect(value["a"] == .real(150))
        #expect(value["b"] == .string("q\"\\/\né😀"))
        #expect(value["c"] == .array([.bool(true), .bool(false), .null]))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "[1] 2", "\"\u{01}\"", "01x", "\"\\ud800\""])
    func `refuses malformed JSON with an offset`(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func `refuses nesting deeper than the limit instead of crashing`() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func `refuses invalid UTF-8`() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes: bytes) }
    }

    @Test func `writes compact JSON with sorted keys that parses back`() throws {
        let text = #"{"z":[1,2.5,"x"],"a":{"k":null,"b":true},"s":"tab\there"}"#
        let value = try JSONParser.parse(text)
        #expect(value.jsonText == #"{"a":{"b":true,"k":null},"s":"tab\there","z":[1,2.5,"x"]}"#)
        #expect(try JSONParser.parse(value.jsonText) == value)
    }

    @Test func `looks up properties ignoring case, exact match first`() throws {
        let value = try JSONParser.parse(#"{"resourceid":"lower","ResourceId":"exact"}"#)
        #expect(value.property(caseInsensitive: "ResourceId") == .string("exact"))
        #expect(value.property(caseInsensitive: "RESOURCEID") != nil)
        #expect(value.property(caseInsensitive: "missing") == nil)
    }
}
