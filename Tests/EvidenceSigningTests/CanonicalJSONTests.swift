/// Tests of the RFC 8785 writer: the RFC's number table, and agreement with Python's `rfc8785`.

import Foundation
import TableModel
import Testing

@testable import EvidenceSigning

struct CanonicalJSONTests {
    /// RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
    static let appendixB: [(UInt64, String)] = [
        (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"),
        (0x0000_0000_0000_0001, "5e-324"), (0x8000_0000_0000_0001, "-5e-324"),
        (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
        (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"),
        (0x4340_0000_0000_0000, "9007199254740992"), (0xC340_0000_0000_0000, "-9007199254740992"),
        (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"),
        (0x44B5_2D02_C7E1_4AF6, "1e+23"), (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"),
        (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
        (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"),
        (0x444B_1AE4_D6E2_EF50, "1e+21"), (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"),
        (0x3EB0_C6F7_A0B5_ED8D, "0.000001"), (0x41B3_DE43_5555_5553, "333333333.3333332"),
        (0x41B3_DE43_5555_5554, "333333333.33333325"), (0x41B3_DE43_5555_5555, "333333333.3333333"),
        (0x41B3_DE43_5555_5556, "333333333.3333334"), (0x41B3_DE43_5555_5557, "333333333.33333343"),
        (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
        (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
    ]

    @Test func `numbers follow the RFC 8785 appendix B table`() throws {
        for (bits, expected) in Self.appendixB {
            let text = try CanonicalJSON.string(.real(Double(bitPattern: bits)))
            #expect(text == expected, "bits \(String(bits, radix: 16))")
        }
        #expect(try CanonicalJSON.string(.real(1e-7)) == "1e-7")
        #expect(try CanonicalJSON.string(.real(100)) == "100")
        #expect(try CanonicalJSON.string(.long(-9_007_199_254_740_991)) == "-9007199254740991")
    }

    @Test func `strings escape only what ECMAScript escapes; keys sort by UTF-16 units`() throws {
        let value = Dynamic.object([
            "\u{FB33}": .long(1), "😀": .long(2),
            "a": .string("/é\u{7F}\u{1F}\u{08}\t\n\u{0C}\r\"\\"),
            "": .null, "B": .bool(true),
        ])
        let text = try CanonicalJSON.string(value)
        let expected =
            "{\"\":null,\"B\":true,\"a\":\"/é\u{7F}\\u001f\\b\\t\\n\\f\\r\\\"\\\\\","
            + "\"😀\":2,\"\u{FB33}\":1}"
        #expect(text == expected)
    }

    @Test func `values JSON cannot carry exactly are refused with their path`() {
        #expect(
            throws: SigningError.notCanonicalizable(
                path: "$.a[1]", reason: "nan is not a finite number")
        ) {
            try CanonicalJSON.encode(.object(["a": .array([.null, .real(.nan)])]))
        }
        #expect(throws: SigningError.self) { try CanonicalJSON.encode(.real(-.infinity)) }
        #expect(throws: SigningError.self) {
            try CanonicalJSON.encode(.long(9_007_199_254_740_992))
        }
        #expect(throws: SigningError.self) { try CanonicalJSON.encode(.long(Int64.min)) }
    }

    @Test func `random doubles format exactly as Python's rfc8785 formats them`() throws {
        try requirePeerModule("rfc8785")
        var generator = SystemRandomNumberGenerator()
        var patterns: [UInt64] = Self.appendixB.map(\.0)
        while patterns.count < 3000 {
            // Two in three are arbitrary bit patterns, one in three a decimal with two places.
            let bits: UInt64 = generator.next()
            let decimal = Double(Int.random(in: -10_000_000...10_000_000, using: &generator)) / 100
            let value = patterns.count % 3 == 0 ? decimal : Double(bitPattern: bits)
            if value.isFinite { patterns.append(value.bitPattern) }
        }
        let input = Array("[\(patterns.map(String.init).joined(separator: ","))]".utf8)
        let peer = try runTool(
            [testPython, scriptPath("signing-jcs-peer.py"), "floats"], input: input)
        #expect(peer.status == 0, "\(peer.errors)")

        let ours = try CanonicalJSON.string(.array(patterns.map { .real(Double(bitPattern: $0)) }))
        let theirs = peer.output
        if ours != theirs {
            let mine = ours.dropFirst().dropLast().split(separator: ",")
            let reference = theirs.dropFirst().dropLast().split(separator: ",")
            for (index, pair) in zip(mine, reference).enumerated() where pair.0 != pair.1 {
                Issue.record(
                    "bits \(String(patterns[index], radix: 16)): ours \(pair.0), rfc8785 \(pair.1)")
            }
        }
    }

    @Test func `documents canonicalize byte for byte as Python's rfc8785 does`() throws {
        try requirePeerModule("rfc8785")
        let documents = [
            #"{"b": [1, 2.50, -0.0, 1E-7, 1e21, 1.5e300, 0.1], "a": {"z": null, "y": true}}"#,
            #"{"\u20ac": "\u00e9\/\u001f\u007f", "\ud83d\ude00": 1, "\ufb33": 2, "aa": 3, "a": 4}"#,
            #"[{"numbers": [333333333.3333333, 1E30, 4.50, 2e-3, 0.000001, 1e-27]}, "line\nbreak", "tab\t"]"#,
            #"{"statement": {"_type": "https://in-toto.io/Statement/v1", "subject": [{"digest": {"sha256": "ab"}}]}}"#,
        ]
        let ours = try documents.map { try CanonicalJSON.string(JSONParser.parse($0)) }
        let peer = scriptPath("signing-jcs-peer.py")
        let reference = try runTool(
            [testPython, peer, "lines"], input: Array(documents.joined(separator: "\n").utf8))
        #expect(reference.status == 0, "\(reference.errors)")
        #expect(reference.output.split(separator: "\n").map(String.init) == ours)
        // Canonical output is a fixed point of the reference too.
        let again = try runTool(
            [testPython, peer, "lines"], input: Array(ours.joined(separator: "\n").utf8))
        #expect(again.output.split(separator: "\n").map(String.init) == ours)
    }
}
