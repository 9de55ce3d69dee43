/// Tests of the workspace file: persistence, typed reads, duplicates, transactions and refusals.

import Foundation
import SQLiteSupport
import TableModel
import Testing

@testable import Workspace

struct WorkspaceStorageTests {
    @Test func `a workspace file keeps its tables, column types and rows when reopened`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/evidence.sqlite"
        var before: [[String: Value]] = []
        var schema: [Column]?
        do {
            let workspace = try Workspace(path: path)
            _ = try workspace.ingest(paths: [
                Fixtures.record("pt1h-jsonlines-sekoia-2024.json"),
                Fixtures.record("azkvauditlogs-query-response-keysign-thirdparty-fixture.json"),
            ])
            before = try rows(of: "AzureDiagnostics", in: workspace)
            schema = try workspace.schema(of: "AzureDiagnostics")
        }
        let reopened = try Workspace(path: path)
        #expect(try reopened.tableNames() == ["AZKVAuditLogs", "AzureDiagnostics"])
        #expect(try reopened.schema(of: "AzureDiagnostics") == schema)
        #expect(try rows(of: "AzureDiagnostics", in: reopened) == before)
        #expect(try reopened.sourceFiles().map(\.rows) == [30, 3])
        #expect(try reopened.sourceFiles().first?.shape == .jsonLines)
        #expect(try SQLiteDatabase(path: path).integrityProblems().isEmpty)
    }

    @Test func `ingesting the same content again adds no row, whatever its path`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let workspace = try Workspace(path: directory + "/w.sqlite")
        let original = Fixtures.record("pt1h-jsonlines-blob-format-doc.json")
        let copy = directory + "/copy/PT1H.json"
        try FileManager.default.createDirectory(atPath: directory + "/copy", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        _ = try workspace.ingest(paths: [original])
        let again = try workspace.ingest(paths: [original, copy])
        #expect(again.files.map(\.outcome) == [.duplicate(earlierPath: original), .duplicate(earlierPath: original)])
        #expect(again.totalRows == 0)
        #expect(try rows(of: "AzureDiagnostics", in: workspace).count == 2)
    }

    @Test func `files are named by the SHA-256 of their bytes`() throws {
        let path = Fixtures.record("pt1h-jsonlines-sekoia-2024.json")
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [path])
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        tool.arguments = [path]
        let output = Pipe()
        tool.standardOutput = output
        try tool.run()
        tool.waitUntilExit()
        let expected = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        #expect(summary.files.first?.sha256 == String(expected))
        #expect(try workspace.sourceFiles().first?.sha256 == String(expected))
        #expect(try workspace.sourceFiles().first?.bytes == 39392)
    }

    @Test func `a digest matches the standard vectors at block boundaries`() {
        var empty = SHA256()
        empty.update([UInt8]())
        #expect(empty.hexDigest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256()
        abc.update(Array("abc".utf8))
        #expect(abc.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var split = SHA256()
        let text = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        split.update(text[..<20])
        split.update(text[20...])
        #expect(split.hexDigest() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func `every column type reads back as the value that was written`() throws {
        let response = """
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},\
            {"name":"OperationName","type":"string"},{"name":"httpStatusCode_d","type":"real"},\
            {"name":"Flag","type":"bool"},{"name":"Count","type":"int"},{"name":"Big","type":"long"},\
            {"name":"Ratio","type":"real"},{"name":"Amount","type":"decimal"},{"name":"Span","type":"timespan"},\
            {"name":"Id","type":"guid"},{"name":"Bag","type":"dynamic"}],"rows":[\
            ["2024-01-02T03:04:05.1234567Z","KeyGet",200,true,-7,9223372036854775807,"NaN","0.10101",\
            "1.02:03:04.5","74BE27DE-1E4E-49D9-B579-FE0B331D3642","{\\"a\\":[1,2.5,null,\\"x\\"]}"],\
            ["2024-01-02T03:04:06Z","KeyWrap",null,null,null,null,"-Infinity",null,null,null,null]]}]}
            """
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write(response, to: "saved.json", in: directory)
        let workspace = try Workspace(path: directory + "/w.sqlite")
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.rowsPerTable == ["AzureDiagnostics": 2])
        let decoded = try JSONParser.parse(response)
        let table = try rows(of: "AzureDiagnostics", in: workspace)
        let schema = try #require(try workspace.schema(of: "AzureDiagnostics"))
        guard case .array(let tables)? = decoded["tables"], case .array(let columns)? = tables.first?["columns"] else {
            Issue.record("the response has no columns")
            return
        }
        for column in columns {
            let name = column["name"]!.stringValue!
            #expect(schema.contains(Column(name, ColumnType(kqlName: column["type"]!.stringValue!)!)))
        }
        let first = table[0]
        #expect(first["TimeGenerated"] == .datetime(DateTime(iso8601: "2024-01-02T03:04:05.1234567Z")!))
        #expect(first["Flag"] == .bool(true) && first["Count"] == .int(-7) && first["Big"] == .long(.max))
        guard case .real(let ratio)? = first["Ratio"] else {
            Issue.record("Ratio is not real")
            return
        }
        #expect(ratio.isNaN)
        #expect(first["Amount"] == .decimal(Decimal(string: "0.10101")!))
        #expect(first["Span"] == .timespan(Timespan(text: "1.02:03:04.5")!))
        #expect(first["Id"] == .guid(UUID(uuidString: "74be27de-1e4e-49d9-b579-fe0b331d3642")!))
        #expect(first["Bag"] == .dynamic(.object(["a": .array([.long(1), .real(2.5), .null, .string("x")])])))
        let second = table[1]
        #expect(second["Flag"] == .null && second["Big"] == .null && second["Bag"] == .null)
        #expect(second["Ratio"] == .real(-.infinity))
        #expect(second["ResourceId"] == .string("") && second["Type"] == .string("AzureDiagnostics"))
    }

    @Test func `a SQLite database of another kind is not taken for a workspace`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let other = directory + "/archive.sqlite"
        try SQLiteDatabase(path: other).execute("CREATE TABLE reports (id INTEGER)")
        #expect {
            _ = try Workspace(path: other)
        } throws: { error in
            guard case WorkspaceError.notAWorkspace(let path, let reason)? = error as? WorkspaceError else {
                return false
            }
            return path == other && reason.contains("another kind")
        }
        let text = try Fixtures.write("{\"records\":[]}", to: "logs.json", in: directory)
        #expect(throws: WorkspaceError.self) { _ = try Workspace(path: text) }
        #expect(throws: WorkspaceError.self) { _ = try Workspace(path: directory + "/missing/dir/w.sqlite") }
    }

    @Test func `a missing input or a directory without log files is an error before anything is written`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let workspace = try Workspace(path: directory + "/w.sqlite")
        let good = Fixtures.record("raw-authentication-401-empty-identity.json")
        #expect {
            _ = try workspace.ingest(paths: [good, directory + "/nope.json"])
        } throws: { error in
            (error as? WorkspaceError)?.description == "no such file or directory: \(directory)/nope.json"
        }
        try FileManager.default.createDirectory(atPath: directory + "/empty", withIntermediateDirectories: true)
        try Fixtures.write("notes", to: "empty/README.md", in: directory)
        #expect {
            _ = try workspace.ingest(paths: [directory + "/empty"])
        } throws: { error in
            (error as? WorkspaceError)?.description.contains("holds no *.json or *.jsonl log file") == true
        }
        #expect(try workspace.tableNames().isEmpty)
        #expect(try workspace.sourceFiles().isEmpty)
    }

    @Test func `scanning a table that does not exist is an error and its schema is nil`() throws {
        let workspace = try Workspace.inMemory()
        #expect(try workspace.schema(of: "AzureDiagnostics") == nil)
        #expect(throws: WorkspaceError.self) { _ = try workspace.scan("AzureDiagnostics") }
    }

    @Test func `a blob tree of PT1H files is read in path order and CRLF lines and a BOM are accepted`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let base =
            "insights-logs-auditevent/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/"
            + "MICROSOFT.KEYVAULT/VAULTS/V/y=2024/m=05/d=01"
        let late = RecordFlatteningTests.record(time: "2024-05-01T09:59:00Z", operation: "KeyWrap")
        try Fixtures.write(
            "\u{FEFF}" + RecordFlatteningTests.record(operation: "KeyGet") + "\r\n" + late + "\r\n",
            to: base + "/h=10/m=00/PT1H.json", in: directory)
        try Fixtures.write(
            RecordFlatteningTests.record(time: "2024-05-01T11:00:00Z", operation: "KeyUnwrap") + "\n",
            to: base + "/h=11/m=00/PT1H.json", in: directory)
        try Fixtures.write("{}", to: base + "/.hidden.json", in: directory)
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [directory])
        #expect(summary.rejected.isEmpty)
        #expect(summary.files.map { ($0.path as NSString).lastPathComponent } == ["PT1H.json", "PT1H.json"])
        let table = try rows(of: "AzureDiagnostics", in: workspace)
        #expect(table.map { $0["OperationName"] } == [.string("KeyGet"), .string("KeyWrap"), .string("KeyUnwrap")])
        // The time is the record's, not the blob path's hour.
        #expect(table[1]["TimeGenerated"] == .datetime(DateTime(iso8601: "2024-05-01T09:59:00Z")!))
    }

    @Test func `a broken pretty-printed envelope is refused with its line and column and writes nothing`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let text =
            "{\n  \"records\": [\n    {\"time\": \"2024-05-01T10:00:00Z\",\n"
            + "     \"operationName\": \"KeyGet\"\n  ]\n}\n"
        let path = try Fixtures.write(text, to: "broken.json", in: directory)
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.files.first?.outcome == .refused(reason: summary.rejected.first?.reason ?? ""))
        #expect(summary.rejected.first?.reason.hasPrefix("invalid JSON at line 5, column 3") == true)
        #expect(try workspace.tableNames().isEmpty && workspace.sourceFiles().isEmpty)
    }

    @Test func `an error body among JSON lines rejects that line only`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let lines = [
            RecordFlatteningTests.record(), "{\"error\":{\"code\":\"PathNotFoundError\",\"message\":\"gone\"}}", "42",
            RecordFlatteningTests.record(operation: "KeyWrap"),
        ]
        let path = try Fixtures.write(lines.joined(separator: "\n"), to: "mixed.jsonl", in: directory)
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.rowsPerTable == ["AzureDiagnostics": 2])
        #expect(summary.rejected.map(\.line) == [2, 3])
        #expect(summary.rejected[0].reason.contains("PathNotFoundError: gone"))
        #expect(summary.rejected[1].reason.contains("JSON number"))
    }

    @Test func `a row that does not fit its table is rejected and creates no column`() throws {
        let lone = try Workspace.inMemory()
        let directory = try Fixtures.temporaryDirectory()
        let onlyBad = "{\"Type\":\"AZKVAuditLogs\",\"TimeGenerated\":\"2024-05-01T10:00:00Z\",\"HttpStatusCode\":true}"
        _ = try lone.ingest(paths: [try Fixtures.write(onlyBad, to: "bad.json", in: directory)])
        #expect(try lone.tableNames().isEmpty)

        let good =
            "{\"Type\":\"AZKVAuditLogs\",\"TimeGenerated\":\"2024-05-01T10:00:00Z\",\"OperationName\":\"KeyGet\","
            + "\"HttpStatusCode\":200,\"Identity\":\"{\\\"claim\\\":{\\\"xms_mirid\\\":\\\"/p\\\"}}\"}"
        let bad =
            "{\"Type\":\"AZKVAuditLogs\",\"TimeGenerated\":\"2024-05-01T10:00:00Z\",\"OperationName\":\"KeyGet\","
            + "\"HttpStatusCode\":\"teapot\",\"Nsp\":{\"a\":1}}"
        let path = try Fixtures.write("{\"value\":[\(bad),\(good),\(bad)]}", to: "rows.json", in: directory)
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.rowsPerTable == ["AZKVAuditLogs": 1])
        #expect(summary.rejected.map(\.record) == [1, 3])
        #expect(summary.rejected.first?.reason == "column 'HttpStatusCode' holds \"teapot\", not a value of type int")
        #expect(try !columnNames(of: "AZKVAuditLogs", in: workspace).contains("Nsp"))
        let row = try #require(try rows(of: "AZKVAuditLogs", in: workspace).first)
        #expect(try lone.sourceFiles().count == 1)
        #expect(row["Identity"] == .dynamic(.object(["claim": .object(["xms_mirid": .string("/p")])])))
        #expect(row["HttpStatusCode"] == .int(200))
    }
}

