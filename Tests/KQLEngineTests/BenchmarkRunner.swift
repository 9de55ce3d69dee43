/// The engine's half of scripts/kql-benchmark.sh: runs the Key Vault query and a coverage summarize
/// over generated AzureDiagnostics rows (with KQL_BENCHMARK_ROWS set; does nothing otherwise).

import Foundation
import KQLEngine
import TableModel
import Testing

/// Generates AzureDiagnostics rows on demand, so the table never sits in memory.
///
/// The same formulas are in scripts/kql-benchmark.py, which loads identical rows into SQLite and DuckDB.
struct GeneratedDiagnostics: TableProvider {
    let count: Int
    static let start = DateTime(iso8601: "2026-05-01T00:00:00Z")!
    static let operations = ["KeyGet", "KeyWrap", "KeyUnwrap", "SecretGet", "VaultGet"]

    static let columns = [
        Column("TimeGenerated", .datetime), Column("ResourceProvider", .string), Column("OperationName", .string),
        Column("ResourceId", .string), Column("Resource", .string), Column("ResultType", .string),
        Column("ResultSignature", .string), Column("httpStatusCode_d", .real), Column("CallerIPAddress", .string),
        Column("identity_claim_xms_mirid_s", .string), Column("identity_claim_xms_az_nwperimid_s", .string),
        Column("AdditionalFields", .dynamic),
    ]

    static func row(_ i: Int) -> [Value] {
        let forbidden = i % 7 == 0
        return [
            .datetime(DateTime(ticks: start.ticks + Int64(i) * 3 * DateTime.ticksPerSecond)),
            .string(i % 10 == 9 ? "MICROSOFT.STORAGE" : "MICROSOFT.KEYVAULT"),
            .string(operations[i % 5]),
            .string("/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV\(i % 20)"),
            .string("KV\(i % 20)"), .string("Success"), .string(forbidden ? "Forbidden" : "OK"),
            .real(forbidden ? 403 : 200), .string("10.0.\(i % 256).\(i % 97)"),
            .string("/subscriptions/s/providers/Microsoft.PowerPlatform/enterprisePolicies/p\(i % 3)"),
            .string(i % 11 == 0 ? "[]" : "[\"perim-1\"]"), .dynamic(.object([:])),
        ]
    }

    struct Cursor: RowCursor {
        let count: Int
        var position = 0
        mutating func next() throws -> [Value]? {
            guard position < count else { return nil }
            position += 1
            return GeneratedDiagnostics.row(position - 1)
        }
    }

    func schema(of table: String) throws -> [Column]? { table == "AzureDiagnostics" ? Self.columns : nil }
    func scan(_ table: String) throws -> any RowCursor { Cursor(count: count) }
    func tableNames() throws -> [String] { ["AzureDiagnostics"] }
}

struct BenchmarkRunner {
    static func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    @Test func `benchmark`() throws {
        guard let rowsText = ProcessInfo.processInfo.environment["KQL_BENCHMARK_ROWS"], let rows = Int(rowsText)
        else { return }
        let engine = KQLEngine(tables: GeneratedDiagnostics(count: rows))
        let keyAccess = try ShippedQueriesTests.query("keyvault-key-access.kql")
        let coverage = "AzureDiagnostics | summarize count() by bin(TimeGenerated, 1h), Resource, OperationName"
        var queries = [("key-access", keyAccess), ("coverage", coverage)]
        if let extra = ProcessInfo.processInfo.environment["KQL_BENCHMARK_QUERY"] { queries = [("extra", extra)] }
        for (name, query) in queries {
            let started = Date()
            let result = try engine.run(query)[0]
            let seconds = Date().timeIntervalSince(started)
            print(
                String(format: "RESULT engine %@ %.3f %d %.0f", name, seconds, result.rows.count, Self.peakMemoryMB()))
        }
    }
}
