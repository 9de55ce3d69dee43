/// Cross-check of value typing: the official azure-monitor-query SDK and our decoder, cell by cell.

import Foundation
import RowDecoding
import TableModel
import Testing

/// Where the SDK (azure-monitor-query 2.0.0, through its real HTTP client against a loopback server)
/// and our decoder legitimately differ. Each is counted when met; the test asserts every one of them
/// is met on the bodies below, so none is an unused excuse.
///
/// Who is right follows notes/log-analytics-api.md (the "Value encodings" table):
/// - `realAsText`: a real column's `"NaN"`, `"Infinity"`, `"-Infinity"` are the service's encoding of
///   those reals; the SDK hands back the strings, we give the Double.
/// - `realFromIntegerToken`: a real cell written as an integer token (`1`); the SDK keeps a Python
///   int, we give the Double the column declares.
/// - `decimalAsText`: decimals come as strings; the SDK returns the text, we return a Decimal (the
///   text parses to our value).
/// - `datetimeMicroseconds`: the SDK cuts a 7th fraction digit (its deserialize_iso keeps 6 digits,
///   Python datetimes hold microseconds); we keep 100 ns ticks. Our value, cut to microseconds, must
///   equal the SDK's.
/// - `guidCase`: the SDK returns the text as sent; we return a UUID, equal ignoring case.
/// - `dynamicAsText`: a dynamic object/array arrives as JSON text in a string; the SDK returns the
///   text, we parse it (the notes' "try-JSON-parse, else keep as string").
/// - `noneAsText`: an SDK bug: a `null` guid or timespan comes back as the text "None" (its
///   native_col_type calls `str()` on every guid/timespan cell, None included); the service sent
///   null (notes: "`null`" is a valid guid and timespan), so ours, null, is right.
/// - `nullString`: a string column holding `null` (the service never sends one; strings are never
///   null in Kusto); the SDK returns None, we return "".
/// - `noTables`: a 200 body with no `tables` (a `$batch` answer sent to the query path); the SDK
///   reports an empty success, we refuse it as not a query response, since an empty result must be
///   stated, not inferred.
struct SDKExceptions {
    var realAsText = 0
    var realFromIntegerToken = 0
    var decimalAsText = 0
    var datetimeMicroseconds = 0
    var guidCase = 0
    var dynamicAsText = 0
    var noneAsText = 0
    var nullString = 0
    var noTables = 0
}

struct AzureSDKPeerTests {
    @Test func `the azure-monitor-query SDK types every cell of the recorded and edge bodies as we do`() throws {
        guard AzureSDKPeer.available else {
            // scripts/test.sh installs the SDK from scripts/test-peers.txt and sets PATHPROOF_TEST_PYTHON;
            // when that was asked for, a missing SDK is a failure, not a skip.
            #expect(ProcessInfo.processInfo.environment["PATHPROOF_TEST_PYTHON"] == nil)
            print("SKIPPED the SDK cross-check: \(AzureSDKPeer.python) cannot import azure.monitor.query")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sdk-peer-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let statuses = try AzureSDKPeer.recordedStatuses()
        var bodies = LAFixtures.names.map { (path: LAFixtures.url($0).path, status: statuses[$0] ?? 200) }
        for edge in EdgeBodies.all {
            let url = directory.appendingPathComponent(edge.name)
            try Data(edge.text.utf8).write(to: url)
            bodies.append((url.path, 200))
        }
        #expect(bodies.count >= 24)
        let peer = try AzureSDKPeer.decode(bodies)
        guard case .array(let results)? = peer["results"], results.count == bodies.count else {
            throw TestFailure("the SDK peer gave no result per body")
        }
        var exceptions = SDKExceptions()
        var cellsCompared = 0
        for (body, sdk) in zip(bodies, results) {
            cellsCompared += try compare(body, sdk, &exceptions)
        }
        #expect(cellsCompared > 3000, "only \(cellsCompared) cells compared")
        #expect(exceptions.realAsText == 6)
        #expect(exceptions.realFromIntegerToken == 1)
        #expect(exceptions.decimalAsText >= 12)
        #expect(exceptions.datetimeMicroseconds >= 20)
        #expect(exceptions.guidCase == 1)
        #expect(exceptions.dynamicAsText >= 100)
        #expect(exceptions.noneAsText == 4)
        #expect(exceptions.nullString == 1)
        #expect(exceptions.noTables == 2)
    }

    /// Compares one body; returns how many cells were compared.
    private func compare(_ body: (path: String, status: Int), _ sdk: Dynamic, _ exceptions: inout SDKExceptions)
        throws -> Int
    {
        let name = URL(fileURLWithPath: body.path).lastPathComponent
        let outcome = sdk["outcome"]?.stringValue ?? "?"
        let ours: DecodedResponse
        do {
            ours = try QueryResponseDecoder.decode(fileAt: URL(fileURLWithPath: body.path))
        } catch {
            if body.status != 200 {
                // An error body: the SDK raises the HTTP error, we find no tables; neither yields rows.
                #expect(outcome == "http-error", "\(name): SDK outcome \(outcome)")
                #expect(sdk["error"]?["status"] == .long(Int64(body.status)), "\(name)")
            } else {
                #expect(outcome == "success" && sdk["tables"] == .array([]), "\(name): SDK outcome \(outcome)")
                #expect("\(error)".contains("no 'tables' array"), "\(name): \(error)")
                exceptions.noTables += 1
            }
            return 0
        }
        #expect(body.status == 200, "\(name): decoded a body recorded with status \(body.status)")
        #expect(outcome == (ours.partialError == nil ? "success" : "partial"), "\(name): SDK outcome \(outcome)")
        guard case .array(let sdkTables)? = sdk["tables"], sdkTables.count == ours.tables.count else {
            throw TestFailure("\(name): the SDK sees \(sdk["tables"]?.jsonText ?? "no") tables")
        }
        var compared = 0
        for (table, sdkTable) in zip(ours.tables, sdkTables) {
            #expect(sdkTable["name"]?.stringValue == table.name, "\(name)")
            #expect(sdkTable["columns"] == .array(table.columns.map { .string($0.name) }), "\(name)")
            #expect(sdkTable["types"] == .array(table.columns.map { .string($0.type.rawValue) }), "\(name)")
            guard case .array(let sdkRows)? = sdkTable["rows"], sdkRows.count == table.rows.count else {
                throw TestFailure("\(name) \(table.name): row counts differ")
            }
            for (index, (row, sdkRow)) in zip(table.rows, sdkRows).enumerated() {
                guard case .array(let sdkCells) = sdkRow, sdkCells.count == row.count else {
                    throw TestFailure("\(name) \(table.name) row \(index): cell counts differ")
                }
                for (column, (value, sdkCell)) in zip(table.columns, zip(row, sdkCells)) {
                    let agreed = agree(value, sdkCell, column.type, &exceptions)
                    #expect(
                        agreed,
                        "\(name) \(table.name) row \(index) \(column.name): ours \(value), SDK \(sdkCell.jsonText)")
                    compared += 1
                }
            }
        }
        return compared
    }

