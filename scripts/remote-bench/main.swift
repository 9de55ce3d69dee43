/// Benchmark driver: decodes one response file by one method and prints rows, bytes and seconds.

import Foundation
import LogAnalytics
import RowDecoding
import TableModel

/// Walks JSONSerialization's tree the way a typed reader must: every cell cast by its column type.
func foundationRows(_ data: Data) throws -> (rows: Int, checksum: Int) {
    let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    var rows = 0
    var checksum = 0
    for table in root["tables"] as! [[String: Any]] {
        let types = (table["columns"] as! [[String: Any]]).map { $0["type"] as! String }
        for row in table["rows"] as! [[Any]] {
            rows += 1
            for (cell, type) in zip(row, types) {
                switch type {
                case "long", "int": checksum &+= (cell as? NSNumber)?.intValue ?? 0
                case "real": checksum &+= Int((cell as? NSNumber)?.doubleValue ?? 0)
                case "bool": checksum &+= (cell as? Bool) == true ? 1 : 0
                default: checksum &+= (cell as? String)?.utf8.count ?? 0
                }
            }
        }
    }
    return (rows, checksum)
}

/// Our streaming scanner reading the file in 1 MiB chunks, every cell typed.
func scannerRows(_ path: String) throws -> (rows: Int, checksum: Int) {
    let reader = try ResponseFileReader(path: path)
    var rows = 0
    var checksum = 0
    while let event = try reader.next() {
        guard case .row(let row) = event else { continue }
        rows += 1
        for value in row {
            switch value {
            case .long(let number): checksum &+= Int(number)
            case .int(let number): checksum &+= Int(number)
            case .real(let number): checksum &+= Int(number)
            case .bool(let flag): checksum &+= flag ? 1 : 0
            case .string(let text): checksum &+= text.utf8.count
            case .datetime(let instant): checksum &+= Int(instant.ticks & 0xFF)
            case .guid(let id): checksum &+= Int(id.uuid.0)
            case .dynamic: checksum &+= 1
            default: break
            }
        }
    }
    return (rows, checksum)
}

/// Counts rows and sums every typed cell the way `scannerRows` does, over borrowed cells.
struct ChecksumVisitor: ResponseVisitor {
    var rows = 0
    var checksum = 0

    mutating func visitRow(_ row: RowCells) {
        rows += 1
        for cell in row {
            switch cell {
            case .long(let number): checksum &+= Int(number)
            case .int(let number): checksum &+= Int(number)
            case .real(let number): checksum &+= Int(number)
            case .bool(let flag): checksum &+= flag ? 1 : 0
            case .string(let text): checksum &+= text.withDecodedUTF8 { $0.count }
            case .datetime(let instant): checksum &+= Int(instant.ticks & 0xFF)
            case .guid(let id): checksum &+= Int(id.uuid.0)
            case .dynamic: checksum &+= 1
            default: break
            }
        }
    }
}

/// The scanner's row visitor over the file in 1 MiB chunks: every cell typed, text left in the buffer.
func visitorRows(_ path: String) throws -> (rows: Int, checksum: Int) {
    let chunk = Int(ProcessInfo.processInfo.environment["BENCH_CHUNK"] ?? "") ?? 1 << 20
    let reader = try ResponseFileReader(path: path, chunkSize: chunk)
    var visitor = ChecksumVisitor()
    try reader.scan(into: &visitor)
    return (visitor.rows, visitor.checksum)
}

/// Owned rows (`[Value]`, every string a String, every dynamic parsed) built from the visitor's cells.
struct OwnedRowsVisitor: ResponseVisitor {
    var rows = 0
    var checksum = 0

    mutating func visitRow(_ row: RowCells) {
        let values = row.values
        rows += 1
        checksum &+= values.count
    }
}

/// The visitor handing each row over as owned values, as a caller that keeps rows needs them.
func visitorValueRows(_ path: String) throws -> (rows: Int, checksum: Int) {
    let reader = try ResponseFileReader(path: path)
    var visitor = OwnedRowsVisitor()
    try reader.scan(into: &visitor)
    return (visitor.rows, visitor.checksum)
}

/// The same body fetched from the loopback server by the query client and decoded as a stream.
func streamedRows(_ endpoint: String) async throws -> (rows: Int, checksum: Int) {
    let client = LogAnalyticsClient(
        workspaceID: "bench", endpoint: URL(string: endpoint)!,
        credential: TokenEnvCredential(token: "benchmark-token"))
    let window = (from: DateTime.from(year: 2024, month: 1, day: 1)!, to: DateTime.from(year: 2024, month: 1, day: 2)!)
    var rows = 0
    var checksum = 0
    _ = try await client.queryStreaming("Bench", window: window) { event in
        guard case .row(let row) = event else { return }
        rows += 1
        checksum &+= row.count
    }
    return (rows, checksum)
}

let arguments = CommandLine.arguments
let mode = arguments[1]
let path = arguments[2]
let sizePath = arguments.count > 3 ? arguments[3] : path
let resolved = URL(fileURLWithPath: sizePath).resolvingSymlinksInPath().path
let bytes = (try FileManager.default.attributesOfItem(atPath: resolved)[.size] as? NSNumber)?.intValue ?? 0
/// CPU seconds this process has used (user + system), to measure decoding apart from other load.
func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

let start = Date()
let cpuStart = cpuSeconds()
let result: (rows: Int, checksum: Int)
switch mode {
case "scanner": result = try scannerRows(path)
case "visitor": result = try visitorRows(path)
case "visitor-values": result = try visitorValueRows(path)
case "serialization": result = try foundationRows(try Data(contentsOf: URL(fileURLWithPath: path)))
case "stream": result = try await streamedRows(path)
default: fatalError("unknown mode \(mode)")
}
let seconds = Date().timeIntervalSince(start)
let cpu = cpuSeconds() - cpuStart
print(
    "{\"mode\":\"\(mode)\",\"rows\":\(result.rows),\"bytes\":\(bytes),\"seconds\":\(seconds),\"cpu\":\(cpu),"
        + "\"checksum\":\(result.checksum)}")
