/// Running the azure-monitor-query SDK peer (scripts/peer-azure-monitor-query.py) and the edge bodies it reads.

import Foundation
import TableModel

/// The Python SDK peer: where it is, which Python runs it, and one run over many bodies.
enum AzureSDKPeer {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = package.appendingPathComponent("scripts/peer-azure-monitor-query.py").path

    /// `PATHPROOF_TEST_PYTHON` (scripts/test.sh sets it to the project's test-peer environment), else
    /// that environment in this package's `.build`, else `python3` from PATH.
    static let python: String = {
        if let chosen = ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] { return chosen }
        let local = package.appendingPathComponent(".build/test-peers/bin/python").path
        return FileManager.default.isExecutableFile(atPath: local) ? local : "python3"
    }()

    /// Whether the chosen Python can import the SDK (probed once).
    static let available: Bool = {
        guard let run = try? run(["-c", "import azure.monitor.query"], input: []) else { return false }
        return run.status == 0
    }()

    /// Runs the peer over `bodies` (file path and HTTP status); returns its parsed output.
    static func decode(_ bodies: [(path: String, status: Int)]) throws -> Dynamic {
        let request =
            "["
            + bodies.map { "{\"path\":\(JSONText.quoted($0.path)),\"status\":\($0.status)}" }
            .joined(separator: ",") + "]"
        let result = try run([script], input: Array(request.utf8))
        guard result.status == 0 else {
            throw TestFailure(
                "the SDK peer failed (\(result.status)): \(String(decoding: result.errors, as: UTF8.self))")
        }
        return try JSONParser.parse(bytes: result.output)
    }

    private static func run(_ arguments: [String], input: [UInt8]) throws -> (
        status: Int32, output: [UInt8], errors: [UInt8]
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(output), Array(errors))
    }

    /// The recorded HTTP status of each fixture, from the JSON block at the end of its MANIFEST.md.
    static func recordedStatuses() throws -> [String: Int] {
        let manifest = try String(
            contentsOf: LAFixtures.directory.appendingPathComponent("MANIFEST.md"), encoding: .utf8)
        guard let open = manifest.range(of: "```json\n", options: .backwards),
            let close = manifest.range(of: "```", range: open.upperBound..<manifest.endIndex)
        else { throw TestFailure("MANIFEST.md has no JSON block") }
        guard case .object(let entries) = try JSONParser.parse(String(manifest[open.upperBound..<close.lowerBound]))
        else { throw TestFailure("MANIFEST.md's JSON block is not an object") }
        var statuses: [String: Int] = [:]
        for (name, entry) in entries {
            if case .long(let status)? = entry["status"] { statuses[name] = Int(status) }
        }
        return statuses
    }
}

/// Hand-made bodies for the value edges the recordings do not reach, shaped as the service sends them.
enum EdgeBodies {
    /// Longs past 2^53 and at the Int64 ends, reals at the Double ends and as "NaN"/"Infinity"
    /// strings (and one integer token in a real column), decimals as strings.
    static let numbers = #"""
        {"tables":[{"name":"Numbers","columns":[{"name":"L","type":"long"},{"name":"I","type":"int"},\#
        {"name":"R","type":"real"},{"name":"D","type":"decimal"}],"rows":[\#
        [9223372036854775807,2147483647,1.7976931348623157E+308,"79228162514264337593543950335"],\#
        [-9223372036854775808,-2147483648,-0.0,"-0.0000000000000000000000000001"],\#
        [9007199254740993,0,5E-324,"1.10"],[9007199254740992,1,0.1,"12345678901234567890.123456789"],\#
        [null,null,"NaN",null],[0,-1,"Infinity","3"],[-1,7,"-Infinity","0.1"],[1,2,1,"-5"],\#
        [123456789012345678,3,2.5E-10,"0"]]}]}
        """#

    /// Datetimes with 0 to 7 fraction digits (and the ends of the range), timespans, guids in both
    /// cases, bools, a null string, in two tables of one body.
    static let timesAndIDs = #"""
        {"tables":[{"name":"Times","columns":[{"name":"T","type":"datetime"},{"name":"S","type":"timespan"},\#
        {"name":"G","type":"guid"},{"name":"B","type":"bool"}],"rows":[\#
        ["2024-02-29T23:59:59Z","00:00:10","74be27de-1e4e-49d9-b579-fe0b331d3642",true],\#
        ["2024-02-29T23:59:59.1Z","-1.02:03:04.5","74BE27DE-1E4E-49D9-B579-FE0B331D3642",false],\#
        ["2024-02-29T23:59:59.12Z","00:00:00.0000001","00000000-0000-0000-0000-000000000000",null],\#
        ["2024-02-29T23:59:59.123Z","1.00:00:01.0010001",null,true],\#
        ["2024-02-29T23:59:59.1234Z","-2.00:00:02.0020002","ffffffff-ffff-ffff-ffff-ffffffffffff",false],\#
        ["2024-02-29T23:59:59.12345Z","10675198.23:59:59.9999999","5e0c0bde-5bd5-4c0b-9f2e-8c8a0d5c4e21",true],\#
        ["2024-02-29T23:59:59.123456Z",null,"5e0c0bde-5bd5-4c0b-9f2e-8c8a0d5c4e21",true],\#
        ["2024-02-29T23:59:59.1234567Z","23:59:59.9999999","5e0c0bde-5bd5-4c0b-9f2e-8c8a0d5c4e21",true],\#
        ["0001-01-01T00:00:00.0000000Z","00:00:00","5e0c0bde-5bd5-4c0b-9f2e-8c8a0d5c4e21",true],\#
        ["9999-12-31T23:59:59.9999999Z","00:00:00","5e0c0bde-5bd5-4c0b-9f2e-8c8a0d5c4e21",true],\#
        ["1970-01-01T00:00:00.0000009Z","00:00:00","5e0c0bde-5bd5-4c0b-9f2e-8c8a0d5c4e21",true],\#
        [null,"00:00:00","5e0c0bde-5bd5-4c0b-9f2e-8c8a0d5c4e21",true]]},\#
        {"name":"Strings","columns":[{"name":"Text","type":"string"},{"name":"Dyn","type":"dynamic"}],"rows":[\#
        ["quote \" backslash \\ newline \n tab \t é 中 😀 \u0001","{\"a\":[1,2.5,null,true],\"b\":{\"c\":\"x\"}}"],\#
        ["","[9007199254740993,-0.5,\"s\"]"],[null,"boundedElastic-1"],["{\"json\":\"in a string\"}",null],\#
        ["x","{not json"],["y",{"nested":{"k":[1,2]}}],["z","  [1] "]]}]}
        """#

    /// A partial result: one row and the `error` object of a truncation.
    static let partial = #"""
        {"tables":[{"name":"PrimaryResult","columns":[{"name":"N","type":"long"}],"rows":[[1]]}],\#
        "error":{"code":"PartialError","message":"There were some errors when processing your query.",\#
        "details":[{"code":"EngineError","message":"Something went wrong processing your query on the server.",\#
        "innererror":{"code":"-2133196797","message":"Query result set has exceeded the internal record count \#
        limit 1 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)","severity":2,\#
        "severityName":"Error"}}]}}
        """#

    static let all: [(name: String, text: String)] = [
        ("edge-numbers.json", numbers), ("edge-times-ids-strings.json", timesAndIDs), ("edge-partial.json", partial),
    ]
}