extension WorkspaceStorageTests {
    @Test func `a union result routed by $table keeps Key Vault rows and no other table's empty columns`() throws {
        let response = """
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"$table","type":"string"},\
            {"name":"TimeGenerated","type":"datetime"},{"name":"OperationName","type":"string"},\
            {"name":"identity_claim_xms_mirid_s","type":"string"},{"name":"Caller","type":"string"}],"rows":[\
            ["AzureDiagnostics","2024-01-02T03:04:05Z","KeyUnwrap","/p",""],\
            ["AzureActivity","2024-01-02T03:04:06Z","Write","","user1@contoso.com"]]}]}
            """
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write(response, to: "search.json", in: directory)
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.rowsPerTable == ["AzureDiagnostics": 1])
        #expect(summary.warnings.first?.reason.contains("1 rows of table 'PrimaryResult'") == true)
        let names = try columnNames(of: "AzureDiagnostics", in: workspace)
        #expect(names.contains("identity_claim_xms_mirid_s") && !names.contains("Caller"))
        #expect(try rows(of: "AzureDiagnostics", in: workspace).first?["OperationName"] == .string("KeyUnwrap"))
    }
}

extension WorkspaceStorageTests {
    @Test func `a saved response cut short is refused and none of its streamed rows stay`() throws {
        let whole = try InputFiles.contents(
            of: Fixtures.record("azkvauditlogs-query-response-keysign-thirdparty-fixture.json"))
        let directory = try Fixtures.temporaryDirectory()
        let path = directory + "/cut.json"
        try Data(whole.prefix(whole.count - 40)).write(to: URL(fileURLWithPath: path))
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.totalRows == 0)
        #expect(summary.rejected.first?.reason.contains("not a readable Log Analytics query response") == true)
        #expect(try workspace.tableNames().isEmpty && workspace.sourceFiles().isEmpty)
    }

    @Test func `a large saved response is read row by row`() throws {
        let row =
            "[\"2024-01-02T03:04:05Z\",\"KeyUnwrap\",\"Success\",\"OK\",200,"
            + "\"{\\\"claim\\\":{\\\"xms_az_nwperimid\\\":[\\\"11111111-2222-3333-4444-555555555555\\\"]}}\"]"
        let body =
            "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},"
            + "{\"name\":\"OperationName\",\"type\":\"string\"},{\"name\":\"ResultType\",\"type\":\"string\"},"
            + "{\"name\":\"ResultSignature\",\"type\":\"string\"},{\"name\":\"HttpStatusCode\",\"type\":\"int\"},"
            + "{\"name\":\"Identity\",\"type\":\"dynamic\"}],\"rows\":["
            + Array(repeating: row, count: 5_000).joined(separator: ",") + "]}]}"
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write(body, to: "big.json", in: directory)
        let workspace = try Workspace(path: directory + "/w.sqlite")
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.rowsPerTable == ["AZKVAuditLogs": 5_000])
        #expect(summary.files.first?.shape == .queryResponse)
        var cursor = try workspace.scan("AZKVAuditLogs")
        let first = try #require(try cursor.next())
        let schema = try #require(try workspace.schema(of: "AZKVAuditLogs"))
        let identity = first[try #require(schema.firstIndex { $0.name == "Identity" })]
        #expect(
            identity
                == .dynamic(
                    .object([
                        "claim": .object(["xms_az_nwperimid": .array([.string("11111111-2222-3333-4444-555555555555")])]
                        )
                    ])))
    }
}

extension WorkspaceStorageTests {
    @Test func `an empty blob is read as no records with a warning`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = try Fixtures.write(" \n\n", to: "PT1H.json", in: directory)
        let workspace = try Workspace.inMemory()
        let summary = try workspace.ingest(paths: [path])
        #expect(summary.files.map(\.outcome) == [.ingested] && summary.rejected.isEmpty)
        #expect(summary.warnings.map(\.reason) == ["the file is empty or blank: no records"])
        #expect(try workspace.tableNames().isEmpty)
    }
}

extension WorkspaceStorageTests {
    @Test func `opening an existing workspace never creates one`() throws {
        let directory = try Fixtures.temporaryDirectory()
        let missing = directory + "/typo.sqlite"
        #expect {
            _ = try Workspace(existingPath: missing)
        } throws: { error in
            (error as? WorkspaceError)?.description == "cannot open workspace \(missing): no such file"
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(throws: WorkspaceError.self) { _ = try Workspace(existingPath: directory) }
        let path = directory + "/w.sqlite"
        _ = try Workspace(path: path).ingest(paths: [Fixtures.record("raw-authentication-401-empty-identity.json")])
        #expect(try Workspace(existingPath: path).tableNames() == ["AzureDiagnostics"])
    }
}