    /// Whether our value and the SDK's tagged Python value are the same cell (counting the exceptions).
    private func agree(_ value: Value, _ sdk: Dynamic, _ type: ColumnType, _ exceptions: inout SDKExceptions)
        -> Bool
    {
        if case .null = sdk {
            if case .string("") = value, type == .string {
                exceptions.nullString += 1
                return true
            }
            return value == .null
        }
        if value == .null, type == .guid || type == .timespan, sdk["str"] == .string("None") {
            exceptions.noneAsText += 1
            return true
        }
        switch value {
        case .null: return false
        case .bool(let flag): return sdk["bool"] == .bool(flag)
        case .int(let number): return sdk["int"]?.stringValue == String(number)
        case .long(let number): return sdk["int"]?.stringValue == String(number)
        case .real(let number): return agreeReal(number, sdk, &exceptions)
        case .decimal(let number):
            guard let text = sdk["str"]?.stringValue else { return false }
            exceptions.decimalAsText += 1
            return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) == number
        case .string(let text): return sdk["str"]?.stringValue == text
        case .datetime(let instant):
            guard case .long(let micros)? = sdk["micros"] else { return false }
            if instant.ticks % 10 != 0 { exceptions.datetimeMicroseconds += 1 }
            return instant.ticks / 10 == micros
        case .timespan(let span):
            return sdk["str"]?.stringValue.flatMap { Timespan(text: $0) } == span
        case .guid(let id):
            guard let text = sdk["str"]?.stringValue else { return false }
            if text != id.uuidString.lowercased() { exceptions.guidCase += 1 }
            return UUID(uuidString: text) == id
        case .dynamic(let dynamic): return agreeDynamic(dynamic, sdk, &exceptions)
        }
    }

    private func agreeReal(_ number: Double, _ sdk: Dynamic, _ exceptions: inout SDKExceptions) -> Bool {
        if let hex = sdk["float"]?.stringValue {
            guard let theirs = Double(hex) else { return false }
            return theirs.bitPattern == number.bitPattern || (theirs.isNaN && number.isNaN)
        }
        if let digits = sdk["int"]?.stringValue {
            exceptions.realFromIntegerToken += 1
            return Double(digits) == number
        }
        switch sdk["str"]?.stringValue {
        case "NaN"?:
            exceptions.realAsText += 1
            return number.isNaN
        case "Infinity"?:
            exceptions.realAsText += 1
            return number == .infinity
        case "-Infinity"?:
            exceptions.realAsText += 1
            return number == -.infinity
        default:
            return false
        }
    }

    private func agreeDynamic(_ dynamic: Dynamic, _ sdk: Dynamic, _ exceptions: inout SDKExceptions) -> Bool {
        if let json = sdk["json"] { return json == dynamic }
        if let digits = sdk["int"]?.stringValue { return dynamic == .long(Int64(digits) ?? 0) }
        if let flag = sdk["bool"] { return flag == dynamic.boolDynamic }
        guard let text = sdk["str"]?.stringValue else { return false }
        if case .string(let kept) = dynamic { return kept == text }
        exceptions.dynamicAsText += 1
        return (try? JSONParser.parse(text)) == dynamic
    }
}

extension Dynamic {
    fileprivate var boolDynamic: Dynamic? {
        if case .bool = self { return self }
        return nil
    }
}
